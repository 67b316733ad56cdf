FROM debian:bookworm-slim
RUN apt-get update \
	&& apt-get install -y --no-install-recommends curl ca-certificates \
	&&	curl -fsSL https://deb.nodesource.com/setup_20.x -o /tmp/setup.sh \
	&& bash /tmp/setup.sh
USER nobody
