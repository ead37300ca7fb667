"""iDance challenges: CRUD (admin), today, search, categories, tags, category listing, upcoming, detail, list,
stats, leaderboard.

Collisions between the documents: create answers with both `challengeId` (000) and `challenge_id` (000, 001);
the body takes `category` (000) and `categories` (001), `demoVideoFileKey` (000) and `demoVideoURL` (001)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Response, Router, delete, get, post, put

from application.community.challenges import (
    ChallengeCommand,
    ChallengeQueries,
    CreateChallenge,
    DeleteChallenge,
    UpdateChallenge,
)
from application.community.views import ChallengeQuery, ChallengeRow, Page
from application.ports.storage import BlobStore
from entrypoints.http.auth import Caller
from entrypoints.http.common.rendered import RenderedPages
from entrypoints.http.common.schemas import iso
from entrypoints.http.idance.present import (
    ChallengeOut,
    Pagination,
    UserProfileOut,
    challenge_out,
    pagination,
    profile_out,
)

Str200 = Annotated[str, msgspec.Meta(max_length=200)]
Url = Annotated[str, msgspec.Meta(max_length=2048)]


class ChallengeBody(msgspec.Struct, rename="camel", kw_only=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    start_time: datetime
    end_time: datetime
    description: Annotated[str, msgspec.Meta(max_length=5000)] = ""
    type: Annotated[str, msgspec.Meta(max_length=64)] = "freestyle"
    difficulty: str = "beginner"
    demo_video_file_key: Annotated[str, msgspec.Meta(max_length=512)] | None = None
    demo_video_url: Url | None = msgspec.field(default=None, name="demoVideoURL")
    thumbnail_url: Url | None = msgspec.field(default=None, name="thumbnailURL")
    points: Annotated[int, msgspec.Meta(ge=0, le=100000)] = 100
    badge_name: Str200 | None = None
    badge_icon_url: Url | None = msgspec.field(default=None, name="badgeIconURL")
    category: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    categories: list[Annotated[str, msgspec.Meta(max_length=64)]] = []
    tags: list[Annotated[str, msgspec.Meta(max_length=64)]] = []
    scoring_criteria: dict[str, float] | None = None


def command(data: ChallengeBody, caller: Caller) -> ChallengeCommand:
    return ChallengeCommand(
        user=caller.user, title=data.title, start_time=data.start_time, end_time=data.end_time,
        description=data.description, type=data.type, difficulty=data.difficulty,
        demo_video_key=data.demo_video_file_key, demo_video_url=data.demo_video_url,
        thumbnail_url=data.thumbnail_url, points=data.points, badge_name=data.badge_name,
        badge_icon_url=data.badge_icon_url, category=data.category, categories=tuple(data.categories),
        tags=tuple(data.tags), scoring_criteria=data.scoring_criteria,
    )


def saved(message: str, challenge_id: str) -> dict[str, str]:
    return {"message": message, "challengeId": challenge_id, "challenge_id": challenge_id}


@post("/", status_code=200, summary="Create a challenge (admin)")
@inject
async def create(data: ChallengeBody, caller: FromDishka[Caller], use_case: FromDishka[CreateChallenge]) -> dict[
        str, str]:
    challenge = await use_case(command(data, caller))
    return saved("Challenge created successfully", challenge.id)


@put("/{challenge_id:str}", summary="Update a challenge (admin)")
@inject
async def update(challenge_id: str, data: ChallengeBody, caller: FromDishka[Caller],
                 use_case: FromDishka[UpdateChallenge]) -> dict[str, str]:
    challenge = await use_case(challenge_id, command(data, caller))
    return saved("Challenge updated successfully", challenge.id)


@delete("/{challenge_id:str}", status_code=200, summary="Delete a challenge and its submissions (admin)")
@inject
async def remove(challenge_id: str, caller: FromDishka[Caller], use_case: FromDishka[DeleteChallenge]) -> dict[
        str, str]:
    await use_case(caller.user, challenge_id)
    return saved("Challenge deleted successfully", challenge_id)


@get("/today")
@inject
async def today(caller: FromDishka[Caller], queries: FromDishka[ChallengeQueries],
                blobs: FromDishka[BlobStore]) -> ChallengeOut:
    found = await queries.today()
    return await challenge_out(found.row, blobs, found.now)


class SearchBody(msgspec.Struct, kw_only=True):
    query: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    type: str | None = None
    difficulty: str | None = None
    category: str | None = None
    tags: list[str] = []
    active_only: bool = True
    page: int = 1
    limit: int = 20


class ChallengePage(msgspec.Struct):
    challenges: list[ChallengeOut]
    total: int
    page: int
    limit: int
    pagination: Pagination


async def challenge_page(found: Page[ChallengeRow], blobs: BlobStore, queries: ChallengeQueries) -> ChallengePage:
    now = queries.now()
    return ChallengePage(challenges=[await challenge_out(r, blobs, now) for r in found.items], total=found.total,
                         page=found.page, limit=found.limit, pagination=pagination(found))


SEARCH_ANSWERS = RenderedPages()


@post("/search", status_code=200)
@inject
async def search(data: SearchBody, caller: FromDishka[Caller], queries: FromDishka[ChallengeQueries],
                 blobs: FromDishka[BlobStore]) -> Response[ChallengePage]:
    q = ChallengeQuery(query=data.query, type=data.type, difficulty=data.difficulty, category=data.category,
                       tags=tuple(data.tags), active_only=data.active_only, page=data.page, limit=data.limit)
    found = await queries.search(q)

    async def render() -> bytes:
        return msgspec.json.encode(await challenge_page(found, blobs, queries))

    return await SEARCH_ANSWERS.answer(q, found, render)  # type: ignore[return-value]


@get("/categories")
@inject
async def categories(caller: FromDishka[Caller], queries: FromDishka[ChallengeQueries]) -> list[str]:
    return await queries.categories()


@get("/tags")
@inject
async def tags(caller: FromDishka[Caller], queries: FromDishka[ChallengeQueries]) -> list[str]:
    return await queries.tags()


@get("/category/{category:str}")
@inject
async def by_category(category: str, caller: FromDishka[Caller], queries: FromDishka[ChallengeQueries],
                      blobs: FromDishka[BlobStore], page: int = 1, limit: int = 20,
                      active_only: bool = True) -> ChallengePage:
    found = await queries.search(ChallengeQuery(category=category, active_only=active_only, page=page, limit=limit))
    return await challenge_page(found, blobs, queries)


@get("/upcoming")
@inject
async def upcoming(caller: FromDishka[Caller], queries: FromDishka[ChallengeQueries], blobs: FromDishka[BlobStore],
                   days: int = 7) -> list[ChallengeOut]:
    from application.community.views import ChallengeTotals

    now = queries.now()
    return [await challenge_out(ChallengeRow(c, ChallengeTotals()), blobs, now) for c in await queries.upcoming(days)]


@get("/")
@inject
async def list_challenges(caller: FromDishka[Caller], queries: FromDishka[ChallengeQueries],
                          blobs: FromDishka[BlobStore], page: int = 1, limit: int = 20,
                          active_only: bool = True) -> ChallengePage:
    found = await queries.search(ChallengeQuery(active_only=active_only, page=page, limit=limit))
    return await challenge_page(found, blobs, queries)


@get("/{challenge_id:str}")
@inject
async def detail(challenge_id: str, caller: FromDishka[Caller], queries: FromDishka[ChallengeQueries],
                 blobs: FromDishka[BlobStore]) -> ChallengeOut:
    return await challenge_out(await queries.get(challenge_id), blobs, queries.now())


@get("/{challenge_id:str}/stats")
@inject
async def stats(challenge_id: str, caller: FromDishka[Caller], queries: FromDishka[ChallengeQueries]) -> dict[
        str, Any]:
    s = await queries.stats(challenge_id)
    return {"challengeId": s.challenge_id, "totalSubmissions": s.total_submissions,
            "analysedSubmissions": s.analysed_submissions, "averageScore": s.average_score, "topScore": s.top_score,
            "scoreDistribution": s.distribution, "participationRate": s.participation_rate,
            "completionRate": s.completion_rate}


class EntryOut(msgspec.Struct, rename="camel"):
    rank: int
    user_id: str
    user_profile: UserProfileOut
    score: float
    score_breakdown: dict[str, float] | None
    submitted_at: str | None
    submission_id: str


class LeaderboardOut(msgspec.Struct, rename="camel"):
    challenge_id: str
    challenge_title: str
    entries: list[EntryOut]
    total: int
    user_rank: int | None
    page: int
    limit: int


@get("/{challenge_id:str}/leaderboard")
@inject
async def leaderboard(challenge_id: str, caller: FromDishka[Caller], queries: FromDishka[ChallengeQueries],
                      page: int = 1, limit: int = 20) -> LeaderboardOut:
    board = await queries.leaderboard(caller.user, challenge_id, page, limit)
    return LeaderboardOut(
        challenge_id=board.challenge_id, challenge_title=board.challenge_title, total=board.total,
        user_rank=board.user_rank, page=board.page, limit=board.limit,
        entries=[EntryOut(rank=e.rank, user_id=e.user.user_id, user_profile=profile_out(e.user), score=e.score,
                          score_breakdown=e.breakdown, submitted_at=iso(e.submitted_at),
                          submission_id=e.submission_id) for e in board.entries])


router = Router(path="/api/challenges", route_handlers=[
    create, update, remove, today, search, categories, tags, by_category, upcoming, list_challenges, detail, stats,
    leaderboard], tags=["iDance: challenges"])
