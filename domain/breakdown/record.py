"""The record of one requested breakdown: its owner, input, status, and then its answer and media or its reason.

The stored answer is spec 001's POST answer without links: links to the media are signed when the breakdown is
read, from the stored keys, so a stored breakdown never carries an expired link.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

from domain.breakdown.model import Mode, TargetDifficulty

MEDIA_NAMES: Final = ("playable", "outline", "thumbnail")


class BreakdownStatus(StrEnum):
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class BreakdownRecord:
    id: str
    user_id: str
    mode: Mode
    target_difficulty: TargetDifficulty
    video_url: str | None = None
    file_key: str | None = None
    job_id: str | None = None
    status: BreakdownStatus = BreakdownStatus.PROCESSING
    answer: dict[str, Any] | None = None  # the POST answer, media links left out
    media: dict[str, str] = field(default_factory=dict)  # playable, outline, thumbnail -> blob key
    error: str | None = None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None

    @property
    def succeeded(self) -> bool:
        return self.status is BreakdownStatus.COMPLETED

    def complete(self, answer: dict[str, Any], media: dict[str, str], now: datetime) -> BreakdownRecord:
        unknown = set(media) - set(MEDIA_NAMES)
        if unknown:
            raise ValueError(f"unknown media {sorted(unknown)}")
        return replace(self, status=BreakdownStatus.COMPLETED, answer=answer, media=dict(media), error=None,
                       updated_at=now, completed_at=now)

    def fail(self, reason: str, now: datetime) -> BreakdownRecord:
        # A failed breakdown keeps no answer and no media: nothing half-way.
        return replace(self, status=BreakdownStatus.FAILED, answer=None, media={}, error=reason, updated_at=now,
                       completed_at=now)
