#!/usr/bin/env python3
"""Builds the OCI image layouts the registry test pushes: tiny root file
systems whose facts (users, shell, tools, OS) are known, so the test can
check that dockerfix learns exactly them.

  make_layouts.py OUTDIR [VARIANT]
makes OUTDIR/<name>/ (an OCI layout with one tag, `ref`) for each image.
VARIANT changes the Debian-like image's content (a tag that moved)."""
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

FAKE_BINARY = b"\x7fELF fake binary for a dockerfix test\n"


def debian_passwd(*extra):
    lines = ["root:x:0:0:root:/root:/bin/bash", "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin",
             "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin",
             "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin"]
    return ("\n".join(lines + list(extra)) + "\n").encode()


def debian_group(*extra):
    lines = ["root:x:0:", "daemon:x:1:", "www-data:x:33:", "nogroup:x:65534:"]
    return ("\n".join(lines + list(extra)) + "\n").encode()


class Tar:
    """Entries of one layer, in order: ("dir", path), ("file", path, bytes),
    ("symlink", path, target), ("hardlink", path, target)."""

    def __init__(self):
        self.entries = []

    def dir(self, path):
        self.entries.append(("dir", path))
        return self

    def file(self, path, data=FAKE_BINARY, mode=0o755):
        self.entries.append(("file", path, data, mode))
        return self

    def symlink(self, path, target):
        self.entries.append(("symlink", path, target))
        return self

    def hardlink(self, path, target):
        self.entries.append(("hardlink", path, target))
        return self

    def bytes(self):
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for e in self.entries:
                info = tarfile.TarInfo(e[1])
                info.mtime = 1700000000
                if e[0] == "dir":
                    info.type, info.mode = tarfile.DIRTYPE, 0o755
                    tar.addfile(info)
                elif e[0] == "file":
                    info.size, info.mode = len(e[2]), e[3]
                    tar.addfile(info, io.BytesIO(e[2]))
                elif e[0] == "symlink":
                    info.type, info.linkname, info.mode = tarfile.SYMTYPE, e[2], 0o777
                    tar.addfile(info)
                else:
                    info.type, info.linkname, info.mode = tarfile.LNKTYPE, e[2], 0o755
                    tar.addfile(info)
        return out.getvalue()


def compress(data, how):
    if how == "gzip":
        return gzip.compress(data, mtime=0), "application/vnd.oci.image.layer.v1.tar+gzip"
    if how == "zstd":
        z = subprocess.run(["zstd", "-q", "-c"], input=data, stdout=subprocess.PIPE, check=True).stdout
        return z, "application/vnd.oci.image.layer.v1.tar+zstd"
    return data, "application/vnd.oci.image.layer.v1.tar"


class Layout:
    def __init__(self, root):
        self.root = root
        os.makedirs(os.path.join(root, "blobs", "sha256"), exist_ok=True)
        with open(os.path.join(root, "oci-layout"), "w") as f:
            json.dump({"imageLayoutVersion": "1.0.0"}, f)

    def blob(self, data):
        digest = hashlib.sha256(data).hexdigest()
        with open(os.path.join(self.root, "blobs", "sha256", digest), "wb") as f:
            f.write(data)
        return {"digest": "sha256:" + digest, "size": len(data)}

    def image(self, layers, config, platform=("linux", "amd64")):
        """layers: bottom first, each (Tar, compression)."""
        descriptors, diff_ids = [], []
        for tar, how in layers:
            raw = tar.bytes()
            diff_ids.append("sha256:" + hashlib.sha256(raw).hexdigest())
            data, media = compress(raw, how)
            descriptors.append(dict(mediaType=media, **self.blob(data)))
        cfg = {"architecture": platform[1], "os": platform[0], "config": config,
               "rootfs": {"type": "layers", "diff_ids": diff_ids}}
        if len(platform) > 2:
            cfg["variant"] = platform[2]
        cfg_desc = dict(mediaType="application/vnd.oci.image.config.v1+json",
                        **self.blob(json.dumps(cfg, sort_keys=True).encode()))
        manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": cfg_desc, "layers": descriptors}
        desc = dict(mediaType=manifest["mediaType"], **self.blob(json.dumps(manifest, sort_keys=True).encode()))
        desc["platform"] = {"os": platform[0], "architecture": platform[1]}
        if len(platform) > 2:
            desc["platform"]["variant"] = platform[2]
        return desc

    def index(self, manifests):
        index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests}
        return dict(mediaType=index["mediaType"], **self.blob(json.dumps(index, sort_keys=True).encode()))

    def tag(self, desc, name="ref"):
        desc = {k: v for k, v in desc.items() if k != "platform"}
        desc["annotations"] = {"org.opencontainers.image.ref.name": name}
        with open(os.path.join(self.root, "index.json"), "w") as f:
            json.dump({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                       "manifests": [desc]}, f)


def debian_like(extra_user=None, curl=True):
    """Merged /usr like Debian 12: /bin -> usr/bin, /sbin -> usr/sbin."""
    t = Tar().dir("etc").dir("usr").dir("usr/bin").dir("usr/sbin").dir("usr/lib")
    t.symlink("bin", "usr/bin").symlink("sbin", "usr/sbin")
    t.file("usr/lib/os-release", b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\n'
           b'VERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n', 0o644)
    t.symlink("etc/os-release", "../usr/lib/os-release")
    users = [extra_user] if extra_user else []
    t.file("etc/passwd", debian_passwd(*users), 0o644)
    t.file("etc/group", debian_group(*[u.split(":")[0] + ":x:" + u.split(":")[3] + ":" for u in users]), 0o644)
    t.file("usr/bin/dash").symlink("usr/bin/sh", "dash").file("usr/bin/bash")
    t.file("usr/sbin/useradd").file("usr/sbin/groupadd").file("usr/sbin/adduser")
    t.file("usr/bin/apt-get").file("usr/bin/pgrep")
    if curl:
        t.file("usr/bin/curl")
    return t


def busybox_tree(os_release=None, apk=False):
    """busybox's image: one binary, hard links for each applet."""
    t = Tar().dir("bin").dir("etc").dir("sbin")
    t.file("bin/busybox")
    for applet in ["sh", "adduser", "addgroup", "wget", "pgrep", "ls"]:
        t.hardlink("bin/" + applet, "bin/busybox")
    t.file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n", 0o644)
    t.file("etc/group", b"root:x:0:\nnogroup:x:65534:\n", 0o644)
    if os_release:
        t.file("etc/os-release", os_release, 0o644)
    if apk:
        t.file("sbin/apk")
    return t


def main():
    out = sys.argv[1]
    variant = sys.argv[2] if len(sys.argv) > 2 else "1"
    os.makedirs(out, exist_ok=True)

    # A Debian-like private image; variant 2 (the tag moved) adds a user.
    lay = Layout(os.path.join(out, "debianish"))
    extra = "builder:x:1500:1500::/home/builder:/bin/bash" if variant == "2" else None
    lay.tag(lay.image([(debian_like(extra), "gzip")],
                      {"Cmd": ["/usr/bin/bash"], "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"]}))

    # busybox, anonymous pulls (public/).
    lay = Layout(os.path.join(out, "bbox"))
    lay.tag(lay.image([(busybox_tree(), "gzip")], {"Cmd": ["sh"]}))

    # No shell at all, a non-root user in /etc/passwd, the config sets none.
    lay = Layout(os.path.join(out, "noshell"))
    t = Tar().dir("etc").dir("app")
    t.file("etc/os-release", b'PRETTY_NAME="Distroless"\nID=debian\nVERSION_ID="12"\n', 0o644)
    t.file("etc/passwd", b"root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
           b"app:x:10001:10001:app:/home/app:/sbin/nologin\n", 0o644)
    t.file("etc/group", b"root:x:0:\nnogroup:x:65534:\napp:x:10001:\n", 0o644)
    t.file("app/server")
    lay.tag(lay.image([(t, "gzip")], {"Entrypoint": ["/app/server"], "ExposedPorts": {"8080/tcp": {}}}))

    # Alpine-like, runs as a non-root USER; its layer is zstd-compressed.
    lay = Layout(os.path.join(out, "nonroot"))
    t = busybox_tree(b'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.0\n', apk=True)
    t.file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\napp:x:1001:1001:app:/home/app:/bin/sh\n", 0o644)
    t.file("etc/group", b"root:x:0:\napp:x:1001:\n", 0o644)
    lay.tag(lay.image([(t, "zstd")], {"User": "app", "WorkingDir": "/home/app", "Cmd": ["/bin/sh"],
                                       "Labels": {"org.opencontainers.image.vendor": "mycorp"},
                                       "Healthcheck": {"Test": ["CMD-SHELL", "wget -q --spider http://localhost/"]}}))

    # A multi-platform index: Debian-like on amd64, busybox/Alpine on arm64.
    lay = Layout(os.path.join(out, "multi"))
    amd = lay.image([(debian_like(), "gzip")], {}, ("linux", "amd64"))
    arm = lay.image([(busybox_tree(b"ID=alpine\nVERSION_ID=3.20.0\n", apk=True), "gzip")], {}, ("linux", "arm64", "v8"))
    lay.tag(lay.index([amd, arm]))

    # Two layers: the upper one deletes curl (a whiteout) and replaces /etc
    # (an opaque directory), so the lower /etc/passwd and os-release link go.
    lay = Layout(os.path.join(out, "whiteout"))
    lower = debian_like("olduser:x:1200:1200::/home/olduser:/bin/bash")
    upper = Tar().dir("etc").file("etc/.wh..wh..opq", b"", 0o644).dir("usr").dir("usr/bin")
    upper.file("usr/bin/.wh.curl", b"", 0o644)
    upper.file("etc/passwd", b"root:x:0:0:root:/root:/bin/bash\nsvc:x:2000:2000::/srv:/bin/bash\n", 0o644)
    upper.file("etc/group", b"root:x:0:\nsvc:x:2000:\n", 0o644)
    lay.tag(lay.image([(lower, "gzip"), (upper, "none")], {"User": "svc"}))


if __name__ == "__main__":
    main()
