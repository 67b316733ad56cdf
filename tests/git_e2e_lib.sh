# Shared by the git end-to-end scripts (sourced; needs $cli and $src): a
# scratch directory and the servers started, both removed on exit; a git
# identity of its own; bare repositories to serve; and small helpers.
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
run() { set +e; "$@" > "$work/out" 2> "$work/err"; rc=$?; set -e; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 100); do [[ -s $1 ]] && return 0; sleep 0.1; done; fail "$1 never appeared"; }

export HOME=$work/home GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
mkdir -p "$HOME"
git config --global user.name "Dee Veloper"
git config --global user.email dev@example.com
git config --global init.defaultBranch main
unset GITHUB_TOKEN DOCKERFIX_TOKEN GH_TOKEN GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
unset SSH_AUTH_SOCK

srv=$work/srv
mkdir -p "$srv/org"
bad='FROM debian:12\nRUN curl -o /x https://example.com/x\nCMD ["gunicorn", "app:app"]\n'
seed_in() {  # directory, name, then files as path=content: a bare DIR/NAME.git
  local dir=$1 name=$2; shift 2
  local tmp=$work/seed-$name-$RANDOM
  git init -q "$tmp"
  for spec in "$@"; do mkdir -p "$(dirname "$tmp/${spec%%=*}")"; printf '%b' "${spec#*=}" > "$tmp/${spec%%=*}"; done
  git -C "$tmp" add -A && git -C "$tmp" commit -qm "initial"
  mkdir -p "$dir"
  git clone -q --bare "$tmp" "$dir/$name.git"
  rm -rf "$tmp"
}
seed() { seed_in "$srv/org" "$@"; }

# git daemon serving $srv on loopback (push enabled): $url/NAME.git.
start_daemon() {
  port=$(free_port)
  git daemon --listen=127.0.0.1 --port="$port" --export-all --enable=receive-pack --base-path="$srv" \
    --reuseaddr --pid-file="$work/daemon.pid" "$srv" 2> "$work/daemon.log" &
  pids+=($!)
  for _ in $(seq 50); do git ls-remote "git://127.0.0.1:$port/org/$1.git" > /dev/null 2>&1 && break; sleep 0.1; done
  url=git://127.0.0.1:$port/org
}
