#!/bin/sh
set -e
chown -R app:app /var/lib/app
exec setpriv --reuid=app --regid=app --init-groups "$@"
