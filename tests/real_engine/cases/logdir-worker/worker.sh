#!/bin/bash
set -euo pipefail
source /etc/worker/worker.conf
while true; do
  echo "$(date -Is) ${NAME}: tick" | tee -a /var/log/worker/worker.log
  sleep "$INTERVAL"
done
