#!/usr/bin/env bash
# `dockerfix parse F | cmp - F` for every corpus file: the check users run.
set -euo pipefail
cli=$1 corpus=$2
[[ -d $corpus ]] || { echo "corpus not found: $corpus" >&2; exit 1; }
bad=0 n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  if ! "$cli" parse "$f" | cmp -s - "$f"; then
    echo "differs: $f" >&2
    bad=$((bad + 1))
  fi
done < <(find "$corpus" -type f ! -name README.md ! -name MANIFEST.tsv ! -name '*.jsonl' -print0)
echo "cli round-trip: $((n - bad))/$n identical"
((n > 5900)) && ((bad == 0))
