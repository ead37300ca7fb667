"""Background jobs: the durable record of work. The database holds every job; the queue only wakes workers.

A worker *claims* a job (queued and due, or processing with an expired lease), holds it under a lease that its
progress renews, and ends it completed or failed. A transient failure (a dependency unreachable) puts the job back
in the queue after a back-off, up to ``max_attempts`` runs in all; a worker that died leaves a lease that expires,
and the reconciler gives the job to another worker, within the same bound.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from domain.errors import Conflict


class JobStatus(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (JobStatus.COMPLETED, JobStatus.FAILED)


@dataclass(frozen=True, slots=True, kw_only=True)
class Job:
    id: str
    kind: str
    user_id: str | None
    status: JobStatus = JobStatus.QUEUED
    progress: float = 0.0
    stage: str | None = None  # what the job is doing now, in the kind's own words (e.g. "video_assembly")
    message: str | None = None  # a sentence for the user about the current stage
    payload: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    error: str | None = None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    attempts: int = 0  # runs started (claims)
    max_attempts: int = 3
    lease_until: datetime | None = None  # while processing: the worker holds it until then unless renewed
    run_after: datetime | None = None  # a retry waits until then
    published_at: datetime | None = None  # when a queue message last announced it (None: due to be announced)

    def estimated_completion(self) -> datetime | None:
        """When a running job should finish at the pace it has kept so far; its end once finished; None before
        it has made measurable progress (no guess is better than an invented one)."""
        if self.status.finished:
            return self.finished_at
        if self.started_at is None or self.progress < 0.05:
            return None
        elapsed = self.updated_at - self.started_at
        return self.updated_at + elapsed * ((1.0 - self.progress) / self.progress)

    def start(self, now: datetime, lease: timedelta = timedelta(seconds=60)) -> Job:
        """This worker's claim: one more attempt, held under a lease."""
        if self.status.finished:
            raise Conflict(f"Job {self.id} already {self.status.value}.")
        return replace(self, status=JobStatus.PROCESSING, started_at=self.started_at or now, updated_at=now,
                       attempts=self.attempts + 1, lease_until=now + lease, run_after=None)

    def claimable(self, now: datetime) -> bool:
        if self.status is JobStatus.QUEUED:
            return self.run_after is None or self.run_after <= now
        return self.status is JobStatus.PROCESSING and self.lease_expired(now)

    def lease_expired(self, now: datetime) -> bool:
        return self.status is JobStatus.PROCESSING and (self.lease_until is None or self.lease_until < now)

    def renewed(self, now: datetime, lease: timedelta) -> Job:
        return replace(self, lease_until=now + lease, updated_at=now)

    @property
    def attempts_left(self) -> int:
        return max(0, self.max_attempts - self.attempts)

    def retry_later(self, reason: str, now: datetime) -> Job:
        """Back to the queue after a transient failure; the back-off doubles with each attempt (5 s, 10 s, ...)."""
        delay = min(300.0, 5.0 * 2 ** max(0, self.attempts - 1))
        return replace(self, status=JobStatus.QUEUED, error=reason, updated_at=now, lease_until=None,
                       run_after=now + timedelta(seconds=delay), published_at=None)

    def requeued(self, now: datetime) -> Job:
        """Its worker stopped (the lease expired): queue it again at once."""
        return replace(self, status=JobStatus.QUEUED, updated_at=now, lease_until=None, run_after=None,
                       published_at=None)

    def announced(self, now: datetime) -> Job:
        return replace(self, published_at=now)

    def advance(self, progress: float, now: datetime, *, stage: str | None = None,
                message: str | None = None) -> Job:
        """Progress never goes back; a stage or message, when given, replaces the current one."""
        clamped = min(1.0, max(self.progress, progress))
        return replace(self, progress=clamped, updated_at=now, stage=stage or self.stage,
                       message=message or self.message)

    def complete(self, result: dict[str, Any], now: datetime) -> Job:
        return replace(
            self, status=JobStatus.COMPLETED, progress=1.0, result=result, error=None,
            updated_at=now, finished_at=now, lease_until=None,
        )

    def fail(self, reason: str, now: datetime) -> Job:
        return replace(self, status=JobStatus.FAILED, error=reason, updated_at=now, finished_at=now,
                       lease_until=None)
