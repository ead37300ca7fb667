"""The FutureGolf app's decoding rules (its Codable types, clients/futuregolf_ios.md section 2), as msgspec
Structs: an Int refuses 6.5 and "6", required keys must be present, unknown keys are ignored."""

from __future__ import annotations

from typing import TypeVar

import msgspec

T = TypeVar("T")


class UploadAnswer(msgspec.Struct):
    success: bool
    video_id: int
    status: str


class Phase(msgspec.Struct):
    start_frame: int | None = None
    end_frame: int | None = None
    start_timestamp: float | None = None
    end_timestamp: float | None = None


class Phases(msgspec.Struct):
    setup: Phase | None = None
    backswing: Phase | None = None
    downswing: Phase | None = None
    follow_through: Phase | None = None


class Metrics(msgspec.Struct):
    clubheadSpeed: int | None = None
    backswingTime: float | None = None
    downswingTime: float | None = None
    balanceScore: int | None = None


class Swing(msgspec.Struct):
    score: int | None = None
    comments: list[str] | None = None
    phases: Phases | None = None
    metrics: Metrics | None = None


class Summary(msgspec.Struct):
    highlights: list[str] | None = None
    improvements: list[str] | None = None


class Line(msgspec.Struct):
    text: str
    start_frame_number: int


class Script(msgspec.Struct):
    lines: list[Line] | None = None


class AiAnalysis(msgspec.Struct):
    swings: list[Swing] | None = None
    summary: Summary | None = None
    coaching_script: Script | None = None


class Analysis(msgspec.Struct):
    id: int
    status: str
    ai_analysis: AiAnalysis | None = None


class PollAnswer(msgspec.Struct):
    success: bool
    analysis: Analysis | None = None


class AnyAnswer(msgspec.Struct):
    """What every failure must still decode as: the envelope's required ``success``."""

    success: bool


class WsReply(msgspec.Struct):
    status: str
    swing_detected: bool | None = None
    confidence: float | None = None
    timestamp: float | None = None
    context_window: float | None = None
    context_size: int | None = None
    cooldown_remaining: float | None = None
    total_swings: int | None = None
    message: str | None = None
    error: str | None = None


def decode(raw: bytes | str, kind: type[T]) -> T:
    return msgspec.json.decode(raw, type=kind, strict=True)
