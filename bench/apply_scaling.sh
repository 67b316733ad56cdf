#!/usr/bin/env bash
# How `dockerfix apply -` scales with the size of a Dockerfile: times N and
# 4N one-line RUNs (plain `echo`, and `curl` downloads that every get a
# network-retry fix) and one RUN continued over ~1 MiB, and prints seconds and
# the ratio time(4N)/time(N) — about 4 when apply is linear, 16 when quadratic.
#   bench/apply_scaling.sh [N]   (default 5000)
# BUILD_DIR: the build directory (default build; scripts/build.sh runs if
# dockerfix is missing). Best of RUNS runs (default 3). DOCKERFIX: the binary
# to time instead of BUILD_DIR/dockerfix, e.g. an older build as a baseline.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
n=${1:-5000}
runs=${RUNS:-3}
build_dir=${BUILD_DIR:-build}
if [[ ! -x $build_dir/dockerfix ]]; then scripts/build.sh; fi
cli=${DOCKERFIX:-$build_dir/dockerfix}  # DOCKERFIX: another binary to time (a baseline)
out=$build_dir/bench-scaling
mkdir -p "$out"

# Deterministic inputs, written once per size.
gen_lines() {  # KIND COUNT FILE
  awk -v kind="$1" -v n="$2" 'BEGIN {
    print "FROM debian:12"
    for (i = 0; i < n; i++)
      if (kind == "curl") printf "RUN curl -fsSL https://example.invalid/f%d -o /tmp/f%d\n", i, i
      else printf "RUN echo line %d\n", i
    print "CMD [\"sh\"]"
  }' >"$3"
}
gen_continued() {  # BYTES FILE
  awk -v bytes="$1" 'BEGIN {
    print "FROM debian:12"
    printf "RUN true"
    for (size = 0; size < bytes; size += 30) printf " \\\n  && curl -fsS https://x.invalid/"
    print ""
  }' >"$2"
}

seconds() {  # FILE -> best wall-clock seconds of `apply -`
  local best="" t0 t1
  for ((r = 0; r < runs; r++)); do
    t0=$(date +%s.%N)
    "$cli" apply --max-size 8388608 - <"$1" >/dev/null
    t1=$(date +%s.%N)
    best=$(awk -v a="$t0" -v b="$t1" -v best="$best" 'BEGIN { t = b - a; print (best == "" || t < best) ? t : best }')
  done
  printf '%.3f' "$best"
}

printf '%-28s %10s %10s %8s\n' input "N=$n" "N=$((4 * n))" ratio
for kind in echo curl; do
  gen_lines "$kind" "$n" "$out/$kind-1.Dockerfile"
  gen_lines "$kind" "$((4 * n))" "$out/$kind-4.Dockerfile"
  a=$(seconds "$out/$kind-1.Dockerfile")
  b=$(seconds "$out/$kind-4.Dockerfile")
  printf '%-28s %10s %10s %8.1f\n' "$kind RUN lines" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { print b / a }')"
done
gen_continued 262144 "$out/continued-256k.Dockerfile"
gen_continued 1048576 "$out/continued-1m.Dockerfile"
a=$(seconds "$out/continued-256k.Dockerfile")
b=$(seconds "$out/continued-1m.Dockerfile")
printf '%-28s %10s %10s %8.1f\n' "continued RUN 256 KiB/1 MiB" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { print b / a }')"
