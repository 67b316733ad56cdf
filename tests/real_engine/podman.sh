#!/usr/bin/env bash
# verify against Podman's Docker-compatible API (issue 14): Debian's podman
# serves it on a socket of this test's own; the real-engine cases that need
# only the local debootstrap images and no network must give the verdicts
# they give on Docker. Podman's `top` takes its own descriptors and answers
# with the container's pids, so this also proves the uid of a main process
# that drops privileges itself is read right there.
#   podman.sh CLI SOURCE_DIR
# Skipped (77) without podman or the debootstrap tarballs scripts/engine.sh
# caches, unless DOCKERFIX_REAL_ENGINE=required.
set -euo pipefail
cli=$(realpath "$1") src=$(realpath "$2")
cache=${DOCKERFIX_IMAGE_CACHE:-/var/cache/dockerfix}
skip() {
  [[ ${DOCKERFIX_REAL_ENGINE:-} == required ]] && { echo "FAIL: $*" >&2; exit 1; }
  echo "podman: $*; skipped"
  exit 77
}
command -v podman >/dev/null 2>&1 || skip "podman is not installed (scripts/engine.sh install installs it)"
for release in bookworm bullseye; do
  [[ -f $cache/debootstrap-$release-minbase.tar ]] || skip "no $cache/debootstrap-$release-minbase.tar (scripts/engine.sh up makes it)"
done

work=$(mktemp -d)
pid=
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# Podman raises a container's open-files and process limits to values this
# kind of machine (a sandbox, a CI runner) may refuse; runc then fails with
# "error setting rlimits". Ask for what the host allows.
cat >"$work/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=4096:4096"]
EOF
export CONTAINERS_CONF=$work/containers.conf
for release in bookworm bullseye; do
  podman image exists "docker.io/library/debian:$release-slim" ||
    podman import -q "$cache/debootstrap-$release-minbase.tar" "docker.io/library/debian:$release-slim" >/dev/null
done

socket=$work/podman.sock
podman system service --time=0 "unix://$socket" >"$work/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 50); do
  curl -fsS --max-time 2 --unix-socket "$socket" http://localhost/_ping >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS --max-time 2 --unix-socket "$socket" http://localhost/_ping >/dev/null 2>&1 ||
  { cat "$work/service.log" >&2; echo "FAIL: podman system service did not answer" >&2; exit 1; }
version=$(curl -fsS --unix-socket "$socket" http://localhost/version | python3 -c 'import json,sys; print(json.load(sys.stdin)["Version"])')
echo "podman: Podman $version on $socket"

# Proven, broken at run time, not provable, a privilege-dropping entrypoint,
# bullseye and bookworm; all without network.
DOCKER_HOST=unix://$socket JOBS=2 python3 "$src/tests/real_engine/run_cases.py" "$cli" "$src" \
  tmp-queue-worker privdrop-entrypoint root-only-credentials broken-original exec-wrapper-worker \
  explicit-uid-service workdir-counter syslog-collector api-needs-database
