#!/usr/bin/env bash
# `dockerfix bot --verify` on the real engine: a repository served by `git
# daemon` with two Dockerfiles whose USER fix is unsafe (a candidate that
# must prove): the queue worker's builds and runs as uid 1000 and is pushed,
# the credentials service's exits as non-root and is dropped. The pull
# request (tests/github_mock.py) and the commit say which was proven, how,
# and which was dropped and why.
#   bot_verify.sh DOCKERFIX SOURCE_DIR
#   DOCKERFIX_REAL_ENGINE=required  fail instead of skipping when no engine answers
set -euo pipefail
cli=$1 src=$2

engine_answers() {
  python3 - <<'PY'
import socket, sys
try:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect("/var/run/docker.sock")
        s.sendall(b"GET /_ping HTTP/1.0\r\nHost: localhost\r\n\r\n")
        sys.exit(0 if b" 200 " in s.recv(64) else 1)
except OSError:
    sys.exit(1)
PY
}
if ! engine_answers || ! /usr/bin/docker image inspect debian:bookworm-slim debian:bullseye-slim > /dev/null 2>&1; then
  if [[ ${DOCKERFIX_REAL_ENGINE:-} == required ]]; then
    echo "FAIL: no engine with debian:bookworm-slim and debian:bullseye-slim at /var/run/docker.sock (scripts/engine.sh up)" >&2
    exit 1
  fi
  echo "bot_verify: no engine at /var/run/docker.sock; skipped"
  exit 77
fi

source "$src/tests/git_e2e_lib.sh"
unset DOCKER_HOST

# The repository: two of the verify cases, as a service's two images.
cases=$src/tests/real_engine/cases
tmp=$work/seed-svc
git init -q "$tmp"
cp -r "$cases/tmp-queue-worker" "$tmp/worker"
cp -r "$cases/root-only-credentials" "$tmp/creds"
rm "$tmp/worker/expect" "$tmp/creds/expect"
git -C "$tmp" add -A && git -C "$tmp" commit -qm "initial"
git clone -q --bare "$tmp" "$srv/org/svc.git"
start_daemon svc

python3 "$src/tests/github_mock.py" "$work/gh.json" "$work/requests.jsonl" "$work/gh.port" &
pids+=($!)
wait_for "$work/gh.port"
api_host=127.0.0.1:$(cat "$work/gh.port")
printf '%s\n' "$url/svc.git" > "$work/repos.txt"

run env GITHUB_TOKEN=ghp_realengine "$cli" bot --verify --timeout 4 --repos "$work/repos.txt" --workdir "$work/cache" \
  --api-url "http://$api_host" --allow-http-host "$api_host"
[[ $rc == 0 ]] || fail "bot --verify: exit $rc $(cat "$work/out" "$work/err")"
grep -q 'org/svc .*pr-opened' "$work/out" || fail "no pull request: $(cat "$work/out" "$work/err")"

branch=dockerfix/nonroot-final-user
remote=(git --git-dir="$srv/org/svc.git")
"${remote[@]}" rev-parse --verify -q "$branch" > /dev/null || fail "$branch not pushed: $(cat "$work/err")"
# The fix that proved is pushed; the one that broke is not.
"${remote[@]}" show "$branch:worker/Dockerfile" | grep -q '^USER agent' || fail "the proven USER fix is not pushed"
"${remote[@]}" diff --quiet main "$branch" -- creds/Dockerfile ||
  fail "the fix that broke was pushed: $("${remote[@]}" diff main "$branch" -- creds/Dockerfile)"
[[ $("${remote[@]}" diff --name-only main "$branch") == worker/Dockerfile ]] ||
  fail "the commit changes more than worker/Dockerfile: $("${remote[@]}" diff --name-only main "$branch")"
# What was pushed is what `apply --verify` keeps for the same file.
mkdir -p "$work/check" && cp -r "$tmp/worker" "$work/check/"
"$cli" apply --verify --timeout 4 -q "$work/check/worker/Dockerfile" 2> /dev/null || true
"${remote[@]}" show "$branch:worker/Dockerfile" | cmp -s - "$work/check/worker/Dockerfile" ||
  fail "bot --verify and apply --verify differ on worker/Dockerfile"

# The pull request and the commit say what was proven and what was dropped.
python3 - "$work/requests.jsonl" > "$work/body.md" <<'PY'
import json, sys
posts = [json.loads(l) for l in open(sys.argv[1]) if '"POST"' in l]
assert len(posts) == 1, posts
print(posts[0]["body"]["body"])
PY
message=$("${remote[@]}" log -1 --format=%B "$branch")
for doc in body message; do
  if [[ $doc == body ]]; then text=$(cat "$work/body.md"); else text=$message; fi
  grep -q 'Proven by building and running the images' <<< "$text" || fail "$doc: no verification section: $text"
  grep -Eq 'worker/Dockerfile`?: built and ran as uid 1000; still running after [0-9]+ s \(the original ran as uid 0; still running after' <<< "$text" ||
    fail "$doc: does not say what was proven for worker/Dockerfile: $text"
  grep -q 'kept nonroot-final-user: proven' <<< "$text" || fail "$doc: the kept fix is not named: $text"
  grep -Eq 'creds/Dockerfile`?: no fix proven: left as it is' <<< "$text" || fail "$doc: creds/Dockerfile not reported: $text"
  grep -Eq 'dropped nonroot-final-user: broke the runtime: exited with code [0-9]+ after .*; the original was still running' <<< "$text" ||
    fail "$doc: the dropped fix and why are not said: $text"
done
[[ ! -e $(echo "$work"/cache/org_svc-*).tree ]] || fail "the checkout was left behind"

# Again: the same fixes prove the same way, nothing new is pushed.
tip=$("${remote[@]}" rev-parse "$branch")
run env GITHUB_TOKEN=ghp_realengine "$cli" bot -q --verify --timeout 4 --repos "$work/repos.txt" --workdir "$work/cache" \
  --api-url "http://$api_host" --allow-http-host "$api_host"
[[ $rc == 0 ]] && grep -q 'org/svc .*up-to-date' "$work/out" || fail "rerun: $rc $(cat "$work/out" "$work/err")"
[[ $("${remote[@]}" rev-parse "$branch") == "$tip" ]] || fail "rerun pushed again"

[[ -n ${DOCKERFIX_TEST_VERBOSE:-} ]] && cat "$work/body.md"
echo "bot --verify on the real engine: ok"
