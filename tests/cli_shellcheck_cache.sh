#!/usr/bin/env bash
# check's shellcheck results, memoised in the run and cached across runs
# (cli/shellcheck_cache.h), end to end behind a `shellcheck` on PATH that logs
# every call and every script it is handed, then runs the real one. A warm
# run prints the same bytes and hands shellcheck no script (it asks only its
# --version); a changed script, a corrupt entry (rewritten), an entry under
# another script's name and another shellcheck version are misses; two files
# with the same RUN script have it checked once, with or without the cache;
# --no-cache and `cache: false` read and write nothing; a failed shellcheck
# is not cached; the directory follows DOCKERFIX_CACHE_DIR, XDG_CACHE_HOME,
# HOME. Skipped (77) without shellcheck.
set -euo pipefail
cli=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
real=$(command -v shellcheck) || { echo "cli_shellcheck_cache: no shellcheck, skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
unset DOCKERFIX_CACHE_DIR XDG_CACHE_HOME SHELLCHECK_OPTS
export HOME=$work/home XDG_CONFIG_HOME=$work/xdg-config
mkdir -p "$HOME" "$work/bin" "$work/repo/a" "$work/repo/b" "$work/repo/c"
log=$work/calls
cat > "$work/bin/shellcheck" <<SH
#!/bin/sh
# SHIM_VERSION: print it as the version; SHIM_FAIL: fail every check.
if [ "\$1" = --version ]; then
  echo version >> "$log"
  if [ -n "\${SHIM_VERSION:-}" ]; then echo "\$SHIM_VERSION"; exit 0; fi
else
  echo run >> "$log"
  for a; do case \$a in *.sh) cat "\$a" >> "$log";; esac; done
  if [ -n "\${SHIM_FAIL:-}" ]; then exit 3; fi
fi
exec "$real" "\$@"
SH
chmod +x "$work/bin/shellcheck"
export PATH=$work/bin:$PATH
cd "$work/repo"
# a and b share a RUN script (same stage, so the same header); each has one
# of its own; c has one twice. Eight files without a RUN between a and b put
# them in different batches (check takes 8 files at a time), so the workers
# share the script through the run's memo.
for d in a b; do
  printf 'FROM debian:12\nRUN echo $shared_marker && \\\n    ls `pwd`\nRUN echo $only_%s_marker\n' "$d" > "$d/Dockerfile"
done
printf 'FROM alpine:3.19\nRUN cd /tmp; echo $c_marker\nRUN cd /tmp; echo $c_marker\n' > c/Dockerfile
files=(a/Dockerfile)
for i in 1 2 3 4 5 6 7 8; do
  mkdir -p "filler$i"
  printf 'FROM debian:12\nUSER nobody\n' > "filler$i/Dockerfile"
  files+=("filler$i/Dockerfile")
done
files+=(b/Dockerfile c/Dockerfile)

# check FLAGS...: the output in $work/out (stdout, stderr, exit status); the shim's log afresh.
check() {
  rm -f "$log"
  touch "$log"
  local rc=0
  "$cli" check --no-config --jobs 2 "$@" "${files[@]}" > "$work/out.stdout" 2> "$work/out.stderr" || rc=$?
  cat "$work/out.stdout" "$work/out.stderr" > "$work/out"
  echo "exit $rc" >> "$work/out"
}
runs() { grep -c '^run$' "$log" || true; }  # shellcheck processes that checked scripts (one a batch of files at most)
handed() { grep -c -- "$1" "$log" || true; }  # how many scripts holding $1 shellcheck was handed
entry_with() { grep -l -- "$1" "$cache"/shellcheck/*.json; }

# --- the expected output, without any cache -----------------------------------------
export DOCKERFIX_CACHE_DIR=$work/nocache
check --no-cache
cp "$work/out" "$work/expected"
grep -q SC2086 "$work/out" || fail "no shellcheck finding: $(cat "$work/out")"
[[ $(grep -c 'SC2086' "$work/out.stdout") -ge 4 ]] || fail "the shared script's findings are not in both files: $(cat "$work/out")"
[[ -e $work/nocache ]] && fail "--no-cache wrote $(find "$work/nocache")"
# The run's memo alone: the script a and b share is checked once.
[[ $(handed shared_marker) == 1 ]] || fail "--no-cache: the shared script was checked $(handed shared_marker) times"
[[ $(handed only_a_marker) == 1 && $(handed c_marker) == 1 ]] || fail "--no-cache: scripts not checked once: $(cat "$log")"
[[ $(grep -c '^c/Dockerfile:[23]:5 SC2164' "$work/out.stdout") == 2 ]] || fail "c's script twice: not a finding on each: $(cat "$work/out")"

# --- cold, then warm ------------------------------------------------------------------
export DOCKERFIX_CACHE_DIR=$work/cache
cache=$DOCKERFIX_CACHE_DIR
check
cmp -s "$work/out" "$work/expected" || fail "cold cache: output differs: $(diff "$work/expected" "$work/out")"
[[ $(handed shared_marker) == 1 ]] || fail "cold: the shared script was checked $(handed shared_marker) times"
[[ $(ls "$cache/shellcheck" | wc -l) == 4 ]] || fail "not one entry per distinct script: $(ls "$cache/shellcheck")"
check
cmp -s "$work/out" "$work/expected" || fail "warm cache: output differs: $(diff "$work/expected" "$work/out")"
[[ $(runs) == 0 ]] || fail "warm cache: shellcheck checked scripts: $(cat "$log")"
[[ $(grep -c '^version$' "$log") == 1 ]] || fail "shellcheck --version not asked once: $(cat "$log")"
check --format json
cp "$work/out" "$work/expected.json"
[[ $(runs) == 0 ]] || fail "warm cache, --format json: shellcheck ran"

# --- --no-cache neither reads nor writes; nor does cache: false -------------------------
touch "$work/stamp"
check --no-cache
cmp -s "$work/out" "$work/expected" || fail "--no-cache with a warm cache: output differs"
[[ $(runs) == 2 && $(handed shared_marker) == 1 ]] || fail "--no-cache read the cache: $(cat "$log")"
[[ -z $(find "$cache" -newer "$work/stamp") ]] || fail "--no-cache wrote $(find "$cache" -newer "$work/stamp")"
printf 'cache: false\n' > "$work/no-cache.yaml"
DOCKERFIX_CACHE_DIR=$work/cache-off "$cli" check --config "$work/no-cache.yaml" "${files[@]}" > /dev/null 2>&1 || true
[[ -e $work/cache-off ]] && fail "cache: false wrote $(find "$work/cache-off")"
printf 'cache: nope\n' > "$work/bad.yaml"
rc=0; "$cli" check --config "$work/bad.yaml" "${files[@]}" > /dev/null 2> "$work/err" || rc=$?
[[ $rc == 2 ]] && grep -q "cache" "$work/err" || fail "cache: nope accepted (exit $rc): $(cat "$work/err")"

# --- a changed script misses; the others still hit ---------------------------------------
printf 'FROM alpine:3.19\nRUN cd /tmp; echo $c2_marker\nRUN cd /tmp; echo $c_marker\n' > c/Dockerfile
check
[[ $(runs) == 1 && $(handed c2_marker) == 1 && $(handed c_marker) == 0 && $(handed shared_marker) == 0 && $(handed only_a_marker) == 0 ]] ||
  fail "a changed script: not exactly it checked: $(cat "$log")"
grep -q 'c/Dockerfile:2:.*SC2164' "$work/out" || fail "the changed script's findings: $(cat "$work/out")"
printf 'FROM alpine:3.19\nRUN cd /tmp; echo $c_marker\nRUN cd /tmp; echo $c_marker\n' > c/Dockerfile

# --- a corrupt entry is a miss, and is rewritten -------------------------------------------
entry=$(entry_with only_a_marker)
printf '{"comments": [{"line": 2, "code": 1234, "message": "forged"' > "$entry"
check
cmp -s "$work/out" "$work/expected" || fail "corrupt entry: output differs: $(diff "$work/expected" "$work/out")"
[[ $(runs) == 1 && $(handed only_a_marker) == 1 && $(handed shared_marker) == 0 ]] || fail "corrupt entry not a miss: $(cat "$log")"
python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); assert "only_a_marker" in e["script"] and e["comments"]' "$entry" ||
  fail "corrupt entry not rewritten: $(cat "$entry")"
check
[[ $(runs) == 0 ]] || fail "the rewritten entry does not hit"
# Well-formed JSON with the right key and script, but a comment dockerfix cannot read.
python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); e["comments"][0]["line"]="two"; json.dump(e,open(sys.argv[1],"w"))' "$entry"
check
cmp -s "$work/out" "$work/expected" || fail "ill-typed entry: output differs: $(diff "$work/expected" "$work/out")"
[[ $(runs) == 1 && $(handed only_a_marker) == 1 ]] || fail "ill-typed entry not a miss: $(cat "$log")"

# --- an entry under another script's name (what a hash collision would give) is a miss ---------
victim=$(entry_with only_b_marker)
cp "$(entry_with shared_marker)" "$victim"
check
cmp -s "$work/out" "$work/expected" || fail "another script's entry was used: $(diff "$work/expected" "$work/out")"
[[ $(runs) == 1 && $(handed only_b_marker) == 1 ]] || fail "another script's entry not a miss: $(cat "$log")"

# --- another shellcheck version misses ---------------------------------------------------------
SHIM_VERSION="ShellCheck - shell script analysis tool
version: 9.9.9" check
cmp -s "$work/out" "$work/expected" || fail "another version: output differs"
[[ $(runs) == 2 && $(handed shared_marker) == 1 && $(handed only_a_marker) == 1 && $(handed c_marker) == 1 ]] ||
  fail "another version hit the cache: $(cat "$log")"
[[ $(ls "$cache/shellcheck" | wc -l) == 9 ]] || fail "another version's entries (4, the changed script's and 4 more): $(ls "$cache/shellcheck")"
check
[[ $(runs) == 0 ]] || fail "the first version's entries were lost"

# --- a failed shellcheck is never cached ------------------------------------------------------
export DOCKERFIX_CACHE_DIR=$work/cache-fail
SHIM_FAIL=1 check
grep -q 'shellcheck failed (exit 3)' "$work/out" || fail "no error from a failing shellcheck: $(cat "$work/out")"
[[ -z $(find "$work/cache-fail" -name '*.json' 2> /dev/null) ]] || fail "a failed run was cached: $(find "$work/cache-fail")"
check
cmp -s "$work/out" "$work/expected" || fail "after a failed run: output differs"
[[ $(handed shared_marker) == 1 ]] || fail "after a failed run: not checked again"

# --- where the cache lives ---------------------------------------------------------------------
unset DOCKERFIX_CACHE_DIR
XDG_CACHE_HOME=$work/xdg-cache check
[[ $(ls "$work/xdg-cache/dockerfix/shellcheck" | wc -l) == 4 ]] || fail "not under XDG_CACHE_HOME"
XDG_CACHE_HOME=relative check
[[ $(ls "$HOME/.cache/dockerfix/shellcheck" | wc -l) == 4 ]] || fail "not under ~/.cache (relative XDG_CACHE_HOME ignored)"
[[ -e relative ]] && fail "a relative XDG_CACHE_HOME was used"
cmp -s "$work/out" "$work/expected" || fail "~/.cache: output differs"
echo "cli_shellcheck_cache: ok"
