#!/usr/bin/env bash
# Builds everything and runs the whole test suite: the bounded fuzz run
# (scripts/fuzz.sh, FUZZ_SECONDS, default 60) and ctest in build/ (BUILD_DIR).
# Both always run; the exit status is non-zero if either failed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

scripts/build.sh

failed=()
scripts/fuzz.sh "${FUZZ_SECONDS:-60}" || failed+=(fuzz)
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --no-tests=error -j "${JOBS:-2}" --timeout 1800 ||
  failed+=(ctest)

if ((${#failed[@]})); then
  echo "test.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
