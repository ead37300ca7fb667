"""Serve the app on the environment's settings with the product's HTTP protocol (a deadline on request headers):
``python -m entrypoints.http.serve --host 127.0.0.1 --port 8000 [--workers N]``. No migration, no seeding
(``python -m entrypoints.manage serve`` does both and then this).

With several workers each gets a listening socket of its own on the same port (SO_REUSEPORT), so the kernel
spreads connections over them. With one shared socket the first worker to wake accepts a whole burst of
connections: measured, all 64 connections of a load test landed on one of two workers, which then served every
request while the other idled (half the throughput, a tail of a second). A worker that dies is started again.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import socket
import time
from typing import Any

import uvicorn

from entrypoints.http.header_deadline import protocol_with
from entrypoints.settings import Settings

DEFAULT_APP = "entrypoints.http.asgi:app_from_env"
BACKLOG = 2048


def listening_socket(host: str, port: int, *, listen: bool = True) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    if listen:
        sock.listen(BACKLOG)
    return sock


def uvicorn_options(app: str, log_level: str) -> dict[str, Any]:
    settings = Settings.from_env()
    proxies = list(settings.trusted_proxy_list)
    return {"app": app, "factory": True, "log_level": log_level, "proxy_headers": bool(proxies),
            "forwarded_allow_ips": proxies or None, "http": protocol_with(settings.header_read_timeout_s),
            "backlog": BACKLOG}


def _end_with_parent() -> None:
    """Linux: this worker gets SIGTERM when its supervisor dies, even by SIGKILL, instead of serving on as an
    orphan nobody stops (prctl PR_SET_PDEATHSIG)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # elsewhere: stopped by the supervisor's own SIGTERM only


def run_worker(app: str, host: str, port: int, log_level: str, parent: int) -> None:
    _end_with_parent()
    if os.getppid() != parent:  # the supervisor died before the line above took effect
        return
    config = uvicorn.Config(**uvicorn_options(app, log_level))
    config.load()  # import and build the app first: the kernel sends connections to a socket once it listens
    uvicorn.Server(config).run(sockets=[listening_socket(host, port)])


def supervise(workers: int, app: str, host: str, port: int, log_level: str) -> None:
    listening_socket(host, port, listen=False).close()  # a taken port fails here, once, not in every worker
    spawn = multiprocessing.get_context("spawn")
    stopping = False

    def start() -> multiprocessing.process.BaseProcess:
        proc = spawn.Process(target=run_worker, args=(app, host, port, log_level, os.getpid()), daemon=False)
        proc.start()
        return proc

    def stop(_signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    procs = [start() for _ in range(workers)]
    while not stopping:
        time.sleep(0.5)
        for i, proc in enumerate(procs):
            if not stopping and not proc.is_alive():
                procs[i] = start()
    for proc in procs:
        if proc.is_alive() and proc.pid is not None:
            proc.terminate()  # SIGTERM: uvicorn finishes the requests in flight, then exits
    for proc in procs:
        proc.join(timeout=30)
        if proc.is_alive():
            proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--log-level", default="warning")
    parser.add_argument("--app", default=DEFAULT_APP, help="the ASGI app factory, module:function")
    args = parser.parse_args()
    if args.workers > 1:
        supervise(args.workers, args.app, args.host, args.port, args.log_level)
    else:
        uvicorn.run(host=args.host, port=args.port, **uvicorn_options(args.app, args.log_level))


if __name__ == "__main__":
    main()
