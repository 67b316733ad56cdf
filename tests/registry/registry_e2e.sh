#!/usr/bin/env bash
# dockerfix images learn against a real registry on 127.0.0.1 (Debian's
# docker-registry, with its own config) behind token authentication (a small
# local token server), images pushed with skopeo from OCI layouts made here.
# Then check/diff/explain on Dockerfiles FROM those images follow the learned
# facts, a moved tag is reported, and a second run works offline from the lock.
#   registry_e2e.sh DOCKERFIX SOURCE_DIR
set -euo pipefail
dockerfix=$1
here="$2/tests/registry"

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
pass() { echo "ok: $1"; }
fail() { echo "FAIL: $1" >&2; failures=$((failures + 1)); }
check() {  # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# ---------------------------------------------------------------- servers
source "$here/registry_lib.sh"
start_token_server
start_registry

# ---------------------------------------------------------------- images
python3 "$here/make_layouts.py" "$work/layouts"
push debianish mycorp/debianish:1.0
push bbox public/bbox:1.36
push noshell mycorp/noshell:1.0
push nonroot mycorp/nonroot:1.0
push whiteout mycorp/whiteout:1.0
push multi mycorp/multi:1.0 --all

# The client side: credentials as docker login writes them, a cache of our own.
export HOME=$work/home XDG_CACHE_HOME=$work/cache
# No engine unless the test starts its stand-in (never the machine's own).
export DOCKER_HOST=unix://$work/no-engine.sock
mkdir -p "$HOME"
use_reader_credentials

proj=$work/project
mkdir -p "$proj"/{debian,bbox,noshell,nonroot,multi,whiteout}
printf 'ARG BASE=%s/mycorp/debianish:1.0\nFROM $BASE\nCOPY app /app\nCMD ["/app/run"]\n' "$reg" >"$proj/debian/Dockerfile"
printf 'FROM %s/public/bbox:1.36\nCOPY app /app\nCMD ["/app/run"]\n' "$reg" >"$proj/bbox/Dockerfile"
printf 'FROM %s/mycorp/noshell:1.0\nCOPY server /app/server\nENTRYPOINT ["/app/server"]\n' "$reg" >"$proj/noshell/Dockerfile"
printf 'FROM %s/mycorp/nonroot:1.0\nRUN apk add --no-cache curl\nCMD ["/bin/sh"]\n' "$reg" >"$proj/nonroot/Dockerfile"
printf 'FROM %s/mycorp/multi:1.0\nCOPY app /app\nCMD ["/app/run"]\n' "$reg" >"$proj/multi/Dockerfile"
printf 'FROM %s/mycorp/whiteout:1.0\nCOPY app /app\nCMD ["/app/run"]\n' "$reg" >"$proj/whiteout/Dockerfile"
cd "$proj"

# What a fix looks like for a rule, as JSON: "rule: fixable: text of the edits".
fixes() {  # fixes RULE FILE
  "$dockerfix" check --format json --rule "$1" "$2" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
for f in doc["files"]:
    for x in f["findings"]:
        # An unsafe fix (issue 13: /app/run may need root) is offered all the same.
        offered = x["fixable"] or (x["fix"] and x.get("applicability") == "unsafe")
        print(x["rule"], "fix" if offered else "nofix:" + x.get("no_fix_reason", ""),
              " | ".join(e["text"].strip() for e in x["fix"]))
'
}

# ---------------------------------------------------------------- before
"$dockerfix" explain debian/Dockerfile >"$work/explain0.out"
check "before learning, the private image is unknown" grep -q "image: unknown to the knowledge base" "$work/explain0.out"
check "before learning, diff changes nothing (no guess)" "$dockerfix" diff -q debian/Dockerfile

# ---------------------------------------------------------------- learn
if "$dockerfix" images learn >"$work/learn.out" 2>"$work/learn.err"; then pass "images learn exits 0"; else
  cat "$work/learn.out" "$work/learn.err" >&2
  fail "images learn exits 0"
fi
check "the lock is written in the project" test -f "$proj/dockerfix.lock"
check "six images learned" test "$(grep -c '(learned)' "$work/learn.out")" -eq 6
check "no password or token printed" bash -c "! grep -q -e readpw -e pushpw -e eyJ '$work/learn.out' '$work/learn.err' '$proj/dockerfix.lock'"

python3 - "$proj/dockerfix.lock" "$reg" "$(digest_of mycorp/debianish:1.0)" "$(digest_of mycorp/multi:1.0)" >"$work/lockcheck.out" 2>&1 <<'EOF' && pass "the lock holds each image's real facts" || { cat "$work/lockcheck.out" >&2; fail "the lock holds each image's real facts"; }
import sys, yaml
lock, reg, deb_digest, multi_digest = yaml.safe_load(open(sys.argv[1])), sys.argv[2], sys.argv[3], sys.argv[4]
img = lambda name: lock["images"][f"{reg}/{name}"]
def users(e): return {u["name"]: u.get("uid") for u in e.get("users", [])}
d = img("mycorp/debianish:1.0")
assert d["digest"] == deb_digest, d["digest"]
assert d["os_release"]["id"] == "debian" and d["shell"] == "/usr/bin/dash" and d["busybox"] is False, d
assert d["tools"]["useradd"] == "/usr/sbin/useradd" and d["tools"]["curl"] == "/usr/bin/curl", d["tools"]
assert users(d)["www-data"] == 33 and d["platform"] == "linux/amd64"
b = img("public/bbox:1.36")
assert b["busybox"] is True and b["tools"]["adduser"] == "busybox" and b["tools"]["wget"] == "busybox", b
assert "os_release" not in b and b["config"]["cmd"] == ["sh"]
n = img("mycorp/noshell:1.0")
assert n["shell"] is None and users(n)["app"] == 10001 and n["config"]["entrypoint"] == ["/app/server"], n
assert n["config"]["exposed_ports"] == ["8080/tcp"]
r = img("mycorp/nonroot:1.0")  # its only layer is zstd-compressed
assert r["config"]["user"] == "app" and r["os_release"]["id"] == "alpine" and r["tools"]["apk"] == "/sbin/apk", r
assert r["config"]["labels"] == {"org.opencontainers.image.vendor": "mycorp"} and r["config"]["working_dir"] == "/home/app"
m = img("mycorp/multi:1.0")
assert m["digest"] == multi_digest and m["manifest"] != m["digest"] and m["os_release"]["id"] == "debian", m
w = img("mycorp/whiteout:1.0")  # the upper layer deleted curl and replaced /etc
assert "curl" not in w["tools"] and set(users(w)) == {"root", "svc"} and w["os_release"]["id"] == "debian", w
EOF

# ---------------------------------------------------------------- fixes follow the facts
out=$(fixes nonroot-final-user debian/Dockerfile || true)
check "Debian-like: useradd creates the user" grep -q "fix RUN groupadd -g 1000 agent && useradd -m -u 1000 -g agent -s /bin/bash agent | USER agent" <<<"$out"
out=$(fixes nonroot-final-user bbox/Dockerfile || true)
check "busybox: adduser -D creates the user" grep -q "fix RUN addgroup -g 1000 agent && adduser -D -u 1000 -G agent" <<<"$out"
out=$(fixes nonroot-final-user noshell/Dockerfile || true)
check "no shell: the image's own user by uid" grep -q "fix USER 10001:10001" <<<"$out"
out=$(fixes nonroot-final-user nonroot/Dockerfile || true)
check "USER app in the image: already non-root" test -z "$out"
out=$(fixes root-for-privileged-steps nonroot/Dockerfile || true)
check "USER app in the image: apk add gets USER root, then back to app" grep -q "fix USER root | USER app" <<<"$out"
out=$(fixes nonroot-final-user whiteout/Dockerfile || true)
check "USER svc in the image: already non-root" test -z "$out"
"$dockerfix" explain nonroot/Dockerfile >"$work/explain.out"
check "explain names the lock as the source" grep -q "image: dockerfix.lock sha256:.* (alpine, apk)" "$work/explain.out"
check "explain: the base image's user" grep -q "final user: app uid 1001" "$work/explain.out"
"$dockerfix" diff . >"$work/diff1.out" || true

# ---------------------------------------------------------------- platform, cache
"$dockerfix" images learn --lock "$work/arm.lock" --platform linux/arm64 "$reg/mycorp/multi:1.0" >"$work/arm.out"
check "--platform linux/arm64 takes the index's arm64 image" python3 -c "
import yaml, sys
e = yaml.safe_load(open('$work/arm.lock'))['images']['$reg/mycorp/multi:1.0']
assert e['platform'] == 'linux/arm64/v8' and e['os_release']['id'] == 'alpine' and e['busybox'] is True, e"
out=$("$dockerfix" images learn --platform windows/amd64 "$reg/mycorp/multi:1.0" --lock "$work/win.lock" 2>&1) && code=0 || code=$?
check "a platform the index lacks: exit 2 naming the ones it has" bash -c "[[ $code == 2 ]] && grep -q 'linux/amd64, linux/arm64/v8' <<<'$out'"

blobs_before=$(grep -c 'GET /v2/[^ ]*/blobs/' "$work/registry.log" || true)
"$dockerfix" images learn >"$work/learn2.out" 2>&1
blobs_after=$(grep -c 'GET /v2/[^ ]*/blobs/' "$work/registry.log" || true)
check "a second learn: unchanged" test "$(grep -c '(unchanged)' "$work/learn2.out")" -eq 6
check "a second learn reads no blob (the cache by digest)" test "$blobs_before" -eq "$blobs_after"
cp dockerfix.lock "$work/lock.before"
"$dockerfix" images learn >/dev/null 2>&1
check "relearning leaves the lock byte for byte" cmp -s dockerfix.lock "$work/lock.before"

# ---------------------------------------------------------------- credentials
printf '{"credHelpers": {"%s": "dftest"}}\n' "$reg" >"$work/helper-config.json"
mkdir -p "$work/bin" "$work/helper-docker"
cp "$work/helper-config.json" "$work/helper-docker/config.json"
printf '#!/bin/sh\nread server\necho "{\\"ServerURL\\":\\"$server\\",\\"Username\\":\\"reader\\",\\"Secret\\":\\"readpw\\"}"\n' >"$work/bin/docker-credential-dftest"
chmod +x "$work/bin/docker-credential-dftest"
if PATH=$work/bin:$PATH DOCKER_CONFIG=$work/helper-docker XDG_CACHE_HOME=$work/cache2 \
  "$dockerfix" images learn --lock "$work/helper.lock" "$reg/mycorp/debianish:1.0" >/dev/null 2>&1; then
  pass "credentials from a credential helper"
else fail "credentials from a credential helper"; fi
mkdir -p "$work/anon-docker"
echo '{}' >"$work/anon-docker/config.json"
if DOCKER_CONFIG=$work/anon-docker XDG_CACHE_HOME=$work/cache3 "$dockerfix" images learn --lock "$work/anon.lock" \
  "$reg/public/bbox:1.36" >/dev/null 2>&1; then pass "anonymous token for a public repository"; else fail "anonymous token for a public repository"; fi
out=$(DOCKER_CONFIG=$work/anon-docker XDG_CACHE_HOME=$work/cache3 "$dockerfix" images learn --lock "$work/anon.lock" \
  "$reg/mycorp/noshell:1.0" 2>&1) && code=0 || code=$?
check "anonymous on a private repository: exit 2, a clear message" bash -c "[[ $code == 2 ]] && grep -q 'mycorp/noshell:1.0: $reg answered HTTP 401' <<<'$out'"
mkdir -p "$work/bad-docker"
printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$reg" "$(printf reader:WRONGpw | base64)" >"$work/bad-docker/config.json"
out=$(DOCKER_CONFIG=$work/bad-docker XDG_CACHE_HOME=$work/cache4 "$dockerfix" images learn --lock "$work/bad.lock" \
  "$reg/mycorp/noshell:1.0" 2>&1) && code=0 || code=$?
check "wrong password: exit 2, the password not printed" bash -c "[[ $code == 2 ]] && grep -q 'refused a token' <<<'$out' && ! grep -q WRONG <<<'$out'"
check "the wrong password wrote no lock" test ! -e "$work/bad.lock"

# ---------------------------------------------------------------- a moved tag
python3 "$here/make_layouts.py" "$work/layouts2" 2
skopeo copy -q --dest-tls-verify=false --dest-creds pusher:pushpw "oci:$work/layouts2/debianish:ref" "docker://$reg/mycorp/debianish:1.0"
out=$("$dockerfix" images check 2>&1) && code=0 || code=$?
check "images check: exit 1 when a locked tag moved" test "$code" -eq 1
check "images check names the moved tag" grep -q "$reg/mycorp/debianish:1.0: moved: locked sha256:" <<<"$out"
check "images check: the others are current" test "$(grep -c '(current)' <<<"$out")" -eq 5
"$dockerfix" diff . >"$work/diff2.out" || true
check "check/diff use the lock until it is relearned (no network)" cmp -s "$work/diff1.out" "$work/diff2.out"
"$dockerfix" images learn >"$work/learn3.out" 2>&1
check "learn reports the move" grep -q "$reg/mycorp/debianish:1.0: sha256:.* (moved from sha256:" "$work/learn3.out"
check "the lock now has the new image's user" grep -q "name: builder" dockerfix.lock

# ---------------------------------------------------------------- offline
token_lines=$(wc -l <"$work/auth/requests.log")
registry_lines=$(wc -l <"$work/registry.log")
"$dockerfix" images learn --offline >"$work/offline.out" 2>&1
check "learn --offline keeps the lock" test "$(grep -c 'offline: from the lock' "$work/offline.out")" -eq 6
"$dockerfix" diff --unsafe-fixes . >"$work/diff3.out" || true
check "--offline and diff sent nothing to the registry or the token server" \
  test "$(wc -l <"$work/auth/requests.log")" -eq "$token_lines" -a "$(wc -l <"$work/registry.log")" -eq "$registry_lines"
kill "$registry_pid"
wait "$registry_pid" 2>/dev/null || true
"$dockerfix" diff --unsafe-fixes . >"$work/diff4.out" || true
check "with the registry gone, diff still follows the lock" cmp -s "$work/diff3.out" "$work/diff4.out"
check "... and still fixes the Debian-like image with useradd" grep -q "useradd -m -u 1000" "$work/diff4.out"
check "a project that lost its lock learns --offline from the cache" \
  bash -c "mkdir -p '$work/p2' && cp -r '$proj/bbox' '$work/p2/' && cd '$work/p2' && '$dockerfix' images learn --offline >/dev/null 2>&1 && grep -q busybox dockerfix.lock"
out=$("$dockerfix" images learn "$reg/mycorp/noshell:2.0" 2>&1) && code=0 || code=$?
check "online learn with the registry gone: exit 2" test "$code" -eq 2

mkdir -p "$work/p4/sub"
cp "$proj/bbox/Dockerfile" "$work/p4/sub/Dockerfile"
printf 'ARG BASE\nFROM $BASE\n' >"$work/p4/Dockerfile"
out=$(cd "$work/p4" && "$dockerfix" images learn --offline 2>&1) && code=0 || code=$?
check "a FROM whose ARG has no value: a warning, the other images learned" \
  bash -c "[[ $code == 0 ]] && grep -q 'warning: .*Dockerfile: FROM \$BASE at line 2: .*--build-arg' <<<'$out'"
out=$(cd "$work/p4" && "$dockerfix" images learn --offline --build-arg "BASE=$reg/mycorp/whiteout:1.0" 2>&1) && code=0 || code=$?
check "--build-arg names the base image" bash -c "[[ $code == 0 ]] && grep -q 'mycorp/whiteout:1.0: sha256:.*offline: from the cache' <<<'$out'"

# ---------------------------------------------------------------- the local engine
python3 "$here/fake_engine.py" "$work/engine.sock" "mycorp/localonly:1=$work/layouts/nonroot" \
  "mycorp/pulled:2=$work/layouts/noshell@sha256:$(printf '%064d' 7)" 2>"$work/engine.err" &
pids+=($!)
for _ in $(seq 100); do [[ -S $work/engine.sock ]] && break; sleep 0.1; done
mkdir -p "$work/p3/local"
printf 'FROM mycorp/localonly:1\nRUN apk add --no-cache curl\nCMD ["/bin/sh"]\n' >"$work/p3/local/Dockerfile"
(
  cd "$work/p3"
  out=$(DOCKER_HOST=unix://$work/engine.sock "$dockerfix" images learn . mycorp/pulled:2 2>&1) && code=0 || code=$?
  check "learn from the local engine (no registry)" test "$code" -eq 0
  check "a local build is marked so, its digest never pinned" grep -q "mycorp/localonly:1: sha256:.* (from the local engine, a local build" <<<"$out"
  check "an image the engine pulled keeps its registry digest" grep -q "mycorp/pulled:2: sha256:0*7 (from the local engine)" <<<"$out"
  check "engine facts: the zstd layer's alpine, user app" python3 -c "
import yaml
e = yaml.safe_load(open('dockerfix.lock'))['images']['mycorp/localonly:1']
assert e['source'] == 'engine-local' and e['config']['user'] == 'app' and e['os_release']['id'] == 'alpine', e"
  out=$(fixes root-for-privileged-steps local/Dockerfile || true)
  check "fixes follow facts from the engine" grep -q "fix USER root | USER app" <<<"$out"
  out=$(DOCKER_HOST=unix://$work/engine.sock "$dockerfix" images learn --source engine mycorp/absent:1 2>&1) && code=0 || code=$?
  check "--source engine: an image the engine lacks is exit 2" bash -c "[[ $code == 2 ]] && grep -q 'does not have it' <<<'$out'"
)

# ---------------------------------------------------------------- a broken lock
printf 'images:\n  %s/mycorp/debianish:1.0:\n    digest: sha256:nope\n    platform: linux/amd64\n' "$reg" >dockerfix.lock
out=$("$dockerfix" check debian/Dockerfile 2>&1) && code=0 || code=$?
check "a broken lock: exit 2 naming file and line" bash -c "[[ $code == 2 ]] && grep -q 'dockerfix.lock:3: digest must be' <<<'$out'"

if ((failures)); then
  echo "registry_e2e: $failures check(s) failed" >&2
  exit 1
fi
echo "registry_e2e: all checks passed"
