#!/usr/bin/env bash
# apply's in-place write, attacked: read-only files, setuid files owned by
# someone else, hard links, a file swapped for a symlink between read and
# write (and, for check and diff, between discovery and read), a SIGTERM while
# the temporary file exists; and its batches: many files in a directory, a
# file edited or a SIGTERM while the others of its batch are written. The races are made deterministic by the test
# build's pause points (cli/test_hook.h): the run stops, the test acts, the run
# goes on.
set -euo pipefail
cli=$1
work=$(mktemp -d)
pid=
# A failing check must not leave a paused dockerfix behind.
trap 'if [[ -n $pid ]]; then kill -KILL "$pid" 2> /dev/null || true; fi; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
dockerfile() { printf 'FROM debian:12\nRUN curl -o x https://example.com/x\nCMD ["x"]\n' > "$1"; }
temps() { find "$work" -name '*.dockerfix-tmp-*' | tr '\n' ' '; }

# Runs a command in the background, paused at POINT; sets $pid (the paused
# dockerfix) and $info (what it says there). If it never pauses, its exit
# status arrives instead, so a test of code without the pause fails, not hangs.
fifo=$work/fifo
# One message from the FIFO. A writer that closes without writing (dockerfix
# dying with the write end still open, after a kill) gives an empty read:
# wait for the next writer instead of failing.
recv() { until read -r msg < "$fifo"; do :; done; }
paused() {  # POINT command...
  local point=$1; shift
  rm -f "$fifo"; mkfifo "$fifo"
  # (stderr of the group: the shell reports the kills the tests do)
  { set +e; DOCKERFIX_TEST_PAUSE="$point:$fifo" "$@" > "$work/out" 2> "$work/err"; echo "exit $?" > "$fifo"; } 2> /dev/null &
  local msg; recv
  [[ $msg == "$point "* ]] || fail "$* did not pause at $point: $msg $(cat "$work/err")"
  msg=${msg#"$point "}; pid=${msg%% *}; info=${msg#* }
}
resume() { echo go > "$fifo"; local msg; recv; rc=${msg#exit }; wait; pid=; }

# --- a read-only file is refused, not replaced (root could write it) -------------
mkdir "$work/ro"; dockerfile "$work/ro/Dockerfile"; chmod 444 "$work/ro/Dockerfile"
before=$(sha256sum < "$work/ro/Dockerfile")
set +e; "$cli" apply --no-config "$work/ro/Dockerfile" > /dev/null 2> "$work/err"; rc=$?; set -e
[[ $rc == 2 ]] || fail "read-only file: exit $rc, want 2"
grep -q "ro/Dockerfile: read-only (mode 0444); not rewritten" "$work/err" || fail "read-only message: $(cat "$work/err")"
[[ $(sha256sum < "$work/ro/Dockerfile") == "$before" && $(stat -c %a "$work/ro/Dockerfile") == 444 ]] ||
  fail "read-only file was replaced"

# A user who may write the directory but not the file does not get to replace it
# (a rename needs only the directory), nor take it over.
if [[ $EUID == 0 ]] && command -v setpriv > /dev/null; then
  mkdir "$work/theirs"; dockerfile "$work/theirs/Dockerfile"; chmod 755 "$work"
  chown 65534:65534 "$work/theirs"; chmod 644 "$work/theirs/Dockerfile"   # root's file in nobody's directory
  set +e
  setpriv --reuid 65534 --regid 65534 --clear-groups "$cli" apply --no-config "$work/theirs/Dockerfile" > /dev/null 2> "$work/err"
  rc=$?; set -e
  [[ $rc == 2 ]] && grep -q "theirs/Dockerfile: cannot be written (Permission denied); not rewritten" "$work/err" ||
    fail "another user's file: exit $rc $(cat "$work/err")"
  [[ $(stat -c %U "$work/theirs/Dockerfile") == root ]] && ! grep -q -- --retry "$work/theirs/Dockerfile" ||
    fail "another user's file was replaced"
fi

# --- owner, setuid and setgid kept for a file of another user (needs root) --------
if [[ $EUID == 0 ]]; then
  mkdir "$work/own"; dockerfile "$work/own/Dockerfile"
  chown 1234:1234 "$work/own/Dockerfile"; chmod 6755 "$work/own/Dockerfile"
  "$cli" apply --no-config --rule network-retry "$work/own/Dockerfile" > /dev/null || fail "apply of a setuid file failed"
  grep -q -- '--retry' "$work/own/Dockerfile" || fail "setuid file not fixed"
  [[ $(stat -c '%a %u %g' "$work/own/Dockerfile") == "6755 1234 1234" ]] ||
    fail "mode or owner not kept: $(stat -c '%a %u %g' "$work/own/Dockerfile"), want 6755 1234 1234"
fi

# --- a hard link is split, and the output says so ----------------------------------
mkdir "$work/hard" "$work/elsewhere"; dockerfile "$work/hard/Dockerfile"
ln "$work/hard/Dockerfile" "$work/elsewhere/copy"
"$cli" apply --no-config --rule network-retry "$work/hard/Dockerfile" > /dev/null 2> "$work/err" || fail "hard link apply"
grep -q "hard/Dockerfile: had 2 hard links; only this name has the fixed file, the other 1 keeps the old content" \
  "$work/err" || fail "hard link split not reported: $(cat "$work/err")"
grep -q -- '--retry' "$work/elsewhere/copy" && fail "the other link changed"
grep -q -- '--retry' "$work/hard/Dockerfile" || fail "hard-linked file not fixed"

# --- swapped for an in-tree symlink between read and write: refused --------------
mkdir "$work/swap"; dockerfile "$work/swap/Dockerfile"; printf 'precious\n' > "$work/swap/notes.txt"
paused temp-written "$cli" apply --no-config --rule network-retry "$work/swap/Dockerfile"
[[ -f $work/swap/$info ]] || fail "no temporary file at the pause: $info"
rm "$work/swap/Dockerfile"; ln -s notes.txt "$work/swap/Dockerfile"
resume
[[ $rc == 2 ]] || fail "swap to a symlink: exit $rc, want 2 $(cat "$work/err")"
grep -q "swap/Dockerfile: replaced by a symlink while dockerfix ran; not rewritten" "$work/err" ||
  fail "swap message: $(cat "$work/err")"
[[ -L $work/swap/Dockerfile && $(cat "$work/swap/notes.txt") == precious ]] || fail "wrote through the swapped symlink"
[[ -z $(temps) ]] || fail "temporary left after a refused write: $(temps)"

# ... or for another file, or edited meanwhile: refused too.
dockerfile "$work/swap/Dockerfile.b"
paused temp-written "$cli" apply --no-config --rule network-retry "$work/swap/Dockerfile.b"
printf 'FROM debian:12\n' > "$work/swap/new"; mv "$work/swap/new" "$work/swap/Dockerfile.b"
resume
[[ $rc == 2 ]] && grep -q "Dockerfile.b: replaced by another file while dockerfix ran" "$work/err" ||
  fail "swap to another file: exit $rc $(cat "$work/err")"
[[ $(cat "$work/swap/Dockerfile.b") == "FROM debian:12" ]] || fail "overwrote the file put in its place"
dockerfile "$work/swap/Dockerfile.c"
paused temp-written "$cli" apply --no-config --rule network-retry "$work/swap/Dockerfile.c"
printf '# edited\n' >> "$work/swap/Dockerfile.c"
resume
[[ $rc == 2 ]] && grep -q "Dockerfile.c: changed while dockerfix ran" "$work/err" || fail "concurrent edit: exit $rc"
grep -q '# edited' "$work/swap/Dockerfile.c" || fail "a concurrent edit was lost"

# --- check and diff: a file swapped for a symlink after discovery is not followed --
mkdir -p "$work/tree/svc"; dockerfile "$work/tree/svc/Dockerfile"
seq 1 731 | sed 's/^/secret line /' > "$work/secret"
for cmd in diff check; do
  dockerfile "$work/tree/svc/Dockerfile"
  paused before-open "$cli" $cmd --no-config "$work/tree"
  rm "$work/tree/svc/Dockerfile"; ln -s ../../secret "$work/tree/svc/Dockerfile"
  resume
  [[ $rc == 2 ]] || fail "$cmd of a file swapped for a symlink: exit $rc, want 2"
  grep -q "svc/Dockerfile: it is a symlink now, not the file found when the run started; not followed" "$work/err" ||
    fail "$cmd swap message: $(cat "$work/err")"
  grep -q secret "$work/out" "$work/err" && fail "$cmd printed the symlink's target"
  rm "$work/tree/svc/Dockerfile"
done

# --- SIGTERM (and SIGINT) while the temporary file exists: it is removed ----------
mkdir "$work/sig"
for sig in TERM INT; do
  dockerfile "$work/sig/Dockerfile"
  paused temp-written "$cli" apply --no-config --rule network-retry "$work/sig/Dockerfile"
  [[ -f $work/sig/$info && $info == .Dockerfile.dockerfix-tmp-?????? ]] || fail "temporary file name: '$info'"
  kill -$sig "$pid"
  recv; wait; pid=
  [[ $msg == "exit $((128 + $(kill -l $sig)))" ]] || fail "SIG$sig: $msg, want death by the signal"
  [[ -z $(temps) ]] || fail "SIG$sig left a temporary file: $(temps)"
  grep -q -- '--retry' "$work/sig/Dockerfile" && fail "SIG$sig: the file was replaced anyway"
done

# A temporary left by a SIGKILL is never taken for a Dockerfile.
paused temp-written "$cli" apply --no-config --rule network-retry "$work/sig/Dockerfile"
kill -KILL "$pid"; recv; wait; pid=
[[ -f $work/sig/$info ]] || fail "SIGKILL removed the temporary? (the test needs one left)"
"$cli" check --no-config --format json "$work/sig" > "$work/out" || true
python3 -c 'import json,sys; p=[f["path"] for f in json.load(open(sys.argv[1]))["files"]]; sys.exit(p != [sys.argv[2]])' \
  "$work/out" "$work/sig/Dockerfile" || fail "discovery took a temporary file: $(cat "$work/out")"
"$cli" parse --all-files "$work/sig" 2> "$work/err" > /dev/null
grep -q "parse: 1 files" "$work/err" || fail "parse --all-files took a temporary file: $(cat "$work/err")"
# --- apply writes a batch of files at a time (cli/atomic_write.h) --------------------
# The next pause of a run paused() started; sets $info.
temps_in() { find "$work/$1" -name '*.dockerfix-tmp-*' | tr '\n' ' '; }  # (the SIGKILL above left one in sig/)
next_pause() {
  echo go > "$fifo"; local msg; recv
  [[ $msg == "temp-written "* ]] || fail "no next pause: $msg $(cat "$work/err")"
  msg=${msg#"temp-written "}; info=${msg#* }
}
dockerfile "$work/original"
"$cli" apply --no-config --rule network-retry - < "$work/original" > "$work/fixed"
grep -q -- --retry "$work/fixed" || fail "no reference fix"

# Many files, in two directories taken in turns, over several batches: every
# one replaced with its own mode, one "fixed" line each in the order given.
modes=(644 600 755 640 664)
args=()
for i in $(seq 0 149); do
  d=$work/batch/d$((i % 2)); mkdir -p "$d"
  dockerfile "$d/Dockerfile.$i"; chmod "${modes[i % 5]}" "$d/Dockerfile.$i"; args+=("$d/Dockerfile.$i")
done
"$cli" apply --no-config --rule network-retry "${args[@]}" > "$work/out" 2> "$work/err" ||
  fail "apply of 150 files: $(cat "$work/err")"
[[ $(sed 's/^fixed \([^ ]*\) .*/\1/' "$work/out") == "$(printf '%s\n' "${args[@]}")" ]] ||
  fail "not one fixed line a file in order: $(head -3 "$work/out")"
for i in $(seq 0 149); do
  f=${args[i]}
  cmp -s "$f" "$work/fixed" && [[ $(stat -c %a "$f") == "${modes[i % 5]}" ]] ||
    fail "$f: not fixed, or mode $(stat -c %a "$f") not ${modes[i % 5]}"
done
[[ -z $(temps_in batch) ]] || fail "temporaries left by a batch: $(temps_in batch)"

# A file changed while its batch is written: refused, the others written. Every
# temporary of the batch is on disk before the first rename, and nothing is
# reported fixed before the whole batch is.
mkdir "$work/mid"
for n in a b c; do dockerfile "$work/mid/Dockerfile.$n"; done
paused temp-written "$cli" apply --no-config --rule network-retry "$work/mid/Dockerfile.a" "$work/mid/Dockerfile.b" \
  "$work/mid/Dockerfile.c"
[[ $info == .Dockerfile.a.dockerfix-tmp-* && $(temps_in mid | wc -w) == 3 ]] ||
  fail "the batch's temporaries at the first rename: $info, $(temps_in mid)"
next_pause
[[ $info == .Dockerfile.b.dockerfix-tmp-* ]] || fail "second pause at $info"
cmp -s "$work/mid/Dockerfile.a" "$work/fixed" || fail "Dockerfile.a not replaced before Dockerfile.b"
[[ ! -s $work/out ]] || fail "reported fixed before the batch was on disk: $(cat "$work/out")"
printf '# edited\n' >> "$work/mid/Dockerfile.b"
next_pause
resume
[[ $rc == 2 ]] && grep -q "mid/Dockerfile.b: changed while dockerfix ran; not rewritten" "$work/err" ||
  fail "an edit mid-batch: exit $rc $(cat "$work/err")"
[[ $(grep -c '^fixed ' "$work/out") == 2 ]] && grep -q "^fixed $work/mid/Dockerfile.a " "$work/out" &&
  grep -q "^fixed $work/mid/Dockerfile.c " "$work/out" || fail "fixed lines after an edit mid-batch: $(cat "$work/out")"
cmp -s "$work/mid/Dockerfile.a" "$work/fixed" && cmp -s "$work/mid/Dockerfile.c" "$work/fixed" ||
  fail "the other files of the batch were not written"
grep -q '# edited' "$work/mid/Dockerfile.b" && ! grep -q -- --retry "$work/mid/Dockerfile.b" ||
  fail "the edited file was overwritten"
[[ -z $(temps_in mid) ]] || fail "temporaries left after an edit mid-batch: $(temps_in mid)"

# SIGTERM mid-batch: every temporary removed; each file either fixed, whole (the
# one renamed already), or as it was; and none reported fixed.
for n in a b c; do dockerfile "$work/mid/Dockerfile.$n"; done
paused temp-written "$cli" apply --no-config --rule network-retry "$work/mid/Dockerfile.a" "$work/mid/Dockerfile.b" \
  "$work/mid/Dockerfile.c"
next_pause
kill -TERM "$pid"
recv; wait; pid=
[[ $msg == "exit 143" ]] || fail "SIGTERM mid-batch: $msg, want death by the signal"
[[ -z $(temps_in mid) ]] || fail "SIGTERM mid-batch left temporaries: $(temps_in mid)"
cmp -s "$work/mid/Dockerfile.a" "$work/fixed" && cmp -s "$work/mid/Dockerfile.b" "$work/original" &&
  cmp -s "$work/mid/Dockerfile.c" "$work/original" || fail "SIGTERM mid-batch: a file neither fixed nor as it was"
[[ ! -s $work/out ]] || fail "SIGTERM mid-batch: reported fixed: $(cat "$work/out")"

# A directory that cannot be flushed (fsync on it fails, as some file systems
# refuse it): the files are replaced and reported, each with a note naming it
# and the error, once per file even when its directory is shared.
if command -v cc > /dev/null; then
  cat > "$work/dirfsync.c" << 'EOF'
#define _GNU_SOURCE
#include <errno.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
int fsync(int fd) {
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) { errno = EIO; return -1; }
  return (int)syscall(SYS_fsync, fd);
}
EOF
  cc -shared -fPIC -o "$work/dirfsync.so" "$work/dirfsync.c"
  mkdir -p "$work/nosync/sub"
  for f in nosync/Dockerfile.a nosync/Dockerfile.b nosync/sub/Dockerfile; do dockerfile "$work/$f"; done
  set +e
  LD_PRELOAD=$work/dirfsync.so "$cli" apply --no-config --rule network-retry "$work/nosync/Dockerfile.a" \
    "$work/nosync/Dockerfile.b" "$work/nosync/sub/Dockerfile" > "$work/out" 2> "$work/err"
  rc=$?
  set -e
  [[ $rc == 0 && $(grep -c '^fixed ' "$work/out") == 3 ]] || fail "a directory fsync failing: exit $rc $(cat "$work/out" "$work/err")"
  for f in nosync/Dockerfile.a nosync/Dockerfile.b nosync/sub/Dockerfile; do
    cmp -s "$work/$f" "$work/fixed" || fail "$f not replaced when its directory could not be flushed"
    [[ $(grep -c "note: .*$f: its directory could not be flushed (Input/output error)" "$work/err") == 1 ]] ||
      fail "no note for $f: $(cat "$work/err")"
  done
  [[ -z $(temps_in nosync) ]] || fail "temporaries left: $(temps_in nosync)"
else
  echo "cli write safety: no C compiler, the directory-fsync case skipped"
fi

echo "cli write safety: ok"
