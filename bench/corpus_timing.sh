#!/usr/bin/env bash
# The corpus-wide comparison, in one run, commands taking turns (the order
# reversed every other round, so a drift in the machine's speed hits all):
#   the I/O floor     bench/read_floor: one process opening and reading every file
#   dockerfix parse   every file given as a path, one process
#   dockerfix check   the same, every rule, without shellcheck, quiet (and
#                     check -j 1, one worker; check text, the default layout;
#                     check json); check+sc with shellcheck (when installed),
#                     its results cached from the round before, and cold:
#                     from an empty cache
#   dockerfix apply   the same, into a scratch copy made before each run
#   dockerfile-ast    npm, parsing every file in one node process
#   dockerfile-utils  npm, validate() (its linter) on every file, one process
#   one file          the fixed cost of a process (a pre-commit hook checks
#                     one Dockerfile): 20 runs of check on one corpus file,
#                     one after another, against 20 of read_floor on it
# then the same corpus copied SCALE times (default 10) under other directory
# names, for check and apply: the time ratio (ideal: SCALE) and peak RSS.
# Prints medians (wall seconds, peak RSS from /usr/bin/time) and ratios
# against the floor.
#   bench/corpus_timing.sh [RUNS]      (default 3 rounds)
# DOCKERFIX_CORPUS_DIR: the corpus (default ../shared/corpus). BUILD_DIR: the
# build (default build; scripts/build.sh runs if dockerfix is missing).
# BASELINE: another dockerfix binary (say main's) timed alongside, row by row,
# for before/after figures from the same run. SCALE=0 skips the scaled corpus,
# NO_SCALED_APPLY=1 only apply on it (apply's time is mostly the two fsyncs
# per written file), NO_PEERS=1 the npm peers. Peers are installed into bench/node_modules
# from the registry, at the versions bench/package-lock.json pins.
set -euo pipefail
export LC_NUMERIC=C  # a "." in $EPOCHREALTIME
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
runs=${1:-3}
scale=${SCALE:-10}
build_dir=$(cd "${BUILD_DIR:-build}" 2>/dev/null && pwd || echo "$root/${BUILD_DIR:-build}")
[[ -x $build_dir/dockerfix && -x $build_dir/bench/read_floor ]] || BUILD_DIR=$build_dir scripts/build.sh >&2
[[ -x /usr/bin/time ]] || scripts/install-deps.sh >&2
dockerfix=$build_dir/dockerfix
floor_bin=$build_dir/bench/read_floor
baseline=${BASELINE:-}
[[ -z $baseline ]] || baseline=$(cd "$(dirname "$baseline")" && pwd)/$(basename "$baseline")

corpus=${DOCKERFIX_CORPUS_DIR:-$root/../shared/corpus}
[[ -d $corpus ]] || { echo "corpus_timing: no corpus at $corpus" >&2; exit 2; }
corpus=$(cd "$corpus" && pwd)
out=$build_dir/bench-timing
rm -rf "$out"
mkdir -p "$out"
list=$out/corpus.list
find "$corpus" -mindepth 2 -type f | LC_ALL=C sort >"$list"
nfiles=$(wc -l <"$list")
nbytes=$(xargs -d '\n' cat -- <"$list" | wc -c)

# shellcheck's result cache (cli/shellcheck_cache.h) lives in the bench's
# own directory, never the user's.
export DOCKERFIX_CACHE_DIR=$out/cache
shellcheck=$(command -v shellcheck || true)

peers=()
if [[ -z ${NO_PEERS:-} ]]; then
  command -v node >/dev/null && command -v npm >/dev/null || scripts/install-deps.sh >&2
  if [[ ! -f bench/node_modules/dockerfile-utils/package.json ]]; then
    echo "corpus_timing: installing the npm peers into bench/node_modules" >&2
    npm ci --prefix bench --no-audit --no-fund --loglevel=error >&2
  fi
  peers=(ast utils)
fi

# The scaled corpus: copy k of directory d's file f at k/d/f
# (bench/stage_corpus.py), so that even SCALE × 6,000 relative paths fit on
# one command line (ARG_MAX).
stage() {  # COPIES DIR
  python3 "$root/bench/stage_corpus.py" "$list" "$1" "$2"
}

# N runs of a command one after another, for the one-file rows; stops at
# the first exit status above 2 (1 and 2 are findings and refused files).
repeat() {
  local n=$1 k rc
  shift
  for ((k = 0; k < n; k++)); do
    "$@" && rc=0 || rc=$?
    ((rc <= 2)) || return "$rc"
  done
}
export -f repeat
one=$(sed -n "$(((nfiles + 1) / 2))p" "$list")
echo "$one" >"$out/one.list"
one_runs=20

# Rows: NAME, the directory it runs in, the command (paths come from a
# list file through $(cat ...), so each command is one process), and an
# optional preparation run before it, untimed.
names=() dirs=() cmds=() preps=()
row() { names+=("$1"); dirs+=("$2"); cmds+=("$3"); preps+=("${4:-}"); }
args="\$(cat '$list')"
scratch=$out/scratch
scratch_args="\$(sed 's|^$corpus|$scratch|' '$list')"
copy_scratch="rm -rf '$scratch' && cp -r '$corpus' '$scratch' && chmod -R u+w '$scratch'"
row floor "$out" "'$floor_bin' '$list'"
for who in dockerfix baseline; do
  bin=$dockerfix
  if [[ $who == baseline ]]; then
    [[ -n $baseline ]] || continue
    bin=$baseline
  fi
  tag=${who/dockerfix/}
  tag=${tag:+ (baseline)}
  row "parse$tag" "$out" "'$bin' parse $args"
  # Every rule without shellcheck, then with it (the default when it is
  # installed): with shellcheck's results cached from the round before, and
  # from an empty cache.
  row "check$tag" "$out" "'$bin' check --no-config -q --no-shellcheck $args"
  # What a user reads: the default layout (each finding with its line, and
  # the summary, whose unsafe-fix count is a second fix loop), and JSON.
  row "check text$tag" "$out" "'$bin' check --no-config --no-shellcheck --color never $args"
  row "check json$tag" "$out" "'$bin' check --no-config --no-shellcheck --format json $args"
  [[ $who == dockerfix ]] && row "check -j 1" "$out" "'$bin' check --no-config -q --no-shellcheck -j 1 $args"
  if [[ -n $shellcheck && $who == dockerfix ]]; then
    row "check+sc$tag" "$out" "'$bin' check --no-config -q $args"
    row "check+sc cold$tag" "$out" "'$bin' check --no-config -q $args" "rm -rf '$DOCKERFIX_CACHE_DIR'"
  fi
  row "apply$tag" "$out" "'$bin' apply --no-config -q $scratch_args" "$copy_scratch"
  row "one file check$tag" "$out" "bash -c \"repeat $one_runs '$bin' check --no-config -q --no-shellcheck '$one'\""
done
row "one file floor" "$out" "bash -c \"repeat $one_runs '$floor_bin' one.list\""
for p in "${peers[@]}"; do
  row "dockerfile-$p" "$root" "node bench/npm_peer.js $p '$list'"
done
if ((scale > 0)); then
  for n in 1 "$scale"; do
    mkdir -p "$out/x$n"
    stage "$n" "$out/x$n"
    sargs="\$(cat list)"
    prep="rm -rf '$out/x$n-scratch' && cp -r '$out/x$n' '$out/x$n-scratch'"
    row "${n}x floor" "$out/x$n" "'$floor_bin' list"
    row "${n}x check" "$out/x$n" "'$dockerfix' check --no-config -q --no-shellcheck $sargs"
    [[ -z $shellcheck ]] || row "${n}x check+sc" "$out/x$n" "'$dockerfix' check --no-config -q $sargs"
    [[ -n ${NO_SCALED_APPLY:-} ]] || row "${n}x apply" "$out/x$n-scratch" "'$dockerfix' apply --no-config -q $sargs" "$prep"
    if [[ -n $baseline ]]; then
      row "${n}x check (baseline)" "$out/x$n" "'$baseline' check --no-config -q --no-shellcheck $sargs"
      [[ -n ${NO_SCALED_APPLY:-} ]] ||
        row "${n}x apply (baseline)" "$out/x$n-scratch" "'$baseline' apply --no-config -q $sargs" "$prep"
    fi
  done
fi

# One timed run: appends "WALL RSS_KB" to $out/ROW.times. Exit codes 1 (findings)
# and 2 (refused files: the corpus holds some) are what these commands end with.
# The wall time is bash's microsecond clock around the run (/usr/bin/time's
# %e counts hundredths, as coarse as the floor itself); it includes starting
# /usr/bin/time and bash, the same ~2 ms for every row. RSS is time's.
timed() {  # ROW
  local i=$1
  [[ -z ${preps[$i]} ]] || bash -c "${preps[$i]}"
  local rc=0 t0 t1
  t0=$EPOCHREALTIME
  (cd "${dirs[$i]}" && /usr/bin/time -f '%M' -o "$out/$i.time" bash -c "exec ${cmds[$i]}" \
    >/dev/null 2>"$out/$i.stderr") || rc=$?
  t1=$EPOCHREALTIME
  if ((rc > 2)); then
    echo "corpus_timing: ${names[$i]} failed (exit $rc): ${cmds[$i]}" >&2
    tail -5 "$out/$i.stderr" >&2
    exit 1
  fi
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }') $(tail -1 "$out/$i.time")" >>"$out/$i.times"
}

echo "corpus: $nfiles files, $nbytes bytes ($corpus); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "timing: $runs rounds after one warm-up round, commands alternating; medians"
order=("${!names[@]}")
for ((round = 0; round <= runs; round++)); do
  seq_=("${order[@]}")
  if ((round % 2)); then
    seq_=()
    for ((k = ${#order[@]} - 1; k >= 0; k--)); do seq_+=("${order[k]}"); done
  fi
  for i in "${seq_[@]}"; do timed "$i"; done
  if ((round == 0)); then rm -f "$out"/*.times; fi  # the warm-up round is not counted
done

median() {  # FIELD FILE
  cut -d' ' -f"$1" "$2" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
declare -A wall rss
for i in "${order[@]}"; do
  wall[${names[$i]}]=$(median 1 "$out/$i.times")
  rss[${names[$i]}]=$(median 2 "$out/$i.times")
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf (b > 0 ? "%.1f" : "-"), (b > 0 ? a / b : 0) }'; }
floor=${wall[floor]}
printf '%-26s %9s %9s %10s\n' "" "wall s" "x floor" "peak RSS"
for i in "${order[@]}"; do
  n=${names[$i]}
  f=$floor
  [[ $n == [0-9]*x\ * ]] && f=${wall[${n%% *} floor]}
  [[ $n == one\ file\ * ]] && f=${wall[one file floor]}
  printf '%-26s %9.3f %9s %7d MiB\n' "$n" "${wall[$n]}" "$(ratio "${wall[$n]}" "$f")" $((${rss[$n]} / 1024))
done
per_run() { awk -v t="$1" -v n="$one_runs" 'BEGIN { printf "%.1f ms", t * 1000 / n }'; }
echo "one file ($(wc -c <"$one") bytes, $one_runs runs a round), a run: check $(per_run "${wall[one file check]}")$(
  [[ -z $baseline ]] || echo ", check (baseline) $(per_run "${wall[one file check (baseline)]}")"), floor $(per_run "${wall[one file floor]}")"
if ((scale > 0)); then
  echo "scaling, ${scale}x the files (ideal ${scale}.0):"
  for n in floor check check+sc apply "check (baseline)" "apply (baseline)"; do
    [[ -n ${wall["1x $n"]:-} ]] || continue
    printf '  %-22s time %5sx   peak RSS %5sx\n' "$n" "$(ratio "${wall["${scale}x $n"]}" "${wall["1x $n"]}")" \
      "$(ratio "${rss["${scale}x $n"]}" "${rss["1x $n"]}")"
  done
fi
echo "peers: $(for p in "${peers[@]}"; do node -p "require('./bench/node_modules/dockerfile-$p/package.json').version" | sed "s/^/dockerfile-$p /"; done | paste -sd, -)"
