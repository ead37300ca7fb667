"""Brief in-process caches of the community's hot read pages: leaderboard pages (and callers' ranks), feed pages
and challenge searches.

Correct data first: a cache only serves what the SQL reader computed, and every page is at most ``ttl`` seconds
old. A write committed in this process to a table a page reads from drops the pages at once (``watch_writes``);
another process's writes show within ``ttl``. One refresh per page runs at a time: when a hot page expires, one
request recomputes it and the others are answered with the previous page meanwhile (so a page is at most ``ttl``
plus one refresh old), instead of every request running the same query at once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import replace
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

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

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TtlPages(Generic[K, V]):
    """Values computed on demand, each kept ``ttl`` seconds, one computation per key at a time."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._values: dict[K, tuple[float, V]] = {}
        self._refreshing: dict[K, asyncio.Lock] = {}
        self._generation = 0  # bumped by clear(): a computation that began before it is not stored

    def fresh(self, key: K) -> V | None:
        hit = self._values.get(key)
        return hit[1] if hit and hit[0] > time.monotonic() else None

    def put(self, key: K, value: V, generation: int | None = None) -> None:
        if generation is not None and generation != self._generation:
            return  # computed from rows read before a write that cleared the cache
        if len(self._values) >= MAX_ENTRIES:
            self._values.clear()
        self._values[key] = (time.monotonic() + self.ttl, value)

    def clear(self, keep: Callable[[K], bool] | None = None) -> None:
        self._generation += 1
        self._values = {} if keep is None else {k: v for k, v in self._values.items() if keep(k)}

    def _lock(self, key: K) -> asyncio.Lock:
        lock = self._refreshing.get(key)
        if lock is None:
            if len(self._refreshing) >= MAX_ENTRIES:
                self._refreshing = {k: v for k, v in self._refreshing.items() if v.locked()}
            lock = self._refreshing[key] = asyncio.Lock()
        return lock

    async def get(self, key: K, compute: Callable[[], Awaitable[V | None]]) -> V | None:
        """The fresh value; while another request recomputes an expired one, the previous value (an entry that
        was cleared is gone, not stale); else computed here. ``None`` results are not kept."""
        value = self.fresh(key)
        if value is not None:
            return value
        lock = self._lock(key)
        if lock.locked():
            hit = self._values.get(key)
            if hit is not None:
                return hit[1]
        async with lock:
            value = self.fresh(key)  # another request may have refreshed it while this one waited
            if value is not None:
                return value
            generation = self._generation
            computed = await compute()
            if computed is not None:
                self.put(key, computed, generation)
            return computed


class CommunityCache:
    """The three page caches of one process."""

    def __init__(self, *, leaderboard_ttl: float = 5.0, feed_ttl: float = 1.0) -> None:
        self.leaderboards: TtlPages[tuple[str, int, int], Leaderboard] = TtlPages(leaderboard_ttl)
        self.ranks: TtlPages[tuple[str, str], tuple[int | None]] = TtlPages(leaderboard_ttl)
        self.feed: TtlPages[tuple[str | None, int, int], Page[FeedItem]] = TtlPages(feed_ttl)
        self.feed_totals: TtlPages[str | None, int] = TtlPages(feed_ttl)
        self.searches: TtlPages[ChallengeQuery, Page[ChallengeRow]] = TtlPages(feed_ttl)

    def invalidate(self, challenge_id: str) -> None:
        """A challenge's results changed (a score landed, an entry's visibility changed)."""
        self.leaderboards.clear(keep=lambda k: k[0] != challenge_id)
        self.ranks.clear(keep=lambda k: k[0] != challenge_id)
        self.clear_lists()

    def clear_lists(self) -> None:
        for pages in (self.feed, self.feed_totals, self.searches):
            pages.clear()

    def clear_all(self) -> None:
        for pages in (self.leaderboards, self.ranks):
            pages.clear()
        self.clear_lists()


# What the cached pages read: a committed insert, update or delete on any of these drops them.
WATCHED_TABLES = frozenset({"challenges", "challenge_labels", "challenge_submissions", "dance_sessions",
                            "submission_likes", "submission_comments", "users"})
_CHANGED = "community_pages_changed"


def watch_writes(session_class: type[Session], cache: CommunityCache) -> None:
    """Drop the cached pages when a session of ``session_class`` commits a write to a watched table: the writer's
    next read (and everyone else's in this process) sees the change at once."""

    @event.listens_for(session_class, "do_orm_execute")
    def _mark(state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            table = getattr(state.statement, "table", None)
            if getattr(table, "name", None) in WATCHED_TABLES:
                state.session.info[_CHANGED] = True

    @event.listens_for(session_class, "after_commit")
    def _committed(session: Session) -> None:
        if session.info.pop(_CHANGED, False):
            cache.clear_all()

    @event.listens_for(session_class, "after_rollback")
    def _rolled_back(session: Session) -> None:
        session.info.pop(_CHANGED, None)


class CachedCommunityReader(CommunityReader):
    """The SQL reader, with leaderboard pages, ranks, feed pages and challenge searches served from the cache
    while fresh."""

    def __init__(self, inner: Any, cache: CommunityCache) -> None:
        self.inner = inner
        self.cache = cache

    async def leaderboard(self, challenge_id: str, viewer_id: str, page: int, limit: int) -> Leaderboard | None:
        computed_rank: list[int | None] = []

        async def compute() -> Leaderboard | None:
            fresh: Leaderboard | None = await self.inner.leaderboard(challenge_id, viewer_id, page, limit)
            if fresh is not None:
                computed_rank.append(fresh.user_rank)
                self.cache.ranks.put((challenge_id, viewer_id), (fresh.user_rank,))
            return fresh

        board = await self.cache.leaderboards.get((challenge_id, page, limit), compute)
        if board is None:
            return None
        if computed_rank:
            return board

        async def rank() -> tuple[int | None]:
            return (await self.inner.user_rank(challenge_id, viewer_id),)

        mine = await self.cache.ranks.get((challenge_id, viewer_id), rank)
        return replace(board, user_rank=mine[0] if mine else None)

    async def feed(self, kind: str | None, page: int, limit: int) -> Page[FeedItem]:
        async def compute() -> Page[FeedItem]:
            found: Page[FeedItem] = await self.inner.feed(kind, page, limit,
                                                          known_total=self.cache.feed_totals.fresh(kind))
            self.cache.feed_totals.put(kind, found.total)
            return found

        found = await self.cache.feed.get((kind, page, limit), compute)
        assert found is not None
        return found

    async def challenges(self, q: ChallengeQuery, now: datetime) -> Page[ChallengeRow]:
        async def compute() -> Page[ChallengeRow]:
            return await self.inner.challenges(q, now)  # type: ignore[no-any-return]

        found = await self.cache.searches.get(q, compute)
        assert found is not None
        return found

    async def sessions(self, user_id: str, status: str | None, page: int, limit: int) -> Page[DanceSession]:
        return await self.inner.sessions(user_id, status, page, limit)  # type: ignore[no-any-return]

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

    async def activities(self, user_id: str, kind: str | None, page: int, limit: int) -> Page[Activity]:
        return await self.inner.activities(user_id, kind, page, limit)  # type: ignore[no-any-return]

    async def activity_counts(self, user_id: str) -> ActivityCounts:
        return await self.inner.activity_counts(user_id)  # type: ignore[no-any-return]

    async def active_analyses(self) -> int:
        return await self.inner.active_analyses()  # type: ignore[no-any-return]
