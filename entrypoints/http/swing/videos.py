"""Swing videos and analyses under /api/v1 (spec 004), and the upload both spec 004 and the FutureGolf app use."""

from __future__ import annotations

from typing import Any

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Router, delete, get, post
from litestar.datastructures import UploadFile as LitestarUpload

from application.coaching.requests import Requester, StartSwingAnalysis, SwingAnalysisQueries
from application.coaching.videos import DeleteSwingVideo, GetSwingVideo, UploadCommand, UploadSwingVideo
from application.ports.storage import BlobStore
from domain.coaching.records import BadUpload, UploadTooLarge, VideoMetadata, parse_public_id
from domain.errors import Unauthenticated
from entrypoints.http.auth import NOT_AUTHENTICATED, Caller
from entrypoints.http.ratelimit import AI, SUCCESS_ENVELOPE, UPLOADS
from entrypoints.http.swing.caller import AppCaller
from entrypoints.http.swing.errors import APP_ERRORS, SWING_ERRORS
from entrypoints.http.swing.present import analysis_out, status_out, video_out
from entrypoints.settings import Settings

MULTIPART_SLACK = 1024 * 1024  # the form's boundaries and other parts around the file


class DeclaredMetadata(msgspec.Struct):
    duration: float | None = None
    resolution: str | None = None
    fps: float | None = None


def _declared(raw: Any) -> VideoMetadata:
    if raw is None or raw == "":
        return VideoMetadata()
    try:
        text = raw if isinstance(raw, str | bytes) else str(raw)
        m = msgspec.json.decode(text, type=DeclaredMetadata)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise BadUpload(f"The metadata part must be JSON {{duration, resolution, fps}}: {exc}", "invalid_metadata",
                        field="metadata") from exc
    return VideoMetadata(duration=m.duration, resolution=m.resolution, fps=m.fps)


@post("/videos/upload", status_code=200, opt=UPLOADS)
@inject
async def upload(request: Request, who: FromDishka[AppCaller], use_case: FromDishka[UploadSwingVideo],  # type: ignore[type-arg]
                 start: FromDishka[StartSwingAnalysis], settings: FromDishka[Settings]) -> dict[str, Any]:
    """Multipart. Spec 004: ``video_file`` + ``metadata`` (JSON: duration, resolution, fps), with a token.
    The FutureGolf app: ``file`` (+ ``user_id``, ignored, and ``title``); its analysis starts at once."""
    limit = settings.swing_max_upload_mb * 1024 * 1024
    declared_length = request.headers.get("content-length")
    if declared_length and declared_length.isdigit() and int(declared_length) > limit + MULTIPART_SLACK:
        raise UploadTooLarge(f"The upload is {int(declared_length) / 1e6:.1f} MB; at most "
                             f"{limit / 1e6:.0f} MB is accepted.", "file_too_large")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise BadUpload("Send the video as multipart/form-data: 'video_file' (with 'metadata') or 'file'.",
                        "not_multipart")
    form = await request.form()
    spec_form = "video_file" in form
    item = form.get("video_file") if spec_form else form.get("file")
    if not isinstance(item, LitestarUpload):
        raise BadUpload("The form needs a file part named 'video_file' (spec 004) or 'file' (the app); got "
                        f"{sorted(form.keys()) or 'none'}.", "missing_file_part")
    requester: Requester = who.requester
    if spec_form and requester.anonymous:
        raise Unauthenticated(NOT_AUTHENTICATED)
    video = await use_case(UploadCommand(
        user=requester.user, data=await item.read(), filename=item.filename or "video",
        content_type=item.content_type or "application/octet-stream", title=str(form.get("title") or "") or None,
        declared=_declared(form.get("metadata")) if spec_form else VideoMetadata()))
    if not spec_form:  # the app never checks its trigger's answer: the upload starts the analysis itself
        await start(video.id, requester)
    return video_out(video)


@get("/videos/{video_id:str}")
@inject
async def get_video(video_id: str, caller: FromDishka[Caller], use_case: FromDishka[GetSwingVideo]) -> dict[str, Any]:
    video, analyses = await use_case(parse_public_id(video_id, "Video"), caller.user)
    return video_out(video, analyses)


@delete("/videos/{video_id:str}", status_code=200)
@inject
async def delete_video(video_id: str, caller: FromDishka[Caller],
                       use_case: FromDishka[DeleteSwingVideo]) -> dict[str, Any]:
    video = await use_case(parse_public_id(video_id, "Video"), caller.user)
    return {"message": "Video deleted", "video_id": video.id}


@post("/video-analysis/{ref:str}", status_code=202, opt=AI)
@inject
async def start_analysis(ref: str, caller: FromDishka[Caller], use_case: FromDishka[StartSwingAnalysis],
                         queries: FromDishka[SwingAnalysisQueries]) -> dict[str, Any]:
    """``ref`` is the video's id. Starts the analysis (or answers with the one already queued, running or completed)."""
    record, started = await use_case(parse_public_id(ref, "Video"), Requester(caller.user))
    view = await queries.status(record.id, caller.user)
    return {**status_out(view), "started": started}


@get("/video-analysis/{ref:str}/status")
@inject
async def analysis_status(ref: str, caller: FromDishka[Caller],
                          queries: FromDishka[SwingAnalysisQueries]) -> dict[str, Any]:
    return status_out(await queries.status(parse_public_id(ref, "Analysis"), caller.user))


@get("/video-analysis/{ref:str}")
@inject
async def analysis_result(ref: str, caller: FromDishka[Caller], queries: FromDishka[SwingAnalysisQueries],
                          blobs: FromDishka[BlobStore]) -> dict[str, Any]:
    return await analysis_out(await queries.get(parse_public_id(ref, "Analysis"), caller.user), blobs)


@get("/video-analysis/user/analyses")
@inject
async def history(caller: FromDishka[Caller], queries: FromDishka[SwingAnalysisQueries], blobs: FromDishka[BlobStore],
                  limit: int = 20, offset: int = 0) -> dict[str, Any]:
    limit, offset = max(1, min(100, limit)), max(0, offset)
    records, total = await queries.history(caller.user, limit, offset)
    return {"analyses": [await analysis_out(r, blobs) for r in records], "total": total, "limit": limit,
            "offset": offset}


def routers(settings: Settings) -> list[Router]:
    max_body = settings.swing_max_upload_mb * 1024 * 1024 + MULTIPART_SLACK
    uploads = Router(path="/api/v1", route_handlers=[upload], exception_handlers=APP_ERRORS,
                     request_max_body_size=max_body, tags=["Swing coach: videos"], opt={SUCCESS_ENVELOPE: True})
    spec = Router(path="/api/v1", route_handlers=[get_video, delete_video, start_analysis, analysis_status,
                                                  analysis_result, history],
                  exception_handlers=SWING_ERRORS, tags=["Swing coach: videos and analyses"])
    return [uploads, spec]
