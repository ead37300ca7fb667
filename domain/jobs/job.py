"""Background jobs: a durable record of work handed to the queue, so a status survives restarts."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
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
    payload: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    error: str | None = None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None

    def start(self, now: datetime) -> Job:
        if self.status.finished:
            raise Conflict(f"Job {self.id} already {self.status.value}.")
        return replace(self, status=JobStatus.PROCESSING, started_at=now, updated_at=now)

    def advance(self, progress: float, now: datetime) -> Job:
        clamped = min(1.0, max(self.progress, progress))
        return replace(self, progress=clamped, updated_at=now)

    def complete(self, result: dict[str, Any], now: datetime) -> Job:
        return replace(
            self, status=JobStatus.COMPLETED, progress=1.0, result=result, error=None,
            updated_at=now, finished_at=now,
        )

    def fail(self, reason: str, now: datetime) -> Job:
        return replace(self, status=JobStatus.FAILED, error=reason, updated_at=now, finished_at=now)
