# dockerfix itself, as a container image:
#   docker build -t dockerfix .
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/work" dockerfix check .
# The build stage compiles and packages dockerfix (the same .deb `cpack`
# makes); the runtime stage installs only that package and its libraries.
FROM debian:bookworm-slim AS build
# Debian's mirrors keep one version of each package of a release, so no
# package=version pin holds across mirrors and point releases; bookworm pins them.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config file \
      libboost-dev libfmt-dev libcli11-dev libgit2-dev nlohmann-json3-dev \
      libyaml-cpp-dev libcurl4-openssl-dev libarchive-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DDOCKERFIX_TESTS=OFF -DDOCKERFIX_BENCH=OFF \
 && cmake --build /build
WORKDIR /build
RUN cpack -G DEB

FROM debian:bookworm-slim
COPY --from=build /build/dockerfix_*.deb /tmp/
# The same pins as the build stage: the release's.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends /tmp/dockerfix_*.deb git ca-certificates \
 && rm -rf /var/lib/apt/lists/* /tmp/dockerfix_*.deb \
 && groupadd -g 10001 dockerfix \
 && useradd -m -u 10001 -g dockerfix -s /usr/sbin/nologin dockerfix
# The uid, not the name, so hosts and Kubernetes see who runs (dockerfix:dockerfix).
USER 10001:10001
WORKDIR /work
ENTRYPOINT ["dockerfix"]
CMD ["check", "."]
