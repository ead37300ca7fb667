"""Spec 001's breakdown shapes: the POST answer in snake_case, the stored views in camelCase with ``_id``.

The POST answer (``post_answer``) is also what is stored: the stored views are made from it, so what a GET shows is
exactly what the POST answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from application.breakdown.timestamps import duration_formatted, timestamp
from domain.breakdown.model import Breakdown, Step


@dataclass(frozen=True, slots=True)
class MediaUrls:
    playable_video_url: str | None
    outline_url: str | None
    thumbnail_url: str | None


@dataclass(frozen=True, slots=True)
class StoredBreakdown:
    """A breakdown as the repository keeps it."""

    id: str
    user_id: str
    answer: dict[str, Any]  # the POST answer
    target_difficulty: str
    thumbnail_url: str | None
    created_at: datetime
    updated_at: datetime
    status: str = "completed"  # processing | completed | failed (an addition to spec 001's views)
    job_id: str | None = None


@dataclass(frozen=True, slots=True)
class UserProfile:
    display_name: str
    avatar_url: str | None
    level: int


def _iso(t: datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


def step_view(step: Step) -> dict[str, Any]:
    t = step.text
    return {
        "step_number": step.number, "start_timestamp": timestamp(step.start), "end_timestamp": timestamp(step.end),
        "step_name": t.step_name, "global_description": t.global_description, "description": dict(t.description),
        "style_and_history": t.style_and_history, "spice_it_up": t.spice_it_up,
        "connection_to_next": t.connection_to_next, "technical_notes": dict(t.technical_notes),
        "quality_metrics": dict(t.quality_metrics), "difficulty_level": step.difficulty,
    }


def routine_view(b: Breakdown) -> dict[str, Any]:
    r = b.routine
    return {"bpm": b.bpm, "total_segments": len(b.steps), "style_indicators": dict(r.style_indicators),
            "difficulty_level": b.difficulty_level, "energy_level": r.energy_level,
            "overall_routine_characteristics": dict(r.characteristics),
            "tempo_source": b.grid.source, "first_beat": b.grid.first_beat, "beat_times": list(b.grid.beat_times),
            "downbeat_index": b.grid.downbeat_phase, "notes": list(b.notes)}


def post_answer(b: Breakdown, *, video_url: str | None, urls: MediaUrls, title: str | None = None) -> dict[str, Any]:
    return {
        "success": True, "video_url": video_url, "playable_video_url": urls.playable_video_url,
        "title": title or b.title, "duration": round(b.duration, 3), "bpm": b.bpm,
        "difficulty_level": b.difficulty_level, "total_steps": len(b.steps), "routine_analysis": routine_view(b),
        "steps": [step_view(s) for s in b.steps], "outline_url": urls.outline_url, "mode": b.mode,
        "error_message": None,
    }


def failure_answer(*, video_url: str | None, mode: str, reason: str | None) -> dict[str, Any]:
    """The answer of a breakdown that failed (``reason``) or has not finished yet (no reason)."""
    return {"success": False, "video_url": video_url, "playable_video_url": None, "title": None, "duration": None,
            "bpm": None, "difficulty_level": None, "total_steps": 0, "routine_analysis": None, "steps": [],
            "outline_url": None, "mode": mode, "error_message": reason}


def list_item(s: StoredBreakdown) -> dict[str, Any]:
    a = s.answer
    return {"_id": s.id, "videoUrl": a.get("video_url"), "title": a.get("title"), "mode": a.get("mode"),
            "targetDifficulty": s.target_difficulty, "duration": a.get("duration"), "bpm": a.get("bpm"),
            "difficultyLevel": a.get("difficulty_level"), "totalSteps": a.get("total_steps"),
            "success": bool(a.get("success")), "status": s.status, "createdAt": _iso(s.created_at)}


def post_view(s: StoredBreakdown) -> dict[str, Any]:
    """The POST answer of a finished breakdown, with its id and status (additions) for later GETs."""
    return s.answer | {"breakdown_id": s.id, "status": s.status}


def accepted_view(s: StoredBreakdown) -> dict[str, Any]:
    """The 202 answer of a breakdown still running: where to read it when it is done."""
    return {"breakdown_id": s.id, "_id": s.id, "status": s.status, "job_id": s.job_id,
            "video_url": s.answer.get("video_url"), "mode": s.answer.get("mode"),
            "target_difficulty": s.target_difficulty}


def detail_view(s: StoredBreakdown) -> dict[str, Any]:
    a = s.answer
    routine = a.get("routine_analysis")
    return {"_id": s.id, "userId": s.user_id, "videoUrl": a.get("video_url"), "title": a.get("title"),
            "mode": a.get("mode"), "targetDifficulty": s.target_difficulty, "duration": a.get("duration"),
            "bpm": a.get("bpm"), "difficultyLevel": a.get("difficulty_level"), "totalSteps": a.get("total_steps"),
            "routineAnalysis": _camel(routine) if isinstance(routine, dict) else None,
            "steps": a.get("steps", []),  # spec 001 keeps the steps in snake_case in the stored view too
            "outlineUrl": a.get("outline_url"), "playableVideoUrl": a.get("playable_video_url"),
            "success": bool(a.get("success")), "errorMessage": a.get("error_message"), "status": s.status,
            "jobId": s.job_id, "createdAt": _iso(s.created_at), "updatedAt": _iso(s.updated_at)}


def video_item(s: StoredBreakdown, profile: UserProfile) -> dict[str, Any]:
    a = s.answer
    duration = a.get("duration") or 0.0
    return {"id": s.id, "videoUrl": a.get("video_url"), "playableVideoUrl": a.get("playable_video_url"),
            "thumbnailUrl": s.thumbnail_url, "title": a.get("title"), "duration": duration,
            "durationFormatted": duration_formatted(float(duration)), "bpm": a.get("bpm"),
            "difficultyLevel": a.get("difficulty_level"), "totalSteps": a.get("total_steps"),
            "success": bool(a.get("success")), "createdAt": _iso(s.created_at),
            "userProfile": {"displayName": profile.display_name, "avatarUrl": profile.avatar_url,
                            "level": profile.level}}


def _camel_key(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(w.capitalize() for w in rest)


def _camel(d: dict[str, Any]) -> dict[str, Any]:
    """Top-level keys of the routine analysis in camelCase; free-text maps below keep their keys."""
    return {_camel_key(k): v for k, v in d.items()}
