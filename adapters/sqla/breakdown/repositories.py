"""Breakdown records in SQL; the videos screen joins each owner's public profile."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sqla.breakdown.tables import breakdowns
from adapters.sqla.repositories import aware, must
from adapters.sqla.tables import users
from application.breakdown.ports import BreakdownPage, BreakdownRepository, SharedBreakdown, SharedBreakdownPage
from application.breakdown.views import UserProfile
from domain.breakdown.record import MEDIA_NAMES, BreakdownRecord, BreakdownStatus

_MEDIA_COLUMNS = {name: f"{name}_key" for name in MEDIA_NAMES}


def _row(r: BreakdownRecord) -> dict[str, Any]:
    return {
        "id": r.id, "user_id": r.user_id, "job_id": r.job_id, "status": r.status.value, "mode": r.mode,
        "target_difficulty": r.target_difficulty, "video_url": r.video_url, "file_key": r.file_key,
        "answer": r.answer, **{col: r.media.get(name) for name, col in _MEDIA_COLUMNS.items()}, "error": r.error,
        "created_at": r.created_at, "updated_at": r.updated_at, "completed_at": r.completed_at,
    }


def _record(row: Any) -> BreakdownRecord:
    media = {name: getattr(row, col) for name, col in _MEDIA_COLUMNS.items() if getattr(row, col) is not None}
    return BreakdownRecord(
        id=row.id, user_id=row.user_id, job_id=row.job_id, status=BreakdownStatus(row.status), mode=row.mode,
        target_difficulty=row.target_difficulty, video_url=row.video_url, file_key=row.file_key, answer=row.answer,
        media=media, error=row.error, created_at=must(row.created_at), updated_at=must(row.updated_at),
        completed_at=aware(row.completed_at),
    )


_NEWEST = (breakdowns.c.created_at.desc(), breakdowns.c.id.desc())


class SqlaBreakdownRepository(BreakdownRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, record: BreakdownRecord) -> None:
        await self.session.execute(insert(breakdowns).values(**_row(record)))

    async def save(self, record: BreakdownRecord) -> None:
        row = _row(record)
        del row["id"]
        await self.session.execute(update(breakdowns).where(breakdowns.c.id == record.id).values(**row))

    async def get(self, breakdown_id: str) -> BreakdownRecord | None:
        row = (await self.session.execute(select(breakdowns).where(breakdowns.c.id == breakdown_id))).first()
        return _record(row) if row else None

    async def of_user(self, user_id: str, *, skip: int, limit: int) -> BreakdownPage:
        mine = breakdowns.c.user_id == user_id
        total = (await self.session.execute(select(func.count()).select_from(breakdowns).where(mine))).scalar_one()
        rows = await self.session.execute(select(breakdowns).where(mine).order_by(*_NEWEST).offset(skip).limit(limit))
        return BreakdownPage(items=[_record(r) for r in rows], total=int(total))

    async def succeeded(self, *, skip: int, limit: int) -> SharedBreakdownPage:
        done = breakdowns.c.status == BreakdownStatus.COMPLETED.value
        total = (await self.session.execute(select(func.count()).select_from(breakdowns).where(done))).scalar_one()
        stmt = (select(breakdowns, users.c.display_name.label("owner_name"), users.c.avatar_url.label("owner_avatar"),
                       users.c.level.label("owner_level"))
                .join(users, users.c.id == breakdowns.c.user_id).where(done).order_by(*_NEWEST)
                .offset(skip).limit(limit))
        items = [SharedBreakdown(record=_record(r), profile=UserProfile(display_name=r.owner_name,
                                                                        avatar_url=r.owner_avatar,
                                                                        level=int(r.owner_level)))
                 for r in await self.session.execute(stmt)]
        return SharedBreakdownPage(items=items, total=int(total))
