#!/usr/bin/env python3
"""A server that accepts connections and never answers, for deadline tests.

Listens on 127.0.0.1 (a free port, written to PORT_FILE), accepts every
connection, reads whatever the client sends, and never writes a byte: a git
server (smart HTTP, git://, ssh) or an API that hangs. Each accepted
connection appends a line "accept" to LOG. Stops by itself after LIFETIME
seconds (default 120), so a test that forgets it leaves nothing behind.

usage: stall_server.py PORT_FILE LOG [LIFETIME]
"""
import os
import selectors
import socket
import sys
import time

PORT_FILE, LOG = sys.argv[1], sys.argv[2]
LIFETIME = float(sys.argv[3]) if len(sys.argv) > 3 else 120.0

server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))
server.listen(64)
server.setblocking(False)
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(server.getsockname()[1]))
os.rename(PORT_FILE + ".tmp", PORT_FILE)

sel = selectors.DefaultSelector()
sel.register(server, selectors.EVENT_READ)
end = time.monotonic() + LIFETIME
while time.monotonic() < end:
    for key, _ in sel.select(timeout=0.5):
        if key.fileobj is server:
            try:
                conn, _ = server.accept()
            except BlockingIOError:
                continue
            conn.setblocking(False)
            sel.register(conn, selectors.EVENT_READ)
            with open(LOG, "a") as f:
                f.write("accept\n")
        else:
            try:
                data = key.fileobj.recv(65536)
            except (BlockingIOError, ConnectionError):
                data = b"x"
            if not data:  # the client gave up: forget it
                sel.unregister(key.fileobj)
                key.fileobj.close()
