#!/bin/bash
if ! (exec 3<>"/dev/tcp/$DATABASE_HOST/$DATABASE_PORT") 2>/dev/null; then
  echo "api: cannot connect to $DATABASE_HOST:$DATABASE_PORT" >&2
  exit 3
fi
exec sleep infinity
