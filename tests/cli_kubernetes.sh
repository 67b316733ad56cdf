#!/usr/bin/env bash
# Kubernetes manifests against the images (issue 16), end to end through the
# CLI over the fixture repositories of tests/k8s/<case>/repo: findings at the
# manifest's file:line:col in text, JSON (schema) and SARIF; diff's YAML
# hunks; apply's files byte for byte; apply --commit with the Dockerfile and
# the manifest in one commit; --skip, --rule and config switches; the
# kubernetes: config section and its errors.
set -euo pipefail
cli=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
fixtures=$src/tests/k8s
export DOCKERFIX_HELM=none  # the chart path without helm, whatever is on PATH
has() { grep -F -- "$2" "$1" > /dev/null || fail "$3: '$2' not in $(cat "$1")"; }
lacks() { ! grep -F -- "$2" "$1" > /dev/null || fail "$3: '$2' in $(cat "$1")"; }
fresh() {  # fresh NAME CASE: a copy of a fixture repository
  rm -rf "$work/$1"
  cp -r "$fixtures/$2/repo" "$work/$1"
}
run() {  # run OUT ARGS...: exit status in $rc
  set +e
  "$cli" "${@:2}" > "$work/$1" 2> "$work/$1.err"
  rc=$?
  set -e
}

# check: the findings are in the manifest, at its key; exit 1.
fresh ds deploy-service
cd "$work/ds"
run out check --no-config --skip user-non-numeric .  # hadolint's DL3066 also flags USER agent
[[ $rc == 1 ]] || fail "check exit $rc, want 1: $(cat "$work/out.err")"
has "$work/out" "deploy/web.yaml:30:9 k8s-nonroot-verifiable container web of Deployment/web cannot start" "check"
has "$work/out" "(fix: USER 1000 in Dockerfile:3) [*]" "check: the Dockerfile side (no manifest sets runAsUser)"
has "$work/out" "deploy/web.yaml:33:11 k8s-container-hardening" "check"
has "$work/out" "Found 2 findings in 1 file (2 fixable with dockerfix apply)" "check's summary counts the manifest's findings"
# The full layout shows the manifest's line under the finding, caret at the key.
[[ $(grep -A1 -xF "30 |         runAsNonRoot: true   # required by the cluster's admission policy" "$work/out" | tail -1) == \
   "   |         ^~~~~~~~~~~~~~~~~~" ]] || fail "check: the manifest's line with a caret under the key: $(cat "$work/out")"
run out check --no-config --format concise --skip user-non-numeric .
has "$work/out" "deploy/web.yaml:30:9 k8s-nonroot-verifiable container web of Deployment/web cannot start" "check --format concise"
has "$work/out" "2 findings, 2 fixable" "check --format concise: the summary counts the manifest's findings"
# A file argument is a Dockerfile only: no manifest is read.
run out check --no-config Dockerfile
lacks "$work/out" "k8s-" "check FILE"

# diff: YAML and Dockerfile hunks, nothing written.
run out diff --no-config .
[[ $rc == 1 ]] || fail "diff exit $rc, want 1"
has "$work/out" "+++ b/deploy/web.yaml" "diff"
has "$work/out" "+          securityContext:" "diff"
has "$work/out" "+USER 1000" "diff"
cmp deploy/web.yaml "$fixtures/deploy-service/repo/deploy/web.yaml" || fail "diff wrote the manifest"
cmp Dockerfile "$fixtures/deploy-service/repo/Dockerfile" || fail "diff wrote the Dockerfile"
# The diff applies to the original files and gives what apply writes.
git apply --check "$work/out" || fail "diff's output does not apply"

# apply: byte for byte the expected files; then nothing is left to fix.
run out apply --no-config .
[[ $rc == 0 ]] || fail "apply exit $rc: $(cat "$work/out.err")"
has "$work/out" "fixed deploy/web.yaml (1 fix: k8s-container-hardening)" "apply"
has "$work/out" "fixed Dockerfile (1 fix: k8s-nonroot-verifiable)" "apply"
cmp deploy/web.yaml "$fixtures/deploy-service/apply-cli/deploy/web.yaml" || fail "apply's manifest differs"
cmp Dockerfile "$fixtures/deploy-service/apply-cli/Dockerfile" || fail "apply's Dockerfile differs"
run out check --no-config --skip healthcheck .
[[ $rc == 0 ]] || fail "check after apply: exit $rc: $(cat "$work/out")"

# The manifest side, when the repository already writes runAsUser: the
# library's own expected file (tests/k8s/deploy-service/fixed).
fresh ds2 deploy-service
cd "$work/ds2"
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: cache}\nspec:\n  securityContext: {runAsUser: 101}\n  containers:\n  - {name: redis, image: "redis:7"}\n' > deploy/cache.yaml
run out apply --no-config .
[[ $rc == 0 ]] || fail "apply (manifest side) exit $rc: $(cat "$work/out.err")"
cmp deploy/web.yaml "$fixtures/deploy-service/fixed/deploy/web.yaml" || fail "manifest-side apply differs from fixed/"
cmp Dockerfile "$fixtures/deploy-service/repo/Dockerfile" || fail "manifest-side apply changed the Dockerfile"

# JSON: the manifest's entry, valid against the schema.
fresh ds3 deploy-service
cd "$work/ds3"
run out.json check --no-config --format json .
[[ $rc == 1 ]] || fail "check --format json exit $rc"
python3 - "$src/docs/check-json.schema.json" "$work/out.json" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
for e in errors[:10]:
    print("schema:", "/".join(map(str, e.absolute_path)), e.message, file=sys.stderr)
assert not errors
files = {f["path"]: f["findings"] for f in doc["files"]}
web = files["deploy/web.yaml"]
assert [(f["rule"], f["line"], f["column"]) for f in web] == [
    ("k8s-nonroot-verifiable", 30, 9), ("k8s-container-hardening", 33, 11)], web
assert web[0]["severity"] == "error" and web[0]["fix_in"] == "Dockerfile" and web[0]["fixable"], web[0]
assert web[0]["related"] == [{"path": "Dockerfile", "line": 3}], web[0]
# The hardening fix's edits apply to the manifest as read.
data = open("deploy/web.yaml", "rb").read()
for e in sorted(web[1]["fix"], key=lambda e: e["start"], reverse=True):
    data = data[:e["start"]] + e["text"].encode() + data[e["end"]:]
assert b"allowPrivilegeEscalation: false" in data
PY

# SARIF: the result at the YAML location; the security rule's metadata.
run out.sarif check --no-config --format sarif .
python3 - "$work/out.sarif" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
assert rules["k8s-container-hardening"]["properties"]["security-severity"] == "6.0"
assert rules["k8s-nonroot-verifiable"]["defaultConfiguration"]["level"] == "error"
found = [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
          r["locations"][0]["physicalLocation"]["region"]["startLine"],
          r["locations"][0]["physicalLocation"]["region"]["startColumn"]) for r in run["results"]]
assert ("k8s-nonroot-verifiable", "error", "deploy/web.yaml", 30, 9) in found, found
assert ("k8s-container-hardening", "warning", "deploy/web.yaml", 33, 11) in found, found
hard = [r for r in run["results"] if r["ruleId"] == "k8s-container-hardening"][0]
assert hard["fixes"][0]["artifactChanges"][0]["artifactLocation"]["uri"] == "deploy/web.yaml"
PY

# --skip, --rule and the config's switch.
run out check --no-config --skip k8s-container-hardening .
lacks "$work/out" "k8s-container-hardening" "--skip"
has "$work/out" "k8s-nonroot-verifiable" "--skip leaves the others"
run out check --no-config --rule k8s-container-hardening .
lacks "$work/out" "k8s-nonroot-verifiable" "--rule"
lacks "$work/out" "healthcheck" "--rule"
has "$work/out" "k8s-container-hardening" "--rule"
printf 'rules:\n  k8s-container-hardening: off\n' > .dockerfix.yaml
run out check .
lacks "$work/out" "k8s-container-hardening" "rules: off"
run out apply .
cmp deploy/web.yaml "$fixtures/deploy-service/repo/deploy/web.yaml" || fail "a rule switched off still fixed the manifest"

# The kubernetes: section maps images (no "assumed"); bad values name the line.
fresh cfg deploy-service
cd "$work/cfg"
printf 'kubernetes:\n  images:\n    ghcr.io/example/web: Dockerfile\n' > .dockerfix.yaml
run out check .
has "$work/out" "deploy/web.yaml:30:9 k8s-nonroot-verifiable" "kubernetes.images"
lacks "$work/out" "assumed" "kubernetes.images"
printf 'rules:\n  healthcheck: off\nkubernetes:\n  images:\n    ghcr.io/example/web: [Dockerfile]\n' > .dockerfix.yaml
run out check .
[[ $rc == 2 ]] || fail "bad kubernetes.images: exit $rc"
has "$work/out.err" ".dockerfix.yaml:5: kubernetes.images.ghcr.io/example/web must be a Dockerfile path" "bad value"
printf 'kubernetes:\n  image: {}\n' > .dockerfix.yaml
run out check .
[[ $rc == 2 ]] || fail "unknown kubernetes key: exit $rc"
has "$work/out.err" ".dockerfix.yaml:2: unknown key kubernetes.image" "unknown key"
rm .dockerfix.yaml
# A manifest that does not parse: its file, line and column, exit 2.
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\n' > deploy/broken.yaml
run out check --no-config .
[[ $rc == 2 ]] || fail "broken manifest: exit $rc"
has "$work/out.err" "deploy/broken.yaml:" "broken manifest"
rm deploy/broken.yaml
# The config's ignore list covers manifests too.
printf 'ignore: [deploy]\n' > .dockerfix.yaml
run out check .
lacks "$work/out" "k8s-" "ignore"
rm .dockerfix.yaml

# Unsafe fixes: allowPrivilegeEscalation: true is only turned off with --unsafe-fixes.
fresh sts statefulset
cd "$work/sts"
run out check --no-config .
has "$work/out" "manifests/statefulset.yaml:23:9 k8s-container-hardening" "statefulset"
has "$work/out" "[unsafe]" "statefulset"
has "$work/out" "manifests/statefulset.yaml:17:9 k8s-ids-match-image" "statefulset"
run out apply --no-config .
cmp manifests/statefulset.yaml "$fixtures/statefulset/repo/manifests/statefulset.yaml" || fail "unsafe fix made without --unsafe-fixes"
run out apply --no-config --unsafe-fixes .
cmp manifests/statefulset.yaml "$fixtures/statefulset/fixed/manifests/statefulset.yaml" || fail "--unsafe-fixes"

# The seed's own shape (seeds/002, as its reviewers left it): no finding.
fresh seed seed002
cd "$work/seed"
run out check --no-config .
lacks "$work/out" "k8s-" "seed002"

# apply --commit: the Dockerfile and the manifest in one commit, the work
# tree untouched.
fresh git deploy-service
cd "$work/git"
git init -q -b main .
git -c user.name=t -c user.email=t@t.invalid add -A
git -c user.name=t -c user.email=t@t.invalid commit -q -m init
run out apply --no-config --commit --author 'T <t@t.invalid>'
[[ $rc == 0 ]] || fail "apply --commit exit $rc: $(cat "$work/out.err")"
branch=$(sed -n 's/^created branch \([^ ]*\) at .*/\1/p' "$work/out")
[[ -n $branch ]] || fail "no branch in: $(cat "$work/out")"
git diff --name-only main "$branch" > "$work/names"
[[ $(sort "$work/names" | tr '\n' ' ') == "Dockerfile deploy/web.yaml " ]] || fail "commit holds: $(cat "$work/names")"
git show "$branch:deploy/web.yaml" | cmp - "$fixtures/deploy-service/apply-cli/deploy/web.yaml" || fail "committed manifest"
git show "$branch:Dockerfile" | cmp - "$fixtures/deploy-service/apply-cli/Dockerfile" || fail "committed Dockerfile"
git log -1 --format=%B "$branch" > "$work/msg"
has "$work/msg" "deploy/web.yaml" "commit message"
has "$work/msg" "k8s-container-hardening" "commit message"
git diff --quiet HEAD || fail "apply --commit touched the work tree"
# The repository rules' own cases: transforms/rules/k8s-*/cases/<name>/ holds
# repo/ (a repository), findings.txt (what `check --format concise --rule <id> .`
# prints in it, exactly) and fixed/ (every file `apply --rule <id> .` changes, as written;
# the other files stay byte for byte).
for dir in "$src"/transforms/rules/k8s-*/cases/*/; do
  rule=$(basename "$(dirname "$(dirname "$dir")")")
  name="$rule/$(basename "$dir")"
  rm -rf "$work/case"
  cp -r "$dir/repo" "$work/case"
  cd "$work/case"
  run out check --no-config --format concise --rule "$rule" .
  diff -u "$dir/findings.txt" "$work/out" || fail "$name: findings"
  run out apply --no-config --rule "$rule" .
  [[ $rc == 0 ]] || fail "$name: apply exit $rc"
  while IFS= read -r -d '' f; do
    rel=${f#"$work/case/"}
    if [[ -f $dir/fixed/$rel ]]; then
      cmp "$f" "$dir/fixed/$rel" || fail "$name: $rel differs from fixed/"
    else
      cmp "$f" "$dir/repo/$rel" || fail "$name: $rel changed"
    fi
  done < <(find "$work/case" -type f -print0)
  run out check --no-config --rule "$rule" .
  lacks "$work/out" "[*]" "$name: something is left to fix after apply"
done
echo "ok"
