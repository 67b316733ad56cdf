#!/usr/bin/env bash
# Issue 13: `apply -` (a code generator piping its Dockerfile) reads the
# scripts a RUN runs from --context DIR; without it the finding says the
# script could not be read; a --context that is not a directory is refused
# (exit 2, naming it, nothing written); explain honours .dockerfix.yaml.
set -euo pipefail
cli=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
seed="$src/corpus/seed000-pixelarch"
cd "$work"

"$cli" apply --no-config --context "$seed" - < "$seed/Dockerfile" > fixed.txt || fail "apply - --context failed"
grep -qx 'USER root' fixed.txt || fail "apply - --context did not add USER root: $(cat fixed.txt)"
grep -qx 'USER midori-ai' fixed.txt || fail "apply - --context did not restore the user"

"$cli" apply --no-config - < "$seed/Dockerfile" > plain.txt || fail "apply - failed"
cmp -s plain.txt "$seed/Dockerfile" || fail "apply - without a context changed the file: $(cat plain.txt)"
set +e
"$cli" check --no-config - < "$seed/Dockerfile" > check.txt; rc=$?
set -e
[[ $rc == 1 ]] || fail "check - exit $rc, want 1"
grep -q 'root-for-privileged-steps RUN runs /tmp/desktop_install.sh, copied from the build context' check.txt ||
  fail "check - does not say the script could not be read: $(cat check.txt)"
grep -q 'give --context DIR' check.txt || fail "check - does not say how to give the context"

set +e
"$cli" apply --no-config --context "$work/missing" - < "$seed/Dockerfile" > out.txt 2> err.txt; rc=$?
set -e
[[ $rc == 2 ]] || fail "--context of a missing directory: exit $rc, want 2"
grep -q -- "--context $work/missing: not a directory" err.txt || fail "the error does not name it: $(cat err.txt)"
[[ ! -s out.txt ]] || fail "something was written: $(cat out.txt)"

# explain reads the nearest .dockerfix.yaml's images: like check and apply.
mkdir proj && cd proj
printf 'FROM registry.corp.example/base:1\nRUN id\n' > Dockerfile
cat > .dockerfix.yaml <<'YAML'
images:
  - name: corp-base
    match: {repository: ["registry.corp.example/base"]}
    family: debian
    package_managers: [apt]
    shell: true
    user: {name: svc, uid: 1001}
    users: [{name: svc, uid: 1001, gid: 1001, home: /home/svc, shell: /bin/sh}]
    user_tool: useradd
    source: https://wiki.corp.example/base-image
YAML
"$cli" explain Dockerfile > explain.txt || fail "explain failed"
grep -q 'svc' explain.txt || fail "explain ignores .dockerfix.yaml: $(cat explain.txt)"
"$cli" explain --no-config Dockerfile > bare.txt || fail "explain --no-config failed"
! grep -q 'svc' bare.txt || fail "explain --no-config still reads .dockerfix.yaml"
printf 'rules: [\n' > bad.yaml
set +e
"$cli" explain --config bad.yaml Dockerfile > /dev/null 2> err.txt; rc=$?
set -e
[[ $rc == 2 ]] || fail "explain with a bad config: exit $rc, want 2"
grep -q 'bad.yaml' err.txt || fail "the error does not name the config: $(cat err.txt)"
echo "cli_context: ok"
