#!/usr/bin/env bash
# dockerfix's own container image (issue 18): the repository's Dockerfile
# passes dockerfix's own checks, builds on the local engine, runs as a
# non-root user, and the dockerfix inside it does its main job on the bundled
# seeds/000 example: findings (exit 1) and a diff, with no network.
#   own_image.sh CLI SOURCE_DIR VERSION
# Skipped (77) without an engine, unless DOCKERFIX_REAL_ENGINE=required.
# The build stage installs its compilers from Debian's mirror, so only the
# build uses --network host; every run uses --network none.
set -euo pipefail
cli=$(realpath "$1") src=$(realpath "$2") version=$3
docker=/usr/bin/docker
socket=/var/run/docker.sock
fail() { echo "FAIL: $*" >&2; exit 1; }

# The image's Dockerfile is held to the same standard as the users' files.
set +e
"$cli" check "$src/Dockerfile" >/tmp/own_image_check.$$ 2>&1
rc=$?
set -e
((rc == 0)) || { cat /tmp/own_image_check.$$ >&2; rm -f /tmp/own_image_check.$$; fail "dockerfix check Dockerfile: exit $rc"; }
rm -f /tmp/own_image_check.$$

if ! curl -fsS --max-time 5 --unix-socket "$socket" http://localhost/_ping >/dev/null 2>&1; then
  [[ ${DOCKERFIX_REAL_ENGINE:-} == required ]] && fail "no engine answers on $socket"
  echo "own_image: no engine; skipped"
  exit 77
fi

tag="dockerfix-own-image-test:$$"
work=$(mktemp -d)
cleanup() {
  "$docker" rmi -f "$tag" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "own_image: building $src/Dockerfile as $tag (a few minutes: it compiles dockerfix)"
"$docker" build --network host -t "$tag" "$src" >"$work/build.log" 2>&1 ||
  { tail -40 "$work/build.log" >&2; fail "docker build of the repository's Dockerfile"; }

user=$("$docker" image inspect -f '{{.Config.User}}' "$tag")
[[ -n $user && $user != root && $user != 0 && $user != 0:* ]] || fail "the image runs as '$user', not a non-root user"

out=$("$docker" run --rm --network none "$tag" --version)
[[ $out == "dockerfix $version" ]] || fail "--version in the image: $out"
uid=$("$docker" run --rm --network none --entrypoint id "$tag" -u)
[[ $uid != 0 ]] || fail "the image's process runs as uid 0"

# The bundled seeds/000 example, mounted read-only as the image's
# documentation shows: a RUN that needs root on a non-root base.
cp -r "$src/corpus/seed000-pixelarch/." "$work/"
chmod -R a+rX "$work"
set +e
"$docker" run --rm --network none -v "$work:/work:ro" "$tag" check --format json . >"$work/check.json" 2>"$work/check.err"
rc=$?
set -e
((rc == 1)) || { cat "$work/check.err" >&2; fail "check in the image: exit $rc, want 1 (findings)"; }
python3 - "$work/check.json" "$version" <<'EOF' || fail "check --format json in the image"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["tool_version"] == sys.argv[2], report.get("tool_version")
assert report["files"] and report["files"][0]["findings"], "no findings on the example"
EOF
# Its findings are the host binary's: the image carries the same knowledge.
set +e
(cd "$work" && "$cli" check --format json . >"$work/host.json" 2>/dev/null)
set -e
python3 - "$work/check.json" "$work/host.json" <<'EOF' || fail "the image and the host binary disagree"
import json, sys
ids = lambda p: sorted((f["rule"], f["line"]) for x in json.load(open(p))["files"] for f in x["findings"])
assert ids(sys.argv[1]) == ids(sys.argv[2]), (ids(sys.argv[1]), ids(sys.argv[2]))
EOF
set +e
"$docker" run --rm --network none -v "$work:/work:ro" "$tag" diff . >"$work/diff" 2>"$work/diff.err"
rc=$?
set -e
((rc == 1)) && grep -q '^+++ ' "$work/diff" || { cat "$work/diff.err" >&2; fail "diff in the image: exit $rc"; }
cmp -s "$src/corpus/seed000-pixelarch/Dockerfile" "$work/Dockerfile" || fail "diff wrote the mounted file"
echo "own_image: built, runs as $user (uid $uid), checks and diffs seeds/000"
