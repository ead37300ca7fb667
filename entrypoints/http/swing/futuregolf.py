"""The FutureGolf iOS app's own calls (clients/futuregolf_ios.md): health, analyze, the poll by video id, the
coaching voice (also at the doubled prefix the app calls by mistake). Every answer, errors included, carries
``success``; the app sends no credentials (see caller.py)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Response, Router, get, post

from application.coaching.requests import StartSwingAnalysis, SwingAnalysisQueries
from application.coaching.speech import SpeechService
from domain.coaching.records import parse_public_id
from entrypoints.http.ratelimit import EXEMPT, SUCCESS_ENVELOPE
from entrypoints.http.swing.caller import AppCaller
from entrypoints.http.swing.errors import APP_ERRORS
from entrypoints.http.swing.present import app_envelope

SERVICE = "FutureGolf API (swing coach)"


@get("/api/v1/health", opt=EXEMPT, summary="Liveness for the app's 1 Hz check: from memory, never rate-limited")
async def health() -> dict[str, str]:
    # No database, queue or container call: the app marks itself offline after 2 s without an answer.
    return {"status": "healthy", "service": SERVICE}


@post("/api/v1/video-analysis/analyze/{video_id:str}", status_code=200)
@inject
async def analyze(video_id: str, who: FromDishka[AppCaller], use_case: FromDishka[StartSwingAnalysis],
                  queries: FromDishka[SwingAnalysisQueries]) -> dict[str, Any]:
    """Idempotent (the upload has started it already)."""
    record, started = await use_case(parse_public_id(video_id, "Video"), who.requester)
    view = await queries.status(record.id, who.requester.user)
    return {**app_envelope(view), "started": started, "video_id": record.video_id,
            "message": "Analysis started" if started else "Analysis already requested"}


@get("/api/v1/video-analysis/video/{video_id:str}")
@inject
async def poll(video_id: str, who: FromDishka[AppCaller], queries: FromDishka[SwingAnalysisQueries]) -> dict[str, Any]:
    view = await queries.of_video(parse_public_id(video_id, "Video"), who.requester.user)
    if view is None:
        return {"success": False, "message": "No analysis was started for this video", "status": "not_started",
                "video_id": int(video_id)}
    return app_envelope(view)


class CoachingSpeechBody(msgspec.Struct, kw_only=True):
    text: str
    voice: str | None = None
    model: str | None = None  # OpenAI's model name; one offline voice quality here, so it is not used
    speed: Annotated[float, msgspec.Meta(ge=0.25, le=4.0)] = 1.0


@post("/api/v1/tts/coaching", status_code=200)
@inject
async def coaching_speech(data: CoachingSpeechBody, who: FromDishka[AppCaller],
                          speech: FromDishka[SpeechService]) -> Response[bytes]:
    """200 with MP3 bytes (the app stores them as .mp3 and plays them with AVAudioPlayer)."""
    return Response(await speech(data.text, data.voice, data.speed, "mp3"), media_type="audio/mpeg")


@post("/api/v1/api/v1/tts/coaching", status_code=200, summary="The same, at the doubled prefix the app calls")
@inject
async def coaching_speech_doubled(data: CoachingSpeechBody, who: FromDishka[AppCaller],
                                  speech: FromDishka[SpeechService]) -> Response[bytes]:
    return Response(await speech(data.text, data.voice, data.speed, "mp3"), media_type="audio/mpeg")


router = Router(path="/", route_handlers=[health, analyze, poll, coaching_speech, coaching_speech_doubled],
                exception_handlers=APP_ERRORS, opt={SUCCESS_ENVELOPE: True},
                tags=["Swing coach: the FutureGolf app"])
