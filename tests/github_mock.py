#!/usr/bin/env python3
"""A stand-in for GitHub's pull-request REST endpoints, for the bot's tests.

Speaks the documented subset dockerfix uses:
  GET   /repos/{owner}/{repo}/pulls?state=open|closed|all&head=owner:branch
  POST  /repos/{owner}/{repo}/pulls            {title, head, base, body}
  PATCH /repos/{owner}/{repo}/pulls/{number}   {title, body, state}
State lives in a JSON file (read and written on every request, so a test can
close a pull request by editing it, or set "fail_next": N to answer the next N
requests with 502); every request is appended to a JSON-lines
log with its method, path, query, headers and body. Requests without an
`Authorization: Bearer` header get 401, as GitHub does for writes.

usage: github_mock.py STATE.json REQUESTS.jsonl PORT_FILE
"""
import json
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE, LOG, PORT_FILE = sys.argv[1], sys.argv[2], sys.argv[3]


def load():
    try:
        with open(STATE) as f:
            return json.load(f)
    except FileNotFoundError:
        return {"next": 1, "pulls": []}


def save(state):
    with open(STATE, "w") as f:
        json.dump(state, f, indent=1)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, doc):
        data = json.dumps(doc).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self, method):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        with open(LOG, "a") as f:
            f.write(json.dumps({"method": method, "path": url.path, "query": query,
                                "headers": dict(self.headers), "body": body}) + "\n")
        state = load()
        if state.get("fail_next", 0) > 0:  # a flaky server: the next N requests get 502
            state["fail_next"] -= 1
            save(state)
            return self.reply(502, {"message": "Bad Gateway"})
        if not (self.headers.get("Authorization") or "").startswith("Bearer "):
            return self.reply(401, {"message": "Requires authentication"})
        parts = url.path.strip("/").split("/")
        if len(parts) < 4 or parts[0] != "repos" or parts[3] != "pulls":
            return self.reply(404, {"message": "Not Found"})
        repo = parts[1] + "/" + parts[2]
        state = load()
        mine = [p for p in state["pulls"] if p["repo"] == repo]
        if method == "GET" and len(parts) == 4:
            want = query.get("state", "open")
            head = query.get("head")
            out = [p for p in mine
                   if (want == "all" or p["state"] == want) and (head is None or p["head"]["label"] == head)]
            return self.reply(200, out)
        if method == "POST" and len(parts) == 4:
            label = parts[1] + ":" + body["head"]
            if any(p["head"]["label"] == label and p["state"] == "open" for p in mine):
                return self.reply(422, {"message": "Validation Failed: A pull request already exists for " + label})
            n = state["next"]
            state["next"] = n + 1
            pr = {"repo": repo, "number": n, "state": "open", "merged_at": None,
                  "title": body["title"], "body": body.get("body", ""),
                  "html_url": "https://github.test/%s/pull/%d" % (repo, n),
                  "head": {"ref": body["head"], "label": label}, "base": {"ref": body["base"]}}
            state["pulls"].append(pr)
            save(state)
            return self.reply(201, pr)
        if method == "PATCH" and len(parts) == 5:
            for p in state["pulls"]:
                if p["repo"] == repo and str(p["number"]) == parts[4]:
                    for key in ("title", "body", "state"):
                        if key in body:
                            p[key] = body[key]
                    save(state)
                    return self.reply(200, p)
            return self.reply(404, {"message": "Not Found"})
        return self.reply(404, {"message": "Not Found"})

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PATCH(self):
        self.handle_any("PATCH")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORT_FILE, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
