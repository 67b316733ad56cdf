#!/bin/bash
set -euo pipefail
n=0
while true; do
  n=$((n + 1))
  echo "$n" > ./count
  sleep 1
done
