#!/usr/bin/env bash
# Builds everything and runs the whole test suite: the bounded fuzz run
# (scripts/fuzz.sh, FUZZ_SECONDS, default 60) and ctest in build/ (BUILD_DIR),
# whose real-engine stage (tests/real_engine) needs the Docker engine and
# base images that scripts/engine.sh provides: brought up in the background
# while the build runs, and stopped at the end if this run started it.
# Everything always runs; the exit status is non-zero if anything failed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

failed=()
# Packages first, one apt-get at a time; then the engine and its images
# come up while the build runs.
scripts/install-deps.sh
scripts/engine.sh install || failed+=(engine-install)
mkdir -p "${BUILD_DIR:-build}"
engine_log="${BUILD_DIR:-build}/engine-up.log"
scripts/engine.sh up >"$engine_log" 2>&1 &
engine_pid=$!
trap 'wait "$engine_pid" 2>/dev/null || true; scripts/engine.sh down || true' EXIT

scripts/build.sh

if ! wait "$engine_pid"; then
  cat "$engine_log" >&2
  failed+=(engine)
fi
# The real-engine test fails, rather than skips, when the engine is missing.
export DOCKERFIX_REAL_ENGINE=required
scripts/fuzz.sh "${FUZZ_SECONDS:-60}" || failed+=(fuzz)
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --no-tests=error -j "${JOBS:-2}" --timeout 1800 ||
  failed+=(ctest)

if ((${#failed[@]})); then
  echo "test.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
