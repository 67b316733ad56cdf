#!/bin/sh
set -e
echo "service: $(id)" > ./service.log
exec sleep infinity
