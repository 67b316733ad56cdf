#!/usr/bin/env bash
# An installed dockerfix needs no source tree: `cmake --install` into a
# temporary prefix, then the installed binary runs from elsewhere with the
# source tree's data/ hidden (a private mount namespace where we may make one),
# and still knows the base images. The shipped knowledge is compiled in, so the
# binary holds no path into the source tree; DOCKERFIX_DATA_DIR and a config's
# `images:` still work.
set -euo pipefail
build=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$work/prefix" > /dev/null || fail "cmake --install"
bin=$work/prefix/bin/dockerfix
[[ -x $bin ]] || fail "no installed binary"
# Not even in its debug information (a short path may be built from
# immediates, leaving no string in the program's own data).
grep -aqF "$src/data" "$bin" && fail "the binary still holds the path $src/data"

cd "$work"
# Only the knowledge file says jenkins/jenkins runs as jenkins.
printf 'FROM jenkins/jenkins:lts\nRUN apt-get update && apt-get install -y curl\n' > Dockerfile
want="Dockerfile:2:1 root-for-privileged-steps RUN needs root (apt-get update changes the system's packages) but runs as jenkins"
run_installed() {  # args...: the installed binary, the source tree's data/ hidden when we can hide it
  if unshare -m --propagation private true 2> /dev/null; then
    unshare -m --propagation private sh -c 'mount -t tmpfs none "$0/data" && exec "$@"' "$src" env -u DOCKERFIX_DATA_DIR "$bin" "$@"
  else
    echo "note: cannot hide $src/data (no mount namespace); the binary runs with it in place" >&2
    env -u DOCKERFIX_DATA_DIR "$bin" "$@"
  fi
}
set +e; run_installed check --no-config --rule root-for-privileged-steps Dockerfile > out 2> err; rc=$?; set -e
[[ $rc == 1 ]] && grep -qF "$want" out || fail "installed binary: exit $rc $(cat out err)"

# A knowledge directory given at run time replaces the built-in file...
mkdir kb
printf 'images:\n  - name: corp\n    match: {repository: [registry.corp.example/base]}\n    family: debian\n    package_managers: [apt]\n    shell: true\n    user: {name: svc, uid: 1001}\n    users: [{name: svc, uid: 1001, gid: 1001, home: /home/svc, shell: /bin/sh}]\n    user_tool: useradd\n    source: test\n' > kb/base-images.yaml
printf 'FROM registry.corp.example/base:1\nRUN apt-get update\nCMD ["x"]\n' > corp.Dockerfile
set +e; DOCKERFIX_DATA_DIR=$work/kb "$bin" check --no-config --rule root-for-privileged-steps corp.Dockerfile > out; rc=$?; set -e
[[ $rc == 1 ]] || fail "DOCKERFIX_DATA_DIR not read: exit $rc $(cat out)"
set +e; DOCKERFIX_DATA_DIR=$work/kb "$bin" check --no-config --rule root-for-privileged-steps Dockerfile > out; rc=$?; set -e
[[ $rc == 0 ]] || fail "DOCKERFIX_DATA_DIR did not replace the built-in knowledge: $(cat out)"
# ... and a config's `images:` extends it.
cp kb/base-images.yaml .dockerfix.yaml
set +e; run_installed check --format concise --rule root-for-privileged-steps corp.Dockerfile Dockerfile > out 2> err; rc=$?; set -e
[[ $rc == 1 && $(grep -c root-for-privileged-steps out) == 2 ]] || fail "config images with the built-in ones: exit $rc $(cat out err)"
echo "installed binary: ok"
