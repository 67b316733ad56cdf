#!/usr/bin/env bash
# Issue 13's measurement over a corpus of real Dockerfiles: how many files
# `apply` (safe fixes only) and `apply --unsafe-fixes` change, and the
# findings of each rule split into safe fix / unsafe fix / no fix (what
# `check` reports, with the fixes that only appear after other fixes).
# Usage: bench/precision_report.sh [DOCKERFIX] [CORPUS]
set -euo pipefail
bin=${1:-build/dockerfix}
corpus=${2:-../shared/corpus}
bin=$(realpath "$bin")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$corpus" && find . -type f ! -name MANIFEST.tsv ! -name README.md ! -name '*.jsonl' | sort) >"$work/list"
count_changed() {  # $1: extra flags
  rm -rf "$work/tree" && mkdir "$work/tree"
  (cd "$corpus" && tar cf - -T "$work/list") | (cd "$work/tree" && tar xf -)
  chmod -R u+w "$work/tree"
  (cd "$work/tree" && xargs -a "$work/list" -d '\n' "$bin" apply --no-config -q $1 >/dev/null 2>&1 || true)
  local n=0
  while IFS= read -r f; do cmp -s "$corpus/$f" "$work/tree/$f" || n=$((n + 1)); done <"$work/list"
  echo "$n"
}
echo "files: $(wc -l <"$work/list")"
echo "changed by apply: $(count_changed '')"
echo "changed by apply --unsafe-fixes: $(count_changed --unsafe-fixes)"
(cd "$corpus" && xargs -a "$work/list" -d '\n' "$bin" check --no-config --format json >"$work/check.json" 2>/dev/null || true)
python3 - "$work/check.json" <<'PY'
import json, sys, collections
text = open(sys.argv[1]).read()
docs, i, dec = [], 0, json.JSONDecoder()
while True:
    while i < len(text) and text[i].isspace(): i += 1
    if i >= len(text): break
    d, i = dec.raw_decode(text, i)
    docs.append(d)
c = collections.defaultdict(collections.Counter)
for f in (f for d in docs for f in d.get("files", [])):
    for x in f["findings"]:
        kind = "safe" if x.get("fixable") else ("unsafe" if x.get("applicability") == "unsafe" else "no fix")
        c[x["rule"]][kind] += 1
print(f"{'rule':30} {'safe':>6} {'unsafe':>7} {'no fix':>7}")
for r in sorted(c):
    print(f"{r:30} {c[r]['safe']:6} {c[r]['unsafe']:7} {c[r]['no fix']:7}")
PY
