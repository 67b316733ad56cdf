# Shared by the registry end-to-end scripts (sourced; needs $work, the array
# $pids of processes to stop, and $here, this directory): the token server
# and Debian's docker-registry on 127.0.0.1 behind it, and pushes of the OCI
# layouts make_layouts.py writes. start_registry sets $reg (host:port) and
# $registry_pid; every registry logs its requests to $work/registry.log.

for tool in docker-registry skopeo python3 zstd; do
  command -v "$tool" >/dev/null || { echo "registry test: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
done
python3 -c 'import cryptography' || { echo "registry test: python3-cryptography is missing" >&2; exit 1; }

start_token_server() {
  mkdir -p "$work/auth"
  python3 "$here/token_server.py" "$work/auth" dockerfix-test-issuer 2>"$work/auth/stderr" &
  pids+=($!)
  for _ in $(seq 100); do [[ -f $work/auth/port ]] && break; sleep 0.1; done
  [[ -f $work/auth/port ]] || { cat "$work/auth/stderr" >&2; echo "registry test: the token server did not start" >&2; exit 1; }
  token_port=$(cat "$work/auth/port")
}

start_registry() {
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # Each registry its own config and storage: a test may run two.
  cat >"$work/registry-$port.yml" <<CONF
version: 0.1
log: {level: info, accesslog: {disabled: false}}
storage:
  filesystem: {rootdirectory: $work/registry-data-$port}
  delete: {enabled: true}
http:
  addr: 127.0.0.1:$port
  secret: dockerfix-test-secret
auth:
  token:
    realm: http://127.0.0.1:$token_port/token
    service: dockerfix-test-registry
    issuer: dockerfix-test-issuer
    rootcertbundle: $work/auth/cert.pem
CONF
  docker-registry serve "$work/registry-$port.yml" >>"$work/registry.log" 2>&1 &
  registry_pid=$!
  pids+=("$registry_pid")
  for _ in $(seq 100); do
    code=$(python3 - "$port" <<'PY'
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/v2/", timeout=1)
    print(200)
except urllib.error.HTTPError as e:
    print(e.code)
except Exception:
    print(0)
PY
)
    [[ $code == 401 ]] && break
    sleep 0.1
  done
  [[ $code == 401 ]] || { cat "$work/registry.log" >&2; echo "registry test: the registry did not start" >&2; exit 1; }
  reg=127.0.0.1:$port
}

push() {  # push LAYOUT NAME:TAG [skopeo options]: from $work/layouts (or $layouts)
  local layout=$1 dest=$2
  shift 2
  skopeo copy -q "$@" --dest-tls-verify=false --dest-creds pusher:pushpw "oci:${layouts:-$work/layouts}/$layout:ref" "docker://$reg/$dest"
}
digest_of() { skopeo inspect --tls-verify=false --creds reader:readpw --raw "docker://$reg/$1" | python3 -c 'import hashlib,sys; print("sha256:" + hashlib.sha256(sys.stdin.buffer.read()).hexdigest())'; }

# The client side: credentials as docker login writes them (reader:readpw),
# for each registry named (default $reg).
use_reader_credentials() {
  export DOCKER_CONFIG=$work/docker
  mkdir -p "$DOCKER_CONFIG"
  python3 - "$DOCKER_CONFIG/config.json" "$(printf reader:readpw | base64)" "${@:-$reg}" <<'PY'
import json, sys
path, auth, hosts = sys.argv[1], sys.argv[2], sys.argv[3:]
json.dump({"auths": {h: {"auth": auth} for h in hosts}}, open(path, "w"))
PY
}
