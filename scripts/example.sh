#!/usr/bin/env bash
# Builds dockerfix and runs its main job on the bundled examples: what it
# finds, the fixes it proposes as a diff (nothing is written), and the model
# behind them; then the lossless round trip of the parser.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

scripts/build.sh

run() {
  echo "+ $*"
  "$@" || [[ $? == 1 ]]  # 1 means "found something", which is the point here
}

# seeds/000: a non-root base image whose RUN executes scripts that write /etc.
run build/dockerfix explain corpus/seed000-pixelarch/Dockerfile
run build/dockerfix check corpus/seed000-pixelarch/Dockerfile
run build/dockerfix diff corpus/seed000-pixelarch/Dockerfile
run build/dockerfix check examples/Dockerfile
run build/dockerfix diff examples/Dockerfile

# The fixes as a commit: a scratch repository holding the examples, then
# `apply --commit` (work tree untouched) and the commit it wrote.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -r examples corpus/seed000-pixelarch "$scratch/"
git -C "$scratch" init -q
git -C "$scratch" add -A
git -C "$scratch" -c user.name=Example -c user.email=example@localhost commit -qm "examples"
echo "+ (cd $scratch && dockerfix apply --commit)"
(cd "$scratch" && GIT_AUTHOR_NAME=Example GIT_AUTHOR_EMAIL=example@localhost \
   GIT_COMMITTER_NAME=Example GIT_COMMITTER_EMAIL=example@localhost "$root/build/dockerfix" apply --commit)
git -C "$scratch" log --format='%n%h on %D%n%B' -1 "$(git -C "$scratch" for-each-ref --format='%(refname)' 'refs/heads/dockerfix/*' | head -1)"
git -C "$scratch" status --short | grep -q . && { echo "the work tree changed" >&2; exit 1; }

echo "+ build/dockerfix parse examples/Dockerfile | cmp - examples/Dockerfile"
build/dockerfix parse examples/Dockerfile | cmp - examples/Dockerfile
echo "round trip: byte-identical"
