"""The reconciler loop: every few seconds, jobs that are due but not running are announced again, jobs whose
worker died are queued again (or failed once their attempts are spent), and records whose job ended are ended.

It runs in each worker and in the in-process app (and as a scheduler tick); passes are compare-and-set, so any
number of them may run at once. A pass that meets an outage logs it and the next pass tries again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from dishka import AsyncContainer

from application.analysis.job import RepairStuckAnalyses
from application.jobs.runner import ReconcileJobs

log = logging.getLogger(__name__)


async def reconcile_once(container: AsyncContainer) -> None:
    async with container() as scope:
        result = await (await scope.get(ReconcileJobs))()
    async with container() as scope:
        repaired = await (await scope.get(RepairStuckAnalyses))()
    if result.announced or result.requeued or result.failed or repaired:
        log.info("reconciled jobs: %d announced again, %d requeued, %d failed; %d analyses ended",
                 result.announced, result.requeued, result.failed, repaired)


async def reconcile_forever(container: AsyncContainer, interval: float) -> None:
    while True:
        try:
            await reconcile_once(container)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # an outage: say so, try again next round
            log.warning("reconciler pass failed (%s: %s); next pass in %.0f s", type(exc).__name__, exc, interval)
        await asyncio.sleep(interval)


def start(container: AsyncContainer, interval: float) -> asyncio.Task[None]:
    return asyncio.create_task(reconcile_forever(container, interval), name="job-reconciler")


async def stop(task: asyncio.Task[None] | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
