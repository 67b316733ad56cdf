FROM node:20-bookworm
LABEL org.opencontainers.image.title="サンプル" maintainer="José Núñez"
RUN echo "構築中 🚀" && curl -fsSL https://example.com/app.tgz -o /tmp/app.tgz
USER node
CMD ["node", "server.js"]
