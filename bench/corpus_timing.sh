#!/usr/bin/env bash
# Times, on the same file list in the same run (best of N, default 5):
#   (i)   the I/O floor: `cat` of every corpus file to /dev/null (xargs),
#   (ii)  `build/dockerfix parse --files-from LIST` (one process),
#   (iii) the npm package dockerfile-ast parsing the same files in one node process,
# and prints seconds and the ratios dockerfix/floor and dockerfile-ast/dockerfix.
#   bench/corpus_timing.sh [RUNS]
# DOCKERFIX_CORPUS_DIR overrides the corpus (default ../shared/corpus); BUILD_DIR
# the build directory (default build; scripts/build.sh runs if dockerfix is missing).
# Uses hyperfine when it is installed (unless NO_HYPERFINE=1), else date +%s.%N.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
runs=${1:-5}

build_dir=${BUILD_DIR:-build}
if [[ ! -x $build_dir/dockerfix ]]; then scripts/build.sh; fi
command -v node >/dev/null && command -v npm >/dev/null || scripts/install-deps.sh

corpus=${DOCKERFIX_CORPUS_DIR:-$root/../shared/corpus}
if [[ ! -d $corpus ]]; then
  echo "corpus_timing: no corpus at $corpus" >&2
  exit 2
fi
corpus=$(cd "$corpus" && pwd)
out=$build_dir/bench-timing
mkdir -p "$out"
list="$out/corpus.list"
find "$corpus" -type f ! -name README.md ! -name MANIFEST.tsv ! -name '*.jsonl' |
  LC_ALL=C sort >"$list"
nfiles=$(wc -l <"$list")
nbytes=$(xargs -d '\n' cat -- <"$list" | wc -c)

if [[ ! -f bench/node_modules/dockerfile-ast/package.json ]]; then
  echo "corpus_timing: installing dockerfile-ast into bench/node_modules"
  npm install --prefix bench --no-save --no-audit --no-fund --loglevel=error >&2
fi
peer_version=$(node -p 'require("./bench/node_modules/dockerfile-ast/package.json").version')

floor_cmd="xargs -d '\\n' cat -- <'$list' >/dev/null"
dockerfix_cmd="'$build_dir/dockerfix' parse --files-from '$list'"
peer_cmd="node bench/dockerfile_ast_peer.js '$list'"
node_cmd="node -e ''"

# Prints the best wall time in seconds of `bash -c CMD`, after one warm-up
# run whose stderr goes to $out/NAME.stderr. Fails if the command fails.
best_of() {
  local name=$1 cmd=$2
  if ! bash -c "$cmd" 2>"$out/$name.stderr" >/dev/null; then
    echo "corpus_timing: '$cmd' failed:" >&2
    cat "$out/$name.stderr" >&2
    return 1
  fi
  if [[ -z ${NO_HYPERFINE:-} ]] && command -v hyperfine >/dev/null; then
    hyperfine --style none --runs "$runs" --export-json "$out/$name.json" "$cmd" >/dev/null
    node -p "Math.min(...require('./$out/$name.json').results[0].times).toFixed(4)"
    return
  fi
  local best="" t0 t1 i
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s.%N)
    bash -c "$cmd" >/dev/null 2>&1
    t1=$(date +%s.%N)
    best=$(awk -v a="$t0" -v b="$t1" -v best="$best" \
      'BEGIN { d = b - a; if (best == "" || d < best) best = d; printf "%.4f", best }')
  done
  echo "$best"
}

tool="date +%s.%N"
[[ -z ${NO_HYPERFINE:-} ]] && command -v hyperfine >/dev/null && tool="hyperfine"
echo "corpus: $nfiles files, $nbytes bytes ($corpus)"
echo "timing: best of $runs runs ($tool), one warm-up run each"
floor=$(best_of floor "$floor_cmd")
dockerfix=$(best_of dockerfix "$dockerfix_cmd")
peer=$(best_of dockerfile-ast "$peer_cmd")
node_start=$(best_of node-startup "$node_cmd")

printf '  %-42s %8.3f s\n' "I/O floor (xargs cat > /dev/null)" "$floor"
printf '  %-42s %8.3f s\n' "dockerfix parse --files-from (1 process)" "$dockerfix"
printf '  %-42s %8.3f s\n' "dockerfile-ast $peer_version (node, 1 process)" "$peer"
printf '  %-42s %8.3f s\n' "  of which node startup (node -e '')" "$node_start"
echo "  dockerfix:      $(cat "$out/dockerfix.stderr")"
echo "  dockerfile-ast: $(cat "$out/dockerfile-ast.stderr")"
awk -v f="$floor" -v d="$dockerfix" -v p="$peer" 'BEGIN {
  printf "ratios:\n"
  printf "  dockerfix / floor          %6.1fx\n", d / f
  printf "  dockerfile-ast / dockerfix %6.1fx\n", p / d
}'
