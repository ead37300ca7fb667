"""iDance feed and activities.

`GET /api/feed`: spec 000's shape (`feed`, `pagination {page, totalPages, totalCount}`, items typed "session" or
"challenge_submission") with spec 001's additions where they do not collide: the same list again under `items`,
each item also carrying `user`, `content` and `created_at`, and `pagination` also carrying `limit`, `total` and
`pages`. The one collision is the item `type` of a submission: 000's "challenge_submission" wins (001's
"submission" is accepted as a `type` filter). Private sessions and submissions never appear.

`GET /api/activities/me`: spec 001. Calories = MET x 70 kg (assumed) x hours, METs from the 2011 Compendium of
Physical Activities by dance style (domain/community/activity.py)."""

from __future__ import annotations

from typing import Any

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Response, Router, get

from application.community.feed import FeedQueries
from application.community.views import Activity, FeedItem
from application.ports.storage import BlobStore
from domain.community.activity import calories
from entrypoints.http.auth import Caller
from entrypoints.http.common.rendered import RenderedPages
from entrypoints.http.common.schemas import iso
from entrypoints.http.idance.present import url_of


async def feed_item(item: FeedItem, blobs: BlobStore) -> dict[str, Any]:
    video = await url_of(blobs, item.video_key)
    thumb = await url_of(blobs, item.thumbnail_key)
    at = iso(item.created_at)
    out: dict[str, Any] = {
        "type": item.kind, "id": item.id, "userId": item.user.user_id,
        "userProfile": {"displayName": item.user.display_name, "avatarUrl": item.user.avatar_url},
    }
    if item.kind == "session":
        out |= {"title": item.title, "danceStyle": item.dance_style, "duration": item.duration, "videoUrl": video,
                "thumbnailUrl": thumb, "likes": item.likes, "comments": item.comments, "createdAt": at}
    else:
        out |= {"challengeId": item.challenge_id, "challengeTitle": item.challenge_title,
                "totalScore": item.total_score, "badgeAwarded": item.badge, "videoUrl": video, "caption": item.caption,
                "likes": item.likes, "comments": item.comments, "shares": item.shares, "submittedAt": at,
                "createdAt": at}
    out |= {
        "user": {"id": item.user.user_id, "displayName": item.user.display_name, "avatarUrl": item.user.avatar_url},
        "content": {"video_url": video, "thumbnail_url": thumb, "title": item.title, "score": item.total_score},
        "created_at": at,
    }
    return out


FEED_ANSWERS = RenderedPages()


@get("/api/feed")
@inject
async def feed(caller: FromDishka[Caller], queries: FromDishka[FeedQueries], blobs: FromDishka[BlobStore],
               page: int = 1, limit: int = 20, type: str | None = None) -> Response[dict[str, Any]]:
    found = await queries.feed(type, page, limit)

    async def render() -> bytes:
        items = [await feed_item(i, blobs) for i in found.items]
        return msgspec.json.encode({
            "feed": items, "items": items,
            "pagination": {"page": found.page, "totalPages": found.total_pages, "totalCount": found.total,
                           "limit": found.limit, "total": found.total, "pages": found.total_pages}})

    return await FEED_ANSWERS.answer(("feed", type, page, limit), found, render)  # type: ignore[return-value]


def _minutes(seconds: int | None) -> int | None:
    return None if seconds is None else round(seconds / 60)


async def activity_out(a: Activity, blobs: BlobStore) -> dict[str, Any]:
    video = await url_of(blobs, a.video_key)
    kcal = calories(a.duration_seconds, a.style) if a.duration_seconds is not None else None
    minutes = _minutes(a.duration_seconds)
    summary = f"{minutes} minutes • {kcal} calories" if minutes is not None else "Duration not measured"
    out: dict[str, Any] = {"_id": a.id, "id": a.id, "activityType": a.kind, "activityDate": iso(a.at),
                           "title": a.title, "description": summary, "videoUrl": video, "durationMinutes": minutes,
                           "caloriesBurned": kcal, "isPublic": a.is_public, "status": a.status}
    if a.kind == "session":
        out |= {"startTime": iso(a.started_at), "endTime": iso(a.ended_at), "style": a.style,
                "sessionType": a.style, "videoThumbnailUrl": await url_of(blobs, a.thumbnail_key),
                "likesCount": a.likes, "commentsCount": a.comments}
    else:
        out |= {"title": "Challenge Submission", "challengeTitle": a.title, "score": a.score,
                "likesCount": a.likes, "commentsCount": a.comments}
    return out


@get("/api/activities/me")
@inject
async def my_activities(caller: FromDishka[Caller], queries: FromDishka[FeedQueries], blobs: FromDishka[BlobStore],
                        page: int = 1, limit: int = 20, activity_type: str | None = None) -> dict[str, Any]:
    found, counts = await queries.activities(caller.user, activity_type, page, limit)
    return {"activities": [await activity_out(a, blobs) for a in found.items], "total": found.total,
            "page": found.page, "limit": found.limit, "hasMore": found.has_more,
            "counts": {"sessions": counts.sessions, "challenges": counts.challenges, "breakdowns": counts.breakdowns,
                       "total": counts.total}}


router = Router(path="/", route_handlers=[feed, my_activities], tags=["iDance: feed"])
