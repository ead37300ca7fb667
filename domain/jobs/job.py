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
    stage: str | None = None  # what the job is doing now, in the kind's own words (e.g. "video_assembly")
    message: str | None = None  # a sentence for the user about the current stage
    payload: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    error: str | None = None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None

    def estimated_completion(self) -> datetime | None:
        """When a running job should finish at the pace it has kept so far; its end once finished; None before
        it has made measurable progress (no guess is better than an invented one)."""
        if self.status.finished:
            return self.finished_at
        if self.started_at is None or self.progress < 0.05:
            return None
        elapsed = self.updated_at - self.started_at
        return self.updated_at + elapsed * ((1.0 - self.progress) / self.progress)

    def start(self, now: datetime) -> Job:
        if self.status.finished:
            raise Conflict(f"Job {self.id} already {self.status.value}.")
        return replace(self, status=JobStatus.PROCESSING, started_at=now, updated_at=now)

    def advance(self, progress: float, now: datetime, *, stage: str | None = None,
                message: str | None = None) -> Job:
        """Progress never goes back; a stage or message, when given, replaces the current one."""
        clamped = min(1.0, max(self.progress, progress))
        return replace(self, progress=clamped, updated_at=now, stage=stage or self.stage,
                       message=message or self.message)

    def complete(self, result: dict[str, Any], now: datetime) -> Job:
        return replace(
            self, status=JobStatus.COMPLETED, progress=1.0, result=result, error=None,
            updated_at=now, finished_at=now,
        )

    def fail(self, reason: str, now: datetime) -> Job:
        return replace(self, status=JobStatus.FAILED, error=reason, updated_at=now, finished_at=now)
