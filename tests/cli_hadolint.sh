#!/usr/bin/env bash
# Issue 17, hadolint's habits end to end: a real-shaped .hadolint.yaml is found
# and used as it is (ignored, override, failure-threshold, trustedRegistries,
# label-schema; unknown keys warn, exit unchanged); --failure-threshold,
# --no-fail and --ignore decide the exit code; severities show in text; the
# checkstyle XML parses, codeclimate is NUL-separated issues and
# gitlab_codeclimate has GitLab's required fields; shellcheck's positions land
# on the right line and column across continuation lines, SC codes obey
# pragmas and --skip, and without shellcheck on PATH a note says so once.
set -euo pipefail
cli=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export HOME=$work/home XDG_CONFIG_HOME=$work/xdg
mkdir -p "$HOME" "$work/repo"
cd "$work/repo"
run() {
  rc=0
  "$@" > "$work/out" 2> "$work/err" || rc=$?
}

# apt-pin-versions (warning), apt-lists-removed (info), image-tag (warning), label-key-format (style).
printf 'FROM ubuntu\nLABEL Maintainer=me\nRUN apt-get update && apt-get install -y curl\n' > Dockerfile

# --- .hadolint.yaml as real repositories write it ---------------------------------
cat > .hadolint.yaml <<'YAML'
# from a real repository: hadolint's own keys, and one it no longer documents
failure-threshold: warning
no-color: true
ignored:
  - DL3008
  - SC2086
  - DL3000  # hadolint's own (absolute WORKDIR); no dockerfix rule has the id: left alone
override:
  error:
    - DL3006
  info:
    - DL3048
trustedRegistries:
  - docker.io
  - "*.gcr.io"
format: tty
something-new: 1
YAML
run "$cli" check Dockerfile
[[ $rc == 1 ]] || fail ".hadolint.yaml: exit $rc, want 1 (image-tag overridden to error): $(cat "$work/out" "$work/err")"
grep -q 'something-new' "$work/err" || fail "unknown key did not warn: $(cat "$work/err")"
grep -q 'apt-pin-versions' "$work/out" && fail "ignored DL3008 still reported"
grep -q '^Dockerfile:1:6 image-tag .* (error)$' "$work/out" || fail "override error: DL3006 not an error: $(cat "$work/out")"
grep -q '^Dockerfile:2:7 label-key-format .* (info)$' "$work/out" || fail "override info: $(cat "$work/out")"
grep -q '^Dockerfile:3:5 apt-lists-removed .* \[\*\] (info)$' "$work/out" || fail "severity not in the text: $(cat "$work/out")"

# failure-threshold: warning; with image-tag switched off only info/style findings remain -> exit 0.
run "$cli" check --ignore DL3006,DL3002 Dockerfile
[[ $rc == 0 ]] || fail "threshold warning with only info findings: exit $rc"
grep -q 'apt-lists-removed' "$work/out" || fail "findings below the threshold are still printed"
run "$cli" check --ignore DL3006,DL3002 --failure-threshold info Dockerfile
[[ $rc == 1 ]] || fail "--failure-threshold info: exit $rc, want 1"
run "$cli" check --no-fail Dockerfile
[[ $rc == 0 ]] || fail "--no-fail: exit $rc"
run "$cli" check --no-fail Missing.Dockerfile
[[ $rc == 2 ]] || fail "--no-fail must not hide errors: exit $rc"

# trustedRegistries: quay.io is not trusted.
printf 'FROM quay.io/org/app:1.0\n' > Dockerfile.quay
run "$cli" check --rule DL3026 Dockerfile.quay
grep -q 'trusted-registries FROM quay.io/org/app:1.0: not from a trusted registry' "$work/out" || fail "trustedRegistries: $(cat "$work/out")"

# A .dockerfix.yaml wins over .hadolint.yaml: DL3008 is back, the threshold is dockerfix's.
printf 'rules: {healthcheck: off}\n' > .dockerfix.yaml
run "$cli" check Dockerfile
grep -q 'apt-pin-versions' "$work/out" || fail ".dockerfix.yaml did not win over .hadolint.yaml"
rm .dockerfix.yaml

# Bad values are errors naming the file and line, exit 2.
printf 'failure-threshold: severe\n' > "$work/bad.hadolint.yaml"
run "$cli" check --config "$work/bad.hadolint.yaml" Dockerfile
[[ $rc == 2 ]] && grep -q 'bad.hadolint.yaml:1: failure-threshold' "$work/err" || fail "bad threshold: $rc $(cat "$work/err")"

# The XDG location is read when the working directory has none.
mkdir -p "$XDG_CONFIG_HOME" "$work/other"
printf 'ignored: [DL3006, DL3048, DL3009, DL3008, DL3015]\n' > "$XDG_CONFIG_HOME/hadolint.yaml"
cp Dockerfile "$work/other/"
(cd "$work/other" && "$cli" check --no-shellcheck --skip nonroot-final-user,healthcheck,network-retry Dockerfile > "$work/out" 2>&1) ||
  fail "XDG config not used: $(cat "$work/out")"

# --- report formats -------------------------------------------------------------------
run "$cli" check --no-config -f checkstyle Dockerfile
[[ $rc == 1 ]] || fail "checkstyle exit $rc"
python3 - "$work/out" <<'PY' || fail "checkstyle XML"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "checkstyle", root.tag
errors = [e for f in root.findall("file") for e in f.findall("error")]
assert errors and all(e.get("severity") in ("error", "warning", "info") for e in errors)
assert any(e.get("source") == "image-tag" and e.get("line") == "1" and e.get("column") == "6" for e in errors)
PY
run "$cli" check --no-config --format codeclimate Dockerfile
python3 - "$work/out" <<'PY' || fail "codeclimate stream"
import sys, json
data = open(sys.argv[1], "rb").read()
assert data.endswith(b"\0")
issues = [json.loads(p) for p in data.split(b"\0") if p]
assert issues
for i in issues:
    assert i["type"] == "issue" and i["check_name"] and i["description"] and i["categories"]
    assert i["severity"] in ("info", "minor", "major", "critical", "blocker")
    assert i["location"]["path"] == "Dockerfile" and i["location"]["lines"]["begin"] >= 1
PY
run "$cli" check --no-config --format gitlab_codeclimate Dockerfile
python3 - "$work/out" <<'PY' || fail "gitlab code quality report"
import sys, json
issues = json.load(open(sys.argv[1]))
assert isinstance(issues, list) and issues
seen = set()
for i in issues:
    for key in ("description", "check_name", "fingerprint", "severity", "location"):
        assert key in i, key
    assert i["severity"] in ("info", "minor", "major", "critical", "blocker")
    assert isinstance(i["location"]["path"], str) and isinstance(i["location"]["lines"]["begin"], int)
    assert i["fingerprint"] not in seen
    seen.add(i["fingerprint"])
PY

# --- shellcheck --------------------------------------------------------------------------
printf 'FROM debian:12\nRUN echo start && \\\n    cp /a \\\n       $1 /b\n# hadolint ignore=SC2086\nRUN echo $2\n' > Dockerfile.sc
if command -v shellcheck > /dev/null; then
  run "$cli" check --no-config --rule SC2086 Dockerfile.sc
  [[ $(cat "$work/out") == "Dockerfile.sc:4:8 SC2086 Double quote to prevent globbing and word splitting. (info)"* ]] ||
    fail "shellcheck position: $(cat "$work/out")"
  [[ $(grep -c SC2086 "$work/out") == 1 ]] || fail "the ignore pragma did not drop SC2086: $(cat "$work/out")"
  run "$cli" check --no-config --skip SC2086 --rule SC2086 Dockerfile.sc
  grep -q SC2086 "$work/out" && fail "--skip SC2086"
  run "$cli" check --no-config --no-shellcheck Dockerfile.sc
  grep -q SC2086 "$work/out" && fail "--no-shellcheck"
  # A Windows base image's RUN is cmd, and one after SHELL powershell is PowerShell: not sh.
  printf 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo $2\nFROM debian:12\nSHELL ["powershell", "-Command"]\nRUN echo $2\n' > Dockerfile.win
  run "$cli" check --no-config --rule SC2086 Dockerfile.win
  grep -q SC2086 "$work/out" && fail "shellcheck read a cmd or PowerShell RUN as sh: $(cat "$work/out")"
fi
mkdir -p "$work/bin"
ln -s "$cli" "$work/bin/dockerfix"
rc=0
env PATH="$work/bin" dockerfix check --no-config Dockerfile.sc Dockerfile > "$work/out" 2> "$work/err" || rc=$?
[[ $(grep -c 'shellcheck is not installed' "$work/err") == 1 ]] || fail "no note (or more than one) without shellcheck: $(cat "$work/err")"
grep -q SC2086 "$work/out" && fail "SC findings without shellcheck"
echo "cli_hadolint: ok"
