"""Progress: one idea for every piece of long work.

A job reports ``(fraction, stage, message)`` through an async :class:`Progress`; the runner stores it on the job
row, where every client's polling endpoint reads it. CPU-bound work that runs on a thread (decode, pose, render)
reports a bare fraction through a :data:`FractionDone` callback; :func:`run_reporting` forwards the latest value of
it to the job's :class:`Progress`, mapped into the job's own range, at a bounded rate.
"""

from __future__ import annotations

import asyncio
from abc import abstractmethod
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

T = TypeVar("T")

FractionDone = Callable[[float], None]
"""0..1 done, called from the thread doing the work; must be cheap (it only records the value)."""


class Progress(Protocol):
    @abstractmethod
    async def __call__(self, fraction: float, *, stage: str | None = None, message: str | None = None) -> None:
        """Record how far the job is (0..1, never going back), and optionally its current stage and a message."""


async def ignore_progress(fraction: float, *, stage: str | None = None, message: str | None = None) -> None:
    """A Progress for work nobody polls (the CLI, tests)."""


async def run_reporting(
    work: Callable[[FractionDone], Awaitable[T]],
    progress: Progress,
    *,
    start: float,
    end: float,
    stage: str | None = None,
    message: str | None = None,
    interval: float = 0.5,
    min_step: float = 0.02,
    also: Callable[[float], Awaitable[None]] | None = None,
) -> T:
    """Await ``work(done)`` while forwarding its fraction done, mapped into ``start..end``, every ``interval``
    seconds when it moved by at least ``min_step``; ``also`` gets the same mapped value (e.g. a record's own
    progress column)."""
    latest = 0.0

    def done(fraction: float) -> None:
        nonlocal latest
        latest = max(latest, min(1.0, fraction))

    task = asyncio.ensure_future(work(done))
    saved = -1.0
    while not task.done():
        await asyncio.wait({task}, timeout=interval)
        if task.done() or latest - saved < min_step:
            continue
        saved = latest
        value = start + (end - start) * latest
        if also is not None:
            await also(value)
        await progress(value, stage=stage, message=message)
    return await task
