"""A client that dribbles its request headers loses its connection at the deadline; a normal request is served."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
SERVER = """
import uvicorn
from entrypoints.http.asgi import app_from_env
from entrypoints.http.header_deadline import protocol_with
uvicorn.run(app_from_env(), host="127.0.0.1", port={port}, log_level="warning", http=protocol_with(1.0))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_dribbled_headers_are_cut_off_and_normal_requests_served(tmp_path):
    port = _free_port()
    env = {**os.environ, "VAR_DIR": str(tmp_path), "WARM_UP": "false", "ENV": "test", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "entrypoints.manage", "migrate"], cwd=ROOT, env=env, check=True, timeout=120)
    server = subprocess.Popen([sys.executable, "-c", SERVER.format(port=port)], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as slow:
            started = time.monotonic()
            slow.sendall(b"GET /health HTTP/1.1\r\n")
            for _ in range(8):  # one header line a second: never completes within the 1 s deadline
                try:
                    slow.sendall(b"X-Drip: 1\r\n")
                except OSError:
                    break
                time.sleep(0.4)
            slow.settimeout(5)
            try:
                closed = slow.recv(1024) == b""
            except ConnectionResetError:
                closed = True
            assert closed and time.monotonic() - started < 6
        with socket.create_connection(("127.0.0.1", port), timeout=10) as idle:
            idle.settimeout(5)
            assert idle.recv(1024) == b""  # connected and said nothing: closed at the deadline too
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).json() == {"status": "ok"}
    finally:
        server.terminate()
        server.wait(timeout=20)
