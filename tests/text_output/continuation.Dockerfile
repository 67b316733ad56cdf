FROM debian:bookworm-slim
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates wget; \
    curl -fsSL https://example.com/releases/app-1.4.2.tar.gz -o /tmp/app.tar.gz; \
    tar -xzf /tmp/app.tar.gz -C /opt; \
    rm -rf /var/lib/apt/lists/* /tmp/app.tar.gz
USER nobody
ENTRYPOINT ["/opt/app/bin/app"]
