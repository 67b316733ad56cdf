#!/bin/sh
set -e
while true; do
  ping -c 1 -W 1 "$TARGET" >/dev/null
  echo "monitor: $TARGET is up"
  sleep 2
done
