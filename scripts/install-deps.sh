#!/usr/bin/env bash
# Installs everything dockerfix needs to build, test, benchmark and fuzz on
# Debian 12 (bookworm). Idempotent: when everything is already installed it
# only queries dpkg and exits, without touching the network.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost-dev libfmt-dev libcli11-dev libgit2-dev nlohmann-json3-dev
  libyaml-cpp-dev libgtest-dev libgmock-dev libbenchmark-dev
  libcurl4-openssl-dev libarchive-dev libssl-dev libmimalloc-dev
  docker-registry skopeo zstd python3-cryptography
  python3 python3-jsonschema python3-yaml
  zsh fish
  shellcheck
  clang libclang-rt-14-dev
  nodejs npm
)

installed() {
  local status
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null || true)
  [[ $status == ii* ]]
}

missing=()
for pkg in "${packages[@]}"; do
  case $pkg in
    # A Node.js from another source (e.g. NodeSource's nodejs, which bundles
    # npm and conflicts with Debian's npm package) is fine as it is.
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  installed "$pkg" || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=()
if ((EUID != 0)); then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "install-deps: missing packages (${missing[*]}) and not root; run as root" >&2
    exit 2
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
# The tests start docker-registry themselves on 127.0.0.1; the package's own
# service (all interfaces, port 5000) is not wanted where systemd starts it.
if [[ " ${missing[*]} " == *" docker-registry "* && -d /run/systemd/system ]]; then
  "${sudo[@]}" systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi
