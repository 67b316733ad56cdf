#!/usr/bin/env bash
# `dockerfix parse F | cmp - F` over the corpus: the check users run.
# Each run starts a process, so by default one file in 8 is checked (the
# in-process corpus test covers every file, cli_parse_test.cpp the CRLF, BOM
# and no-final-newline ones); DOCKERFIX_CLI_ALL=1 checks all of them.
# Lists every file that differs; fails when any does or the corpus is missing.
set -euo pipefail
cli=$1 corpus=$2
[[ -d $corpus ]] || { echo "corpus not found: $corpus" >&2; exit 1; }
list=$(mktemp)
bad=$(mktemp)
trap 'rm -f "$list" "$bad"' EXIT
step=8
[[ ${DOCKERFIX_CLI_ALL:-0} == 1 ]] && step=1
total=$(find "$corpus" -type f ! -name README.md ! -name MANIFEST.tsv ! -name '*.jsonl' | wc -l)
find "$corpus" -type f ! -name README.md ! -name MANIFEST.tsv ! -name '*.jsonl' -print0 | sort -z |
  awk -v RS='\0' -v ORS='\0' -v step="$step" '(NR - 1) % step == 0' > "$list"
n=$(tr -cd '\0' < "$list" | wc -c)
# Two workers (the machine has 2 cores); each prints the files that differ.
xargs -0 -n 50 -P 2 bash -c '
  cli=$0
  for f in "$@"; do
    "$cli" parse "$f" | cmp -s - "$f" || echo "differs: $f"
  done' "$cli" < "$list" > "$bad"
nbad=$(wc -l < "$bad")
cat "$bad" >&2
echo "cli round-trip: $((n - nbad))/$n identical (one file in $step of $total)"
((total >= 5900)) && ((n > 0)) && ((nbad == 0))
