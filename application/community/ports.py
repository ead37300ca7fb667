"""Ports of the community features: repositories (write side) and readers (read side)."""

from __future__ import annotations

from abc import abstractmethod
from datetime import datetime
from typing import Any, Protocol

from application.community.views import (
    Activity,
    ActivityCounts,
    ChallengeQuery,
    ChallengeRow,
    ChallengeStats,
    FeedItem,
    Leaderboard,
    Page,
    SubmissionView,
)
from domain.community.challenge import Challenge
from domain.community.session import DanceSession
from domain.community.submission import Submission


class SessionRepository(Protocol):
    @abstractmethod
    async def add(self, session: DanceSession) -> None: ...

    @abstractmethod
    async def save(self, session: DanceSession) -> None: ...

    @abstractmethod
    async def get(self, session_id: str) -> DanceSession | None: ...


class ChallengeRepository(Protocol):
    @abstractmethod
    async def add(self, challenge: Challenge) -> None: ...

    @abstractmethod
    async def save(self, challenge: Challenge) -> None: ...

    @abstractmethod
    async def get(self, challenge_id: str) -> Challenge | None: ...

    @abstractmethod
    async def delete(self, challenge_id: str) -> None: ...

    @abstractmethod
    async def open_at(self, now: datetime) -> list[Challenge]:
        """Challenges whose window contains ``now``."""

    @abstractmethod
    async def out_of_sync(self, now: datetime) -> list[Challenge]:
        """Challenges whose stored active flag disagrees with their window at ``now``."""

    @abstractmethod
    async def set_active(self, ids: tuple[str, ...], active: bool, now: datetime) -> int: ...

    @abstractmethod
    async def ended_before(self, before: datetime) -> list[tuple[Challenge, int]]:
        """Challenges that ended before ``before``, each with its number of submissions (the retention rule
        decides; the query only counts)."""

    @abstractmethod
    async def by_title(self, title: str) -> Challenge | None: ...


class SubmissionRepository(Protocol):
    @abstractmethod
    async def add(self, submission: Submission) -> None:
        """Raises Conflict when the user already submitted to the challenge (a UNIQUE constraint)."""

    @abstractmethod
    async def save(self, submission: Submission) -> None: ...

    @abstractmethod
    async def get(self, submission_id: str) -> Submission | None: ...

    @abstractmethod
    async def failed_before(self, before: datetime) -> list[Submission]: ...

    @abstractmethod
    async def delete(self, submission_ids: list[str]) -> int: ...

    @abstractmethod
    async def challenge_ids_with_scores(self) -> list[str]: ...


class SocialRepository(Protocol):
    @abstractmethod
    async def like(self, submission_id: str, user_id: str, now: datetime) -> bool:
        """True when the like is new."""

    @abstractmethod
    async def unlike(self, submission_id: str, user_id: str) -> bool: ...

    @abstractmethod
    async def comment(self, comment_id: str, submission_id: str, user_id: str, text: str, now: datetime) -> None: ...

    @abstractmethod
    async def share(self, submission_id: str) -> int:
        """Counts one share; returns the new count."""

    @abstractmethod
    async def likes_count(self, submission_id: str) -> int: ...


class JobRunRepository(Protocol):
    @abstractmethod
    async def record(self, run_id: str, kind: str, started_at: datetime, finished_at: datetime,
                     details: dict[str, Any]) -> None: ...

    @abstractmethod
    async def last(self, kind: str) -> datetime | None: ...


class CommunityReader(Protocol):
    @abstractmethod
    async def sessions(self, user_id: str, status: str | None, page: int, limit: int) -> Page[DanceSession]: ...

    @abstractmethod
    async def challenges(self, q: ChallengeQuery, now: datetime) -> Page[ChallengeRow]: ...

    @abstractmethod
    async def challenge(self, challenge_id: str) -> ChallengeRow | None: ...

    @abstractmethod
    async def upcoming(self, start: datetime, until: datetime) -> list[Challenge]: ...

    @abstractmethod
    async def categories(self) -> list[str]: ...

    @abstractmethod
    async def tags(self) -> list[str]: ...

    @abstractmethod
    async def challenge_stats(self, challenge_id: str) -> ChallengeStats: ...

    @abstractmethod
    async def submission(self, submission_id: str) -> SubmissionView | None: ...

    @abstractmethod
    async def submissions(self, *, challenge_id: str | None, user_id: str | None, viewer_id: str,
                          public_only: bool, page: int, limit: int) -> Page[SubmissionView]:
        """Newest first. ``public_only`` drops private ones; otherwise private ones show to their owner only."""

    @abstractmethod
    async def leaderboard(self, challenge_id: str, viewer_id: str, page: int, limit: int) -> Leaderboard | None:
        """Analysed public submissions ranked by score (desc), then earlier submission, in SQL; None when the
        challenge does not exist."""

    @abstractmethod
    async def feed(self, kind: str | None, page: int, limit: int) -> Page[FeedItem]: ...

    @abstractmethod
    async def activities(self, user_id: str, kind: str | None, page: int, limit: int) -> Page[Activity]: ...

    @abstractmethod
    async def activity_counts(self, user_id: str) -> ActivityCounts: ...

    @abstractmethod
    async def active_analyses(self) -> int: ...
