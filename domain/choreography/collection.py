"""Saved choreographies (a user's collection) and the statistics its page shows.

An item is a completed task saved under a title; it keeps the task's measured duration and video key, so the
video stays alive while the item exists (render retention skips referenced videos). ``recent`` means saved in the
last ``RECENT_DAYS`` days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

DIFFICULTIES = ("beginner", "intermediate", "advanced")
RECENT_DAYS = 7
COLLECTION_ORDERINGS = ("created_at", "-created_at", "title", "-title", "duration", "-duration", "difficulty",
                        "-difficulty")
MAX_NOTES = 500


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedChoreography:
    id: str
    user_id: str
    task_id: str | None
    title: str
    difficulty: str
    notes: str
    duration: float
    video_key: str | None
    music_info: dict[str, Any] = field(default_factory=dict)
    generation_parameters: dict[str, Any] = field(default_factory=dict)
    created_at: datetime
    updated_at: datetime

    def edited(self, now: datetime, *, title: str | None = None, difficulty: str | None = None,
               notes: str | None = None) -> SavedChoreography:
        return replace(self, title=self.title if title is None else title,
                       difficulty=self.difficulty if difficulty is None else difficulty,
                       notes=self.notes if notes is None else notes, updated_at=now)


@dataclass(frozen=True, slots=True)
class CollectionFilter:
    search: str | None = None  # in title, notes and the song's title/artist
    difficulty: str | None = None
    ordering: str = "-created_at"


@dataclass(frozen=True, slots=True)
class CollectionStats:
    total_count: int
    total_duration: float
    by_difficulty: dict[str, int]
    recent_count: int


def collection_stats(items: Sequence[SavedChoreography], now: datetime) -> CollectionStats:
    by = dict.fromkeys(DIFFICULTIES, 0)
    for item in items:
        by[item.difficulty] = by.get(item.difficulty, 0) + 1
    since = now - timedelta(days=RECENT_DAYS)
    return CollectionStats(total_count=len(items), total_duration=round(sum(i.duration for i in items), 2),
                           by_difficulty=by, recent_count=sum(1 for i in items if i.created_at >= since))


def default_title(song_title: str | None, style: str | None, difficulty: str | None) -> str:
    """The web client's default save title (its title field cannot be edited)."""
    level = (difficulty or "intermediate").capitalize()
    if song_title:
        return f"{song_title} - {level}"
    if style:
        return f"{style.capitalize()} {level} Choreography"
    return f"{level} Choreography"
