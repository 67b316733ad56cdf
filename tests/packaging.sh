#!/usr/bin/env bash
# The first minutes of a new user (issue 18): the version from one place,
# `help`, a suggestion for a mistyped command, no command at all, shell
# completions, the Debian package, the GitHub Action's exit-status policy
# and the pre-commit hooks agreeing on the release.
#   packaging.sh CLI SOURCE_DIR BUILD_DIR VERSION
set -euo pipefail
cli=$1 src=$2 build=$3 version=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
status() { set +e; "$@" >"$work/out" 2>"$work/err"; echo $? >"$work/rc"; set -e; }
rc() { cat "$work/rc"; }

# Version: --version, -V, JSON and SARIF all say CMake's project version.
[[ $("$cli" --version) == "dockerfix $version" ]] || fail "--version: $("$cli" --version)"
[[ $("$cli" -V) == "dockerfix $version" ]] || fail "-V: $("$cli" -V)"
printf 'FROM debian:12\nCMD ["x"]\n' >"$work/Dockerfile"
status "$cli" check --format json "$work/Dockerfile"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["tool_version"]==sys.argv[2], d' "$work/out" "$version" ||
  fail "JSON tool_version"
status "$cli" check --format sarif "$work/Dockerfile"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["runs"][0]["tool"]["driver"]["version"]==sys.argv[2]' \
  "$work/out" "$version" || fail "SARIF tool.driver.version"

# help, typos, no command.
status "$cli" help
[[ $(rc) == 0 ]] && grep -q '^Usage: dockerfix \[OPTIONS\] SUBCOMMAND' "$work/out" || fail "help: $(cat "$work/out")"
status "$cli" help check
[[ $(rc) == 0 ]] && grep -q '^Usage: dockerfix check ' "$work/out" || fail "help check: $(cat "$work/out")"
status "$cli" help doctor socket
grep -q '^Usage: dockerfix doctor socket ' "$work/out" || fail "help doctor socket: $(cat "$work/out")"
status "$cli" chek .
[[ $(rc) == 2 ]] && grep -q "unknown command 'chek'; did you mean 'check'?" "$work/err" || fail "chek: $(cat "$work/err")"
status "$cli" aplly .
grep -q "did you mean 'apply'?" "$work/err" || fail "aplly: $(cat "$work/err")"
status "$cli" frobnicate
[[ $(rc) == 2 ]] && ! grep -q 'did you mean' "$work/err" || fail "frobnicate suggested: $(cat "$work/err")"
status "$cli" help chek
[[ $(rc) == 2 ]] && grep -q "did you mean 'check'?" "$work/err" || fail "help chek: $(cat "$work/err")"
status "$cli"
[[ $(rc) == 2 ]] && grep -q 'Subcommands:' "$work/err" || fail "no command: $(cat "$work/err")"

# A directory with no Dockerfile is an error, not a clean run; -q silences
# every format but keeps the exit status.
mkdir "$work/empty"
status "$cli" check "$work/empty"
[[ $(rc) == 2 ]] && grep -q "empty: no Dockerfile here" "$work/err" || fail "empty dir: exit $(rc): $(cat "$work/err")"
printf 'FROM debian:bookworm-slim\nRUN curl -fsSLo /x https://example.com/x\nCMD ["/x"]\n' >"$work/Dockerfile.findings"
for format in full concise text json sarif; do
  status "$cli" check -q --format "$format" "$work/Dockerfile.findings"
  [[ $(rc) == 1 && ! -s $work/out ]] || fail "check -q --format $format: exit $(rc), $(wc -c <"$work/out") bytes"
done
status "$cli" diff -q "$work/Dockerfile.findings"
[[ $(rc) == 1 && ! -s $work/out ]] || fail "diff -q printed $(wc -c <"$work/out") bytes"

# Completions: generated from the command definitions, so every command and
# every option of check completes; bash is exercised, zsh and fish parsed.
"$cli" completion bash >"$work/c.bash"
"$cli" completion zsh >"$work/_dockerfix"
"$cli" completion fish >"$work/c.fish"
cmp -s "$work/c.bash" "$build/completions/dockerfix" || fail "build/completions/dockerfix is stale"
complete_words() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _dockerfix; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$work/c.bash" "$@"
}
[[ $(complete_words dockerfix chec) == check ]] || fail "bash: dockerfix chec -> $(complete_words dockerfix chec)"
[[ $(complete_words dockerfix doctor so) == socket ]] || fail "bash: doctor so"
"$cli" check --help | grep -oE -- '^ +(-[a-zA-Z],)?--[a-z][a-z-]+' | grep -oE -- '--[a-z-]+$' | sort -u >"$work/check-flags"
[[ $(wc -l <"$work/check-flags") -gt 10 ]] || fail "too few check options read from --help"
while read -r flag; do
  grep -qx -- "$flag" <<<"$(complete_words dockerfix check "$flag")" || fail "bash: check $flag does not complete"
done <"$work/check-flags"
mkdir "$work/tree" && touch "$work/tree/Dockerfile.web"
grep -qx Dockerfile.web <<<"$(cd "$work/tree" && complete_words dockerfix check Docker)" || fail "bash: no file completion"
zsh -n "$work/_dockerfix" || fail "zsh completion does not parse"
fish -n "$work/c.fish" || fail "fish completion does not parse"
grep -q -- "-l unsafe-fixes\|-l rule" "$work/c.fish" || fail "fish: no check options"

# The Debian package: binary, man page, completions, library dependencies;
# the binary runs from the package's tree, away from the source tree.
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" >/dev/null || fail "cpack"
deb=$(ls "$work"/pkg/dockerfix_"$version"_*.deb) || fail "no .deb for $version"
dpkg-deb -f "$deb" Package Version Depends >"$work/fields"
grep -qx "Version: $version" "$work/fields" || fail ".deb version: $(cat "$work/fields")"
grep -q 'libgit2' "$work/fields" && grep -q 'libcurl' "$work/fields" || fail ".deb Depends: $(cat "$work/fields")"
dpkg-deb -x "$deb" "$work/root"
for f in usr/bin/dockerfix usr/share/man/man1/dockerfix.1 usr/share/bash-completion/completions/dockerfix \
  usr/share/zsh/vendor-completions/_dockerfix usr/share/fish/vendor_completions.d/dockerfix.fish; do
  [[ -s $work/root/$f ]] || fail ".deb lacks $f"
done
printf 'FROM debian:12\nRUN curl -o /x https://example.com/x\n' > "$work/tree/Dockerfile"  # a finding: exit 1
status env -C "$work/tree" "$work/root/usr/bin/dockerfix" check Dockerfile
[[ $(rc) == 1 ]] || fail "packaged binary: exit $(rc): $(cat "$work/err")"

# The GitHub Action: its script run with a stand-in `docker` that runs this
# build's CLI. Findings (1) pass unless fail-on-findings; errors (2) always fail.
mkdir -p "$work/bin" "$work/ws"
cat >"$work/bin/docker" <<SHIM
#!/usr/bin/env bash
# docker run --rm -u U -v WS:/work -w /work IMAGE ARGS...
[[ \$1 == run ]] || exit 99
shift; while [[ \$1 == -* ]]; do case \$1 in --rm) shift ;; *) shift 2 ;; esac; done
echo "\$1" >"$work/image"; shift
cd "\$GITHUB_WORKSPACE" && exec "$cli" "\$@"
SHIM
chmod +x "$work/bin/docker"
python3 - "$src/action.yml" >"$work/action.sh" <<'PY'
import sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
assert a["runs"]["using"] == "composite"
print(a["runs"]["steps"][0]["run"])
PY
run_action() {  # PATHS FAIL_ON_FINDINGS
  : >"$work/gh-output"
  set +e
  env PATH="$work/bin:$PATH" GITHUB_WORKSPACE="$work/ws" GITHUB_OUTPUT="$work/gh-output" DOCKERFIX_PATHS="$1" \
    DOCKERFIX_ARGS="" DOCKERFIX_SARIF=dockerfix.sarif DOCKERFIX_FAIL_ON_FINDINGS="$2" \
    DOCKERFIX_IMAGE="ghcr.io/dockerfix/dockerfix:$version" bash -e "$work/action.sh" >/dev/null 2>&1
  echo $? >"$work/rc"
  set -e
}
printf 'FROM debian:12\nRUN curl -o /x https://example.com/x\n' > "$work/ws/Dockerfile"
run_action . false
[[ $(rc) == 0 ]] && grep -qx 'exit-code=1' "$work/gh-output" || fail "action, findings: step exit $(rc)"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/ws/dockerfix.sarif" || fail "action wrote no SARIF"
run_action . true
[[ $(rc) == 1 ]] || fail "action, fail-on-findings: step exit $(rc)"
printf 'FROM a\nRUN x\0\n' >"$work/ws/Dockerfile"
run_action . false
[[ $(rc) == 2 ]] && grep -qx 'exit-code=2' "$work/gh-output" || fail "action, refused input: step exit $(rc)"

# One release everywhere: the action's image, the docker_image hook, the docs.
grep -q "default: ghcr.io/dockerfix/dockerfix:$version\$" "$src/action.yml" || fail "action.yml image is not $version"
grep -q "entry: ghcr.io/dockerfix/dockerfix:$version check" "$src/.pre-commit-hooks.yaml" || fail "docker_image hook version"
grep -q "rev: v$version" "$src/.pre-commit-hooks.yaml" || fail ".pre-commit-hooks.yaml rev"
grep -q "rev: v$version" "$src/docs/integrations.md" || fail "docs/integrations.md rev"
! grep -rn "v0\.1\.0" "$src/docs" "$src/README.md" "$src/.pre-commit-hooks.yaml" || fail "an old version is documented"
echo "packaging: OK"
