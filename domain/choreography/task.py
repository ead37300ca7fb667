"""A choreography task: one request to generate a video, as clients poll it (spec 003's task object).

Statuses ``pending|started|running|completed|failed``; stages ``generating_blueprint|submitting_job|
video_assembly|uploading_result|completed``. Progress is an integer 0-100 that never goes back. A cancelled task
ends ``failed`` (the two statuses clients stop polling at) with ``cancelled`` set and the reason in ``error``.
Identical requests (same user, same parameters) within ``RESEND_WINDOW`` are the same task: the web client
re-sends a POST after a timeout or a network error.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from domain.errors import DomainError

RESEND_WINDOW = timedelta(seconds=120)
GENERATIONS_PER_HOUR = 10  # spec 003, "Rate Limiting": 10 requests per hour per user
CANCELLED = "Cancelled by the user."


class TaskStatus(StrEnum):
    PENDING = "pending"
    STARTED = "started"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (TaskStatus.COMPLETED, TaskStatus.FAILED)


STAGES = ("generating_blueprint", "submitting_job", "video_assembly", "uploading_result", "completed")


def fingerprint(user_id: str, parameters: dict[str, Any]) -> str:
    """The same request from the same user has the same fingerprint (key order does not matter)."""
    text = json.dumps({"user": user_id, **parameters}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:40]


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskResult:
    video_key: str
    duration: float  # measured on the rendered video
    file_size: int  # bytes of the stored object
    num_moves: int
    difficulty: str
    move_labels: tuple[str, ...] = ()
    blueprint: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"video_key": self.video_key, "duration": self.duration, "file_size": self.file_size,
                "num_moves": self.num_moves, "difficulty": self.difficulty, "move_labels": list(self.move_labels),
                "blueprint": self.blueprint}

    @staticmethod
    def from_dict(data: dict[str, Any]) -> TaskResult:
        return TaskResult(video_key=str(data["video_key"]), duration=float(data["duration"]),
                          file_size=int(data["file_size"]), num_moves=int(data["num_moves"]),
                          difficulty=str(data["difficulty"]), move_labels=tuple(data.get("move_labels", ())),
                          blueprint=dict(data.get("blueprint", {})))


@dataclass(frozen=True, slots=True, kw_only=True)
class ChoreographyTask:
    id: str  # a UUID
    user_id: str
    song_id: int
    difficulty: str
    energy_level: str
    style: str
    status: TaskStatus
    stage: str
    progress: int
    message: str
    created_at: datetime
    updated_at: datetime
    parameters: dict[str, Any] = field(default_factory=dict)  # what a query was parsed into (special requirements)
    query: str | None = None
    fingerprint: str = ""
    job_id: str | None = None
    result: TaskResult | None = None
    error: str | None = None
    cancelled: bool = False
    completed_at: datetime | None = None

    def started(self, job_id: str, now: datetime) -> ChoreographyTask:
        return replace(self, job_id=job_id, status=TaskStatus.STARTED, updated_at=now)

    def advance(self, stage: str, progress: float, message: str, now: datetime) -> ChoreographyTask:
        if self.status.finished:
            return self
        return replace(self, status=TaskStatus.RUNNING, stage=stage, progress=max(self.progress, int(progress)),
                       message=message, updated_at=now)

    def complete(self, result: TaskResult, now: datetime) -> ChoreographyTask:
        return replace(self, status=TaskStatus.COMPLETED, stage="completed", progress=100, result=result,
                       message="Choreography generated successfully", error=None, updated_at=now, completed_at=now)

    def fail(self, reason: str, now: datetime) -> ChoreographyTask:
        if self.status.finished:
            return self
        return replace(self, status=TaskStatus.FAILED, error=reason, message=_failed_message(self.stage),
                       updated_at=now, completed_at=now)

    def cancel(self, now: datetime) -> ChoreographyTask:
        if self.status.finished:
            return self
        return replace(self.fail(CANCELLED, now), cancelled=True, message="Choreography generation cancelled")

    def resend_of(self, now: datetime) -> bool:
        """Is a new identical request at ``now`` a re-send of this one?"""
        return now - self.created_at <= RESEND_WINDOW and self.status is not TaskStatus.FAILED


def _failed_message(stage: str) -> str:
    return {"video_assembly": "Video assembly failed", "uploading_result": "Storage upload failed"}.get(
        stage, "Choreography generation failed")


def retry_after(recent: list[datetime], now: datetime, limit: int = GENERATIONS_PER_HOUR) -> int | None:
    """Seconds until another generation is allowed, or None when one is allowed now (a sliding hour)."""
    window = [t for t in recent if now - t < timedelta(hours=1)]
    if len(window) < limit:
        return None
    oldest = sorted(window)[-limit]
    return max(1, int((oldest + timedelta(hours=1) - now).total_seconds()) + 1)


class GenerationThrottled(DomainError):
    """More generations than the hourly allowance (spec 003: 10 per hour per user)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Request was throttled. Expected available in {retry_after} seconds.")
        self.retry_after = retry_after


class RequestNotUnderstood(DomainError):
    """Spec 003's ``{"error": "Could not parse query. Please be more specific."}``."""
