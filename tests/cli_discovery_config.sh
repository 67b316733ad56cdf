#!/usr/bin/env bash
# Discovery (.gitignore inside and outside a repository, symlinks leaving the
# tree), .dockerfix.yaml (upward search, precedence, unknown keys, ignore,
# image knowledge), colour and progress on a terminal, --help and the man page.
set -euo pipefail
cli=$1 corpus=${2:-} src=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
run() { set +e; "$@" > "$work/out" 2> "$work/err"; rc=$?; set -e; }
dockerfile() { printf 'FROM debian:12\nRUN curl -o x https://example.com/x\nCMD ["gunicorn", "app:app"]\n' > "$1"; }
export GIT_CONFIG_NOSYSTEM=1 HOME=$work/home
mkdir -p "$HOME"

# --- discovery inside a git repository ---------------------------------------
repo=$work/repo
mkdir -p "$repo"/{svc/api,vendor/lib,build,docs}
git -C "$repo" init -q
printf 'vendor/\n*.gen.Dockerfile\nbuild/\n' > "$repo/.gitignore"
dockerfile "$repo/Dockerfile"
dockerfile "$repo/svc/api/Dockerfile.prod"
dockerfile "$repo/svc/api/web.dockerfile"
dockerfile "$repo/svc/Containerfile"
dockerfile "$repo/vendor/lib/Dockerfile"        # ignored directory
dockerfile "$repo/svc/api/x.gen.Dockerfile"     # ignored pattern
dockerfile "$repo/build/Dockerfile"             # ignored, but tracked below
dockerfile "$repo/docs/Dockerfile.md.txt.not"   # Dockerfile.* matches this name too
printf 'node_modules\n*.log\n' > "$repo/Dockerfile.dockerignore"            # BuildKit's, not a Dockerfile
printf 'node_modules\n' > "$repo/svc/api/Dockerfile.prod.dockerignore"
printf 'not a dockerfile\n' > "$repo/docs/README"
git -C "$repo" add -f build/Dockerfile
cd "$repo"
run "$cli" check -q .
[[ $rc == 1 ]] || fail "check . exit $rc: $(cat "$work/err")"
grep -q dockerignore "$work/err" && fail "check . read a .dockerignore: $(cat "$work/err")"
run "$cli" check --format concise --rule network-retry .
listed=$(grep -v "^[0-9]* findings\?, " "$work/out" | cut -d: -f1 | sort -u | tr '\n' ' ')
want="Dockerfile build/Dockerfile docs/Dockerfile.md.txt.not svc/Containerfile svc/api/Dockerfile.prod svc/api/web.dockerfile "
[[ $listed == "$want" ]] || fail "discovery in a repository: got '$listed' want '$want'"

# --- discovery outside a repository still reads .gitignore --------------------
plain=$work/plain
mkdir -p "$plain"/{a,skip}
printf 'skip/\n' > "$plain/.gitignore"
dockerfile "$plain/a/Dockerfile"
dockerfile "$plain/skip/Dockerfile"
run "$cli" check --rule network-retry "$plain"
grep -q "a/Dockerfile" "$work/out" || fail "plain tree: a/Dockerfile not found"
grep -q "skip/Dockerfile" "$work/out" && fail "plain tree: .gitignore not honoured"
[[ ! -e $plain/.git ]] || fail "discovery created a .git in a plain tree"

# --- symlinks -------------------------------------------------------------------
mkdir -p "$work/outside" "$repo/links"
dockerfile "$work/outside/Dockerfile"
ln -s ../../outside/Dockerfile "$repo/links/Dockerfile"       # leaves the tree
ln -s ../svc/Containerfile "$repo/links/inside.Dockerfile"    # stays inside
ln -s "$work/outside" "$repo/links/dir"                       # directory link: never entered
before=$(sha256sum "$work/outside/Dockerfile")
run "$cli" apply --rule network-retry links
[[ $rc == 2 ]] || fail "symlink out of the tree: exit $rc, want 2"
grep -q "links/Dockerfile: symlink to .* leaves the tree" "$work/err" || fail "symlink message: $(cat "$work/err")"
[[ $(sha256sum "$work/outside/Dockerfile") == "$before" ]] || fail "wrote through a symlink out of the tree"
grep -q -- '--retry 3' "$repo/svc/Containerfile" || fail "symlink inside the tree: target not fixed"
[[ -L $repo/links/inside.Dockerfile ]] || fail "apply replaced a symlink with a file"
run "$cli" apply links/Dockerfile
[[ $rc == 2 ]] && grep -q "leaves the tree" "$work/err" || fail "explicit symlink out of the tree: exit $rc $(cat "$work/err")"
[[ $(sha256sum "$work/outside/Dockerfile") == "$before" ]] || fail "explicit: wrote through a symlink"
# A file named through a linked directory: the file is no link, its directory is.
run "$cli" apply links/dir/Dockerfile
[[ $rc == 2 ]] && grep -q "links/dir/Dockerfile: symlink to '$work/outside/Dockerfile' leaves the tree" "$work/err" ||
  fail "file under a directory link out of the tree: exit $rc $(cat "$work/err")"
[[ $(sha256sum "$work/outside/Dockerfile") == "$before" ]] || fail "wrote through a directory link"
ln -s ../svc "$repo/links/svcdir"
for through in links/svcdir/Containerfile links/../svc/Containerfile; do
  dockerfile "$repo/svc/Containerfile"
  run "$cli" apply --rule network-retry "$through"
  [[ $rc == 0 ]] || fail "$through (inside the tree): exit $rc $(cat "$work/err")"
  grep -q -- '--retry 3' "$repo/svc/Containerfile" || fail "$through (inside the tree): not fixed"
done
[[ -L $repo/links/svcdir ]] || fail "apply replaced a directory link"
rm -rf "$repo/links"
git -C "$repo" checkout -q -- . 2>/dev/null || true
dockerfile "$repo/svc/Containerfile"

# --- config: upward search, precedence, ignore ---------------------------------
cat > "$repo/.dockerfix.yaml" <<'YAML'
# settings for the whole repository
rules:
  healthcheck: off
  network-retry:
    retries: 7
  nonroot-final-user:
    user: app
    uid: 10001
ignore:
  - svc/api/web.dockerfile
YAML
cd "$repo/svc/api"     # found upward from a subdirectory
run "$cli" check "$repo"
grep -q 'add --retry 7' "$work/out" || fail "config retries not used: $(cat "$work/out")"
grep -q 'run as app (created with uid 10001)' "$work/out" || fail "config user not used: $(cat "$work/out")"
grep -q healthcheck "$work/out" && fail "config healthcheck: off not honoured"
grep -q web.dockerfile "$work/out" && fail "config ignore not honoured"
run "$cli" check --retries 2 --uid 4242 "$repo/Dockerfile"
grep -q 'add --retry 2' "$work/out" || fail "--retries does not win over the config: $(cat "$work/out")"
grep -q 'uid 4242' "$work/out" || fail "--uid does not win over the config"
run "$cli" check --rule healthcheck "$repo/Dockerfile"
grep -q healthcheck "$work/out" || fail "--rule does not win over the config's off"
run "$cli" check --no-config "$repo/Dockerfile"
grep -q 'add --retry 3' "$work/out" || fail "--no-config still read the config"
run "$cli" check "$repo/svc/api/web.dockerfile"
[[ $rc == 1 ]] || fail "a file named on the command line is checked even when the config ignores it"
printf 'rules:\n  healthcheck: off\nretries: 3\n' > "$work/bad.yaml"
run "$cli" check --config "$work/bad.yaml" "$repo/Dockerfile"
[[ $rc == 2 ]] && grep -q "bad.yaml:3: unknown key 'retries'" "$work/err" || fail "unknown key: $rc $(cat "$work/err")"
printf 'rules:\n  network-retry:\n    retires: 3\n' > "$work/bad.yaml"
run "$cli" check --config "$work/bad.yaml" "$repo/Dockerfile"
grep -q "bad.yaml:3: unknown key 'retires' in rules.network-retry" "$work/err" || fail "unknown nested key: $(cat "$work/err")"
printf 'rules:\n  network-retry:\n    retries: many\n' > "$work/bad.yaml"
run "$cli" check --config "$work/bad.yaml" "$repo/Dockerfile"
grep -q "bad.yaml:3: 'retries' must be a number" "$work/err" || fail "bad value: $(cat "$work/err")"
printf 'rules:\n  healthcheck: off\n  healthcheck: on\n' > "$work/bad.yaml"
run "$cli" check --config "$work/bad.yaml" "$repo/Dockerfile"
[[ $rc == 2 ]] && grep -q "bad.yaml:3: 'healthcheck' is given twice in rules (also on line 2)" "$work/err" ||
  fail "duplicate key: $rc $(cat "$work/err")"
# Base-image knowledge from the config: a private image that runs as uid 1001.
cat > "$work/kb.yaml" <<'YAML'
images:
  - name: corp-base
    match: {repository: ["registry.corp.example/base"]}
    family: debian
    package_managers: [apt]
    shell: true
    user: {name: svc, uid: 1001}
    users: [{name: svc, uid: 1001, gid: 1001, home: /home/svc, shell: /bin/sh}]
    user_tool: useradd
    source: internal
YAML
printf 'FROM registry.corp.example/base:1\nRUN apt-get update\nCMD ["x"]\n' > "$work/corp.Dockerfile"
run "$cli" check --no-config --rule root-for-privileged-steps "$work/corp.Dockerfile"
[[ $rc == 0 ]] || fail "unknown image should give no finding: $(cat "$work/out")"
run "$cli" check --config "$work/kb.yaml" --rule root-for-privileged-steps "$work/corp.Dockerfile"
[[ $rc == 1 ]] && grep -q root-for-privileged-steps "$work/out" || fail "config images not used: $rc $(cat "$work/out" "$work/err")"

# The example in docs/config.md is a valid config, and does what it says.
if [[ -f $src/docs/config.md ]]; then
  awk '/^```yaml$/{on=1; next} /^```$/{on=0} on' "$src/docs/config.md" > "$work/doc.yaml"
  [[ -s $work/doc.yaml ]] || fail "no yaml example in docs/config.md"
  run "$cli" check --config "$work/doc.yaml" "$repo/Dockerfile"
  [[ $rc == 1 ]] || fail "docs/config.md example: exit $rc $(cat "$work/err")"
  grep -q 'add --retry 5 --retry-delay 10' "$work/out" || fail "docs example retries not applied: $(cat "$work/out")"
  grep -q 'run as 10001:10001 (created with uid 10001)' "$work/out" || fail "docs example user not applied: $(cat "$work/out")"
fi

# --- colour and progress --------------------------------------------------------
cd "$repo"
run "$cli" check --color always Dockerfile
grep -q $'\e\[' "$work/out" || fail "--color always printed no colour"
run "$cli" check Dockerfile
grep -q $'\e\[' "$work/out" && fail "colour on a pipe"
if command -v script > /dev/null; then
  script -qec "$cli check --no-config --rule network-retry Dockerfile" /dev/null > "$work/tty" || true
  grep -q $'\e\[' "$work/tty" || fail "no colour on a terminal"
  NO_COLOR=1 script -qec "$cli check --no-config --rule network-retry Dockerfile" /dev/null > "$work/tty" || true
  grep -q $'\e\[' "$work/tty" && fail "NO_COLOR not honoured"
fi

# A long run on a terminal shows a progress line on stderr; -q and pipes get none.
if command -v script > /dev/null && [[ -d $corpus ]]; then
  DOCKERFIX_PROGRESS_AFTER_MS=0 script -qec "$cli diff --no-config $corpus/[a-f]*/* > /dev/null" /dev/null > "$work/tty" 2>&1 || true
  # Through a file, not a pipe: grep -q stops early, and under pipefail tr's
  # SIGPIPE would fail the line whenever the output is long.
  tr '\r' '\n' < "$work/tty" > "$work/tty-lines"
  grep -aq '^.\[K\[[0-9]*/[0-9]*\] ' "$work/tty-lines" || fail "no progress line on a terminal"
  DOCKERFIX_PROGRESS_AFTER_MS=0 "$cli" diff --no-config "$corpus"/[a-f]*/* > /dev/null 2> "$work/err" || true
  grep -aq '\[[0-9]*/[0-9]*\]' "$work/err" && fail "progress line on a pipe"
fi

# --- help and man page -----------------------------------------------------------
for sub in check diff apply parse explain doctor man bot; do
  "$cli" $sub --help > "$work/help" || fail "$sub --help"
  grep -q "Examples:" "$work/help" || fail "$sub --help has no examples"
done
"$cli" man > "$work/man"
for sub in check diff apply parse explain bot; do grep -q "^\.SS dockerfix $sub" "$work/man" || fail "man: no $sub"; done
grep -q 'dockerfix check \\-\\-format sarif' "$work/man" || fail "man page lacks the examples --help shows"
if command -v man > /dev/null; then man -l "$work/man" > /dev/null 2>&1 || fail "man cannot render the page"; fi
# --- pre-commit hooks: the files pattern picks exactly the names discovery finds,
# and each hook's entry runs as pre-commit would (entry + matched files).
if [[ -f $src/.pre-commit-hooks.yaml ]]; then
  cd "$repo"
  git ls-files --others --cached --exclude-standard > "$work/all"
  python3 - "$src/.pre-commit-hooks.yaml" "$work/all" "$work/out" > "$work/hooks" <<'PY'
import re, sys, yaml
hooks = {h["id"]: h for h in yaml.safe_load(open(sys.argv[1]))}
files = open(sys.argv[2]).read().split()
for hid in ("dockerfix", "dockerfix-apply"):
    h = hooks[hid]
    # as pre-commit does: `files` selects, `exclude` drops
    matched = [f for f in files if re.search(h["files"], f) and not re.search(h.get("exclude", "^$"), f)]
    print(hid, h["entry"], " ".join(matched))
PY
  "$cli" check --no-config . > /dev/null 2> /dev/null || true
  discovered=$( { "$cli" check --no-config --format json . 2>/dev/null || true; } | python3 -c 'import json,sys; print(" ".join(sorted(f["path"] for f in json.load(sys.stdin)["files"])))')
  hooked=$(grep '^dockerfix ' "$work/hooks" | cut -d' ' -f4- | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')
  [[ $hooked == "$discovered" ]] || fail "pre-commit files '$hooked' != discovered '$discovered'"
  grep -q dockerignore "$work/hooks" && fail "a pre-commit hook matches a .dockerignore: $(cat "$work/hooks")"
  entry=$(grep '^dockerfix-apply ' "$work/hooks" | cut -d' ' -f2-3)
  set +e; $cli ${entry#dockerfix } --no-config Dockerfile > /dev/null; rc=$?; set -e
  [[ $rc == 0 ]] && grep -q -- '--retry' Dockerfile || fail "dockerfix-apply hook entry did not fix: rc $rc"
fi
echo "cli discovery and config: ok"
