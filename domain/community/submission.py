"""A dancer's entry to a challenge; its score comes only from the analysis of its video."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from domain.community.challenge import BadgeRule
from domain.errors import Forbidden, InvalidInput

MAX_CAPTION = 2000
MAX_TAGS = 30
MAX_COMMENT = 1000


class SubmissionStatus(StrEnum):
    PENDING = "pending"  # analysis queued or running
    COMPLETED = "completed"  # analysed, scored
    FAILED = "failed"  # analysis failed; never scored


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmissionMetadata:
    caption: str = ""
    tags: tuple[str, ...] = ()
    location: str | None = None
    is_public: bool = True
    shared_to_feed: bool = True
    highlight_text: str | None = None

    def __post_init__(self) -> None:
        if len(self.caption) > MAX_CAPTION:
            raise InvalidInput(f"Caption is at most {MAX_CAPTION} characters.", field="caption")
        if len(self.tags) > MAX_TAGS or any(not t.strip() or len(t) > 50 for t in self.tags):
            raise InvalidInput(f"At most {MAX_TAGS} tags of 1-50 characters.", field="tags")
        if self.location is not None and len(self.location) > 200:
            raise InvalidInput("Location is at most 200 characters.", field="location")
        if self.highlight_text is not None and len(self.highlight_text) > 500:
            raise InvalidInput("Highlight text is at most 500 characters.", field="highlightText")

    @property
    def in_feed(self) -> bool:
        """A private submission never reaches the feed, whatever sharedToFeed says."""
        return self.is_public and self.shared_to_feed


@dataclass(frozen=True, slots=True, kw_only=True)
class Submission:
    id: str
    challenge_id: str
    user_id: str
    video_key: str
    video_size: int | None = None
    video_duration: float | None = None  # seconds, measured by the analysis
    session_id: str | None = None
    metadata: SubmissionMetadata = field(default_factory=SubmissionMetadata)
    status: SubmissionStatus = SubmissionStatus.PENDING
    total_score: float | None = None
    breakdown: dict[str, float] | None = None
    feedback: str | None = None
    confidence: float | None = None
    pose_data_key: str | None = None
    badge: str | None = None
    analysis_error: str | None = None
    submitted_at: datetime
    processed_at: datetime | None = None
    updated_at: datetime

    def check_owner(self, user_id: str) -> None:
        if self.user_id != user_id:
            raise Forbidden("You can only change your own submission.")

    def with_metadata(self, metadata: SubmissionMetadata, now: datetime) -> Submission:
        return replace(self, metadata=metadata, updated_at=now)

    def analysed(self, *, total_score: float, breakdown: dict[str, float], feedback: str | None,
                 confidence: float | None, pose_data_key: str | None, rule: BadgeRule,
                 finished_at: datetime, video_duration: float | None = None) -> Submission:
        return replace(self, status=SubmissionStatus.COMPLETED,
                       video_duration=video_duration if video_duration is not None else self.video_duration,
                       total_score=total_score, breakdown=dict(breakdown),
                       feedback=feedback, confidence=confidence, pose_data_key=pose_data_key,
                       badge=rule.badge_for(total_score), analysis_error=None, processed_at=finished_at,
                       updated_at=finished_at)

    def analysis_failed(self, reason: str, finished_at: datetime) -> Submission:
        # A failure never carries a score, a breakdown or a badge.
        return replace(self, status=SubmissionStatus.FAILED, total_score=None, breakdown=None, feedback=None,
                       confidence=None, badge=None, analysis_error=reason, processed_at=finished_at,
                       updated_at=finished_at)


def check_comment(text: str) -> str:
    value = text.strip()
    if not value:
        raise InvalidInput("Comment text is required.", field="text")
    if len(value) > MAX_COMMENT:
        raise InvalidInput(f"Comment is at most {MAX_COMMENT} characters.", field="text")
    return value
