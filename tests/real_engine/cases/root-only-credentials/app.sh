#!/bin/bash
set -euo pipefail
key=$(sed -n 's/^api_key=//p' /etc/app/credentials)
echo "app: loaded key of ${#key} characters"
exec sleep infinity
