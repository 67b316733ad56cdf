#!/bin/sh
set -e
# NAT for the VPN clients
iptables -t nat -A POSTROUTING -s 10.99.99.0/24 -o eth0 -j MASQUERADE
exec "$@"
