"""Warm-ups on one machine run one at a time (numba's on-disk cache must not be written by two at once)."""

from __future__ import annotations

import threading
import time
from typing import Any

from entrypoints.warm_up import warm_up_serialised


class SlowEngine:
    def __init__(self, log: list[tuple[str, float]], name: str) -> None:
        self.log, self.name = log, name

    def warm_up(self) -> None:
        self.log.append((f"{self.name} start", time.monotonic()))
        time.sleep(0.3)
        self.log.append((f"{self.name} end", time.monotonic()))


def test_two_warm_ups_do_not_overlap():
    log: list[tuple[str, float]] = []
    engines: list[Any] = [SlowEngine(log, "a"), SlowEngine(log, "b")]
    threads = [threading.Thread(target=warm_up_serialised, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    names = [n for n, _ in sorted(log, key=lambda e: e[1])]
    assert names in (["a start", "a end", "b start", "b end"], ["b start", "b end", "a start", "a end"])
