#!/bin/bash
set -e
mkdir -p /etc/default
echo "NOVNC_WEB=${NOVNC_WEB}" > /etc/default/novnc-path
chmod 644 /etc/default/novnc-path
