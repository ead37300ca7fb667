"""Swing videos and analyses in SQL (SQLite and PostgreSQL alike)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sqla.coaching.tables import swing_analyses, swing_videos
from adapters.sqla.repositories import aware, must
from application.coaching.ports import SwingAnalysisRepository, SwingVideoRepository
from domain.coaching.records import (
    SwingAnalysisRecord,
    SwingAnalysisStatus,
    SwingVideo,
    VideoMetadata,
    VideoStatus,
)


def _declared(m: VideoMetadata) -> dict[str, Any]:
    return {"duration": m.duration, "resolution": m.resolution, "fps": m.fps}


def _video(row: Any) -> SwingVideo:
    d = row.declared or {}
    return SwingVideo(
        id=int(row.id), user_id=row.user_id, file_key=row.file_key, filename=row.filename,
        content_type=row.content_type, size=int(row.size), title=row.title,
        declared=VideoMetadata(duration=d.get("duration"), resolution=d.get("resolution"), fps=d.get("fps")),
        duration=float(row.duration), width=int(row.width), height=int(row.height), fps=float(row.fps),
        status=VideoStatus(row.status), created_at=must(row.created_at))


class SqlaSwingVideoRepository(SwingVideoRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, video: SwingVideo) -> None:
        await self.session.execute(insert(swing_videos).values(
            id=video.id, user_id=video.user_id, file_key=video.file_key, filename=video.filename,
            content_type=video.content_type, size=video.size, title=video.title, declared=_declared(video.declared),
            duration=video.duration, width=video.width, height=video.height, fps=video.fps,
            status=video.status.value, created_at=video.created_at))

    async def get(self, video_id: int) -> SwingVideo | None:
        row = (await self.session.execute(select(swing_videos).where(swing_videos.c.id == video_id))).first()
        return _video(row) if row else None

    async def delete(self, video_id: int) -> None:
        # Explicitly, not only by the foreign key's cascade: SQLite enforces it only with its pragma on.
        await self.session.execute(delete(swing_analyses).where(swing_analyses.c.video_id == video_id))
        await self.session.execute(delete(swing_videos).where(swing_videos.c.id == video_id))


def _row(r: SwingAnalysisRecord) -> dict[str, Any]:
    return {"id": r.id, "video_id": r.video_id, "user_id": r.user_id, "job_id": r.job_id, "status": r.status.value,
            "stage": r.stage, "progress": r.progress, "playback_speed": r.playback_speed, "result": r.result,
            "composited_video_key": r.composited_video_key, "error": r.error, "created_at": r.created_at,
            "updated_at": r.updated_at, "completed_at": r.completed_at}


def _record(row: Any) -> SwingAnalysisRecord:
    return SwingAnalysisRecord(
        id=int(row.id), video_id=int(row.video_id), user_id=row.user_id, job_id=row.job_id,
        status=SwingAnalysisStatus(row.status), stage=row.stage, progress=float(row.progress),
        playback_speed=float(row.playback_speed), result=row.result, composited_video_key=row.composited_video_key,
        error=row.error, created_at=must(row.created_at), updated_at=must(row.updated_at),
        completed_at=aware(row.completed_at))


class SqlaSwingAnalysisRepository(SwingAnalysisRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, record: SwingAnalysisRecord) -> None:
        await self.session.execute(insert(swing_analyses).values(**_row(record)))

    async def save(self, record: SwingAnalysisRecord) -> None:
        row = _row(record)
        del row["id"]
        await self.session.execute(update(swing_analyses).where(swing_analyses.c.id == record.id).values(**row))

    async def get(self, analysis_id: int) -> SwingAnalysisRecord | None:
        stmt = select(swing_analyses).where(swing_analyses.c.id == analysis_id)
        row = (await self.session.execute(stmt)).first()
        return _record(row) if row else None

    async def for_video(self, video_id: int) -> list[SwingAnalysisRecord]:
        stmt = (select(swing_analyses).where(swing_analyses.c.video_id == video_id)
                .order_by(swing_analyses.c.created_at.desc(), swing_analyses.c.id.desc()))
        return [_record(r) for r in await self.session.execute(stmt)]

    async def by_user(self, user_id: str, limit: int, offset: int) -> tuple[list[SwingAnalysisRecord], int]:
        where = swing_analyses.c.user_id == user_id
        total = int((await self.session.execute(
            select(func.count()).select_from(swing_analyses).where(where))).scalar_one())
        stmt = (select(swing_analyses).where(where)
                .order_by(swing_analyses.c.created_at.desc(), swing_analyses.c.id.desc()).limit(limit).offset(offset))
        return [_record(r) for r in await self.session.execute(stmt)], total

    async def count_created_since(self, user_id: str, since: datetime) -> int:
        stmt = (select(func.count()).select_from(swing_analyses)
                .where(swing_analyses.c.user_id == user_id, swing_analyses.c.created_at >= since))
        return int((await self.session.execute(stmt)).scalar_one())
