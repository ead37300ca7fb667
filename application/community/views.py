"""Read models: what the read-side queries return (straight from SQL, no aggregates loaded)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from domain.community.challenge import Challenge
from domain.community.session import DanceSession
from domain.community.submission import Submission
from domain.errors import InvalidInput

T = TypeVar("T")

MAX_LIMIT = 100


MAX_PAGE = 1_000_000


def check_paging(page: int, limit: int) -> tuple[int, int]:
    if page < 1:
        raise InvalidInput("page starts at 1.", field="page")
    if page > MAX_PAGE:  # an offset past this is no page anyone reads, and overflows the database's integers
        raise InvalidInput(f"page must be at most {MAX_PAGE}.", field="page")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}.", field="limit")
    return page, limit


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    limit: int

    @property
    def total_pages(self) -> int:
        return (self.total + self.limit - 1) // self.limit if self.total else 0

    @property
    def has_more(self) -> bool:
        return self.page * self.limit < self.total


@dataclass(frozen=True, slots=True)
class Profile:
    user_id: str
    display_name: str
    avatar_url: str | None
    level: int


@dataclass(frozen=True, slots=True)
class ChallengeTotals:
    total_submissions: int = 0
    participant_count: int = 0
    average_score: float | None = None
    top_score: float | None = None


@dataclass(frozen=True, slots=True)
class ChallengeRow:
    challenge: Challenge
    totals: ChallengeTotals


@dataclass(frozen=True, slots=True, kw_only=True)
class ChallengeQuery:
    query: str | None = None
    type: str | None = None
    difficulty: str | None = None
    category: str | None = None
    tags: tuple[str, ...] = ()
    active_only: bool = True
    page: int = 1
    limit: int = 20


@dataclass(frozen=True, slots=True)
class ChallengeStats:
    challenge_id: str
    total_submissions: int
    analysed_submissions: int
    average_score: float | None
    top_score: float | None
    distribution: dict[str, int]
    participation_rate: float
    completion_rate: float


@dataclass(frozen=True, slots=True)
class CommentView:
    id: str
    user: Profile
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SubmissionView:
    submission: Submission
    user: Profile
    challenge_title: str
    challenge_type: str
    likes: list[str] = field(default_factory=list)
    comments: list[CommentView] = field(default_factory=list)
    shares: int = 0


@dataclass(frozen=True, slots=True)
class LeaderboardEntry:
    rank: int
    user: Profile
    submission_id: str
    score: float
    breakdown: dict[str, float] | None
    submitted_at: datetime


@dataclass(frozen=True, slots=True)
class Leaderboard:
    challenge_id: str
    challenge_title: str
    entries: list[LeaderboardEntry]
    total: int
    user_rank: int | None
    page: int
    limit: int


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedItem:
    kind: str  # "session" | "challenge_submission"
    id: str
    user: Profile
    created_at: datetime
    title: str
    dance_style: str | None = None
    duration: int | None = None
    video_key: str | None = None
    thumbnail_key: str | None = None
    challenge_id: str | None = None
    challenge_title: str | None = None
    total_score: float | None = None
    badge: str | None = None
    caption: str | None = None
    likes: int = 0
    comments: int = 0
    shares: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Activity:
    kind: str  # "session" | "challenge" | "breakdown"
    id: str
    at: datetime
    title: str
    duration_seconds: int | None = None
    style: str | None = None
    score: float | None = None
    is_public: bool = True
    video_key: str | None = None
    thumbnail_key: str | None = None
    status: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    likes: int = 0
    comments: int = 0


@dataclass(frozen=True, slots=True)
class ActivityCounts:
    sessions: int
    challenges: int
    breakdowns: int

    @property
    def total(self) -> int:
        return self.sessions + self.challenges + self.breakdowns


@dataclass(frozen=True, slots=True)
class JobStatusView:
    last_rotation: datetime | None
    last_cleanup: datetime | None
    active_analyses: int
    healthy: bool


__all__ = ["DanceSession"]
