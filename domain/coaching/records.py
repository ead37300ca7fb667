"""The swing coach's records: an uploaded swing video and an analysis of it, with public integer ids.

The FutureGolf app decodes ids as Swift ``Int`` and puts them in paths, so ids are JSON integers; they are random
and 53 bits wide (1 .. 2**53 - 1, the integers a JavaScript or JSON double holds exactly), so that nobody can walk
through other people's videos by counting. Ownership is still checked on every read: another user's video or
analysis is "not found".
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from domain.errors import DomainError, InvalidInput, NotFound, TooLarge

MAX_PUBLIC_ID = 2**53 - 1


def new_public_id() -> int:
    """Uniform in 1 .. 2**53 - 1 from the OS's CSPRNG."""
    return secrets.randbelow(MAX_PUBLIC_ID) + 1


def parse_public_id(raw: str | int, what: str) -> int:
    """A path segment as an id; anything else is simply not found (no hint that the format was wrong)."""
    try:
        value = int(raw)
    except (TypeError, ValueError) as exc:
        raise CoachingNotFound(f"{what} not found", f"{what.lower()}_not_found") from exc
    if not 1 <= value <= MAX_PUBLIC_ID:
        raise CoachingNotFound(f"{what} not found", f"{what.lower()}_not_found")
    return value


class Coded:
    """Mixed into the coaching errors: a stable machine-readable ``code`` next to the readable message."""

    code: str = "error"


class CoachingNotFound(NotFound, Coded):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class BadUpload(InvalidInput, Coded):
    def __init__(self, message: str, code: str, field: str | None = "video_file") -> None:
        super().__init__(message, field=field)
        self.code = code


class UploadTooLarge(TooLarge, Coded):
    def __init__(self, message: str, code: str = "file_too_large") -> None:
        super().__init__(message)
        self.code = code


class DailyLimitReached(DomainError, Coded):
    """The plan's analyses for today are used up; ``retry_after`` seconds until the next UTC day."""

    code = "daily_limit_reached"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class VideoStatus(StrEnum):
    UPLOADED = "uploaded"


class SwingAnalysisStatus(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (SwingAnalysisStatus.COMPLETED, SwingAnalysisStatus.FAILED)


@dataclass(frozen=True, slots=True, kw_only=True)
class VideoMetadata:
    """What the client said about the video (spec 004's ``metadata`` part), next to what we measured."""

    duration: float | None = None
    resolution: str | None = None
    fps: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SwingVideo:
    id: int
    user_id: str
    file_key: str
    filename: str
    content_type: str
    size: int
    title: str | None
    declared: VideoMetadata  # as sent
    duration: float  # as measured from the file
    width: int
    height: int
    fps: float
    status: VideoStatus
    created_at: datetime

    def metadata(self) -> dict[str, Any]:
        return {"duration": round(self.duration, 3), "resolution": f"{self.width}x{self.height}",
                "fps": round(self.fps, 3), "width": self.width, "height": self.height}


@dataclass(frozen=True, slots=True, kw_only=True)
class SwingAnalysisRecord:
    id: int
    video_id: int
    user_id: str
    job_id: str | None
    status: SwingAnalysisStatus
    stage: str | None = None
    progress: float = 0.0
    playback_speed: float = 0.25
    result: dict[str, Any] | None = None  # SwingAnalysisResult.to_dict() with the app's ai_analysis
    composited_video_key: str | None = None
    error: str | None = None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None

    def start(self, now: datetime) -> SwingAnalysisRecord:
        return replace(self, status=SwingAnalysisStatus.PROCESSING, updated_at=now)

    def advance(self, stage: str, progress: float, now: datetime) -> SwingAnalysisRecord:
        return replace(self, stage=stage, progress=max(self.progress, min(1.0, progress)), updated_at=now)

    def complete(self, result: dict[str, Any], composited_key: str | None, now: datetime) -> SwingAnalysisRecord:
        return replace(self, status=SwingAnalysisStatus.COMPLETED, result=result, composited_video_key=composited_key,
                       stage="done", progress=1.0, error=None, updated_at=now, completed_at=now)

    def fail(self, reason: str, now: datetime) -> SwingAnalysisRecord:
        return replace(self, status=SwingAnalysisStatus.FAILED, error=reason, updated_at=now, completed_at=now)


def start_of_day(now: datetime) -> datetime:
    """Plans count analyses per UTC day."""
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanLimits:
    """Analyses per UTC day: ``free`` for ordinary accounts, ``pro`` unlimited (None), and the shared anonymous
    account of the FutureGolf app its own (it stands for every app install that reaches this server)."""

    free_per_day: int = 5
    pro_per_day: int | None = None
    anonymous_per_day: int | None = 200
    pro_emails: frozenset[str] = frozenset()

    def plan_of(self, email: str, is_admin: bool, anonymous: bool) -> str:
        if anonymous:
            return "anonymous"
        return "pro" if is_admin or email.lower() in self.pro_emails else "free"

    def limit_of(self, plan: str) -> int | None:
        return {"free": self.free_per_day, "pro": self.pro_per_day}.get(plan, self.anonymous_per_day)

    def check(self, plan: str, used_today: int, now: datetime) -> None:
        limit = self.limit_of(plan)
        if limit is not None and used_today >= limit:
            retry = int((start_of_day(now) + timedelta(days=1) - now).total_seconds()) + 1
            raise DailyLimitReached(
                f"The {plan} plan allows {limit} swing analyses per day and {used_today} were started today; "
                f"the count restarts at 00:00 UTC (in {retry} s). The pro plan has no daily limit.", retry)


# Progress of an analysis, per stage of spec 004's progress indicators, from the job's overall fraction. The job
# handler reports these ranges (application/coaching/job.py); "upload" is complete once the video is stored.
STAGES: tuple[tuple[str, float, float], ...] = (
    ("upload", 0.0, 0.0),
    ("pose_detection", 0.02, 0.65),
    ("analysis", 0.65, 0.70),
    ("video_composition", 0.70, 0.98),
)
STAGE_NAMES = tuple(name for name, _, _ in STAGES)


def stage_progress(status: SwingAnalysisStatus, stage: str | None, fraction: float) -> dict[str, float]:
    """Each stage's share done, 0..1: stages before the current one are done, later ones not started."""
    if status is SwingAnalysisStatus.COMPLETED:
        return {name: 1.0 for name in STAGE_NAMES}
    out: dict[str, float] = {}
    current = STAGE_NAMES.index(stage) if stage in STAGE_NAMES else None
    for i, (name, start, end) in enumerate(STAGES):
        if name == "upload" or (current is not None and i < current):
            out[name] = 1.0
        elif current is not None and i > current:
            out[name] = 0.0
        else:
            share = (fraction - start) / (end - start)
            out[name] = round(max(0.0, min(1.0, share)), 3)
    return out


def check_title(title: str | None) -> str | None:
    if title is None:
        return None
    clean = " ".join(title.split())
    if len(clean) > 200:
        raise InvalidInput("title must be at most 200 characters.", field="title")
    return clean or None
