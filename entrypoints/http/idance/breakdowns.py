"""iDance dance breakdowns (spec 001, "Dance Breakdown System").

``POST /api/ai/dance-breakdown`` answers the full breakdown when it ends within ``BREAKDOWN_WAIT_S`` (200, also
for a failure: ``success: false`` with the reason), else 202 with the breakdown id and ``status: "processing"``;
``GET /api/ai/dance-breakdown/{id}`` then returns it. Breakdown ids and ``status`` are additions to the spec's
shapes.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Response, Router, get, post
from litestar.params import Parameter

from application.breakdown.requests import (
    AwaitBreakdown,
    BreakdownInput,
    GetBreakdown,
    ListBreakdowns,
    ListBreakdownVideos,
    RequestBreakdown,
)
from application.breakdown.views import accepted_view, detail_view, list_item, post_view, video_item
from entrypoints.http.auth import Caller
from entrypoints.http.ratelimit import AI


class BreakdownBody(msgspec.Struct, kw_only=True):
    video_url: str | None = None
    file_key: Annotated[str, msgspec.Meta(max_length=512)] | None = None
    mode: str = "auto"
    target_difficulty: str = "intermediate"


@post("/api/ai/dance-breakdown", opt=AI)
@inject
async def create_breakdown(data: BreakdownBody, caller: FromDishka[Caller], start: FromDishka[RequestBreakdown],
                           wait: FromDishka[AwaitBreakdown]) -> Response[dict[str, Any]]:
    """Break a video down into steps on its beat grid: `video_url` (direct media, YouTube or Instagram page) or
    `file_key` (your upload). Waits for the result, then answers 202 if it is still running."""
    record = await start(BreakdownInput(user=caller.user, video_url=data.video_url, file_key=data.file_key,
                                          mode=data.mode, target_difficulty=data.target_difficulty))
    stored = await wait(record)
    if stored.status == "processing":
        return Response(accepted_view(stored), status_code=202)
    return Response(post_view(stored), status_code=200)


@get("/api/ai/dance-breakdowns")
@inject
async def list_breakdowns(caller: FromDishka[Caller], use_case: FromDishka[ListBreakdowns],
                          limit: Annotated[int, Parameter(query="limit")] = 20,
                          skip: Annotated[int, Parameter(query="skip")] = 0) -> dict[str, Any]:
    history = await use_case(caller.user, skip=skip, limit=limit)
    return {"success": True, "total": history.total, "breakdowns": [list_item(s) for s in history.items],
            "pagination": {"limit": history.limit, "skip": history.skip, "has_more": history.has_more}}


@get("/api/ai/dance-breakdowns/videos")
@inject
async def breakdown_videos(caller: FromDishka[Caller], use_case: FromDishka[ListBreakdownVideos],
                           page: Annotated[int, Parameter(query="page")] = 1,
                           limit: Annotated[int, Parameter(query="limit")] = 20) -> dict[str, Any]:
    found = await use_case(page=page, limit=limit)
    return {"breakdowns": [video_item(s, profile) for s, profile in found.items], "total": found.total,
            "page": found.page, "limit": found.limit, "hasMore": found.has_more}


@get("/api/ai/dance-breakdown/{breakdown_id:str}")
@inject
async def get_breakdown(breakdown_id: str, caller: FromDishka[Caller],
                        use_case: FromDishka[GetBreakdown]) -> dict[str, Any]:
    return detail_view(await use_case(breakdown_id, caller.user))


router = Router(path="/", route_handlers=[create_breakdown, list_breakdowns, breakdown_videos, get_breakdown],
                tags=["iDance: dance breakdowns"])
