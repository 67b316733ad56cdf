#!/usr/bin/env bash
# Bounded libFuzzer runs of two targets, SECONDS split between them:
#   parse_fuzz  the round-trip invariant print(parse(x)) == x;
#   fix_fuzz    check + apply with every rule: no crash, the output parses
#               without errors, and a second apply changes nothing.
#   scripts/fuzz.sh [SECONDS]   (default 60: 30 s each)
# Builds build-fuzz/ with clang, the core instrumented with
# -fsanitize=fuzzer-no-link,address,undefined, seeds both with every 20th
# corpus file (sorted). Exits non-zero on a crash, leak, sanitizer report,
# broken invariant or timeout; the failing input is left in
# build-fuzz/artifacts/<target>/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

seconds=${1:-60}
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds < 2)); then
  echo "usage: scripts/fuzz.sh [SECONDS]  (at least 2: the time is split between two targets)" >&2
  exit 2
fi

scripts/install-deps.sh

build_dir=build-fuzz
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cache="$build_dir/CMakeCache.txt"
if [[ -f $cache ]] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$cache"; then
  echo "fuzz: $build_dir was configured with another generator; remove it and rerun" >&2
  exit 2
fi
CC=clang CXX=clang++ cmake -S . -B "$build_dir" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS="$flags" \
  -DDOCKERFIX_FUZZ=ON -DDOCKERFIX_TESTS=OFF -DDOCKERFIX_BENCH=OFF >/dev/null
cmake --build "$build_dir" --target parse_fuzz fix_fuzz -j "${JOBS:-2}"

# Seeds: a deterministic sample of the corpus, every 20th file in sorted order.
corpus=${DOCKERFIX_CORPUS_DIR:-$root/../shared/corpus}
seeds="$build_dir/seeds"
rm -rf "$seeds"
mkdir -p "$seeds"
if [[ -d $corpus ]]; then
  i=0
  while IFS= read -r -d '' file; do
    if ((i % 20 == 0)); then cp -- "$file" "$seeds/$(printf 'seed-%05d' "$i")"; fi
    i=$((i + 1))
  done < <(find "$corpus" -type f ! -name README.md ! -name MANIFEST.tsv ! -name '*.jsonl' -print0 |
    LC_ALL=C sort -z)
else
  echo "fuzz: no corpus at $corpus; seeding with examples/ only" >&2
fi
cp examples/Dockerfile "$seeds/example"
echo "fuzz: $(find "$seeds" -type f | wc -l) seed files in $seeds"

# fuzz TARGET SECONDS: the working corpus starts empty each run, so runs are comparable.
fuzz() {
  local target=$1 secs=$2
  local work="$build_dir/fuzz-corpus/$target" artifacts="$build_dir/artifacts/$target" log="$build_dir/$target.log"
  rm -rf "$work"
  mkdir -p "$work" "$artifacts"
  echo "fuzz: running $target for ${secs} s (log: $log)"
  local status=0
  "$build_dir/$target" \
    -max_len=65536 -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" \
    "$work" "$seeds" >"$log" 2>&1 || status=$?
  if ((status != 0)); then
    tail -n 60 "$log" >&2
    echo "fuzz: $target FAILED (exit $status); reproduce with: $build_dir/$target $artifacts/<crash-file>" >&2
    ls -l "$artifacts" >&2 || true
    return 1
  fi
  grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb|stat::new_units_added)' "$log" || true
}

# Half the time each: the CI budget stays what it was with one target.
failed=0
fuzz parse_fuzz $(((seconds + 1) / 2)) || failed=1
fuzz fix_fuzz $((seconds / 2)) || failed=1
if ((failed)); then exit 1; fi
echo "fuzz: OK, no crash in ${seconds} s"
