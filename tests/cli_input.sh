#!/usr/bin/env bash
# Bad input is refused with a message naming the file (and line), exit 2,
# nothing written, other files still processed; pragmas; JSON output.
set -euo pipefail
cli=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_refused() {  # file, message pattern
  local before; before=$(sha256sum "$1")
  set +e; "$cli" apply "$1" 2> "$work/err"; local rc=$?; set -e
  [[ $rc == 2 ]] || fail "$1: exit $rc, want 2"
  grep -q "$2" "$work/err" || fail "$1: message: $(cat "$work/err")"
  [[ $(sha256sum "$1") == "$before" ]] || fail "$1 was written"
}

printf 'FROM debian:12\nRUN curl -o x https://x\n' > "$work/good"
printf 'FROM debian:12\nRUN curl\0 -o x\n' > "$work/nul"
printf 'FROM debian:12\n# caf\xe9\nRUN curl -o x https://x\n' > "$work/latin1"
head -c 2000000 /dev/zero | tr '\0' 'a' > "$work/huge"
printf 'FROM debian:12\nRUN <<EOF\ncurl -o x https://x\n' > "$work/unterminated"
expect_refused "$work/nul" "nul:2:.*NUL byte"
expect_refused "$work/latin1" "latin1:2:6: invalid UTF-8"
expect_refused "$work/huge" "huge: 2000000 bytes is over the size limit"
truncate -s 50M "$work/Dockerfile.50mb"   # refused from its size, never read
expect_refused "$work/Dockerfile.50mb" "Dockerfile.50mb: 52428800 bytes is over the size limit"
"$cli" apply --max-size 10 "$work/good" 2>/dev/null && fail "--max-size not honoured"

# An unparsable file: named with its line, exit 2, nothing written.
expect_refused "$work/unterminated" "unterminated:2:1: unterminated heredoc EOF"
# Binary data (a PNG header has NUL bytes) is refused at its first NUL.
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' > "$work/Dockerfile.png"
expect_refused "$work/Dockerfile.png" "Dockerfile.png:3:1: NUL byte"

# An unreadable file: root reads everything, so drop to nobody when we can.
if [[ $EUID == 0 ]] && command -v setpriv > /dev/null; then
  mkdir "$work/locked" && chmod 755 "$work" "$work/locked"
  cp "$work/good" "$work/locked/Dockerfile" && chmod 000 "$work/locked/Dockerfile"
  set +e
  setpriv --reuid 65534 --regid 65534 --clear-groups "$cli" apply "$work/locked/Dockerfile" 2> "$work/err"; rc=$?
  set -e
  [[ $rc == 2 ]] && grep -q "cannot read '$work/locked/Dockerfile': Permission denied" "$work/err" ||
    fail "unreadable file: exit $rc $(cat "$work/err")"
fi

# Other files in the same run are still processed.
set +e; "$cli" apply --rule network-retry "$work/nul" "$work/good" > /dev/null 2>&1; rc=$?; set -e
[[ $rc == 2 ]] || fail "mixed run exit $rc, want 2"
grep -q 'curl --retry 3' "$work/good" || fail "good file next to a bad one was not fixed"

# Unreadable files and symlinks are named.
set +e; "$cli" check "$work/nope" 2> "$work/err"; rc=$?; set -e
[[ $rc == 2 ]] && grep -q "nope" "$work/err" || fail "missing file: exit $rc $(cat "$work/err")"

# Pragmas, both spellings.
printf '# hadolint ignore=DL3002\nFROM debian:12\n# dockerfix ignore=network-retry\nRUN curl -o x https://x\n' > "$work/pragma"
out=$("$cli" check --rule nonroot-final-user --rule network-retry "$work/pragma" || true)
[[ -z $out ]] || fail "pragmas not honoured: $out"

# JSON output parses and names the rule.
set +e; "$cli" check --format json "$work/latin1" "$work/pragma" > "$work/out.json" 2>/dev/null; set -e
node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1]));
  if (r.version!==1||r.errors.length!==1||r.files.length!==1) process.exit(1);' "$work/out.json" ||
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if r["version"]==1 and len(r["errors"])==1 else 1)' "$work/out.json" ||
  fail "json: $(cat "$work/out.json")"
# Endless or special input: never more than --max-size + 1 bytes in memory
# (the run is held to 200 MB of address space; it needs under 100), exit 2
# with a message, never an allocation failure. Devices and FIFOs are refused
# unread (a FIFO without a writer must not hang the run); stdin is read bounded.
expect_bounded() {  # message pattern, command...
  local want=$1; shift
  set +e; ( ulimit -v 200000; "$@" ) > "$work/out" 2> "$work/err"; local rc=$?; set -e
  [[ $rc == 2 ]] && grep -q "$want" "$work/err" || fail "$*: exit $rc, want 2 and '$want': $(head -c 300 "$work/err")"
}
expect_bounded "/dev/zero: a character device, not a regular file" "$cli" check /dev/zero
expect_bounded "/dev/zero: a character device, not a regular file" "$cli" apply /dev/zero
expect_bounded "standard input: over the size limit of 1048576 bytes" "$cli" check - < /dev/zero
expect_bounded "standard input: over the size limit of 20000000 bytes" "$cli" diff --max-size 20000000 - < /dev/zero
mkfifo "$work/Dockerfile.fifo"
expect_bounded "Dockerfile.fifo: a FIFO, not a regular file" "$cli" check "$work/Dockerfile.fifo"
# `apply -` over the limit passes all of its input through, as for any refused input.
head -c 3000000 /dev/zero | tr '\0' 'a' > "$work/big"
set +e; "$cli" apply - < "$work/big" > "$work/out" 2> /dev/null; rc=$?; set -e
[[ $rc == 2 ]] && cmp -s "$work/big" "$work/out" || fail "apply - over the limit: exit $rc, output not the input"

# A failed write to stdout is exit 2, never a silent success.
printf 'FROM debian:12\nRUN curl -o x https://x\n' > "$work/fresh"
to_full() {  # command...: run with stdout on /dev/full
  set +e; "$@" < "$work/fresh" > /dev/full 2> "$work/err"; local rc=$?; set -e
  [[ $rc == 2 ]] && grep -q "cannot write to standard output: No space left on device" "$work/err" ||
    fail "$* > /dev/full: exit $rc $(cat "$work/err")"
}
to_full "$cli" apply -
to_full "$cli" check "$work/fresh"
to_full "$cli" check --format json "$work/fresh"
to_full "$cli" check --format sarif "$work/fresh"
to_full "$cli" diff "$work/fresh"
to_full "$cli" parse "$work/fresh"
cp "$work/fresh" "$work/fresh.copy"
to_full "$cli" apply "$work/fresh.copy"   # the file is fixed; the report line is lost, so exit 2

echo "cli input handling: ok"
