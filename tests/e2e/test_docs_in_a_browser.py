"""The interactive docs render in a real headless browser on a machine without internet: every script and style
comes from the app itself, under its content security policy."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("headless Chromium is missing in CI (.ci/run installs Debian's chromium)")
    pytest.skip("no Chromium on this machine (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_docs_page_renders_every_operation_offline(tmp_path):
    browser = _browser()
    port = _free_port()
    env = {**os.environ, "VAR_DIR": str(tmp_path), "WARM_UP": "false", "ENV": "test", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "entrypoints.manage", "migrate"], cwd=ROOT, env=env, check=True,
                   timeout=120)
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "entrypoints.http.asgi:app_from_env",
                               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                              cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        schema = httpx.get(f"http://127.0.0.1:{port}/api/schema/", timeout=10).json()
        operations = sum(len(item) for item in schema["paths"].values())
        dom = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=15000", "--dump-dom",
             f"http://127.0.0.1:{port}/api/docs"],
            capture_output=True, text=True, timeout=120).stdout
    finally:
        server.terminate()
        server.wait(timeout=20)
    rendered = len(re.findall(r'class="opblock opblock-', dom))
    assert operations > 50
    assert rendered == operations, f"{rendered} of {operations} operations rendered"
