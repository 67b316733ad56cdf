#!/bin/bash
set -e

if [ "$(id -u)" = '0' ]; then
	chown -R app /data
	exec gosu app "$BASH_SOURCE" "$@"
fi

exec "$@"
