#!/usr/bin/env bash
# check --format sarif through Microsoft's SARIF validator (npm
# @microsoft/sarif-multitool, installed here into the build tree): zero errors.
set -euo pipefail
cli=$1 src=$2 tools=$3 corpus=${4:-}
validator="$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [[ ! -x $validator ]]; then
  mkdir -p "$tools"
  npm install --no-audit --no-fund --prefix "$tools" @microsoft/sarif-multitool@5.7.0 > "$tools/npm.log" 2>&1 ||
    { cat "$tools/npm.log" >&2; exit 1; }
  chmod u+x "$validator"  # npm 11 does not run the package's postinstall chmod
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$src/corpus/seed000-pixelarch/"* "$work/"
printf 'FROM debian:12\nRUN useradd app && curl -o x https://x\nEXPOSE 8080\nCMD ["/srv/app"]\n' > "$work/Dockerfile.app"
printf 'FROM a\n\xff\n' > "$work/bad.Dockerfile"
cd "$work"
set +e
"$cli" check --format sarif Dockerfile Dockerfile.app bad.Dockerfile > out.sarif
rc=$?
set -e
[[ $rc == 2 ]] || { echo "exit $rc, want 2 (bad.Dockerfile)"; exit 1; }
grep -q '"fixes"' out.sarif || { echo "no fixes in SARIF"; exit 1; }
"$validator" validate out.sarif --output validation.sarif > validate.log 2>&1 || true
cat validate.log
if grep -E ': error [A-Z]+[0-9]+' validate.log; then
  echo "SARIF validator reported errors"
  exit 1
fi
grep -q 'Analysis completed successfully' validate.log

# Every 10th file of the real corpus (about 600, refused ones included): zero errors.
if [[ -d $corpus ]]; then
  find "$corpus" -mindepth 2 -type f | sort | awk 'NR % 10 == 1' > list
  xargs -a list "$cli" check --no-config --format sarif > corpus.sarif 2> /dev/null || true
  results=$(grep -c '"ruleId"' corpus.sarif || true)
  (( results > 100 )) || { echo "only $results results over the corpus sample"; exit 1; }
  "$validator" validate corpus.sarif --output corpus-validation.sarif > corpus-validate.log 2>&1 || true
  if grep -E ': error [A-Z]+[0-9]+' corpus-validate.log; then
    echo "SARIF validator reported errors on the corpus sample"
    exit 1
  fi
  grep -q 'Analysis completed successfully' corpus-validate.log
  echo "sarif: corpus sample of $(wc -l < list) files, $results results valid"
fi
echo "sarif: valid"
