#!/bin/sh
# Keeps a chain of its own in place (it touches no other chain).
set -e
iptables -N SIDECAR_DEMO 2>/dev/null || true
iptables -F SIDECAR_DEMO
iptables -A SIDECAR_DEMO -p tcp --dport 6666 -j DROP
echo "firewall: rules installed"
while true; do
  iptables -C SIDECAR_DEMO -p tcp --dport 6666 -j DROP
  sleep 2
done
