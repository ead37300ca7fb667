"""iDance admin jobs: rotate challenges, clean up data, and the jobs' status (admin only)."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Router, get, post

from application.community.jobs import CleanupData, GetJobsStatus, RotateChallenges
from entrypoints.http.auth import Caller
from entrypoints.http.common.schemas import iso


@post("/rotate-challenges", status_code=200)
@inject
async def rotate(caller: FromDishka[Caller], use_case: FromDishka[RotateChallenges]) -> dict[str, Any]:
    caller.require_admin()
    result = await use_case()
    return {"message": "Challenge rotation completed successfully",
            "details": result.details() | {"timestamp": iso(result.timestamp)}}


@post("/cleanup-data", status_code=200)
@inject
async def cleanup(caller: FromDishka[Caller], use_case: FromDishka[CleanupData]) -> dict[str, Any]:
    """Retention: challenges that ended > 90 days ago with no submission, and failed submissions > 30 days old,
    are deleted with their files."""
    caller.require_admin()
    result = await use_case()
    return {"message": "Data cleanup completed successfully",
            "details": result.details() | {"timestamp": iso(result.timestamp)}}


@get("/status")
@inject
async def status(caller: FromDishka[Caller], use_case: FromDishka[GetJobsStatus]) -> dict[str, Any]:
    caller.require_admin()
    s = await use_case()
    return {"last_challenge_rotation": iso(s.last_rotation), "last_data_cleanup": iso(s.last_cleanup),
            "active_analyses": s.active_analyses, "system_health": "healthy" if s.healthy else "degraded"}


router = Router(path="/api/admin/jobs", route_handlers=[rotate, cleanup, status], tags=["iDance: admin jobs"])
