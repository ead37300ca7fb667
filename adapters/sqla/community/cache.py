"""A brief in-process cache of hot leaderboard pages (and callers' ranks) and of feed pages.

Entries live ``ttl`` seconds and are dropped at once when a result lands for the challenge in this
process; another process sees a new score at most ``ttl`` late. Correct data first: the cache only serves what
the SQL reader computed.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from datetime import datetime
from typing import Any

from application.community.ports import CommunityReader
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

MAX_ENTRIES = 10_000


class LeaderboardCache:
    def __init__(self, ttl: float = 1.0) -> None:
        self.ttl = ttl
        self._pages: dict[tuple[str, int, int], tuple[float, Leaderboard]] = {}
        self._ranks: dict[tuple[str, str], tuple[float, int | None]] = {}
        self._feed_totals: dict[str | None, tuple[float, int]] = {}
        self._refreshing: dict[tuple[str, int, int], asyncio.Lock] = {}

    def refresh_lock(self, key: tuple[str, int, int]) -> asyncio.Lock:
        """One refresh per page at a time: when a hot page expires, one request recomputes it and the others
        wait for that result instead of all running the same ranking query at once."""
        lock = self._refreshing.get(key)
        if lock is None:
            if len(self._refreshing) >= MAX_ENTRIES:
                self._refreshing = {k: v for k, v in self._refreshing.items() if v.locked()}
            lock = self._refreshing[key] = asyncio.Lock()
        return lock

    def feed_total(self, kind: str | None) -> int | None:
        hit = self._feed_totals.get(kind)
        return hit[1] if hit and hit[0] > time.monotonic() else None

    def put_feed_total(self, kind: str | None, value: int) -> None:
        self._feed_totals[kind] = (time.monotonic() + self.ttl, value)

    def invalidate(self, challenge_id: str) -> None:
        self._pages = {k: v for k, v in self._pages.items() if k[0] != challenge_id}
        self._ranks = {k: v for k, v in self._ranks.items() if k[0] != challenge_id}

    def page(self, key: tuple[str, int, int]) -> Leaderboard | None:
        hit = self._pages.get(key)
        return hit[1] if hit and hit[0] > time.monotonic() else None

    def stale_page(self, key: tuple[str, int, int]) -> Leaderboard | None:
        """The last page computed, however old (an invalidated page is gone, not stale)."""
        hit = self._pages.get(key)
        return hit[1] if hit else None

    def rank(self, key: tuple[str, str]) -> tuple[bool, int | None]:
        hit = self._ranks.get(key)
        return (True, hit[1]) if hit and hit[0] > time.monotonic() else (False, None)

    def put_page(self, key: tuple[str, int, int], value: Leaderboard) -> None:
        if len(self._pages) >= MAX_ENTRIES:
            self._pages.clear()
        self._pages[key] = (time.monotonic() + self.ttl, value)

    def put_rank(self, key: tuple[str, str], value: int | None) -> None:
        if len(self._ranks) >= MAX_ENTRIES:
            self._ranks.clear()
        self._ranks[key] = (time.monotonic() + self.ttl, value)


class CachedCommunityReader(CommunityReader):
    """The SQL reader, with leaderboard pages and ranks served from the cache while fresh."""

    def __init__(self, inner: Any, cache: LeaderboardCache) -> None:
        self.inner = inner
        self.cache = cache

    async def leaderboard(self, challenge_id: str, viewer_id: str, page: int, limit: int) -> Leaderboard | None:
        key = (challenge_id, page, limit)
        board = self.cache.page(key)
        lock = self.cache.refresh_lock(key)
        if board is None and lock.locked():
            # Someone is recomputing this page: answer with the previous one meanwhile (stale by at most the
            # refresh's own duration beyond the ttl) rather than queueing every request behind the query.
            board = self.cache.stale_page(key)
        if board is None:
            async with lock:
                board = self.cache.page(key)  # another request may have refreshed it while this one waited
                if board is None:
                    fresh: Leaderboard | None = await self.inner.leaderboard(challenge_id, viewer_id, page, limit)
                    if fresh is None:
                        return None
                    self.cache.put_page(key, fresh)
                    self.cache.put_rank((challenge_id, viewer_id), fresh.user_rank)
                    return fresh
        known, rank = self.cache.rank((challenge_id, viewer_id))
        if not known:
            rank = await self.inner.user_rank(challenge_id, viewer_id)
            self.cache.put_rank((challenge_id, viewer_id), rank)
        return replace(board, user_rank=rank)

    async def sessions(self, user_id: str, status: str | None, page: int, limit: int) -> Page[DanceSession]:
        return await self.inner.sessions(user_id, status, page, limit)  # type: ignore[no-any-return]

    async def challenges(self, q: ChallengeQuery, now: datetime) -> Page[ChallengeRow]:
        return await self.inner.challenges(q, now)  # type: ignore[no-any-return]

    async def challenge(self, challenge_id: str) -> ChallengeRow | None:
        return await self.inner.challenge(challenge_id)  # type: ignore[no-any-return]

    async def upcoming(self, start: datetime, until: datetime) -> list[Challenge]:
        return await self.inner.upcoming(start, until)  # type: ignore[no-any-return]

    async def categories(self) -> list[str]:
        return await self.inner.categories()  # type: ignore[no-any-return]

    async def tags(self) -> list[str]:
        return await self.inner.tags()  # type: ignore[no-any-return]

    async def challenge_stats(self, challenge_id: str) -> ChallengeStats:
        return await self.inner.challenge_stats(challenge_id)  # type: ignore[no-any-return]

    async def submission(self, submission_id: str) -> SubmissionView | None:
        return await self.inner.submission(submission_id)  # type: ignore[no-any-return]

    async def submissions(self, *, challenge_id: str | None, user_id: str | None, viewer_id: str,
                          public_only: bool, page: int, limit: int) -> Page[SubmissionView]:
        return await self.inner.submissions(  # type: ignore[no-any-return]
            challenge_id=challenge_id, user_id=user_id, viewer_id=viewer_id, public_only=public_only, page=page,
            limit=limit)

    async def feed(self, kind: str | None, page: int, limit: int) -> Page[FeedItem]:
        """Items are always read fresh (a submission made private leaves the feed at once); only the total
        count, the costly part, is reused while fresh."""
        fresh: Page[FeedItem] = await self.inner.feed(kind, page, limit, known_total=self.cache.feed_total(kind))
        self.cache.put_feed_total(kind, fresh.total)
        return fresh

    async def activities(self, user_id: str, kind: str | None, page: int, limit: int) -> Page[Activity]:
        return await self.inner.activities(user_id, kind, page, limit)  # type: ignore[no-any-return]

    async def activity_counts(self, user_id: str) -> ActivityCounts:
        return await self.inner.activity_counts(user_id)  # type: ignore[no-any-return]

    async def active_analyses(self) -> int:
        return await self.inner.active_analyses()  # type: ignore[no-any-return]
