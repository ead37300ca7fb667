"""Challenges: admin create/update/delete, and the read side (today, lists, search, stats, leaderboard)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from application.community.ports import ChallengeRepository, CommunityReader
from application.community.views import (
    ChallengeQuery,
    ChallengeRow,
    ChallengeStats,
    Leaderboard,
    Page,
    check_paging,
)
from application.ports.persistence import TransactionManager
from application.ports.storage import BlobStore
from application.ports.system import Clock
from domain.community.challenge import Challenge, ScoringCriteria, todays_challenge, upcoming_window
from domain.errors import Forbidden, InvalidInput, NotFound
from domain.identity.user import User
from domain.ids import new_id
from domain.storage.keys import BlobKey

MAX_TAG_FILTERS = 20


def require_admin(user: User) -> None:
    if not user.is_admin:
        raise Forbidden("Admin access required")


@dataclass(frozen=True, slots=True, kw_only=True)
class ChallengeCommand:
    user: User
    title: str
    start_time: datetime
    end_time: datetime
    description: str = ""
    type: str = "freestyle"
    difficulty: str = "beginner"
    demo_video_key: str | None = None
    demo_video_url: str | None = None
    thumbnail_url: str | None = None
    points: int = 100
    badge_name: str | None = None
    badge_icon_url: str | None = None
    category: str | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    scoring_criteria: dict[str, float] | None = None


def _demo_key(raw: str | None) -> str | None:
    return BlobKey.parse(raw).value if raw else None


async def _check_demo_stored(blobs: BlobStore, cmd: ChallengeCommand) -> None:
    """Files before rows: a demo that was never uploaded would fail every submission's comparison."""
    key = _demo_key(cmd.demo_video_key)
    if key is not None and await blobs.info(BlobKey.parse(key)) is None:
        raise InvalidInput("demoVideoFileKey names no stored file; upload the demo video first.",
                           field="demoVideoFileKey")


def _build(cmd: ChallengeCommand, *, challenge_id: str, created_at: datetime, now: datetime,
           created_by: str | None) -> Challenge:
    challenge = Challenge(
        id=challenge_id, title=cmd.title.strip(), description=cmd.description, type=cmd.type,
        difficulty=cmd.difficulty, start_time=cmd.start_time, end_time=cmd.end_time,
        demo_video_key=_demo_key(cmd.demo_video_key), demo_video_url=cmd.demo_video_url,
        thumbnail_url=cmd.thumbnail_url, points=cmd.points, badge_name=cmd.badge_name,
        badge_icon_url=cmd.badge_icon_url, category=cmd.category, categories=cmd.categories,
        tags=cmd.tags, criteria=ScoringCriteria.of(cmd.scoring_criteria), created_by=created_by,
        created_at=created_at, updated_at=now,
    )
    return challenge.synced(now)


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateChallenge:
    challenges: ChallengeRepository
    blobs: BlobStore
    tx: TransactionManager
    clock: Clock

    async def __call__(self, cmd: ChallengeCommand) -> Challenge:
        require_admin(cmd.user)
        await _check_demo_stored(self.blobs, cmd)
        now = self.clock.now()
        challenge = _build(cmd, challenge_id=new_id(now.timestamp()), created_at=now, now=now,
                           created_by=cmd.user.id)
        await self.challenges.add(challenge)
        await self.tx.commit()
        return challenge


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateChallenge:
    challenges: ChallengeRepository
    blobs: BlobStore
    tx: TransactionManager
    clock: Clock

    async def __call__(self, challenge_id: str, cmd: ChallengeCommand) -> Challenge:
        require_admin(cmd.user)
        await _check_demo_stored(self.blobs, cmd)
        current = await self.challenges.get(challenge_id)
        if current is None:
            raise NotFound("Challenge not found")
        challenge = _build(cmd, challenge_id=current.id, created_at=current.created_at, now=self.clock.now(),
                           created_by=current.created_by)
        await self.challenges.save(challenge)
        await self.tx.commit()
        return challenge


@dataclass(frozen=True, slots=True, kw_only=True)
class DeleteChallenge:
    """Deletes the challenge with its submissions (cascade); its demo video blob goes too."""

    challenges: ChallengeRepository
    blobs: BlobStore
    tx: TransactionManager

    async def __call__(self, user: User, challenge_id: str) -> None:
        require_admin(user)
        current = await self.challenges.get(challenge_id)
        if current is None:
            raise NotFound("Challenge not found")
        await self.challenges.delete(challenge_id)
        await self.tx.commit()
        if current.demo_video_key:
            await self.blobs.delete(BlobKey.parse(current.demo_video_key))


@dataclass(frozen=True, slots=True, kw_only=True)
class TodayChallenge:
    challenge: Challenge
    row: ChallengeRow
    now: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ChallengeQueries:
    """The read side of challenges: each method checks its input, then asks the reader."""

    challenges: ChallengeRepository
    reader: CommunityReader
    clock: Clock

    async def today(self) -> TodayChallenge:
        now = self.clock.now()
        challenge = todays_challenge(await self.challenges.open_at(now), now)
        if challenge is None:
            raise NotFound("No active challenge today")
        row = await self.reader.challenge(challenge.id)
        assert row is not None
        return TodayChallenge(challenge=challenge, row=row, now=now)

    async def get(self, challenge_id: str) -> ChallengeRow:
        row = await self.reader.challenge(challenge_id)
        if row is None:
            raise NotFound("Challenge not found")
        return row

    async def search(self, q: ChallengeQuery) -> Page[ChallengeRow]:
        check_paging(q.page, q.limit)
        if len(q.tags) > MAX_TAG_FILTERS:
            from domain.errors import InvalidInput

            raise InvalidInput(f"At most {MAX_TAG_FILTERS} tags.", field="tags")
        return await self.reader.challenges(q, self.clock.now())

    async def upcoming(self, days: int) -> list[Challenge]:
        start, until = upcoming_window(self.clock.now(), days)
        return await self.reader.upcoming(start, until)

    async def categories(self) -> list[str]:
        return await self.reader.categories()

    async def tags(self) -> list[str]:
        return await self.reader.tags()

    async def stats(self, challenge_id: str) -> ChallengeStats:
        await self.get(challenge_id)
        return await self.reader.challenge_stats(challenge_id)

    async def leaderboard(self, user: User, challenge_id: str, page: int, limit: int) -> Leaderboard:
        check_paging(page, limit)
        board = await self.reader.leaderboard(challenge_id, user.id, page, limit)
        if board is None:
            raise NotFound("Challenge not found")
        return board

    def now(self) -> datetime:
        return self.clock.now()


