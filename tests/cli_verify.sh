#!/usr/bin/env bash
# `dockerfix verify` and `--verify` without an engine to talk to: the error
# names the file and the engine, the exit status is 2, nothing is written.
# (The real-engine stage, tests/real_engine, covers the verdicts.)
set -euo pipefail
dockerfix=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat >"$work/Dockerfile" <<'DF'
FROM debian:bookworm-slim
COPY app.sh /usr/local/bin/app
CMD ["app"]
DF
printf '#!/bin/sh\nexec sleep 60\n' >"$work/app.sh"
cp "$work/Dockerfile" "$work/Dockerfile.orig"
nowhere="unix://$work/no-engine.sock"

# verify: exit 2, the message names the file and the socket.
set +e
out=$(DOCKER_HOST=$nowhere "$dockerfix" verify --quiet --no-config "$work/Dockerfile" 2>&1)
rc=$?
set -e
[[ $rc == 2 ]] || fail "verify without an engine exited $rc: $out"
[[ $out == *"$work/Dockerfile"* && $out == *"no Docker engine answers at $nowhere"* ]] || fail "verify's message: $out"

# The JSON report says the same in its errors.
set +e
json=$(DOCKER_HOST=$nowhere "$dockerfix" verify --quiet --no-config --format json "$work/Dockerfile" 2>/dev/null)
rc=$?
set -e
[[ $rc == 2 ]] || fail "verify --format json exited $rc"
python3 - "$json" <<'PY' || fail "verify --format json: $json"
import json, sys
doc = json.loads(sys.argv[1])
assert doc["tool"] == "dockerfix" and len(doc["errors"]) == 1 and "no Docker engine" in doc["errors"][0]
assert doc["files"][0]["error"] and doc["files"][0]["kept"] == []
PY

# apply --verify: an unsafe fix (here the USER change: nothing says the
# program runs unprivileged) is kept only when proven, so without an engine
# it is an error and nothing is written.
set +e
out=$(DOCKER_HOST=$nowhere "$dockerfix" apply --verify --no-config "$work/Dockerfile" 2>&1)
rc=$?
set -e
[[ $rc == 2 ]] || fail "apply --verify of unsafe fixes without an engine exited $rc: $out"
cmp -s "$work/Dockerfile" "$work/Dockerfile.orig" || fail "apply --verify changed the file without proof"
[[ $out == *"cannot verify"* ]] || fail "apply --verify's message: $out"

# Safe fixes need no proof: a file with only safe fixes needs no engine and is
# fixed as plain apply fixes it.
printf 'FROM debian:bookworm-slim\nRUN curl -fsSLo /x https://example.com/x\nUSER 1000:1000\nCMD ["/x"]\n' >"$work/Safe.Dockerfile"
cp "$work/Safe.Dockerfile" "$work/Safe.plain"
"$dockerfix" apply --no-config "$work/Safe.plain" >/dev/null
cmp -s "$work/Safe.Dockerfile" "$work/Safe.plain" && fail "the safe-only file has nothing to fix"
set +e
out=$(DOCKER_HOST=$nowhere "$dockerfix" apply --verify --no-config "$work/Safe.Dockerfile" 2>&1)
rc=$?
set -e
[[ $rc == 0 ]] || fail "apply --verify with only safe fixes exited $rc: $out"
cmp -s "$work/Safe.Dockerfile" "$work/Safe.plain" || fail "apply --verify did not make the safe fixes apply makes"
[[ $out == *"needs no proof"* ]] || fail "apply --verify's report: $out"

# A DOCKER_HOST it cannot speak to, and bad options, are usage errors.
set +e
out=$(DOCKER_HOST=ssh://example.invalid "$dockerfix" verify --quiet --no-config "$work/Dockerfile" 2>&1)
rc=$?
set -e
[[ $rc == 2 && $out == *"only unix:// and tcp://"* ]] || fail "ssh:// DOCKER_HOST: exit $rc, $out"
set +e
"$dockerfix" verify --network bridge "$work/Dockerfile" >/dev/null 2>&1
rc=$?
set -e
[[ $rc == 2 ]] || fail "--network bridge accepted (exit $rc)"
set +e
out=$("$dockerfix" verify --no-config --build-arg =x "$work/Dockerfile" 2>&1)
rc=$?
set -e
[[ $rc == 2 && $out == *"the name is missing"* ]] || fail "--build-arg =x: exit $rc, $out"
set +e
out=$("$dockerfix" apply --verify --commit 2>&1)
rc=$?
set -e
[[ $rc == 2 && $out == *"not supported yet"* ]] || fail "apply --verify --commit: exit $rc, $out"

# A file with nothing to fix needs no engine at all.
printf 'FROM debian:bookworm-slim\nUSER 1000:1000\n' >"$work/Clean.Dockerfile"
out=$(DOCKER_HOST=$nowhere "$dockerfix" verify --no-config "$work/Clean.Dockerfile" 2>&1) || fail "verify of a clean file: $out"
[[ $out == *"nothing to fix"* ]] || fail "verify of a clean file said: $out"
echo "cli_verify: OK"
