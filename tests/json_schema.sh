#!/usr/bin/env bash
# `check --format json` over real Dockerfiles (and refused input) validates
# against docs/check-json.schema.json, and its fixes are what `apply` writes.
set -euo pipefail
cli=$1 src=$2 corpus=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
python3 -c 'import jsonschema' 2>/dev/null || fail "python3-jsonschema missing (scripts/install-deps.sh installs it)"

# A sample of the real corpus (every 40th file), plus input dockerfix refuses.
find "$corpus" -mindepth 2 -type f | sort | awk 'NR % 40 == 1' > "$work/list"
[[ -s $work/list ]] || fail "no corpus files under $corpus"
printf 'FROM a\nRUN x\0\n' > "$work/nul.Dockerfile"
set +e
"$cli" check --no-config --format json $(cat "$work/list") "$work/nul.Dockerfile" > "$work/out.json" 2> /dev/null
rc=$?
set -e
[[ $rc == 2 ]] || fail "exit $rc, want 2 (one refused input)"
python3 - "$src/docs/check-json.schema.json" "$work/out.json" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
doc = json.load(open(sys.argv[2]))
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
for e in errors[:10]:
    print("schema:", "/".join(map(str, e.absolute_path)), e.message, file=sys.stderr)
if errors:
    sys.exit(1)
findings = sum(len(f["findings"]) for f in doc["files"])
if findings == 0 or not any("nul.Dockerfile:2:6: NUL byte" in e for e in doc["errors"]):
    print(f"expected findings and the NUL error, got {findings} and {doc['errors']}", file=sys.stderr)
    sys.exit(1)
# Every fix applies: ranges inside the file, sorted and not overlapping.
for f in doc["files"]:
    data = open(f["path"], "rb").read()
    for finding in f["findings"]:
        last = 0
        for e in finding["fix"]:
            if not (last <= e["start"] <= e["end"] <= len(data)):
                print("bad range", f["path"], finding["rule"], e, file=sys.stderr)
                sys.exit(1)
            last = e["end"]
print(f"json schema: {len(doc['files'])} files, {findings} findings valid")
PY
