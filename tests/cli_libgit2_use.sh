#!/usr/bin/env bash
# libgit2 is initialised only when a run uses it, and then once (issue 19:
# each first initialisation reads the system's certificates): `check` of
# plain files never, a file through a symlink (its tree is looked up) or a
# directory walk (.gitignore) once however many there are, diff once for all
# its patches. The test build reports the count (DOCKERFIX_TEST_LIBGIT2,
# cli/test_hook.h); the findings are the same either way.
set -euo pipefail
cli=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export GIT_CONFIG_NOSYSTEM=1 HOME=$work/home DOCKERFIX_TEST_LIBGIT2=1
mkdir -p "$HOME"
inits() {  # WANT ARGS...: runs the CLI in $work/repo, checks the count it reports
  local want=$1; shift
  set +e
  (cd "$work/repo" && "$cli" "$@" --no-config --no-shellcheck > "$work/out" 2> "$work/err")
  rc=$?
  set -e
  grep -qx "libgit2 initialisations: $want" "$work/err" ||
    fail "$*: want $want initialisations: $(grep initialisations "$work/err" || cat "$work/err")"
}
mkdir -p "$work/repo"/{a,b,c}
git -C "$work/repo" init -q
for d in a b c; do printf 'FROM debian:12\nRUN curl -o x https://example.com/x\n' > "$work/repo/$d/Dockerfile"; done
ln -s ../a/Dockerfile "$work/repo/c/Linked.Dockerfile"

inits 0 check a/Dockerfile
[[ $rc == 1 ]] && grep -q "a/Dockerfile:2:" "$work/out" || fail "check a/Dockerfile: exit $rc $(cat "$work/out" "$work/err")"
inits 0 check a/Dockerfile b/Dockerfile --format json
inits 1 check c/Linked.Dockerfile
[[ $rc == 1 ]] && grep -q "c/Linked.Dockerfile:2:" "$work/out" || fail "check through a symlink: exit $rc $(cat "$work/out" "$work/err")"
inits 1 check a b
[[ $rc == 1 ]] && grep -q "b/Dockerfile:2:" "$work/out" || fail "check a b: exit $rc $(cat "$work/out" "$work/err")"
inits 1 diff a/Dockerfile c/Dockerfile
grep -q "^+++ b/c/Dockerfile" "$work/out" || fail "diff: $(cat "$work/out" "$work/err")"
inits 0 apply --unsafe-fixes b/Dockerfile
grep -q -- "--retry" "$work/repo/b/Dockerfile" || fail "apply did not fix b/Dockerfile: $(cat "$work/err")"
echo "libgit2 use: ok"
