#!/usr/bin/env python3
"""A stand-in for the Docker engine's image endpoints on a unix socket, for
`images learn --source engine` without a Docker daemon:
  GET /images/{name}/json  inspect (Id, RepoDigests, Os, Architecture, Config)
  GET /images/{name}/get   the image as `docker save` writes it (OCI blobs, manifest.json last)

  fake_engine.py SOCKET NAME=LAYOUT_DIR[@REPO_DIGEST]...
LAYOUT_DIR is an OCI layout whose index.json names one image manifest."""
import hashlib
import io
import json
import os
import socketserver
import sys
import tarfile
import urllib.parse
from http.server import BaseHTTPRequestHandler


def load(layout):
    index = json.load(open(os.path.join(layout, "index.json")))
    blob = lambda d: open(os.path.join(layout, "blobs", "sha256", d.split(":")[1]), "rb").read()
    manifest = json.loads(blob(index["manifests"][0]["digest"]))
    config_bytes = blob(manifest["config"]["digest"])
    return manifest, config_bytes, blob


def saved(name, layout):
    manifest, config_bytes, blob = load(layout)
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        def add(path, data):
            info = tarfile.TarInfo(path)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        layers = []
        for layer in manifest["layers"]:
            path = "blobs/sha256/" + layer["digest"].split(":")[1]
            add(path, blob(layer["digest"]))
            layers.append(path)
        add("blobs/sha256/" + manifest["config"]["digest"].split(":")[1], config_bytes)
        add("manifest.json", json.dumps([{"Config": "blobs/sha256/" + manifest["config"]["digest"].split(":")[1],
                                          "RepoTags": [name], "Layers": layers}]).encode())
    return out.getvalue()


def main():
    path, images = sys.argv[1], {}
    for arg in sys.argv[2:]:
        name, _, rest = arg.partition("=")
        layout, _, repo_digest = rest.partition("@")
        images[name] = (layout, repo_digest)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def address_string(self):
            return "engine"

        def reply(self, code, body, kind="application/json"):
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            parts = urllib.parse.urlparse(self.path).path.split("/")
            if len(parts) < 4 or parts[1] != "images":
                return self.reply(404, b'{"message":"page not found"}')
            name, action = urllib.parse.unquote("/".join(parts[2:-1])), parts[-1]
            if name not in images:
                return self.reply(404, json.dumps({"message": f"No such image: {name}"}).encode())
            layout, repo_digest = images[name]
            manifest, config_bytes, _ = load(layout)
            config = json.loads(config_bytes)
            if action == "json":
                repo = name.rsplit(":", 1)[0]
                body = {"Id": "sha256:" + hashlib.sha256(config_bytes).hexdigest(),
                        "RepoDigests": [f"{repo}@{repo_digest}"] if repo_digest else [],
                        "Os": config["os"], "Architecture": config["architecture"], "Config": config["config"]}
                return self.reply(200, json.dumps(body).encode())
            if action == "get":
                return self.reply(200, saved(name, layout), "application/x-tar")
            return self.reply(404, b"{}")

    if os.path.exists(path):
        os.unlink(path)
    server = socketserver.UnixStreamServer(path, Handler)
    server.serve_forever()


if __name__ == "__main__":
    main()
