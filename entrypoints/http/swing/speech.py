"""Spec 004's text to speech: generate (a whole file), stream (pieces as they are synthesised), health."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Response, Router, get, post
from litestar.response import Stream

from application.coaching.speech import SpeechService
from entrypoints.http.auth import Caller
from entrypoints.http.ratelimit import EXEMPT
from entrypoints.http.swing.errors import SWING_ERRORS

MEDIA = {"mp3": "audio/mpeg", "wav": "audio/wav"}


class SpeechBody(msgspec.Struct, kw_only=True):
    text: str
    voice: str | None = None
    speed: Annotated[float, msgspec.Meta(ge=0.25, le=4.0)] = 1.0
    format: Literal["mp3", "wav"] = "mp3"


@post("/generate", status_code=200)
@inject
async def generate(data: SpeechBody, caller: FromDishka[Caller], speech: FromDishka[SpeechService]) -> Response[bytes]:
    audio = await speech(data.text, data.voice, data.speed, data.format)
    return Response(audio, media_type=MEDIA[data.format])


@post("/stream", status_code=200)
@inject
async def stream(data: SpeechBody, caller: FromDishka[Caller], speech: FromDishka[SpeechService]) -> Stream:
    """One encoded file per sentence, sent as each is synthesised (MP3 files concatenate into a playable stream;
    WAV pieces are whole files, one after another)."""
    pieces = await speech.stream(data.text, data.voice, data.speed, data.format)
    return Stream(pieces, media_type=MEDIA[data.format])


@get("/health", opt=EXEMPT)
@inject
async def tts_health(speech: FromDishka[SpeechService]) -> dict[str, Any]:
    return {"status": "healthy", **speech.health()}


router = Router(path="/api/v1/tts", route_handlers=[generate, stream, tts_health], exception_handlers=SWING_ERRORS,
                tags=["Swing coach: text to speech"])
