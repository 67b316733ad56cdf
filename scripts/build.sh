#!/usr/bin/env bash
# Installs the dependencies, configures (Ninja, RelWithDebInfo) and builds
# everything into build/. The CLI ends up at build/dockerfix.
#   BUILD_DIR=...  build directory (default: build)
#   BUILD_TYPE=... CMake build type (default: RelWithDebInfo)
#   JOBS=...       parallel jobs (default: 2)
#   DOCKERFIX_CORPUS_DIR=... corpus location (default: ../shared/corpus)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

scripts/install-deps.sh

# ccache, when installed, makes rebuilds across checkouts cheap; it is never required.
if [[ -z ${CMAKE_CXX_COMPILER_LAUNCHER:-} ]] && command -v ccache >/dev/null 2>&1; then
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache
fi

build_dir=${BUILD_DIR:-build}
args=(-S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}")
if [[ -n ${DOCKERFIX_CORPUS_DIR:-} ]]; then
  args+=(-DDOCKERFIX_CORPUS_DIR="$DOCKERFIX_CORPUS_DIR")
fi
if [[ -f tests/CMakeLists.txt ]]; then
  args+=(-DDOCKERFIX_TESTS=ON)
else
  echo "build: tests/CMakeLists.txt not found; building without the test suite" >&2
  args+=(-DDOCKERFIX_TESTS=OFF)
fi

cache="$build_dir/CMakeCache.txt"
if [[ -f $cache ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$cache"; then
  echo "build: $build_dir was configured with another generator; remove it (rm -rf $build_dir) and rerun" >&2
  exit 2
fi

cmake "${args[@]}"
cmake --build "$build_dir" -j "${JOBS:-2}"
echo "build: done; CLI at $build_dir/dockerfix"
