#!/usr/bin/env python3
"""The real-engine stage: `dockerfix verify` on the cases in cases/, each a
build context with an `expect` file, against the engine on the local socket.

expect holds, one a line (`#` starts a comment):
  RULE VERDICT         the verdict verify must give that rule (all rules listed)
  args: ...            extra arguments for verify ({socket_gid} is the socket's GID)
  source: DIR          the context is DIR of the repository instead of the case folder
  needs: docker-cli    the host's /usr/bin/docker is copied into the context
  apply: yes           also `apply --verify`, which must write exactly the kept fixes
  assert EXPR          a Python expression over original, fixed (the images'
                       JSON), rules (by id) and proof (the file's JSON)

usage: run_cases.py DOCKERFIX SOURCE_DIR [CASE...]
  JOBS=N                      cases run at once (default 3)
  DOCKERFIX_VERIFY_TIMEOUT=S  verify --timeout (default 5)
  DOCKERFIX_REAL_ENGINE=required  fail instead of skipping when no engine answers
  DOCKER_HOST=unix://PATH     the engine's socket (default /var/run/docker.sock)
"""
import concurrent.futures
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time

# The engine: DOCKER_HOST's unix socket when set (Podman's compatible
# service, say), else Docker's own.
SOCKET = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock").removeprefix("unix://")
SKIP = 77


def engine_answers():
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(5)
            s.connect(SOCKET)
            s.sendall(b"GET /_ping HTTP/1.0\r\nHost: localhost\r\n\r\n")
            return b" 200 " in s.recv(64)
    except OSError:
        return False


def docker(*args):
    return docker_out(*args).split()


def docker_out(*args):
    return subprocess.run(["/usr/bin/docker", "-H", "unix://" + SOCKET, *args], capture_output=True, text=True,
                          check=True).stdout


def read_expect(path):
    spec = {"verdicts": {}, "args": [], "asserts": [], "source": None, "needs": [], "apply": False}
    gid = str(os.stat(SOCKET).st_gid) if os.path.exists(SOCKET) else "0"
    for raw in open(path, encoding="utf-8"):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition(":")
        if line.startswith("assert "):
            spec["asserts"].append(line[len("assert "):])
        elif key == "args":
            spec["args"] = shlex.split(value.replace("{socket_gid}", gid))
        elif key == "source":
            spec["source"] = value.strip()
        elif key == "needs":
            spec["needs"] = value.split()
        elif key == "apply":
            spec["apply"] = value.strip() == "yes"
        else:
            rule, verdict = line.split()
            spec["verdicts"][rule] = verdict
    return spec


def context_copy(case_dir, spec, source_dir, into):
    src = os.path.join(source_dir, spec["source"]) if spec["source"] else case_dir
    shutil.copytree(src, into, ignore=shutil.ignore_patterns("expect"))
    if "docker-cli" in spec["needs"]:
        shutil.copy2("/usr/bin/docker", os.path.join(into, "docker"))


def run_case(dockerfix, source_dir, case_dir, window):
    name = os.path.basename(case_dir)
    spec = read_expect(os.path.join(case_dir, "expect"))
    problems = []
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"dockerfix-case-{name}-") as tmp:
        ctx = os.path.join(tmp, "verify")
        context_copy(case_dir, spec, source_dir, ctx)
        cmd = [dockerfix, "verify", "--no-config", "--format", "json", "--timeout", window, *spec["args"],
               os.path.join(ctx, "Dockerfile")]
        p = subprocess.run(cmd, capture_output=True, text=True)
        try:
            files = json.loads(p.stdout)["files"]
            proof = files[0]
        except (ValueError, KeyError, IndexError):
            return name, [f"verify exited {p.returncode} without a JSON report:\n{p.stderr[-3000:]}"], 0, ""
        got = {r["rule"]: r["verdict"] for r in proof["rules"]}
        if got != spec["verdicts"]:
            for rule in sorted(set(got) | set(spec["verdicts"])):
                want, have = spec["verdicts"].get(rule, "(none)"), got.get(rule, "(none)")
                if want != have:
                    why = next((r["reason"] for r in proof["rules"] if r["rule"] == rule), "")
                    problems.append(f"{rule}: expected {want}, verify said {have}: {why}")
        all_proven = all(v in ("proven", "kept-unproven") for v in got.values())
        if p.returncode != (0 if all_proven else 1):
            problems.append(f"verify exited {p.returncode}")
        scope = {"original": proof.get("original"), "fixed": proof.get("fixed"), "proof": proof,
                 "rules": {r["rule"]: r for r in proof["rules"]}}
        for expr in spec["asserts"]:
            try:
                ok = eval(expr, {}, scope)  # the case's own expectation, from this repository
            except Exception as e:  # noqa: BLE001 - a broken assertion is a failure too
                ok, expr = False, f"{expr} ({type(e).__name__}: {e})"
            if not ok:
                problems.append(f"assertion failed: {expr}")
        if spec["apply"]:
            problems += check_apply(dockerfix, case_dir, spec, source_dir, tmp, window, proof["kept"])
        detail = json.dumps(proof, indent=1)
    return name, problems, time.monotonic() - start, detail


def check_apply(dockerfix, case_dir, spec, source_dir, tmp, window, kept):
    """apply --verify writes exactly the file that the kept rules alone give."""
    ctx = os.path.join(tmp, "apply")
    context_copy(case_dir, spec, source_dir, ctx)
    p = subprocess.run([dockerfix, "apply", "--no-config", "--verify", "--timeout", window, *spec["args"],
                        os.path.join(ctx, "Dockerfile")], capture_output=True, text=True)
    if p.returncode != 0:
        return [f"apply --verify exited {p.returncode}: {p.stderr[-2000:]}"]
    ref = os.path.join(tmp, "reference")
    context_copy(case_dir, spec, source_dir, ref)
    if kept:
        r = subprocess.run([dockerfix, "apply", "--no-config", "--unsafe-fixes", *[f"--rule={k}" for k in kept],
                            os.path.join(ref, "Dockerfile")], capture_output=True, text=True)
        if r.returncode != 0:
            return [f"apply --rule exited {r.returncode}: {r.stderr}"]
    written = open(os.path.join(ctx, "Dockerfile"), encoding="utf-8").read()
    expected = open(os.path.join(ref, "Dockerfile"), encoding="utf-8").read()
    if written != expected:
        return [f"apply --verify wrote a file other than the kept fixes ({', '.join(kept)}) give:\n{written}"]
    return []


def interrupt_case(dockerfix, source_dir, cases_dir, during):
    """Ctrl-C while a container runs or a build is under way: exit 130 and
    nothing of its left behind (its layers: the check at the end)."""
    name = f"ctrl-c-during-{during}"
    start = time.monotonic()
    problems = []
    with tempfile.TemporaryDirectory(prefix="dockerfix-case-interrupt-") as tmp:
        ctx = os.path.join(tmp, "ctx")
        shutil.copytree(os.path.join(cases_dir, "tmp-queue-worker"), ctx, ignore=shutil.ignore_patterns("expect"))
        if during == "build":
            # A layer made, then a long step to be interrupted in.
            with open(os.path.join(ctx, "Dockerfile"), "a", encoding="utf-8") as f:
                f.write(f"RUN echo {os.getpid()} > /made-by-the-test\nRUN sleep 60\n")
        p = subprocess.Popen([dockerfix, "verify", "--no-config", "--timeout", "120", os.path.join(ctx, "Dockerfile")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        prefix = f"dockerfix-verify-{p.pid}-"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and p.poll() is None:
            if during == "run" and docker("ps", "-q", "--filter", f"name={prefix}"):
                break
            # The build's own container for `RUN sleep 60`.
            if during == "build" and any("sleep 60" in c for c in
                                         docker_out("ps", "--no-trunc", "--format", "{{.Command}}").splitlines()):
                break
            time.sleep(0.2)
        else:
            problems.append(f"verify never got to the {during}")
        p.send_signal(2)
        try:
            _, err = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            _, err = p.communicate()
            problems.append("verify did not stop within 60 s of SIGINT")
        if p.returncode != 130:
            problems.append(f"verify exited {p.returncode} after SIGINT, not 130: {err[-1000:]}")
        time.sleep(2)  # the engine removes the interrupted build's container by itself (forcerm)
        if docker("ps", "-aq", "--filter", f"name={prefix}"):
            problems.append("its container is still there")
        tags = [t for t in docker("images", "--format", "{{.Repository}}:{{.Tag}}") if t.startswith(f"dockerfix-verify:{p.pid}-")]
        if tags:
            problems.append(f"its images are still there: {tags}")
    return name, problems, time.monotonic() - start, ""


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    dockerfix, source_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    here = os.path.dirname(os.path.abspath(__file__))
    cases_dir = os.path.join(here, "cases")
    names = sys.argv[3:] or sorted(d for d in os.listdir(cases_dir) if os.path.isfile(os.path.join(cases_dir, d, "expect")))
    if not engine_answers():
        msg = f"real-engine: no Docker engine answers on {SOCKET} (scripts/engine.sh up starts one)"
        print(msg, file=sys.stderr)
        return 1 if os.environ.get("DOCKERFIX_REAL_ENGINE") == "required" else SKIP
    window = os.environ.get("DOCKERFIX_VERIFY_TIMEOUT", "5")
    before_containers = set(docker("ps", "-aq", "--no-trunc"))
    before_images = set(docker("images", "-aq", "--no-trunc"))
    start = time.monotonic()
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=int(os.environ.get("JOBS", "3"))) as pool:
        futures = [pool.submit(run_case, dockerfix, source_dir, os.path.join(cases_dir, n), window) for n in names]
        if not sys.argv[3:]:
            for during in ("run", "build"):
                futures.append(pool.submit(interrupt_case, dockerfix, source_dir, cases_dir, during))
        for f in concurrent.futures.as_completed(futures):
            name, problems, seconds, detail = f.result()
            if problems:
                failed += 1
                print(f"FAIL {name} ({seconds:.0f} s)")
                for pr in problems:
                    print(f"  {pr}")
                print("  the report:\n" + "\n".join("    " + l for l in detail.splitlines()[:200]))
            else:
                print(f"PASS {name} ({seconds:.0f} s)")
            sys.stdout.flush()
    left_containers = set(docker("ps", "-aq", "--no-trunc")) - before_containers
    left_images = set(docker("images", "-aq", "--no-trunc")) - before_images
    if left_containers or left_images:
        failed += 1
        print(f"FAIL cleanup: left {len(left_containers)} containers and {len(left_images)} images behind")
    total = len(futures) + 1  # and the cleanup check
    print(f"real-engine: {len(futures)} cases in {time.monotonic() - start:.0f} s")
    print(f"{total - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
