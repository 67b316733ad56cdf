#!/bin/sh
set -e
iptables -t nat -A POSTROUTING -s 10.99.99.0/24 -o eth0 -j MASQUERADE
exec "$@"
