#!/usr/bin/env bash
# Builds everything and runs the whole test suite: the bounded fuzz run
# (scripts/fuzz.sh, FUZZ_SECONDS, default 60), ctest in build/ (BUILD_DIR,
# gcc) and the unit tests built with clang in build-clang/ (CLANG_BUILD_DIR;
# CLANG=0 skips it). ctest's real-engine stage (tests/real_engine) needs the
# Docker engine and base images that scripts/engine.sh provides: brought up
# in the background while the build runs, and stopped at the end if this run
# started it. Everything always runs; the exit status is non-zero if anything failed.
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

# The same unit tests built with clang: initialisation order and other
# compiler-dependent behaviour differ (issue 11 #19 was clang-only).
if [[ ${CLANG:-1} != 0 ]]; then
  clang_dir=${CLANG_BUILD_DIR:-build-clang}
  if CC=clang CXX=clang++ cmake -S . -B "$clang_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DDOCKERFIX_BENCH=OFF >/dev/null &&
    cmake --build "$clang_dir" --target dockerfix_tests -j "${JOBS:-2}"; then
    "$clang_dir/tests/dockerfix_tests" --gtest_brief=1 ||
      failed+=(clang-unit-tests)
  else
    failed+=(clang-build)
  fi
fi

if ((${#failed[@]})); then
  echo "test.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
