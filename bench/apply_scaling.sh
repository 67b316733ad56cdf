#!/usr/bin/env bash
# How `dockerfix apply` scales, two ways.
#
#   bench/apply_scaling.sh [N]   (default 5000)
# With the size of a Dockerfile: times `apply -` of N and 4N one-line RUNs
# (plain `echo`, and `curl` downloads that every get a network-retry fix) and
# one RUN continued over ~1 MiB, and prints seconds and the ratio
# time(4N)/time(N) — about 4 when apply is linear, 16 when quadratic.
#
#   bench/apply_scaling.sh --files [K...]   (default 1 2 5 10)
# With the number of files: the corpus copied K times (bench/stage_corpus.py:
# copy k of directory d's file f at k/d/f.Dockerfile, each copy after the
# first with a comment of its own appended, so git stores K times the blobs),
# then, for each K:
#   apply         every file given by name, into a scratch copy synced to
#                 disk first (so no earlier writeback is timed); mostly
#                 fsyncs and renames (cli/atomic_write.h)
#   diff          every file given by name
#   commit        apply --commit in a git repository of the copies, the
#                 whole tree (a scratch clone of it, synced, each run)
#   commit PATHS  the same with every file given by name
# and prints wall seconds, user+system CPU seconds and peak RSS, and each
# against K=1: about K when the per-file work is linear. On a shared
# machine wall time follows the others' load and the disk's latency of the
# moment; the CPU ratios are the steadier measure of the work done.
#   DOCKERFIX_CORPUS_DIR: the corpus (default ../shared/corpus).
#
# BUILD_DIR: the build directory (default build; scripts/build.sh runs if
# dockerfix is missing). Best (file-size mode) or median (--files) of RUNS
# runs (default 3). DOCKERFIX: the binary to time instead of
# BUILD_DIR/dockerfix, e.g. an older build as a baseline.
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
[[ -x /usr/bin/time ]] || scripts/install-deps.sh >&2

if [[ ${1:-} == --files ]]; then
  shift
  copies=("$@")
  [[ ${#copies[@]} -gt 0 ]] || copies=(1 2 5 10)
  # Absolute: the runs take place in the copies.
  out=$(cd "$out" && pwd)
  cli=$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")
  corpus=${DOCKERFIX_CORPUS_DIR:-$root/../shared/corpus}
  [[ -d $corpus ]] || { echo "apply_scaling: no corpus at $corpus" >&2; exit 2; }
  corpus=$(cd "$corpus" && pwd)
  list=$out/corpus.list
  find "$corpus" -mindepth 2 -type f | LC_ALL=C sort >"$list"
  # The copies, made once per K (and again when the corpus list changes).
  stage() {  # K DIR
    bench/stage_corpus.py "$list" "$1" "$2" --dockerfile-names --mark-copies
    git -C "$2" init -q
    git -C "$2" add -A -- . ':!list'
    git -C "$2" -c user.name=bench -c user.email=bench@dockerfix.invalid commit -qm corpus
    git -C "$2" repack -adq
  }
  # One timed run in DIR: appends "WALL CPU RSS_KB" to FILE. Exit codes 1
  # and 2 (the corpus holds files dockerfix refuses) are expected.
  timed() {  # FILE DIR COMMAND...
    local file=$1 dir=$2 rc=0
    shift 2
    (cd "$dir" && /usr/bin/time -f '%e %U %S %M' -o "$file.time" "$@" >/dev/null 2>"$file.err") || rc=$?
    if ((rc > 2)); then
      echo "apply_scaling: failed (exit $rc) in $dir: $*" >&2
      tail -5 "$file.err" >&2
      exit 1
    fi
    tail -1 "$file.time" | awk '{ print $1, $2 + $3, $4 }' >>"$file"
  }
  median() {  # FIELD FILE
    cut -d' ' -f"$1" "$2" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
  }
  sum=$(md5sum <"$list" | cut -c1-12)
  for k in "${copies[@]}"; do
    d=$out/files-$k
    if [[ $(cat "$d/.made" 2>/dev/null) != "$sum" ]]; then
      rm -rf "$d" && mkdir -p "$d"
      echo "apply_scaling: making $k copies of the corpus in $d" >&2
      stage "$k" "$d" >&2
      echo "$sum" >"$d/.made"
    fi
    rm -f "$out"/files-$k.*.runs
  done
  scratch=$out/files-scratch
  for ((r = 0; r < runs; r++)); do
    for k in "${copies[@]}"; do
      d=$out/files-$k
      rm -rf "$scratch" && cp -a "$d" "$scratch" && sync
      timed "$out/files-$k.apply.runs" "$scratch" bash -c "exec '$cli' apply --no-config -q \$(cat list)"
      timed "$out/files-$k.diff.runs" "$d" bash -c "exec '$cli' diff --no-config \$(cat list)"
      rm -rf "$scratch" && cp -a "$d" "$scratch" && sync
      timed "$out/files-$k.commit.runs" "$scratch" "$cli" apply --commit --no-config -q
      rm -rf "$scratch" && cp -a "$d" "$scratch" && sync
      timed "$out/files-$k.paths.runs" "$scratch" bash -c "exec '$cli' apply --commit --no-config -q \$(cat list)"
    done
  done
  rm -rf "$scratch"
  k1=${copies[0]}
  echo "corpus x K ($(wc -l <"$list") files a copy); medians of $runs runs; ratios against K=$k1"
  printf '%-14s %4s %9s %7s %9s %7s %9s\n' "" K "wall s" "x" "cpu s" "x" "peak RSS"
  for what in apply diff commit paths; do
    name=$what
    [[ $what == paths ]] && name="commit PATHS"
    w1=$(median 1 "$out/files-$k1.$what.runs")
    c1=$(median 2 "$out/files-$k1.$what.runs")
    for k in "${copies[@]}"; do
      f=$out/files-$k.$what.runs
      w=$(median 1 "$f")
      c=$(median 2 "$f")
      printf '%-14s %4s %9.2f %7.1f %9.2f %7.1f %6d MiB\n' "$name" "$k" "$w" "$(awk -v a="$w" -v b="$w1" 'BEGIN { print a / b }')" \
        "$c" "$(awk -v a="$c" -v b="$c1" 'BEGIN { print a / b }')" $(($(median 3 "$f") / 1024))
      name=""
    done
  done
  exit 0
fi

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
