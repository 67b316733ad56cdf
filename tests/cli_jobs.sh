#!/usr/bin/env bash
# Files worked on in parallel print exactly what one worker prints: check
# (text, json, sarif), diff and apply over a corpus sample, with refused and
# missing inputs among them, give the same stdout, stderr, exit status and
# written files with --jobs 1 and --jobs 2 (and more workers than files).
set -euo pipefail
cli=$1 corpus=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Every 15th corpus file (about 400, from many directories), with a refused
# file (NUL byte) and a missing one in the middle so errors interleave.
find "$corpus" -mindepth 2 -type f | LC_ALL=C sort | awk 'NR % 15 == 1' > "$work/list"
[[ $(wc -l < "$work/list") -gt 50 ]] || fail "no corpus sample under $corpus"
printf 'FROM a\nRUN x\0\n' > "$work/nul.Dockerfile"
awk -v nul="$work/nul.Dockerfile" -v gone="$work/missing.Dockerfile" \
  'NR == 100 { print nul } NR == 200 { print gone } { print }' "$work/list" > "$work/inputs"

run() {  # NAME JOBS ARGS...
  local name=$1 jobs=$2; shift 2
  set +e
  "$cli" "$@" --no-config --jobs "$jobs" --files-from "$work/inputs" > "$work/$name.$jobs.out" 2> "$work/$name.$jobs.err"
  echo $? > "$work/$name.$jobs.rc"
  set -e
}
same() {  # NAME A B
  for part in out err rc; do
    cmp -s "$work/$1.$2.$part" "$work/$1.$3.$part" ||
      fail "$1: $part differs between --jobs $2 and --jobs $3: $(diff "$work/$1.$2.$part" "$work/$1.$3.$part" | head -5)"
  done
}

for format in text json sarif; do
  for jobs in 1 2 64; do run "check-$format" "$jobs" check --format "$format"; done
  same "check-$format" 1 2
  same "check-$format" 1 64
  [[ $(cat "$work/check-$format.1.rc") == 2 ]] || fail "check --format $format: exit $(cat "$work/check-$format.1.rc"), want 2"
done
grep -q 'nul.Dockerfile:2:6: NUL byte' "$work/check-text.2.err" || fail "the refused file is not reported"
[[ $(grep -c '' "$work/check-text.2.out") -gt 100 ]] || fail "check found too little: $(head -3 "$work/check-text.2.out")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); e=" ".join(d["errors"])
sys.exit(0 if len(d["files"]) > 300 and "NUL byte" in e and "missing.Dockerfile" in e else 1)' \
  "$work/check-json.2.out" || fail "check --format json: not a document of every file and both errors"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/check-sarif.2.out" || fail "check --format sarif: not JSON"

for jobs in 1 2; do run diff "$jobs" diff; done
same diff 1 2
grep -q '^+++ ' "$work/diff.2.out" || fail "diff printed no patch"

# apply: the same files written, the same report, in two copies of the sample.
for jobs in 1 2; do
  mkdir "$work/tree$jobs"
  i=0
  while read -r f; do
    i=$((i + 1))
    if [[ -f $f ]]; then cp "$f" "$work/tree$jobs/$i.Dockerfile"; chmod u+w "$work/tree$jobs/$i.Dockerfile"; echo "$work/tree$jobs/$i.Dockerfile"; else echo "$f"; fi
  done < "$work/inputs" > "$work/apply-list$jobs"
done
for jobs in 1 2; do
  set +e
  "$cli" apply --no-config -j "$jobs" --files-from "$work/apply-list$jobs" > "$work/apply.$jobs.out" 2> "$work/apply.$jobs.err"
  echo $? > "$work/apply.$jobs.rc"
  set -e
  sed -i "s|$work/tree$jobs/||g" "$work/apply.$jobs.out" "$work/apply.$jobs.err"
done
same apply 1 2
diff -r "$work/tree1" "$work/tree2" > /dev/null || fail "apply wrote different files with --jobs 1 and 2"
grep -q '^fixed ' "$work/apply.2.out" || fail "apply fixed nothing"

# Per-directory work is not redone per file: libgit2 is initialised once a
# run (each first initialisation reads the system's CA bundle, milliseconds),
# however many directories discovery opens a repository in and diff patches.
if command -v strace > /dev/null && strace -f -o /dev/null true 2> /dev/null; then
  for i in $(seq 1 20); do mkdir -p "$work/dirs/d$i"; printf 'FROM debian:12\nRUN curl -o /x https://x.invalid/\n' > "$work/dirs/d$i/Dockerfile"; done
  for cmd in check diff; do
    strace -f -e trace=openat,open -o "$work/strace.$cmd" "$cli" $cmd --no-config -q "$work"/dirs/d*/Dockerfile || true
    inits=$(grep -c 'ca-certificates\|/etc/ssl/cert' "$work/strace.$cmd" || true)
    [[ $inits -le 1 ]] || fail "$cmd of 20 files in 20 directories initialised libgit2 $inits times"
  done
else
  echo "note: no usable strace; the once-per-run libgit2 check is skipped"
fi
echo "ok: $(wc -l < "$work/inputs") inputs, check/diff/apply identical with 1, 2 and 64 workers"
