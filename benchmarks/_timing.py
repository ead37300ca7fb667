"""Where a benchmark's time goes: counters kept inside each server process (requests, wall time inside the app,
SQL statements and their wall time) and CPU seconds read from /proc for the server, PostgreSQL and the load
generator. Used by community_load.py; never part of the product."""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from pathlib import Path
from typing import Any

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class Counters:
    def __init__(self) -> None:
        self.requests = 0
        self.app_seconds = 0.0
        self.sql_statements = 0
        self.sql_seconds = 0.0

    def as_dict(self) -> dict[str, float]:
        return {"requests": self.requests, "app_seconds": self.app_seconds, "sql_statements": self.sql_statements,
                "sql_seconds": self.sql_seconds}


def instrument(app: Any, folder: str) -> Any:
    """Wrap an ASGI app: count its requests and their wall time, every SQL statement any engine runs and its
    wall time (cursor start to end, so it includes waiting for the event loop), and write the totals to
    ``folder/<pid>.json`` twice a second."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    counters = Counters()
    started: dict[int, float] = {}

    @event.listens_for(Engine, "before_cursor_execute")
    def _before(conn: Any, cursor: Any, statement: Any, parameters: Any, context: Any, executemany: Any) -> None:
        started[id(cursor)] = time.perf_counter()

    @event.listens_for(Engine, "after_cursor_execute")
    def _after(conn: Any, cursor: Any, statement: Any, parameters: Any, context: Any, executemany: Any) -> None:
        t0 = started.pop(id(cursor), None)
        if t0 is not None:
            counters.sql_statements += 1
            counters.sql_seconds += time.perf_counter() - t0

    path = Path(folder) / f"{os.getpid()}.json"

    def dump() -> None:
        while True:
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(counters.as_dict()))
            tmp.replace(path)
            time.sleep(0.5)

    threading.Thread(target=dump, daemon=True).start()

    async def timed(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)
        t0 = time.perf_counter()
        try:
            await app(scope, receive, send)
        finally:
            counters.requests += 1
            counters.app_seconds += time.perf_counter() - t0

    return timed


def server_totals(folder: str) -> dict[str, float]:
    total: dict[str, float] = {}
    for f in Path(folder).glob("*.json"):
        for k, v in json.loads(f.read_text()).items():
            total[k] = total.get(k, 0.0) + v
    return total


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            out += [int(c) for c in (task / "children").read_text().split()]
    return out


def cpu_seconds(server_pid: int) -> dict[str, float]:
    """CPU seconds so far of the server (its master and workers) and of every PostgreSQL process."""
    server = _cpu_of(server_pid) + sum(_cpu_of(c) for c in _children(server_pid))
    postgres = 0.0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if (proc / "comm").read_text().strip() == "postgres":
                postgres += _cpu_of(int(proc.name))
        except OSError:
            pass
    return {"server": server, "postgres": postgres}
