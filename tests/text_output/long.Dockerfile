FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends build-essential ca-certificates curl git gnupg libssl-dev libffi-dev python3 python3-dev python3-pip python3-venv unzip wget xz-utils zlib1g-dev && curl -fsSL https://github.com/example/tool/releases/download/v1.2.3/tool-linux-amd64.tar.gz -o /tmp/tool.tgz && tar -xzf /tmp/tool.tgz -C /usr/local/bin && rm -rf /var/lib/apt/lists/* /tmp/tool.tgz
USER nobody
