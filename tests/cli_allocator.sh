#!/usr/bin/env bash
# The CLI returns freed memory to the system at once (cli/allocator.h), so a
# run's peak memory does not grow with the number of files; a user's own
# mimalloc setting wins. Read through the test build's hook
# (DOCKERFIX_TEST_ALLOCATOR); a build without mimalloc has nothing to tune.
set -euo pipefail
cli=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
printf 'FROM debian:12\nRUN curl -o x https://example.com/x\n' > "$work/Dockerfile"
delay() {  # ENV...: the delay a run reports (check exits 1: the file has a finding)
  env "$@" DOCKERFIX_TEST_ALLOCATOR=1 "$cli" check --no-config -q --no-shellcheck "$work/Dockerfile" 2> "$work/err" > /dev/null || true
  sed -n 's/^allocator decommit delay: //p' "$work/err"
}
d=$(delay)
[[ -n $d ]] || fail "no allocator report (not a test build?)"
if [[ $d == -1 ]]; then echo "cli allocator: built without mimalloc, nothing to check"; exit 0; fi
[[ $d == 0 ]] || fail "freed pages are kept $d ms, want 0"
[[ $(delay MIMALLOC_DECOMMIT_DELAY=40) == 40 ]] || fail "MIMALLOC_DECOMMIT_DELAY was overridden"
[[ $(delay MIMALLOC_RESET_DELAY=30) == 30 ]] || fail "MIMALLOC_RESET_DELAY (its old name) was overridden"
echo "cli allocator: ok"
