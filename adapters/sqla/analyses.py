from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sqla.repositories import aware, must
from adapters.sqla.tables import analyses
from application.ports.analysis_records import AnalysisRepository
from domain.analysis.record import AnalysisRecord, AnalysisStatus


def _row(r: AnalysisRecord) -> dict[str, Any]:
    return {
        "id": r.id, "kind": r.kind, "submission_id": r.submission_id, "user_id": r.user_id, "job_id": r.job_id,
        "status": r.status.value,
        "progress": r.progress, "source_url": r.source_url, "source_key": r.source_key,
        "challenge_type": r.challenge_type, "target_bpm": r.target_bpm, "reference_key": r.reference_key,
        "pose_data_key": r.pose_data_key, "report": r.report, "error": r.error, "created_at": r.created_at,
        "updated_at": r.updated_at, "completed_at": r.completed_at,
    }


def _record(row: Any) -> AnalysisRecord:
    return AnalysisRecord(
        id=row.id, kind=row.kind, submission_id=row.submission_id, user_id=row.user_id, job_id=row.job_id,
        status=AnalysisStatus(row.status), progress=row.progress, source_url=row.source_url,
        source_key=row.source_key, challenge_type=row.challenge_type, target_bpm=row.target_bpm,
        reference_key=row.reference_key, pose_data_key=row.pose_data_key, report=row.report, error=row.error,
        created_at=must(row.created_at), updated_at=must(row.updated_at), completed_at=aware(row.completed_at),
    )


class SqlaAnalysisRepository(AnalysisRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, record: AnalysisRecord) -> None:
        await self.session.execute(insert(analyses).values(**_row(record)))

    async def save(self, record: AnalysisRecord) -> None:
        row = _row(record)
        del row["id"]
        await self.session.execute(update(analyses).where(analyses.c.id == record.id).values(**row))

    async def get(self, analysis_id: str) -> AnalysisRecord | None:
        row = (await self.session.execute(select(analyses).where(analyses.c.id == analysis_id))).first()
        return _record(row) if row else None

    async def by_submission(self, submission_id: str) -> AnalysisRecord | None:
        stmt = select(analyses).where(analyses.c.submission_id == submission_id)
        row = (await self.session.execute(stmt)).first()
        return _record(row) if row else None

    async def count_active(self) -> int:
        stmt = select(func.count()).select_from(analyses).where(analyses.c.status == AnalysisStatus.PROCESSING.value)
        return int((await self.session.execute(stmt)).scalar_one())
