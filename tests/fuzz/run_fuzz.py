"""Fuzz the running API from its own OpenAPI document (schemathesis) with a real token: every generated request
must be answered without a server error. ``nox -s fuzz`` runs it at length; the test suite runs a short,
bounded pass (tests/fuzz/test_fuzz_short.py).

    python tests/fuzz/run_fuzz.py --max-examples 40
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
# Logout would revoke the token mid-run; the media-processing POSTs start real analyses (covered by their own tests).
EXCLUDED = r"(auth/logout|/logout/?$|dance-breakdown$|video-analysis|generate|/ws/)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fuzz(max_examples: int, seed: int, workers: int = 1, time_limit: float = 600.0) -> subprocess.CompletedProcess[str]:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    port = _free_port()
    env = {**os.environ, "VAR_DIR": str(folder), "WARM_UP": "false", "ENV": "test", "RATE_LIMITS": "false",
           "LOGIN_THROTTLE": "false", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "entrypoints.manage", "migrate"], cwd=ROOT, env=env, check=True, timeout=120)
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "entrypoints.http.asgi:app_from_env",
                               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                              cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        token = httpx.post(f"{base}/auth/register", json={"email": "fuzz@example.com", "password": "fuzzing-pass-1",
                                                          "displayName": "Fuzz"}, timeout=10).json()["access_token"]
        exe = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or "schemathesis"
        return subprocess.run(
            [exe, "run", f"{base}/api/schema/", "--checks", "not_a_server_error", "--max-examples", str(max_examples),
             "--seed", str(seed), "--workers", str(workers), "--exclude-path-regex", EXCLUDED,
             "-H", f"Authorization: Bearer {token}", "--request-timeout", "20", "--no-color"],
            cwd=folder, capture_output=True, text=True, timeout=time_limit)
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-examples", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    result = fuzz(args.max_examples, args.seed, args.workers, time_limit=3000)
    print(result.stdout[-20000:])
    print(result.stderr[-3000:], file=sys.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
