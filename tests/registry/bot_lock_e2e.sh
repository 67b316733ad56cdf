#!/usr/bin/env bash
# The bot and a repository's dockerfix.lock, against Debian's docker-registry
# on 127.0.0.1 behind the test token server (tests/registry/registry_lib.sh),
# repositories served by `git daemon` and tests/github_mock.py as the forge.
# A repository that keeps a lock has it refreshed before it is fixed: a
# moved tag is reported and relearned, a new base image is added, an image
# whose registry is gone keeps its locked facts and one nobody serves falls
# back to the shipped knowledge — each said in the pull request — the fixes
# follow the refreshed lock, and the lock is part of the commit. A
# repository without a lock gets none, and no registry is asked for it.
#   bot_lock_e2e.sh DOCKERFIX SOURCE_DIR
set -euo pipefail
cli=$1 src=$2
here=$src/tests/registry
source "$src/tests/git_e2e_lib.sh"
source "$here/registry_lib.sh"

start_token_server
start_registry
mirror_pid=$registry_pid
mirror=$reg
start_registry
python3 "$here/make_layouts.py" "$work/layouts"
push debianish mycorp/debianish:1.0
push noshell mycorp/noshell:1.0
main_reg=$reg
reg=$mirror push debianish mycorp/base:2
reg=$main_reg
export XDG_CACHE_HOME=$work/xdg DOCKER_HOST=unix://$work/no-engine.sock
use_reader_credentials "$reg" "$mirror"

# The lock the repository committed: learned before the tag moved.
mkdir -p "$work/learn/app" "$work/learn/mirror"
printf 'FROM %s/mycorp/debianish:1.0\nCOPY app /app\nCMD ["/app/run"]\n' "$reg" > "$work/learn/app/Dockerfile"
printf 'FROM %s/mycorp/base:2\nCOPY app /app\nCMD ["/app/run"]\n' "$mirror" > "$work/learn/mirror/Dockerfile"
(cd "$work/learn" && "$cli" images learn -q) || fail "images learn for the seed lock"
old_digest=$(digest_of mycorp/debianish:1.0)
grep -q "digest: $old_digest" "$work/learn/dockerfix.lock" || fail "seed lock: $(cat "$work/learn/dockerfix.lock")"

# Then the tag moves (its new image adds a user), and the mirror goes away.
python3 "$here/make_layouts.py" "$work/layouts2" 2
layouts=$work/layouts2 push debianish mycorp/debianish:1.0
new_digest=$(digest_of mycorp/debianish:1.0)
[[ $new_digest != "$old_digest" ]] || fail "the tag did not move"
kill "$mirror_pid"
wait "$mirror_pid" 2> /dev/null || true

lock_text=$(cat "$work/learn/dockerfix.lock")
seed locked "dockerfix.lock=${lock_text//\\/\\\\}\n" \
  "app/Dockerfile=$(cat "$work/learn/app/Dockerfile")\n" \
  "mirror/Dockerfile=$(cat "$work/learn/mirror/Dockerfile")\n" \
  "tool/Dockerfile=FROM $reg/mycorp/noshell:1.0\nCOPY server /app/server\nENTRYPOINT [\"/app/server\"]\n" \
  "new/Dockerfile=FROM $reg/mycorp/absent:1.0\nCOPY app /app\nCMD [\"/app/run\"]\n"
seed plain "Dockerfile=FROM $reg/mycorp/debianish:1.0\nRUN curl -o /x https://example.com/x\nCMD [\"/app/run\"]\n"
seed broken "Dockerfile=$bad" "dockerfix.lock=images:\n  $reg/mycorp/debianish:1.0:\n    digest: sha256:nope\n    platform: linux/amd64\n"
start_daemon locked
git --git-dir="$srv/org/locked.git" show HEAD:dockerfix.lock | cmp -s - "$work/learn/dockerfix.lock" || fail "seeded lock differs"

python3 "$src/tests/github_mock.py" "$work/gh.json" "$work/requests.jsonl" "$work/gh.port" &
pids+=($!)
wait_for "$work/gh.port"
api_host=127.0.0.1:$(cat "$work/gh.port")
token=ghp_LOCKtest0123456789
bot() {  # bot REPO... [-- FLAGS]
  local repos=() ; while (($#)) && [[ $1 != -- ]]; do repos+=("$url/$1.git"); shift; done
  (($#)) && shift
  printf '%s\n' "${repos[@]}" > "$work/repos.txt"
  run env GITHUB_TOKEN=$token "$cli" bot --unsafe-fixes --repos "$work/repos.txt" --workdir "$work/cache" \
    --api-url "http://$api_host" --allow-http-host "$api_host" "$@"
}
body_of() {  # the body of the last pull request opened for REPO
  python3 - "$work/requests.jsonl" "$1" <<'PY'
import json, sys
posts = [json.loads(l) for l in open(sys.argv[1]) if '"POST"' in l]
print([p for p in posts if p["path"] == f"/repos/org/{sys.argv[2]}/pulls"][-1]["body"]["body"])
PY
}
traffic() { echo "$(wc -l < "$work/registry.log") $(wc -l < "$work/auth/requests.log")"; }

# --- no lock: none written, no registry asked ------------------------------------------
before=$(traffic)
bot plain
[[ $rc == 0 ]] && grep -q 'org/plain .*pr-opened' "$work/out" || fail "plain: $rc $(cat "$work/out" "$work/err")"
[[ $(traffic) == "$before" ]] || fail "a repository without a lock made the bot ask a registry"
plain_branch=$(git --git-dir="$srv/org/plain.git" for-each-ref --format='%(refname:short)' 'refs/heads/dockerfix/*')
[[ -n $plain_branch ]] || fail "plain: nothing pushed"
[[ $(git --git-dir="$srv/org/plain.git" diff --name-only main "$plain_branch") == Dockerfile ]] || fail "plain: a lock was written"
body_of plain | grep -q "Base images" && fail "plain: the body speaks of a lock"

# --- a lock: refreshed, used, committed, reported ----------------------------------------
bot locked
[[ $rc == 0 ]] && grep -q 'org/locked .*pr-opened' "$work/out" || fail "locked: $rc $(cat "$work/out" "$work/err")"
remote=(git --git-dir="$srv/org/locked.git")
branch=$("${remote[@]}" for-each-ref --format='%(refname:short)' 'refs/heads/dockerfix/*')
[[ -n $branch ]] || fail "locked: nothing pushed"
"${remote[@]}" show "$branch:dockerfix.lock" > "$work/new.lock"
python3 - "$work/new.lock" "$reg" "$mirror" "$new_digest" "$work/learn/dockerfix.lock" <<'PY' || fail "the committed lock"
import sys, yaml
new, reg, mirror, digest, old = yaml.safe_load(open(sys.argv[1]))["images"], sys.argv[2], sys.argv[3], sys.argv[4], yaml.safe_load(open(sys.argv[5]))["images"]
d = new[f"{reg}/mycorp/debianish:1.0"]
assert d["digest"] == digest, d["digest"]                       # the moved tag, relearned
assert "builder" in [u["name"] for u in d["users"]], d["users"]  # with the new image's facts
assert new[f"{reg}/mycorp/noshell:1.0"]["users"], new            # a new base image added
assert new[f"{mirror}/mycorp/base:2"] == old[f"{mirror}/mycorp/base:2"]  # could not be checked: kept as it was
assert f"{reg}/mycorp/absent:1.0" not in new, new               # could not be learned: not invented
PY
# The fixes follow the refreshed lock (the shipped knowledge knows none of these images).
"${remote[@]}" show "$branch:app/Dockerfile" | grep -q 'useradd -m -u 1000' || fail "app: the fix does not follow the lock"
"${remote[@]}" show "$branch:tool/Dockerfile" | grep -q '^USER 10001:10001' || fail "tool: the fix does not follow the learned image"
"${remote[@]}" show "$branch:mirror/Dockerfile" | grep -q 'useradd -m -u 1000' || fail "mirror: the locked facts were not used"
"${remote[@]}" diff --quiet main "$branch" -- new/Dockerfile || fail "new: a fix from a guess"
body_of locked > "$work/body.md"
message=$("${remote[@]}" log -1 --format=%B "$branch")
for doc in body message; do
  if [[ $doc == body ]]; then text=$(cat "$work/body.md"); else text=$message; fi
  grep -q "$reg/mycorp/debianish:1.0: the tag moved from $old_digest to $new_digest; the lock now holds the new image's facts" <<< "$text" ||
    fail "$doc: the moved tag is not reported: $text"
  grep -q "$reg/mycorp/noshell:1.0: learned (sha256:[0-9a-f]*) and added to the lock" <<< "$text" || fail "$doc: the new entry: $text"
  grep -q "$mirror/mycorp/base:2: could not be checked (.*); the fixes use the facts the lock holds (sha256:" <<< "$text" ||
    fail "$doc: the unreachable registry is not reported: $text"
  grep -q "$reg/mycorp/absent:1.0: could not be learned (.*); the fixes use dockerfix's shipped knowledge" <<< "$text" ||
    fail "$doc: the image nobody serves is not reported: $text"
  grep -q 'dockerfix.lock`\? \(is \)\?updated' <<< "$text" || fail "$doc: the lock update is not said: $text"
done
grep -q "readpw\|$token" "$work/out" "$work/err" "$work/body.md" "$work/new.lock" && fail "a secret was printed"

# Again: the same lock and fixes; nothing new pushed, no pull request updated.
tip=$("${remote[@]}" rev-parse "$branch")
bot locked
[[ $rc == 0 ]] && grep -q 'org/locked .*up-to-date' "$work/out" || fail "rerun: $rc $(cat "$work/out" "$work/err")"
[[ $("${remote[@]}" rev-parse "$branch") == "$tip" ]] || fail "rerun rewrote the branch"

# --images-offline: no registry or token server is asked.
before=$(traffic)
bot locked -- --images-offline --dry-run
[[ $rc == 0 ]] || fail "--images-offline: $rc $(cat "$work/out" "$work/err")"
[[ $(traffic) == "$before" ]] || fail "--images-offline asked a registry"

# A lock that does not parse fails that repository, naming file and line.
bot broken
[[ $rc == 2 ]] && grep -q "org/broken .*failed .*org/broken:dockerfix.lock:3: digest must be" "$work/out" ||
  fail "broken lock: $rc $(cat "$work/out" "$work/err")"
[[ -z $(git --git-dir="$srv/org/broken.git" for-each-ref 'refs/heads/dockerfix/*') ]] || fail "broken lock: pushed"

[[ -n ${DOCKERFIX_TEST_VERBOSE:-} ]] && cat "$work/body.md"
echo "bot and dockerfix.lock: ok"
