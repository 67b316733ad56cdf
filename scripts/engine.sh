#!/usr/bin/env bash
# The real Docker engine for the real-engine tests (Debian's docker.io, no
# systemd) and the local base images they build on. No registry is
# reachable, so base images are made here: debian:bookworm-slim and
# debian:bullseye-slim from debootstrap (cached as tarballs), a
# node:*-bookworm-slim stand-in with Debian's nodejs and a `node` user of
# uid 1000, and a non-root base like seeds/000's (lunamidori5/pixelarch).
#
#   scripts/engine.sh install  docker.io, debootstrap and podman, when missing
#   scripts/engine.sh up       install; start dockerd unless an engine answers on
#                              the socket (its PID is recorded); make missing images
#   scripts/engine.sh down     stop the dockerd that `up` started (by its PID)
#   scripts/engine.sh status   exit 0 when an engine answers
#
#   DOCKERFIX_ENGINE_STATE=... PID file and dockerd log (default build/engine)
#   DOCKERFIX_IMAGE_CACHE=...  debootstrap tarballs (default /var/cache/dockerfix)
#   DEBIAN_MIRROR=...          default: the mirror apt uses here
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state=${DOCKERFIX_ENGINE_STATE:-$root/build/engine}
cache=${DOCKERFIX_IMAGE_CACHE:-/var/cache/dockerfix}
socket=/var/run/docker.sock
docker=/usr/bin/docker  # Debian's client: another docker on PATH may lack the classic builder's defaults

log() { echo "engine: $*" >&2; }

sudo=()
((EUID == 0)) || sudo=(sudo)

install() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 && [[ -x $docker ]] || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  # Podman's Docker-compatible API is the second engine verify is tested on.
  command -v podman >/dev/null 2>&1 || missing+=(podman)
  ((${#missing[@]})) || return 0
  log "installing ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  # policy-rc.d (or the missing systemd) keeps the package from starting it.
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

answers() { curl -fsS --max-time 5 --unix-socket "$socket" http://localhost/_ping >/dev/null 2>&1; }

start() {
  if answers; then
    log "an engine already answers on $socket; using it"
    return 0
  fi
  mkdir -p "$state"
  log "starting dockerd (log: $state/dockerd.log)"
  # No systemd here, and no NAT wanted: builds use --network host or none.
  setsid "${sudo[@]}" dockerd --iptables=false --ip-masq=false --storage-driver=overlay2 \
    >"$state/dockerd.log" 2>&1 </dev/null &
  echo $! >"$state/dockerd.pid"
  for _ in $(seq 1 60); do
    answers && { log "dockerd $(cat "$state/dockerd.pid") is up"; return 0; }
    kill -0 "$(cat "$state/dockerd.pid")" 2>/dev/null || break
    sleep 1
  done
  tail -20 "$state/dockerd.log" >&2 || true
  log "dockerd did not come up"
  return 1
}

stop() {
  local pidfile=$state/dockerd.pid
  [[ -f $pidfile ]] || { log "no dockerd started by this script"; return 0; }
  local pid
  pid=$(cat "$pidfile")
  # Only the dockerd it started: a stale file's PID may belong to another process by now.
  if kill -0 "$pid" 2>/dev/null && [[ $(cat "/proc/$pid/comm" 2>/dev/null) =~ ^(dockerd|sudo)$ ]]; then
    log "stopping dockerd $pid"
    kill -TERM "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && { log "dockerd $pid still running; killing it"; kill -KILL "$pid"; }
  fi
  rm -f "$pidfile"
}

have_image() { "$docker" image inspect "$1" >/dev/null 2>&1; }

mirror() {
  if [[ -n ${DEBIAN_MIRROR:-} ]]; then echo "$DEBIAN_MIRROR"; return; fi
  local uri
  uri=$(grep -rhoE '^(URIs:|deb) +[^ ]*debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d 2>/dev/null |
    awk '{print $2}' | grep -v security | head -1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

# debian:<suite>-slim from a debootstrap minbase, trimmed as the real slim
# images are (no package lists, no downloaded .debs), CMD bash.
debian_image() {
  local suite=$1 tag=debian:$1-slim
  have_image "$tag" && return 0
  local tarball=$cache/debootstrap-$suite-minbase.tar
  if [[ ! -s $tarball ]]; then
    mkdir -p "$cache"
    local dir
    dir=$(mktemp -d "$cache/$suite.XXXXXX")
    log "debootstrap --variant=minbase $suite from $(mirror) (about a minute)"
    if ! debootstrap --variant=minbase "$suite" "$dir" "$(mirror)" >"$cache/debootstrap-$suite.log" 2>&1; then
      tail -20 "$cache/debootstrap-$suite.log" >&2
      rm -rf "$dir"
      return 1
    fi
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
    mkdir -p "$dir/var/lib/apt/lists/partial"
    tar -C "$dir" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$dir"
  fi
  log "importing $tag"
  "$docker" import --change 'CMD ["bash"]' "$tarball" "$tag" >/dev/null
}

built_image() {
  local tag=$1 dir=$2
  shift 2
  have_image "$tag" && return 0
  log "building $tag"
  "$docker" build -q "$@" -t "$tag" "$dir" >/dev/null
}

images() {
  # The two debootstraps at once: mostly waiting on the mirror and the disk.
  debian_image bullseye &
  local bullseye=$!
  debian_image bookworm
  wait "$bullseye"
  # node:*-bookworm-slim: Debian's nodejs in place of the upstream build;
  # the upstream images' node user (uid 1000) and CMD.
  local node_tag=node:22-bookworm-slim
  built_image "$node_tag" "$root/tests/real_engine/images/node" --network host
  for t in node:18-bookworm-slim node:20-bookworm-slim; do
    have_image "$t" || "$docker" tag "$node_tag" "$t"
  done
  # seeds/000's base runs as a non-root user (midori-ai, uid 1000).
  built_image lunamidori5/pixelarch:emerald "$root/tests/real_engine/images/pixelarch" --network none
}

case ${1:-} in
  install) install ;;
  up) install; start; images ;;
  down) stop ;;
  status) answers ;;
  images) images ;;
  *) echo "usage: scripts/engine.sh install|up|down|status|images" >&2; exit 2 ;;
esac
