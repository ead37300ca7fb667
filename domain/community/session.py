"""A dance session: started, then completed with its video."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from domain.errors import Conflict, Forbidden, InvalidInput, NotFound

MAX_DURATION = 24 * 3600


class SessionStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"


def check_duration(seconds: int | None) -> int:
    if seconds is None:
        return 0
    if not 0 <= seconds <= MAX_DURATION:
        raise InvalidInput("duration must be between 0 and 86400 seconds.", field="duration")
    return seconds


@dataclass(frozen=True, slots=True, kw_only=True)
class DanceSession:
    id: str
    user_id: str
    title: str
    description: str = ""
    dance_style: str | None = None
    location: str | None = None
    duration: int = 0
    tags: tuple[str, ...] = ()
    status: SessionStatus = SessionStatus.ACTIVE
    video_key: str | None = None
    thumbnail_key: str | None = None
    notes: str | None = None
    is_public: bool = True
    started_at: datetime
    completed_at: datetime | None = None
    created_at: datetime

    def __post_init__(self) -> None:
        if not self.title.strip() or len(self.title) > 200:
            raise InvalidInput("Title must be 1-200 characters.", field="title")
        if len(self.tags) > 30:
            raise InvalidInput("At most 30 tags.", field="tags")
        check_duration(self.duration)

    def check_visible_to(self, user_id: str, *, is_admin: bool = False) -> None:
        """Sessions are private to their owner: others get 'not found', not a hint that it exists."""
        if self.user_id != user_id and not is_admin:
            raise NotFound("Session not found")

    def complete(self, *, user_id: str, now: datetime, video_key: str | None, thumbnail_key: str | None,
                 duration: int | None, notes: str | None) -> DanceSession:
        if self.user_id != user_id:
            raise Forbidden("You can only complete your own session.")
        if self.status is SessionStatus.COMPLETED:
            raise Conflict("Session is already completed.")
        if duration is None:
            duration = self.duration or max(0, int((now - self.started_at).total_seconds()))
        return replace(self, status=SessionStatus.COMPLETED, video_key=video_key or self.video_key,
                       thumbnail_key=thumbnail_key or self.thumbnail_key, duration=check_duration(duration),
                       notes=notes if notes is not None else self.notes, completed_at=now)
