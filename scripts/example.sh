#!/usr/bin/env bash
# Builds dockerfix and runs its main job on the bundled example: the file
# round-trips byte for byte, then its semantic view as JSON.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

scripts/build.sh

echo "+ build/dockerfix parse examples/Dockerfile | cmp - examples/Dockerfile"
build/dockerfix parse examples/Dockerfile | cmp - examples/Dockerfile
echo "round trip: byte-identical"
echo "+ build/dockerfix parse --json examples/Dockerfile"
build/dockerfix parse --json examples/Dockerfile
