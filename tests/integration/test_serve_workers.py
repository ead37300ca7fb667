"""``python -m entrypoints.http.serve --workers 2``: each worker listens on the port itself (SO_REUSEPORT), so
connections spread over both; a worker that dies is started again; SIGTERM stops them all, and so does the
supervisor's own death."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listeners(port: int) -> set[int]:
    """Pids of the processes with a listening socket on the port (from /proc: no tools needed)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # 0A: LISTEN
                inodes.add(fields[9])
    pids = set()
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            links = {os.readlink(fd) for fd in (proc / "fd").iterdir()}
        except OSError:
            continue
        if any(f"socket:[{inode}]" in links for inode in inodes):
            pids.add(int(proc.name))
    return pids


def _wait(predicate, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise TimeoutError("condition not met in time")


def test_two_workers_listen_each_on_their_own_and_a_dead_one_comes_back(tmp_path):
    port = _free_port()
    env = {**os.environ, "VAR_DIR": str(tmp_path), "WARM_UP": "false", "ENV": "test", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "entrypoints.manage", "migrate"], cwd=ROOT, env=env, check=True, timeout=120)
    server = subprocess.Popen([sys.executable, "-m", "entrypoints.http.serve", "--port", str(port), "--workers", "2"],
                              cwd=ROOT, env=env)
    try:
        def two() -> set[int] | None:
            found = _listeners(port)
            return found if len(found) == 2 else None

        workers = _wait(two)
        assert server.pid not in workers  # the supervisor itself never accepts
        for _ in range(20):  # fresh connections: whichever worker the kernel picks answers
            assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code == 200

        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        def replaced() -> set[int] | None:
            found = two()
            return found if found and victim not in found else None

        again = _wait(replaced)
        assert len(again - workers) == 1
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code == 200

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
        assert _listeners(port) == set()

        # A supervisor killed outright takes its workers with it (no orphans serving on).
        server = subprocess.Popen([sys.executable, "-m", "entrypoints.http.serve", "--port", str(port), "--workers",
                                   "2"], cwd=ROOT, env=env)
        _wait(two)
        server.kill()
        server.wait(timeout=10)
        _wait(lambda: not _listeners(port), timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
