#!/usr/bin/env bash
# The git layer as an attacker would probe it (issue 11): the token goes
# only to the forge it belongs to and never into the clone cache; a human's
# amended commit is never force-pushed over; two repositories with the same
# org/name both get fixed; HEAD, -x and the default branch are refused; a
# server or an API that accepts connections and never answers is abandoned
# within the configured deadline and the bot goes on with the next one.
set -euo pipefail
cli=$1 src=$2
source "$src/tests/git_e2e_lib.sh"

token=s3cr3t-forge-token-42
seed app "Dockerfile=$bad" "README.md=app\n"
start_daemon app
branches() { git --git-dir="$1" for-each-ref --format='%(refname:short)' 'refs/heads/dockerfix/*'; }

# --- 1. the token goes only where it belongs -------------------------------------
# tests/git_http_server.py answers 401 to anything but the token as password,
# and logs "ok" for every request that carried it: an "ok" is a leak.
python3 "$src/tests/git_http_server.py" "$srv" "$token" "$work/http.port" "$work/http.log" &
pids+=($!)
wait_for "$work/http.port"
hhost=127.0.0.1:$(cat "$work/http.port")
http_url=http://$hhost/org/app.git
leaked() { grep -q '^ok ' "$work/http.log" 2>/dev/null; }

git clone -q "$url/app.git" "$work/app"
cd "$work/app"
run env DOCKERFIX_TOKEN=$token "$cli" apply --commit --branch t1 --push "$http_url"
[[ $rc == 2 ]] || fail "push to an unnamed host: exit $rc, want 2"
leaked && fail "the token went to $hhost, a host nobody named"
grep -q "not the forge the token belongs to" "$work/err" || fail "refusal not explained: $(cat "$work/err")"
grep -q -- "--token-host $hhost" "$work/err" || fail "refusal names no flag: $(cat "$work/err")"
# Named as a token host, but the URL is plain HTTP: still nothing.
run env GITHUB_TOKEN=$token "$cli" apply --commit --branch t1 --push "$http_url" --token-host "$hhost"
[[ $rc == 2 ]] || fail "plain HTTP to a token host: exit $rc, want 2"
leaked && fail "the token went over plain HTTP"
grep -q -- "--allow-http-host $hhost" "$work/err" || fail "plain HTTP refusal: $(cat "$work/err")"
# Another port of the same host is another server.
run env GITHUB_TOKEN=$token "$cli" apply --commit --branch t1 --push "$http_url" --allow-http-host 127.0.0.1:1
[[ $rc == 2 ]] && ! leaked || fail "a host:port entry matched another port"
# A password written into the URL goes over plain HTTP only with the host named too.
run "$cli" apply --commit --branch t1 --push "http://x-access-token:$token@$hhost/org/app.git"
[[ $rc == 2 ]] && ! leaked || fail "the URL's password went over plain HTTP"
# Named for plain HTTP: sent, and the push lands.
run env DOCKERFIX_TOKEN=$token "$cli" apply --commit --branch t1 --push "$http_url" --allow-http-host "$hhost"
[[ $rc == 0 ]] && leaked || fail "push to a named host: $rc $(cat "$work/err")"
[[ $(git --git-dir="$srv/org/app.git" rev-parse t1) == $(git rev-parse t1) ]] || fail "push to a named host did not land"
run "$cli" apply --commit --push origin --token-host 'https://ghe.example.com'
[[ $rc == 2 ]] && grep -q "give HOST or HOST:PORT" "$work/err" || fail "a URL as --token-host: $rc $(cat "$work/err")"
cd "$work"

# The bot: a git server on 127.0.0.1 is not the forge, whatever --api-url says.
python3 "$src/tests/github_mock.py" "$work/gh.json" "$work/requests.jsonl" "$work/gh.port" &
pids+=($!)
wait_for "$work/gh.port"
ahost=127.0.0.1:$(cat "$work/gh.port")
: > "$work/http.log"
echo "$http_url" > "$work/list-http.txt"
run env GITHUB_TOKEN=$token "$cli" bot --repos "$work/list-http.txt" --workdir "$work/cache" --api-url "http://$ahost" \
  --allow-http-host "$ahost"
[[ $rc == 2 ]] && grep -q 'org/app .*failed' "$work/out" || fail "bot over HTTP to an unnamed host: $rc $(cat "$work/out")"
leaked && fail "the bot sent the token to the git server $hhost"
# The API over plain HTTP without --allow-http-host: nothing is sent at all.
run env GITHUB_TOKEN=$token "$cli" bot --repos "$work/list-http.txt" --workdir "$work/cache" --api-url "http://$ahost"
[[ $rc == 2 ]] && grep -q -- "--allow-http-host $ahost" "$work/err" || fail "API over plain HTTP: $rc $(cat "$work/err")"
[[ ! -s $work/requests.jsonl ]] || fail "the API was called: $(cat "$work/requests.jsonl")"

# A token in the clone URL authenticates, but never reaches the cache's files.
seed secretive "Dockerfile=$bad"
echo "http://x-access-token:$token@$hhost/org/secretive.git" > "$work/list-secret.txt"
run "$cli" bot --repos "$work/list-secret.txt" --workdir "$work/cache" --forge none --allow-http-host "$hhost"
[[ $rc == 0 ]] && grep -q 'org/secretive .*pushed' "$work/out" || fail "token in the URL: $rc $(cat "$work/out" "$work/err")"
[[ -n $(branches "$srv/org/secretive.git") ]] || fail "nothing pushed with the URL's token"
grep -rlF "$token" "$work/cache" && fail "the token is in the clone cache"
cfg=$(echo "$work"/cache/org_secretive-*/config)
grep -qF "url = http://$hhost/org/secretive.git" "$cfg" || fail "origin in the cache: $(cat "$cfg")"
grep -qF "$token" "$work/out" "$work/err" && fail "token printed"

# --- 4. dockerfix's commits are known by id, not by a trailer ------------------------
seed amend "Dockerfile=$bad"
echo "$url/amend.git" > "$work/list-amend.txt"
botnone() { run "$cli" bot --repos "$1" --workdir "${2:-$work/cache}" --forge none; }
botnone "$work/list-amend.txt"
[[ $rc == 0 ]] && grep -q 'org/amend .*pushed' "$work/out" || fail "amend setup: $(cat "$work/out")"
pr=$(branches "$srv/org/amend.git")
git clone -q "$url/amend.git" "$work/human"
git -C "$work/human" checkout -q "$pr"
printf '# reviewed by a human\n' >> "$work/human/Dockerfile"
git -C "$work/human" commit -qa --amend --no-edit
[[ -n $(git -C "$work/human" log -1 --format='%(trailers:key=Dockerfix-Rules)') ]] || fail "amend dropped the trailer"
git -C "$work/human" push -qf origin "$pr"
human=$(git --git-dir="$srv/org/amend.git" rev-parse "$pr")
git -C "$work/human" checkout -q main
printf 'FROM debian:12\nRUN wget -q https://example.com/y\n' > "$work/human/Dockerfile.more"
git -C "$work/human" add -A && git -C "$work/human" commit -qm more && git -C "$work/human" push -q origin main
botnone "$work/list-amend.txt"
[[ $rc == 0 ]] && grep -q "org/amend .*refused .*not dockerfix's" "$work/out" || fail "amended commit: $(cat "$work/out")"
[[ $(git --git-dir="$srv/org/amend.git" rev-parse "$pr") == "$human" ]] || fail "force-pushed over a human's amended commit"

# Locally, the same: an amended dockerfix commit is the human's.
cd "$work/app"
run "$cli" apply --commit --branch t4
[[ $rc == 0 ]] || fail "t4: $(cat "$work/err")"
git checkout -q t4 && printf '# mine\n' >> README.md && git commit -qa --amend --no-edit && git checkout -q main
mine=$(git rev-parse t4)
printf 'FROM debian:12\n' > Dockerfile.more && git add Dockerfile.more && git commit -qm more
run "$cli" apply --commit --branch t4
[[ $rc == 2 ]] && grep -q "not dockerfix's" "$work/err" || fail "local amend: $rc $(cat "$work/out" "$work/err")"
[[ $(git rev-parse t4) == "$mine" ]] || fail "local amended commit rewritten"
cd "$work"

# The cache that wrote the commit replaces it; a fresh cache cannot tell and refuses.
seed kept "Dockerfile=$bad"
echo "$url/kept.git" > "$work/list-kept.txt"
botnone "$work/list-kept.txt"
git clone -q "$url/kept.git" "$work/kept"
printf 'FROM debian:12\nRUN wget -q https://example.com/z\n' > "$work/kept/Dockerfile.z"
git -C "$work/kept" add -A && git -C "$work/kept" commit -qm z && git -C "$work/kept" push -q origin main
kept_tip=$(git --git-dir="$srv/org/kept.git" rev-parse "$(branches "$srv/org/kept.git")")
botnone "$work/list-kept.txt" "$work/cache-fresh"
[[ $rc == 0 ]] && grep -q "org/kept .*refused .*another clone" "$work/out" || fail "fresh cache: $(cat "$work/out")"
[[ $(git --git-dir="$srv/org/kept.git" rev-parse "$(branches "$srv/org/kept.git")") == "$kept_tip" ]] ||
  fail "a fresh cache overwrote the branch"
botnone "$work/list-kept.txt"
[[ $rc == 0 ]] && grep -q "org/kept .*pushed .*replacing dockerfix's older commit" "$work/out" ||
  fail "the writing cache did not replace its own commit: $(cat "$work/out")"

# --- 5. same org/name, different places: two caches, both fixed ---------------------
seed twin "Dockerfile=$bad"
seed_in "$work/srv2/org" twin "Dockerfile=$bad" "other.Dockerfile=$bad"
printf '%s\n' "$url/twin.git" "$work/srv2/org/twin.git" > "$work/list-twin.txt"
botnone "$work/list-twin.txt"
[[ $rc == 0 && $(grep -c 'org/twin .*pushed' "$work/out") == 2 ]] || fail "twins: $(cat "$work/out")"
[[ -n $(branches "$srv/org/twin.git") && -n $(branches "$work/srv2/org/twin.git") ]] || fail "a twin was not fixed"
[[ $(ls -d "$work"/cache/org_twin-*/ | wc -l) == 2 ]] || fail "twins share a cache: $(ls "$work/cache")"

# --- 6. branch names -----------------------------------------------------------------
cd "$work/app"
refs0=$(git for-each-ref | sha256sum)
for b in HEAD -x --branch=-x; do
  if [[ $b == --branch=* ]]; then run "$cli" apply --commit "$b"; else run "$cli" apply --commit --branch "$b"; fi
  [[ $rc == 2 ]] || fail "--branch $b: exit $rc, want 2"
done
git show-ref -q --verify refs/heads/HEAD && fail "branch HEAD written"
git show-ref -q --verify refs/heads/-x && fail "branch -x written"
grep -q "'-x' is not a usable branch name" "$work/err" || fail "--branch=-x: $(cat "$work/err")"
git checkout -q -b topic
run "$cli" apply --commit --branch main
[[ $rc == 2 ]] && grep -q "default branch of remote origin" "$work/err" || fail "--branch main: $rc $(cat "$work/err")"
git checkout -q main && git branch -q -D topic
[[ $(git for-each-ref | sha256sum) == "$refs0" ]] || fail "a refused branch name wrote a ref"
# Pushing to a URL whose default branch it is: refused before anything is sent.
git init -q -b trunk "$work/trunk-seed" && git -C "$work/trunk-seed" commit -q --allow-empty -m init
git clone -q --bare "$work/trunk-seed" "$srv/org/trunk.git"
trunk0=$(git --git-dir="$srv/org/trunk.git" rev-parse trunk)
run "$cli" apply --commit --branch trunk --push "$url/trunk.git"
[[ $rc == 2 ]] && grep -q "trunk is the default branch of" "$work/err" || fail "push to the default branch: $rc $(cat "$work/err")"
[[ $(git --git-dir="$srv/org/trunk.git" rev-parse trunk) == "$trunk0" ]] || fail "pushed to the remote's default branch"
cd "$work"

# --- 14. deadlines -------------------------------------------------------------------
# stall_server.py accepts and never answers. Every run is bounded by timeout(1)
# so that, were a deadline missing, the test fails instead of hanging.
python3 "$src/tests/stall_server.py" "$work/stall.port" "$work/stall.log" &
pids+=($!)
wait_for "$work/stall.port"
stall=127.0.0.1:$(cat "$work/stall.port")
seed moveon "Dockerfile=$bad"
printf '%s\n' "http://$stall/org/a.git" "git://$stall/org/b.git" "ssh://git@$stall/org/c.git" "$url/moveon.git" \
  > "$work/list-stall.txt"
# (2 s: a busy machine must not make the good repository's clone look stalled.)
run timeout 60 "$cli" bot --repos "$work/list-stall.txt" --workdir "$work/cache" --forge none --network-timeout 2
[[ $rc == 2 ]] || fail "stalled servers: exit $rc, want 2: $(cat "$work/out" "$work/err")"
for r in a b c; do
  grep -q "org/$r .*timed-out .*no data for 2 s while .*$stall.* (--network-timeout)" "$work/out" ||
    fail "org/$r not abandoned: $(cat "$work/out")"
done
grep -q 'org/moveon .*pushed' "$work/out" || fail "the bot did not move on: $(cat "$work/out")"
grep -q '4 repositories, 3 failed' "$work/out" || fail "summary: $(cat "$work/out")"
[[ $(wc -l < "$work/stall.log") -ge 3 ]] || fail "the stalled server saw $(wc -l < "$work/stall.log") connections"
# The per-repository budget holds whatever the network deadline is.
printf '%s\n' "http://$stall/org/a.git" "$url/moveon.git" > "$work/list-budget.txt"
run timeout 60 "$cli" bot --repos "$work/list-budget.txt" --workdir "$work/cache" --forge none \
  --network-timeout 600 --repo-timeout 3
[[ $rc == 2 ]] && grep -q 'org/a .*timed-out .*not done within --repo-timeout 3 s' "$work/out" &&
  grep -q 'org/moveon .*up-to-date' "$work/out" || fail "repo budget: $rc $(cat "$work/out" "$work/err")"
# What a worker killed mid-write leaves behind (libgit2's lock files, a
# half-made clone) does not stop the next run.
moveon_cache=$(echo "$work"/cache/org_moveon-*/)
touch "${moveon_cache}config.lock" "${moveon_cache}refs/heads/main.lock"
mkdir -p "${moveon_cache%/}.cloning/objects"
echo "$url/moveon.git" > "$work/list-moveon.txt"
botnone "$work/list-moveon.txt"
[[ $rc == 0 ]] && grep -q 'org/moveon .*up-to-date' "$work/out" || fail "stale locks: $rc $(cat "$work/out")"
[[ ! -e ${moveon_cache}config.lock && ! -e ${moveon_cache%/}.cloning ]] || fail "stale locks kept"

# A stalled API: each request is given up after the deadline, without
# retrying, and after three the API is not called again in this run.
python3 "$src/tests/stall_server.py" "$work/api.port" "$work/api.log" &
pids+=($!)
wait_for "$work/api.port"
api=127.0.0.1:$(cat "$work/api.port")
: > "$work/list-api.txt"
for n in 1 2 3 4; do seed "api$n" "Dockerfile=$bad"; echo "$srv/org/api$n.git" >> "$work/list-api.txt"; done
run timeout 60 env GITHUB_TOKEN=$token "$cli" bot --repos "$work/list-api.txt" --workdir "$work/cache" \
  --api-url "http://$api" --allow-http-host "$api" --network-timeout 1
[[ $rc == 2 ]] || fail "stalled API: exit $rc, want 2"
for n in 1 2 3; do
  grep -q "org/api$n .*timed-out .*no answer within 1 s" "$work/out" || fail "org/api$n: $(cat "$work/out")"
done
grep -q "org/api4 .*failed .*not calling http://$api again" "$work/out" || fail "org/api4: $(cat "$work/out")"
[[ $(wc -l < "$work/api.log") == 3 ]] || fail "the stalled API got $(wc -l < "$work/api.log") connections, want 3"
for n in 1 2 3 4; do [[ -z $(branches "$srv/org/api$n.git") ]] || fail "pushed api$n without a pull request"; done
grep -qF "$token" "$work/out" "$work/err" && fail "token printed"
echo "git safety: ok"
