#!/usr/bin/env python3
"""A small token server for a test registry (Docker's token authentication
specification): GET /token?service=S&scope=repository:NAME:ACTIONS answers a
JWT signed with a key whose certificate the registry trusts (rootcertbundle).

  token_server.py DIR ISSUER
writes DIR/key.pem and DIR/cert.pem, listens on 127.0.0.1 on a free port,
writes that port to DIR/port once it listens, and logs one line per request
to DIR/requests.log: the scope, who asked, and what was granted.

Users: pusher:pushpw may pull and push everywhere, reader:readpw may pull
everywhere; anyone (no credentials) may pull repositories under public/.
Wrong credentials get 401."""
import base64
import datetime
import http.server
import json
import os
import sys
import time
import urllib.parse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

USERS = {"pusher": ("pushpw", {"pull", "push"}), "reader": ("readpw", {"pull"})}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_key(directory):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dockerfix test token issuer")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    with open(os.path.join(directory, "cert.pem"), "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def main():
    directory, issuer = sys.argv[1], sys.argv[2]
    key, cert = make_key(directory)
    x5c = [base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()]
    log = open(os.path.join(directory, "requests.log"), "a", buffering=1)

    def sign(claims):
        header = {"typ": "JWT", "alg": "RS256", "x5c": x5c}
        signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
        signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return signing_input + "." + b64url(signature)

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            url = urllib.parse.urlparse(self.path)
            if url.path != "/token":
                self.send_error(404)
                return
            query = urllib.parse.parse_qs(url.query)
            who, rights = None, set()
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Basic "):
                user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
                if user not in USERS or USERS[user][0] != password:
                    log.write(f"denied user={user}\n")
                    self.send_response(401)
                    self.end_headers()
                    return
                who, rights = user, USERS[user][1]
            access = []
            for scope in query.get("scope", []):
                kind, _, rest = scope.partition(":")
                name, _, actions = rest.rpartition(":")
                wanted = set(actions.split(","))
                granted = wanted & rights if who else ({"pull"} & wanted if name.startswith("public/") else set())
                access.append({"type": kind, "name": name, "actions": sorted(granted)})
                log.write(f"scope={scope} user={who or '-'} granted={','.join(sorted(granted)) or '-'}\n")
            now = int(time.time())
            claims = {"iss": issuer, "sub": who or "", "aud": query.get("service", [""])[0], "exp": now + 300,
                      "nbf": now - 10, "iat": now, "jti": b64url(os.urandom(12)), "access": access}
            body = json.dumps({"token": sign(claims), "expires_in": 300}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    with open(os.path.join(directory, "port.tmp"), "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(os.path.join(directory, "port.tmp"), os.path.join(directory, "port"))
    server.serve_forever()


if __name__ == "__main__":
    main()
