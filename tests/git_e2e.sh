#!/usr/bin/env bash
# The git layer and the bot against real git: bare repositories served by a
# `git daemon` on loopback, and tests/github_mock.py standing in for GitHub's
# pull-request API. apply --commit leaves work tree, index and HEAD alone;
# reruns are no-ops; a moved HEAD rebuilds dockerfix's branch; a human commit
# on it is refused, locally and on the remote; the bot opens one PR, never a
# duplicate, never reopens a closed one, and never prints the token.
set -euo pipefail
cli=$1 src=$2
source "$src/tests/git_e2e_lib.sh"

# --- served repositories ---------------------------------------------------------
seed app "Dockerfile=$bad" "services/api/Dockerfile=$bad" "README.md=app\n"
seed clean "Dockerfile=FROM debian:12\nUSER 1000:1000\nCMD [\"x\"]\n"
seed other "build/app.Dockerfile=$bad"
start_daemon app

# --- apply --commit in a clone --------------------------------------------------------
git clone -q "$url/app.git" "$work/app"
cd "$work/app"
printf '# local edit\n' >> services/api/Dockerfile            # a dirty work tree
printf 'FROM alpine\n' > Dockerfile.staged && git add Dockerfile.staged   # and a staged file
head0=$(git rev-parse HEAD)
status0=$(git status --porcelain=v1 | sha256sum)
index0=$(git ls-files -s | sha256sum)
dirty0=$(sha256sum services/api/Dockerfile)

run "$cli" apply --commit
[[ $rc == 0 ]] || fail "apply --commit: exit $rc $(cat "$work/err")"
branch=$(git for-each-ref --format='%(refname:short)' 'refs/heads/dockerfix/*')
[[ -n $branch ]] || fail "no dockerfix branch: $(cat "$work/out")"
grep -q "created branch $branch at" "$work/out" || fail "output: $(cat "$work/out")"
[[ $(git symbolic-ref HEAD) == refs/heads/main ]] || fail "checked-out branch changed"
[[ $(git rev-parse HEAD) == "$head0" ]] || fail "HEAD moved"
[[ $(git status --porcelain=v1 | sha256sum) == "$status0" ]] || fail "work tree status changed"
[[ $(git ls-files -s | sha256sum) == "$index0" ]] || fail "index changed"
[[ $(sha256sum services/api/Dockerfile) == "$dirty0" ]] || fail "dirty file touched"
[[ $(git rev-parse "$branch^") == "$head0" ]] || fail "branch is not on HEAD"
subject=$(git log -1 --format=%s "$branch")
[[ ${#subject} -le 72 ]] || fail "subject longer than 72: $subject"
[[ $subject == "fix(docker): "* ]] || fail "not a conventional commit: $subject"
body=$(git log -1 --format=%B "$branch")
grep -q '^Dockerfile$' <<< "$body" && grep -q '^services/api/Dockerfile$' <<< "$body" || fail "body lacks the files: $body"
grep -q '^- line 2: network-retry: ' <<< "$body" || fail "body lacks the fixes: $body"
[[ $(git log -1 --format='%(trailers:key=Dockerfix-Rules,valueonly)' "$branch") == *network-retry* ]] ||
  fail "no Dockerfix-Rules trailer: $body"
[[ $(git log -1 --format='%an <%ae>' "$branch") == "Dee Veloper <dev@example.com>" ]] || fail "author not from git config"
# The committed fix is what `apply -` makes of HEAD's file (not of the dirty one).
git show "HEAD:services/api/Dockerfile" | "$cli" apply --no-config - > "$work/expected"
git show "$branch:services/api/Dockerfile" | cmp -s - "$work/expected" || fail "committed blob differs from apply -"
git diff --quiet "$head0" "$branch" -- README.md || fail "a non-Dockerfile changed"

tip1=$(git rev-parse "$branch")
run "$cli" apply --commit
[[ $rc == 0 ]] && grep -q "is up to date" "$work/out" || fail "rerun: $rc $(cat "$work/out" "$work/err")"
[[ $(git rev-parse "$branch") == "$tip1" ]] || fail "rerun made a new commit"

# --author wins over git config; --message-prefix and --branch are used.
run "$cli" apply --commit --branch fix/docker-perf --message-prefix 'chore(ci)' --author 'Bot <bot@example.com>' --rule network-retry services
[[ $rc == 0 ]] || fail "custom branch: $(cat "$work/err")"
[[ $(git log -1 --format='%an <%ae>|%s' fix/docker-perf) == "Bot <bot@example.com>|chore(ci): retry network downloads" ]] ||
  fail "custom author/prefix: $(git log -1 --format='%an <%ae>|%s' fix/docker-perf)"
git diff --quiet "$head0" fix/docker-perf -- Dockerfile || fail "paths argument ignored (root Dockerfile changed)"

# HEAD moves: dockerfix's own branch is rebuilt on the new HEAD, one commit on top.
git stash -q
printf 'FROM debian:12\nRUN wget -q https://example.com/y\n' > Dockerfile.tools
git add Dockerfile.tools && git commit -qm "add tools image"
git stash pop -q
head1=$(git rev-parse HEAD)
run "$cli" apply --commit
[[ $rc == 0 ]] && grep -q "rebuilt on HEAD branch $branch" "$work/out" || fail "moved HEAD: $rc $(cat "$work/out" "$work/err")"
[[ $(git rev-parse "$branch^") == "$head1" ]] || fail "branch not rebuilt on the new HEAD"
[[ $(git rev-list --count "$head1..$branch") == 1 ]] || fail "rebuilt branch has more than dockerfix's commit"

# Push to the served bare repository; again: up to date.
run "$cli" apply --commit --push origin
[[ $rc == 0 ]] && grep -q "pushed $branch" "$work/out" || fail "push: $rc $(cat "$work/out" "$work/err")"
[[ $(git --git-dir="$srv/org/app.git" rev-parse "$branch") == $(git rev-parse "$branch") ]] || fail "remote branch differs"
run "$cli" apply --commit --push origin
grep -q "up to date on" "$work/out" || fail "second push: $(cat "$work/out")"

# Over smart HTTP with a token: the token from the environment is what
# authenticates (the server accepts nothing else) and it is never printed.
# Plain HTTP to 127.0.0.1 gets the token only because the host is named with
# --allow-http-host (tests/git_safety_e2e.sh checks that it gets nothing
# otherwise).
python3 "$src/tests/git_http_server.py" "$srv" "s3cr3t-push-token" "$work/http.port" "$work/http.log" &
pids+=($!)
for _ in $(seq 50); do [[ -s $work/http.port ]] && break; sleep 0.1; done
http_host=127.0.0.1:$(cat "$work/http.port")
http_url=http://$http_host/org/app.git
run "$cli" apply --commit --branch via-http --push "$http_url" --allow-http-host "$http_host"
[[ $rc == 2 ]] || fail "push over HTTP without a token: exit $rc, want 2"
grep -q "via-http" <(git --git-dir="$srv/org/app.git" branch) && fail "pushed without credentials"
run env DOCKERFIX_TOKEN=s3cr3t-push-token "$cli" apply --commit --branch via-http --push "$http_url" --allow-http-host "$http_host"
[[ $rc == 0 ]] && grep -q "pushed via-http" "$work/out" || fail "push with a token: $rc $(cat "$work/out" "$work/err")"
[[ $(git --git-dir="$srv/org/app.git" rev-parse via-http) == $(git rev-parse via-http) ]] || fail "HTTP push did not land"
grep -q '^ok POST /org/app.git/git-receive-pack' "$work/http.log" || fail "receive-pack not authenticated: $(cat "$work/http.log")"
run env DOCKERFIX_TOKEN=wrong-token-value "$cli" apply --commit --branch via-http2 --push "http://user:wrong-token-value@$http_host/org/app.git" \
  --allow-http-host "$http_host"
[[ $rc == 2 ]] || fail "a wrong token pushed"
grep -q "wrong-token-value" "$work/out" "$work/err" && fail "token printed: $(cat "$work/err")"

# A human commit on the branch: refused, kept, never rewritten.
git stash -q
git checkout -q "$branch"
printf '# reviewed\n' >> Dockerfile && git commit -qam "tweak after review"
git checkout -q main
git stash pop -q
human=$(git rev-parse "$branch")
printf 'FROM debian:12\n' > Dockerfile.more && git add Dockerfile.more && git commit -qm "more" -q
run "$cli" apply --commit
[[ $rc == 2 ]] && grep -q "not dockerfix's" "$work/err" || fail "human commit not refused: $rc $(cat "$work/out" "$work/err")"
[[ $(git rev-parse "$branch") == "$human" ]] || fail "human commit rewritten"

# On the remote: a human pushed onto dockerfix's branch; dockerfix will not force over it.
git clone -q "$url/app.git" "$work/app2"
git -C "$work/app2" checkout -q -b fix/shared
printf '# human\n' >> "$work/app2/README.md"
git -C "$work/app2" commit -qam "human work" && git -C "$work/app2" push -q origin fix/shared
remote_tip=$(git --git-dir="$srv/org/app.git" rev-parse fix/shared)
run "$cli" apply --commit --branch fix/shared --push origin
[[ $rc == 2 ]] && grep -q "not dockerfix's" "$work/err" || fail "force over a human remote branch: $rc $(cat "$work/out" "$work/err")"
[[ $(git --git-dir="$srv/org/app.git" rev-parse fix/shared) == "$remote_tip" ]] || fail "remote human branch overwritten"
# The checked-out branch is never the target.
run "$cli" apply --commit --branch main
[[ $rc == 2 ]] && grep -q "checked out" "$work/err" || fail "--branch main (checked out): $rc $(cat "$work/err")"
[[ $(git rev-parse HEAD) == $(git rev-parse main) ]] || fail "main moved"

# --- the bot ---------------------------------------------------------------------------
cd "$work"
python3 "$src/tests/github_mock.py" "$work/gh.json" "$work/requests.jsonl" "$work/gh.port" &
pids+=($!)
for _ in $(seq 50); do [[ -s $work/gh.port ]] && break; sleep 0.1; done
api_host=127.0.0.1:$(cat "$work/gh.port")
api=http://$api_host
token=ghp_SECRETtoken1234567890
cat > "$work/repos.txt" <<LIST
# repositories for the bot
$url/clean.git
$url/other.git   org/other
$url/missing.git
LIST
bot() {
  run env GITHUB_TOKEN=$token "$cli" bot --repos "$work/repos.txt" --workdir "$work/cache" --api-url "$api" \
    --allow-http-host "$api_host" "$@"
}
count() { grep -c "\"method\": \"$1\"" "$work/requests.jsonl" || true; }

bot
[[ $rc == 2 ]] || fail "bot with a missing repository: exit $rc, want 2"
grep -q 'org/clean .*no-changes' "$work/out" || fail "summary clean: $(cat "$work/out")"
grep -q 'org/other .*pr-opened .*https://github.test/org/other/pull/1' "$work/out" || fail "summary other: $(cat "$work/out")"
grep -q 'org/missing .*failed' "$work/out" || fail "summary missing: $(cat "$work/out")"
grep -q '3 repositories, 1 failed' "$work/out" || fail "summary total: $(cat "$work/out")"
[[ $(count POST) == 1 ]] || fail "first run: $(count POST) POSTs, want 1"
python3 - "$work/requests.jsonl" "$token" <<'PY' || fail "request checks"
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
token = sys.argv[2]
for r in reqs:
    assert r["headers"].get("Authorization") == "Bearer " + token, r
post = [r for r in reqs if r["method"] == "POST"][0]
assert post["path"] == "/repos/org/other/pulls", post
b = post["body"]
assert b["head"].startswith("dockerfix/") and b["base"] == "main", b
assert b["title"].startswith("fix(docker): ") and len(b["title"]) <= 72, b
assert "network-retry" in b["body"] and "build/app.Dockerfile" in b["body"] and "docs/rules/" in b["body"], b
lists = [r for r in reqs if r["method"] == "GET"]
assert lists and all(r["query"].get("state") == "all" and r["query"].get("head", "").startswith("org:dockerfix/") for r in lists), lists
PY
pr_branch=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pulls"][0]["head"]["ref"])' "$work/gh.json")
git --git-dir="$srv/org/other.git" rev-parse --verify -q "$pr_branch" > /dev/null || fail "bot did not push $pr_branch"

# Second run: nothing new, no duplicate, no update; a 502 on the way is retried.
python3 - "$work/gh.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); s["fail_next"] = 1; json.dump(s, open(sys.argv[1], "w"))
PY
gets=$(count GET)
bot
grep -q 'org/other .*up-to-date' "$work/out" || fail "second run: $(cat "$work/out")"
[[ $(count POST) == 1 && $(count PATCH) == 0 ]] || fail "second run: $(count POST) POSTs, $(count PATCH) PATCHes"
[[ $(count GET) == $((gets + 2)) ]] || fail "the 502 was not retried once: $((gets)) -> $(count GET) GETs"

# main moves upstream: the branch is rebuilt, force-pushed (it is dockerfix's) and the PR updated.
git clone -q "$url/other.git" "$work/other"
printf 'FROM debian:12\nRUN curl -O https://example.com/z\n' > "$work/other/Dockerfile"
git -C "$work/other" add -A && git -C "$work/other" commit -qm "new image" && git -C "$work/other" push -q origin main
bot
grep -q 'org/other .*pr-updated' "$work/out" || fail "moved main: $(cat "$work/out")"
[[ $(count POST) == 1 && $(count PATCH) == 1 ]] || fail "moved main: $(count POST) POSTs, $(count PATCH) PATCHes"
[[ $(git --git-dir="$srv/org/other.git" rev-parse "$pr_branch^") == $(git --git-dir="$srv/org/other.git" rev-parse main) ]] ||
  fail "PR branch not rebuilt on the new main"

# A human closes the PR without merging: never reopened, nothing pushed.
python3 - "$work/gh.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); s["pulls"][0]["state"] = "closed"; json.dump(s, open(sys.argv[1], "w"))
PY
printf 'FROM debian:12\nRUN curl -O https://example.com/w\n' > "$work/other/Dockerfile.w"
git -C "$work/other" add -A && git -C "$work/other" commit -qm "another" && git -C "$work/other" push -q origin main
before=$(git --git-dir="$srv/org/other.git" rev-parse "$pr_branch")
bot
grep -q 'org/other .*skipped-closed' "$work/out" || fail "closed PR: $(cat "$work/out")"
[[ $(count POST) == 1 && $(count PATCH) == 1 ]] || fail "closed PR: reopened or recreated ($(count POST) POSTs, $(count PATCH) PATCHes)"
! grep -q '"state": "open"' <(tail -1 "$work/requests.jsonl") || fail "a request tried to reopen"
[[ $(git --git-dir="$srv/org/other.git" rev-parse "$pr_branch") == "$before" ]] || fail "pushed to a closed PR's branch"

# --dry-run: everything but push and open. --shard: disjoint slices.
seed fresh "Dockerfile=$bad"
printf '%s\n' "$url/fresh.git" "$url/clean.git" > "$work/repos.txt"
posts=$(count POST)
bot --dry-run --shard 1/2
grep -q 'org/fresh .*would-open' "$work/out" || fail "dry run: $(cat "$work/out")"
grep -q 'org/clean' "$work/out" && fail "shard 1/2 ran the 2nd line"
[[ $(count POST) == "$posts" ]] || fail "dry run opened a PR"
[[ -z $(git --git-dir="$srv/org/fresh.git" for-each-ref 'refs/heads/dockerfix/*') ]] || fail "dry run pushed"
bot --dry-run --shard 2/2
grep -q 'org/clean .*no-changes' "$work/out" && ! grep -q 'org/fresh' "$work/out" || fail "shard 2/2: $(cat "$work/out")"
bot --shard 3/2
[[ $rc == 2 ]] && grep -q -- "--shard must be K/N" "$work/err" || fail "bad shard accepted"

# Each repository's own .dockerfix.yaml applies to it (a bad one fails that repository only).
seed configured "Dockerfile=$bad" ".dockerfix.yaml=rules:\n  network-retry: off\n  nonroot-final-user:\n    user: app\n    uid: 10001\n"
seed misconfigured "Dockerfile=$bad" ".dockerfix.yaml=rules:\n  network-retyr: off\n"
printf '%s\n' "$url/configured.git" "$url/misconfigured.git" > "$work/repos.txt"
bot --dry-run
grep -q 'org/configured .*would-open *dockerfix/nonroot-final-user ' "$work/out" ||
  fail "repository config not applied: $(cat "$work/out")"
[[ $(git --git-dir="$(echo "$work"/cache/org_configured-*/)" log -1 --format=%s dockerfix/nonroot-final-user) == \
   "fix(docker): run as non-root user app (uid 10001)" ]] || fail "repository config user not in the subject"
grep -q "org/misconfigured .*failed .*org/misconfigured:.dockerfix.yaml:2: unknown key 'network-retyr'" "$work/out" ||
  fail "bad repository config: $(cat "$work/out")"

# Local paths and no forge (--forge none): the branch is pushed, twice in a row is a no-op.
seed local "Dockerfile=$bad"
printf '%s\n' "$srv/org/local.git" > "$work/local.txt"
run "$cli" bot --repos "$work/local.txt" --workdir "$work/cache" --forge none
[[ $rc == 0 ]] && grep -q 'org/local .*pushed' "$work/out" || fail "--forge none: $rc $(cat "$work/out" "$work/err")"
git --git-dir="$srv/org/local.git" for-each-ref 'refs/heads/dockerfix/*' | grep -q . || fail "--forge none pushed nothing"
run "$cli" bot --repos "$work/local.txt" --workdir "$work/cache" --forge none
[[ $rc == 0 ]] && grep -q 'org/local .*up-to-date' "$work/out" || fail "--forge none rerun: $(cat "$work/out")"
# A fresh cache cannot prove that the branch already on the remote is
# dockerfix's: it is treated as a human's.
run "$cli" bot --repos "$work/local.txt" --workdir "$work/cache2" --forge none
[[ $rc == 0 ]] && grep -q "org/local .*refused .*no record of dockerfix writing it" "$work/out" ||
  fail "fresh cache: $rc $(cat "$work/out")"
# A dry run without a reachable API still says what it would do.
run "$cli" bot --repos "$work/local.txt" --workdir "$work/cache" --dry-run --api-url http://127.0.0.1:1
[[ $rc == 0 ]] && grep -q 'org/local .*would-open .*pull requests not checked' "$work/out" ||
  fail "dry run without API: $rc $(cat "$work/out")"

# --verify without an engine: exit 2 before anything is cloned, pushed or asked of the API.
seed unverified "Dockerfile=$bad"
printf '%s\n' "$url/unverified.git" > "$work/verify.txt"
requests=$(wc -l < "$work/requests.jsonl")
run env DOCKER_HOST="unix://$work/no-engine.sock" GITHUB_TOKEN=$token "$cli" bot --verify --repos "$work/verify.txt" \
  --workdir "$work/cache" --api-url "$api" --allow-http-host "$api_host"
[[ $rc == 2 ]] && grep -q "bot --verify builds and runs each image, but no engine answers: .*no-engine.sock.*nothing was pushed" "$work/err" ||
  fail "bot --verify without an engine: exit $rc $(cat "$work/out" "$work/err")"
[[ -z $(git --git-dir="$srv/org/unverified.git" for-each-ref 'refs/heads/dockerfix/*') ]] || fail "pushed without an engine"
compgen -G "$work/cache/org_unverified-*" > /dev/null && fail "cloned without an engine"
[[ $(wc -l < "$work/requests.jsonl") == "$requests" ]] || fail "the API was asked without an engine"

# The token never shows, in any output of any run.
grep -rq "$token" "$work/out" "$work/err" && fail "token printed"
env GITHUB_TOKEN=$token "$cli" bot --repos "$work/repos.txt" --workdir "$work/cache" --api-url "$api" \
  --allow-http-host "$api_host" > "$work/all.out" 2>&1 || true
grep -q "$token" "$work/all.out" && fail "token printed"
[[ -n ${DOCKERFIX_TEST_VERBOSE:-} ]] && cat "$work/all.out"
echo "git layer and bot: ok"
