#!/usr/bin/env bash
# Bounded libFuzzer run of the round-trip invariant: print(parse(x)) == x.
#   scripts/fuzz.sh [SECONDS]   (default 60)
# Builds build-fuzz/ with clang, the core instrumented with
# -fsanitize=fuzzer-no-link,address,undefined, seeds it with every 20th corpus
# file (sorted) and fuzzes for SECONDS. Exits non-zero on a crash, leak,
# sanitizer report or timeout; the failing input is left in build-fuzz/artifacts/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

seconds=${1:-60}
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds == 0)); then
  echo "usage: scripts/fuzz.sh [SECONDS]" >&2
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
cmake --build "$build_dir" --target parse_fuzz -j "${JOBS:-2}"

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

# The working corpus starts empty each run, so runs are comparable.
work="$build_dir/fuzz-corpus"
artifacts="$build_dir/artifacts"
log="$build_dir/fuzz.log"
rm -rf "$work"
mkdir -p "$work" "$artifacts"
echo "fuzz: running parse_fuzz for ${seconds} s (log: $log)"
status=0
"$build_dir/parse_fuzz" \
  -max_len=65536 -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" \
  "$work" "$seeds" >"$log" 2>&1 || status=$?
if ((status != 0)); then
  tail -n 60 "$log" >&2
  echo "fuzz: FAILED (exit $status); reproduce with: $build_dir/parse_fuzz $artifacts/<crash-file>" >&2
  ls -l "$artifacts" >&2 || true
  exit 1
fi
grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb|stat::new_units_added)' "$log" || true
echo "fuzz: OK, no crash in ${seconds} s"
