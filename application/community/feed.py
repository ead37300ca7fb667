"""The feed (public sessions and public submissions shared to it) and a user's own activities."""

from __future__ import annotations

from dataclasses import dataclass

from application.community.ports import CommunityReader
from application.community.views import Activity, ActivityCounts, FeedItem, Page, check_paging
from domain.errors import InvalidInput
from domain.identity.user import User

FEED_TYPES = {"session": "session", "sessions": "session", "challenge_submission": "challenge_submission",
              "submission": "challenge_submission", "submissions": "challenge_submission",
              "challenge": "challenge_submission", "challenges": "challenge_submission"}
ACTIVITY_TYPES = ("sessions", "challenges", "breakdowns")


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedQueries:
    reader: CommunityReader

    async def feed(self, kind: str | None, page: int, limit: int) -> Page[FeedItem]:
        check_paging(page, limit)
        if kind is not None and kind not in FEED_TYPES:
            raise InvalidInput("type must be 'session' or 'challenge_submission' (or 'submission').", field="type")
        return await self.reader.feed(FEED_TYPES[kind] if kind else None, page, limit)

    async def activities(self, user: User, kind: str | None, page: int,
                         limit: int) -> tuple[Page[Activity], ActivityCounts]:
        check_paging(page, limit)
        if kind is not None and kind not in ACTIVITY_TYPES:
            raise InvalidInput("activity_type must be 'sessions', 'challenges' or 'breakdowns'.",
                               field="activity_type")
        return (await self.reader.activities(user.id, kind, page, limit),
                await self.reader.activity_counts(user.id))
