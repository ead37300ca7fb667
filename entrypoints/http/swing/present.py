"""How swing videos and analyses are written out: spec 004's shapes and the FutureGolf app's envelope."""

from __future__ import annotations

from typing import Any

from application.coaching.requests import AnalysisStatusView
from application.ports.storage import BlobStore
from domain.coaching.records import SwingAnalysisRecord, SwingAnalysisStatus, SwingVideo
from domain.storage.keys import BlobKey
from domain.storage.links import MEDIA_LINK
from entrypoints.http.common.schemas import iso


def video_out(video: SwingVideo, analysis_ids: list[int] | None = None) -> dict[str, Any]:
    d = video.declared
    return {"success": True, "video_id": video.id, "status": video.status.value, "filename": video.filename,
            "title": video.title, "content_type": video.content_type, "file_size": video.size,
            "metadata": video.metadata(),
            "declared_metadata": {"duration": d.duration, "resolution": d.resolution, "fps": d.fps},
            "analysis_ids": analysis_ids or [], "created_at": iso(video.created_at)}


async def composited_url(record: SwingAnalysisRecord, blobs: BlobStore) -> str | None:
    if record.composited_video_key is None or record.status is not SwingAnalysisStatus.COMPLETED:
        return None
    return (await blobs.presign_download(BlobKey.parse(record.composited_video_key), MEDIA_LINK)).url


async def analysis_out(record: SwingAnalysisRecord, blobs: BlobStore) -> dict[str, Any]:
    """Spec 004's "Analysis Response" (plus what was measured to get there)."""
    result = record.result or {}
    return {
        "analysis_id": record.id, "video_id": record.video_id, "status": record.status.value,
        "swing_analysis": result.get("swing_analysis"), "coaching_script": result.get("coaching_script"),
        "composited_video_url": await composited_url(record, blobs),
        "summary": result.get("summary"), "playback_speed": record.playback_speed,
        "error": record.error, "created_at": iso(record.created_at), "completed_at": iso(record.completed_at),
    }


def status_out(view: AnalysisStatusView) -> dict[str, Any]:
    r = view.record
    return {"analysis_id": r.id, "video_id": r.video_id, "status": view.status.value, "progress": view.progress,
            "stage": view.stage, "message": view.message, "stages": view.stages, "error": r.error,
            "created_at": iso(r.created_at), "updated_at": iso(r.updated_at), "completed_at": iso(r.completed_at)}


def app_envelope(view: AnalysisStatusView) -> dict[str, Any]:
    """The app's poll answer: ``success`` false only for a failed analysis (as the original answered);
    ``ai_analysis`` only once completed (the app keeps polling until then)."""
    r = view.record
    failed = view.status is SwingAnalysisStatus.FAILED
    ai = (r.result or {}).get("futuregolf") if view.status is SwingAnalysisStatus.COMPLETED else None
    analysis: dict[str, Any] = {"id": r.id, "status": view.status.value, "ai_analysis": ai, "video_id": r.video_id,
                                "progress": view.progress, "stage": view.stage, "message": view.message,
                                "created_at": iso(r.created_at), "completed_at": iso(r.completed_at)}
    if failed:
        analysis["error_message"] = r.error
    return {"success": not failed, "analysis": analysis}
