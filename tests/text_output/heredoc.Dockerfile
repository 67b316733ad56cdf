# syntax=docker/dockerfile:1
FROM alpine:3.19
RUN <<EOT
set -eux
apk add --no-cache curl
curl -fsSL https://example.com/tool -o /usr/local/bin/tool
chmod +x /usr/local/bin/tool
EOT
USER nobody
