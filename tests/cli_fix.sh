#!/usr/bin/env bash
# check / diff / apply end to end: exit codes, stdin, in-place writes that
# keep the file mode, a second apply that changes nothing.
set -euo pipefail
cli=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cp -r "$src/corpus/seed000-pixelarch" "$work/s0"
chmod 640 "$work/s0/Dockerfile"

set +e
"$cli" check "$work/s0/Dockerfile" > "$work/check.txt"; rc=$?
set -e
[[ $rc == 1 ]] || fail "check exit $rc, want 1"
grep -q 'Dockerfile:8:1 root-for-privileged-steps' "$work/check.txt" || fail "check output: $(cat "$work/check.txt")"

set +e
"$cli" diff "$work/s0/Dockerfile" > "$work/diff.txt"; rc=$?
set -e
[[ $rc == 1 ]] || fail "diff exit $rc, want 1"
grep -q '^+USER root' "$work/diff.txt" || fail "diff has no +USER root"
grep -q '^+USER midori-ai' "$work/diff.txt" || fail "diff does not restore the user"
cmp -s "$work/s0/Dockerfile" "$src/corpus/seed000-pixelarch/Dockerfile" || fail "diff wrote the file"

"$cli" apply "$work/s0/Dockerfile" > "$work/apply.txt" || fail "apply failed"
grep -q 'fixed' "$work/apply.txt" || fail "apply printed nothing"
[[ $(stat -c %a "$work/s0/Dockerfile") == 640 ]] || fail "apply changed the file mode"
cp "$work/s0/Dockerfile" "$work/once"
"$cli" apply "$work/s0/Dockerfile" > "$work/apply2.txt"
cmp -s "$work/once" "$work/s0/Dockerfile" || fail "second apply changed the file"
[[ ! -s $work/apply2.txt ]] || fail "second apply reported a change"
"$cli" check --rule root-for-privileged-steps "$work/s0/Dockerfile" || fail "fixed file still has findings"
ls -A "$work/s0" | grep -q dockerfix-tmp && fail "temporary file left behind"

printf 'FROM node:22\nRUN curl -o x https://x\n' | "$cli" apply --rule network-retry - > "$work/out"
grep -q 'curl --retry 3 --retry-delay 5 -o x' "$work/out" || fail "stdin apply: $(cat "$work/out")"

set +e
"$cli" check --rule no-such-rule "$work/s0/Dockerfile" 2>/dev/null; rc=$?
"$cli" check "$work/missing" 2>/dev/null; rc2=$?
set -e
[[ $rc == 2 ]] || fail "unknown rule exit $rc, want 2"
[[ $rc2 == 2 ]] || fail "missing file exit $rc2, want 2"
echo "cli fix commands: ok"
