#!/usr/bin/env bash
# Files worked on in parallel print exactly what one worker prints: check
# (full, concise, json, sarif, checkstyle, codeclimate, gitlab_codeclimate),
# diff, apply and parse over a corpus sample, with refused and missing inputs among
# them, give the same stdout, stderr, exit status and written files with
# --jobs 1 and --jobs 2 (and more workers than files); so do the exit
# statuses --failure-threshold and --no-fail decide, shellcheck's findings
# merged into the rules' ones, and the once-only note that shellcheck was
# skipped. The whole sample runs with --no-shellcheck (the ordered writers
# and the pool do not depend on where a finding came from); shellcheck, each
# distinct script once whichever worker meets it, runs on a slice of it.
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

inputs=$work/inputs
run() {  # NAME JOBS ARGS... (over $inputs)
  local name=$1 jobs=$2; shift 2
  set +e
  "$cli" "$@" --no-config --jobs "$jobs" --files-from "$inputs" > "$work/$name.$jobs.out" 2> "$work/$name.$jobs.err"
  echo $? > "$work/$name.$jobs.rc"
  set -e
}
same() {  # NAME A B
  for part in out err rc; do
    cmp -s "$work/$1.$2.$part" "$work/$1.$3.$part" ||
      fail "$1: $part differs between --jobs $2 and --jobs $3: $(diff "$work/$1.$2.$part" "$work/$1.$3.$part" | head -5)"
  done
}

for format in full concise json sarif checkstyle codeclimate gitlab_codeclimate; do
  # More workers than files only for the first four: the writers are the same loop.
  for jobs in 1 2 64; do
    [[ $jobs == 64 && $format =~ codeclimate|checkstyle ]] || run "check-$format" "$jobs" check --no-shellcheck --format "$format"
  done
  same "check-$format" 1 2
  [[ ! -f $work/check-$format.64.rc ]] || same "check-$format" 1 64
  [[ $(cat "$work/check-$format.1.rc") == 2 ]] || fail "check --format $format: exit $(cat "$work/check-$format.1.rc"), want 2"
done
grep -q 'nul.Dockerfile:2:6: NUL byte' "$work/check-full.2.err" || fail "the refused file is not reported"
[[ $(grep -c '' "$work/check-concise.2.out") -gt 100 ]] || fail "check found too little: $(head -3 "$work/check-concise.2.out")"
# The full layout is the concise one with each finding's source line, caret
# and fix under it, and its own summary.
grep -v '^[0-9]* findings\?, ' "$work/check-concise.2.out" > "$work/concise-findings"
grep -E '^[^ 0-9]' "$work/check-full.2.out" | grep -v '^Found [0-9]* findings\? in ' > "$work/full-headers"
cmp -s "$work/concise-findings" "$work/full-headers" || fail "the full layout's first lines are not the concise ones: $(diff "$work/concise-findings" "$work/full-headers" | head -5)"
[[ $(grep -c '^ *[0-9]* | ' "$work/check-full.2.out") -ge $(grep -c '' "$work/concise-findings") ]] || fail "findings without their source line"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); e=" ".join(d["errors"])
sys.exit(0 if len(d["files"]) > 300 and "NUL byte" in e and "missing.Dockerfile" in e else 1)' \
  "$work/check-json.2.out" || fail "check --format json: not a document of every file and both errors"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/check-sarif.2.out" || fail "check --format sarif: not JSON"
python3 - "$work" <<'PY' || fail "the CI formats do not hold every file and both errors"
import json, sys, xml.etree.ElementTree as ET
work = sys.argv[1]
files = ET.parse(f"{work}/check-checkstyle.2.out").getroot().findall("file")
names = [f.get("name") for f in files]
assert len(set(names)) == len(names) > 100, len(names)
assert any("nul.Dockerfile" in n for n in names) and any("missing.Dockerfile" in n for n in names)
issues = [json.loads(p) for p in open(f"{work}/check-codeclimate.2.out", "rb").read().split(b"\0") if p]
gitlab = json.load(open(f"{work}/check-gitlab_codeclimate.2.out"))
assert len(issues) == len(gitlab) == sum(len(f.findall("error")) for f in files) > 100
assert len({i["fingerprint"] for i in gitlab}) == len(gitlab)
PY

# parse over many files: its summary and --json lines, the missing file's
# error among them, are the same with one worker or two.
for jobs in 1 2; do
  set +e
  "$cli" parse --jobs "$jobs" --files-from "$inputs" > "$work/parse.$jobs.out" 2> "$work/parse.$jobs.err"
  echo $? > "$work/parse.$jobs.rc"
  "$cli" parse --json --jobs "$jobs" --files-from "$inputs" > "$work/parse-json.$jobs.out" 2> "$work/parse-json.$jobs.err"
  echo $? > "$work/parse-json.$jobs.rc"
  set -e
done
same parse 1 2
same parse-json 1 2
[[ $(cat "$work/parse.2.rc") == 2 ]] && grep -q "missing.Dockerfile" "$work/parse.2.err" &&
  grep -q "^dockerfix parse: [0-9]* files, .*, 1 unreadable$" "$work/parse.2.err" || fail "parse: $(tail -2 "$work/parse.2.err")"
[[ $(grep -c '' "$work/parse-json.2.out") == $(($(grep -c '' "$inputs") - 1)) ]] || fail "parse --json: not a line for every readable file"

# The exit status from severities, as the JSON report's severities say it
# must be (the files that report, without the refused ones).
thresholds() {  # JSON ARGS...
  local json=$1; shift
  python3 -c 'import json,sys; print("\n".join(f["path"] for f in json.load(open(sys.argv[1]))["files"]))' "$json" > "$work/readable"
  for args in "-t error" "-t style" "--no-fail"; do
    for jobs in 1 2; do
      set +e
      "$cli" check --no-config -q "$@" $args --jobs "$jobs" --files-from "$work/readable" > /dev/null 2>&1
      echo $? > "$work/threshold.$jobs.rc"
      set -e
    done
    cmp -s "$work/threshold.1.rc" "$work/threshold.2.rc" || fail "check $args: exit differs between --jobs 1 and 2"
    want=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); s=[f["severity"] for x in d["files"] for f in x["findings"]]
print(0 if sys.argv[2] == "--no-fail" else int(("error" in s) if sys.argv[2] == "-t error" else bool(s)))' "$json" "$args")
    [[ $(cat "$work/threshold.2.rc") == "$want" ]] || fail "check $* $args: exit $(cat "$work/threshold.2.rc"), want $want"
  done
}
thresholds "$work/check-json.1.out" --no-shellcheck

# shellcheck's findings, merged in position order into each file's
# findings: every 10th file of the sample that has a RUN, with the refused
# and the missing file among them. --no-cache: every run checks the scripts
# itself, its workers sharing the run's memo.
tr '\n' '\0' < "$work/list" | xargs -0 grep -l -i '^[[:space:]]*run[[:space:]]' 2> /dev/null | awk 'NR % 10 == 1' > "$work/slice-list" || true
[[ $(wc -l < "$work/slice-list") -gt 20 ]] || fail "too few sample files with a RUN for shellcheck"
awk -v nul="$work/nul.Dockerfile" -v gone="$work/missing.Dockerfile" \
  'NR == 5 { print nul } NR == 10 { print gone } { print }' "$work/slice-list" > "$work/slice"
inputs=$work/slice
for format in concise json; do
  for jobs in 1 2 64; do run "shellcheck-$format" "$jobs" check --no-cache --format "$format"; done
  same "shellcheck-$format" 1 2
  same "shellcheck-$format" 1 64
done
grep -Eq ' SC[0-9]{4} ' "$work/shellcheck-concise.2.out" || fail "shellcheck found nothing on the slice"
# shellcheck adds to the rules' findings and takes none away.
run slice-rules 1 check --no-shellcheck --format concise
grep -Ev ' SC[0-9]{4} ' "$work/shellcheck-concise.1.out" | grep -v '^[0-9]* findings\?, ' > "$work/with-sc"
grep -v '^[0-9]* findings\?, ' "$work/slice-rules.1.out" > "$work/without-sc"
cmp -s "$work/with-sc" "$work/without-sc" || fail "shellcheck changed the rules' findings: $(diff "$work/with-sc" "$work/without-sc" | head -5)"
thresholds "$work/shellcheck-json.1.out"
inputs=$work/inputs

# Without shellcheck on PATH the note says so once, however many workers.
mkdir -p "$work/bin"
ln -s "$cli" "$work/bin/dockerfix"
for jobs in 1 2; do
  env PATH="$work/bin" dockerfix check --no-config --jobs "$jobs" --files-from "$work/slice-list" > /dev/null 2> "$work/noshellcheck.$jobs.err" || true
  [[ $(grep -c 'shellcheck is not installed' "$work/noshellcheck.$jobs.err") == 1 ]] ||
    fail "--jobs $jobs: the shellcheck note is not said exactly once"
done

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
