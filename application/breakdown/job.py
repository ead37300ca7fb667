"""The ``dance-breakdown`` job: run the breakdown of a requested record and end the record completed or failed.

Idempotent: a record that already ended, or that a newer job now runs, is left as it is; media keys are fixed per
breakdown, so a second run overwrites the same files.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from application.breakdown.break_down import BreakDownDance, BreakdownRequest
from application.breakdown.ports import BreakdownRepository
from application.jobs.progress import Progress
from application.ports.persistence import TransactionManager
from application.ports.system import Clock
from domain.breakdown.errors import BreakdownFailed
from domain.breakdown.record import BreakdownStatus
from domain.errors import NotFound
from domain.jobs.job import Job

# BreakDownDance's own fractions: sourced at 0.05, captured by 0.80, described by 0.85, rendered by 0.95.
_STAGES = ((0.05, "fetching"), (0.80, "pose_detection"), (0.85, "describing"), (0.95, "rendering"))


def stage_of(fraction: float) -> str:
    return next((name for below, name in _STAGES if fraction < below), "storing")


@dataclass(frozen=True, slots=True, kw_only=True)
class BreakdownJob:
    work: BreakDownDance
    breakdowns: BreakdownRepository
    tx: TransactionManager
    clock: Clock

    async def __call__(self, job: Job, progress: Progress) -> dict[str, Any]:
        breakdown_id = str(job.payload.get("breakdown_id", ""))
        record = await self.breakdowns.get(breakdown_id)
        if record is None:
            raise NotFound(f"No breakdown {breakdown_id} was requested")
        if record.job_id is not None and record.job_id != job.id:
            return {"breakdown_id": record.id, "superseded_by": record.job_id}
        if record.status is not BreakdownStatus.PROCESSING:
            return {"breakdown_id": record.id, "status": record.status.value}  # a second run: already ended

        last = [-1.0, 0.0]  # fraction and time of the last write

        async def report(fraction: float) -> None:
            # A write per 2 % or per 10 s (the lease is renewed by each write), not per tick of the capture.
            now = time.monotonic()
            if fraction - last[0] >= 0.02 or now - last[1] >= 10.0 or fraction >= 1.0:
                last[:] = [fraction, now]
                await progress(fraction, stage=stage_of(fraction))

        try:
            # A payload never names a local path: that is for the CLI alone.
            payload = {k: v for k, v in job.payload.items() if k != "video_path"} | {"user_id": record.user_id}
            outcome = await self.work.run(BreakdownRequest.of_payload(payload, record.user_id), report)
        except BreakdownFailed as exc:
            failed = (await self.breakdowns.get(record.id) or record).fail(exc.reason, self.clock.now())
            await self.breakdowns.save(failed)
            await self.tx.commit()
            raise
        media = {name: key.value for name, key in outcome.media.items()}
        latest = await self.breakdowns.get(record.id) or record
        await self.breakdowns.save(latest.complete(outcome.answer(), media, self.clock.now()))
        await self.tx.commit()
        return {"breakdown_id": record.id, "total_steps": len(outcome.breakdown.steps), "bpm": outcome.breakdown.bpm,
                "polish_note": outcome.polish_note,
                "stages": {k: round(v, 3) for k, v in outcome.stage_seconds.items()}}


@dataclass(frozen=True, slots=True, kw_only=True)
class FailBreakdownOfJob:
    """A breakdown job that failed for good (a crash, spent attempts, a lost worker) ends its breakdown failed with
    the job's reason, unless a newer job runs it; nothing stays "processing"."""

    breakdowns: BreakdownRepository
    tx: TransactionManager
    clock: Clock

    async def __call__(self, job: Job) -> None:
        record = await self.breakdowns.get(str(job.payload.get("breakdown_id", "")))
        if record is None or record.status is not BreakdownStatus.PROCESSING:
            return
        if record.job_id is not None and record.job_id != job.id:
            return
        await self.breakdowns.save(record.fail(job.error or "The breakdown job ended without a result.",
                                               self.clock.now()))
        await self.tx.commit()
