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

echo "+ build/dockerfix parse examples/Dockerfile | cmp - examples/Dockerfile"
build/dockerfix parse examples/Dockerfile | cmp - examples/Dockerfile
echo "round trip: byte-identical"
