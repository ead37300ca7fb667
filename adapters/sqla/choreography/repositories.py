"""Repositories of the choreography context; the same SQL on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, and_, cast, delete, func, insert, or_, select, union, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sqla.choreography.tables import (
    choreography_collections,
    choreography_tasks,
    class_plan_sequences,
    class_plans,
    songs,
)
from adapters.sqla.repositories import aware, must
from application.choreography.ports import (
    ClassPlanRepository,
    CollectionRepository,
    Page,
    SongRepository,
    TaskRepository,
)
from domain.choreography.catalogue import Song, SongFilter, SongStatus
from domain.choreography.class_plan import ClassPlan, PlanSequence
from domain.choreography.collection import CollectionFilter, SavedChoreography
from domain.choreography.song import SongAnalysis
from domain.choreography.task import ChoreographyTask, TaskResult, TaskStatus
from domain.errors import Conflict


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _ordered(query: Select[Any], table: Any, ordering: str, allowed: Sequence[str], tie: Any) -> Select[Any]:
    name = ordering.lstrip("-")
    if name not in allowed:
        return query
    column = table.c[name]
    return query.order_by(column.desc() if ordering.startswith("-") else column.asc(), tie)


# --- songs ----------------------------------------------------------------------------------------------------


def _song_row(s: Song) -> dict[str, Any]:
    return {"title": s.title, "artist": s.artist, "genre": s.genre, "audio_key": s.audio_key,
            "status": s.status.value, "bpm": s.bpm, "duration": s.duration,
            "analysis": None if s.analysis is None else s.analysis.to_dict(), "error": s.error,
            "generated": s.generated, "created_at": s.created_at, "updated_at": s.updated_at}


def _to_song(row: Any) -> Song:
    return Song(id=int(row.id), title=row.title, artist=row.artist, genre=row.genre, audio_key=row.audio_key,
                status=SongStatus(row.status), created_at=must(row.created_at), updated_at=must(row.updated_at),
                analysis=None if row.analysis is None else SongAnalysis.from_dict(row.analysis), error=row.error,
                generated=bool(row.generated))


class SqlaSongRepository(SongRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, song: Song) -> Song:
        result = await self.session.execute(insert(songs).values(**_song_row(song)).returning(songs.c.id))
        return Song(**{**{f: getattr(song, f) for f in song.__dataclass_fields__}, "id": int(result.scalar_one())})

    async def save(self, song: Song) -> None:
        row = _song_row(song)
        del row["created_at"]
        await self.session.execute(update(songs).where(songs.c.id == song.id).values(**row))

    async def get(self, song_id: int) -> Song | None:
        row = (await self.session.execute(select(songs).where(songs.c.id == song_id))).first()
        return _to_song(row) if row else None

    async def by_title(self, title: str) -> Song | None:
        row = (await self.session.execute(select(songs).where(songs.c.title == title).limit(1))).first()
        return _to_song(row) if row else None

    async def search(self, flt: SongFilter, offset: int, limit: int) -> Page[Song]:
        conds: list[Any] = []
        if flt.only_analysed:
            conds.append(songs.c.status == SongStatus.ANALYSED.value)
        if flt.search:
            pattern = _like(flt.search)
            conds.append(or_(func.lower(songs.c.title).like(pattern, escape="\\"),
                             func.lower(songs.c.artist).like(pattern, escape="\\")))
        if flt.genre:
            conds.append(func.lower(songs.c.genre) == flt.genre.lower())
        if flt.bpm_min is not None:
            conds.append(songs.c.bpm >= flt.bpm_min)
        if flt.bpm_max is not None:
            conds.append(songs.c.bpm <= flt.bpm_max)
        where = and_(*conds) if conds else and_(True)
        total = int((await self.session.execute(select(func.count()).select_from(songs).where(where))).scalar_one())
        query = _ordered(select(songs).where(where), songs, flt.ordering,
                         ("title", "artist", "bpm", "duration", "created_at", "id"), songs.c.id)
        rows = (await self.session.execute(query.order_by(songs.c.id).offset(offset).limit(limit))).all()
        return Page([_to_song(r) for r in rows], total)

    async def analysed(self) -> list[Song]:
        rows = (await self.session.execute(
            select(songs).where(songs.c.status == SongStatus.ANALYSED.value).order_by(songs.c.id))).all()
        return [_to_song(r) for r in rows]


# --- tasks ----------------------------------------------------------------------------------------------------


def _task_row(t: ChoreographyTask) -> dict[str, Any]:
    return {"id": t.id, "user_id": t.user_id, "song_id": t.song_id, "difficulty": t.difficulty,
            "energy_level": t.energy_level, "style": t.style, "status": t.status.value, "stage": t.stage,
            "progress": t.progress, "message": t.message, "parameters": t.parameters, "query": t.query,
            "fingerprint": t.fingerprint, "job_id": t.job_id,
            "result": None if t.result is None else t.result.to_dict(), "error": t.error,
            "cancelled": t.cancelled, "created_at": t.created_at, "updated_at": t.updated_at,
            "completed_at": t.completed_at}


def _to_task(row: Any) -> ChoreographyTask:
    return ChoreographyTask(
        id=row.id, user_id=row.user_id, song_id=int(row.song_id), difficulty=row.difficulty,
        energy_level=row.energy_level, style=row.style, status=TaskStatus(row.status), stage=row.stage,
        progress=int(row.progress), message=row.message, created_at=must(row.created_at),
        updated_at=must(row.updated_at), parameters=dict(row.parameters or {}), query=row.query,
        fingerprint=row.fingerprint, job_id=row.job_id,
        result=None if row.result is None else TaskResult.from_dict(row.result), error=row.error,
        cancelled=bool(row.cancelled), completed_at=aware(row.completed_at))


class SqlaTaskRepository(TaskRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, task: ChoreographyTask) -> None:
        await self.session.execute(insert(choreography_tasks).values(**_task_row(task)))

    async def save(self, task: ChoreographyTask) -> None:
        row = _task_row(task)
        del row["id"], row["created_at"]
        await self.session.execute(update(choreography_tasks).where(choreography_tasks.c.id == task.id).values(**row))

    async def get(self, task_id: str) -> ChoreographyTask | None:
        row = (await self.session.execute(
            select(choreography_tasks).where(choreography_tasks.c.id == task_id))).first()
        return _to_task(row) if row else None

    async def of_user(self, user_id: str, offset: int, limit: int) -> Page[ChoreographyTask]:
        t = choreography_tasks
        total = int((await self.session.execute(
            select(func.count()).select_from(t).where(t.c.user_id == user_id))).scalar_one())
        rows = (await self.session.execute(select(t).where(t.c.user_id == user_id)
                                           .order_by(t.c.created_at.desc(), t.c.id).offset(offset).limit(limit))).all()
        return Page([_to_task(r) for r in rows], total)

    async def latest_with_fingerprint(self, fingerprint: str) -> ChoreographyTask | None:
        t = choreography_tasks
        row = (await self.session.execute(select(t).where(t.c.fingerprint == fingerprint)
                                          .order_by(t.c.created_at.desc()).limit(1))).first()
        return _to_task(row) if row else None

    async def created_since(self, user_id: str, since: datetime) -> list[datetime]:
        t = choreography_tasks
        rows = (await self.session.execute(
            select(t.c.created_at).where(t.c.user_id == user_id, t.c.created_at >= since))).all()
        return [must(r[0]) for r in rows]

    async def completed_before(self, before: datetime) -> list[ChoreographyTask]:
        t = choreography_tasks
        rows = (await self.session.execute(select(t).where(
            t.c.status == TaskStatus.COMPLETED.value, t.c.completed_at < before, t.c.result.is_not(None)))).all()
        return [_to_task(r) for r in rows]


# --- collections ----------------------------------------------------------------------------------------------


def _item_row(i: SavedChoreography) -> dict[str, Any]:
    return {"id": i.id, "user_id": i.user_id, "task_id": i.task_id, "title": i.title, "difficulty": i.difficulty,
            "notes": i.notes, "duration": i.duration, "video_key": i.video_key, "music_info": i.music_info,
            "generation_parameters": i.generation_parameters, "created_at": i.created_at, "updated_at": i.updated_at}


def _to_item(row: Any) -> SavedChoreography:
    return SavedChoreography(
        id=row.id, user_id=row.user_id, task_id=row.task_id, title=row.title, difficulty=row.difficulty,
        notes=row.notes or "", duration=float(row.duration), video_key=row.video_key,
        music_info=dict(row.music_info or {}), generation_parameters=dict(row.generation_parameters or {}),
        created_at=must(row.created_at), updated_at=must(row.updated_at))


class SqlaCollectionRepository(CollectionRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, item: SavedChoreography) -> None:
        try:
            async with self.session.begin_nested():
                await self.session.execute(insert(choreography_collections).values(**_item_row(item)))
        except IntegrityError as exc:
            raise Conflict("Choreography already saved") from exc

    async def save(self, item: SavedChoreography) -> None:
        row = _item_row(item)
        del row["id"], row["created_at"], row["user_id"]
        c = choreography_collections
        await self.session.execute(update(c).where(c.c.id == item.id).values(**row))

    async def get(self, item_id: str) -> SavedChoreography | None:
        c = choreography_collections
        row = (await self.session.execute(select(c).where(c.c.id == item_id))).first()
        return _to_item(row) if row else None

    async def by_task(self, user_id: str, task_id: str) -> SavedChoreography | None:
        c = choreography_collections
        row = (await self.session.execute(select(c).where(c.c.user_id == user_id, c.c.task_id == task_id))).first()
        return _to_item(row) if row else None

    async def search(self, user_id: str, flt: CollectionFilter, offset: int, limit: int) -> Page[SavedChoreography]:
        c = choreography_collections
        conds: list[Any] = [c.c.user_id == user_id]
        if flt.difficulty:
            conds.append(c.c.difficulty == flt.difficulty)
        if flt.search:
            pattern = _like(flt.search)
            # the song's title and artist are inside music_info: its JSON text is searched (both databases)
            conds.append(or_(func.lower(c.c.title).like(pattern, escape="\\"),
                             func.lower(c.c.notes).like(pattern, escape="\\"),
                             func.lower(cast(c.c.music_info, String)).like(pattern, escape="\\")))
        where = and_(*conds)
        total = int((await self.session.execute(select(func.count()).select_from(c).where(where))).scalar_one())
        query = _ordered(select(c).where(where), c, flt.ordering, ("created_at", "title", "duration", "difficulty"),
                         c.c.id)
        if query is not None and flt.ordering.lstrip("-") not in ("created_at", "title", "duration", "difficulty"):
            query = query.order_by(c.c.created_at.desc())
        rows = (await self.session.execute(query.order_by(c.c.id).offset(offset).limit(limit))).all()
        return Page([_to_item(r) for r in rows], total)

    async def all_of(self, user_id: str) -> list[SavedChoreography]:
        c = choreography_collections
        rows = (await self.session.execute(select(c).where(c.c.user_id == user_id).order_by(c.c.created_at))).all()
        return [_to_item(r) for r in rows]

    async def delete(self, item_ids: Sequence[str]) -> int:
        if not item_ids:
            return 0
        c = choreography_collections
        result = await self.session.execute(delete(c).where(c.c.id.in_(list(item_ids))))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def referenced_video_keys(self, keys: Sequence[str]) -> set[str]:
        if not keys:
            return set()
        c, s = choreography_collections, class_plan_sequences
        query = union(select(c.c.video_key).where(c.c.video_key.in_(list(keys))),
                      select(s.c.video_key).where(s.c.video_key.in_(list(keys))))
        return {r[0] for r in (await self.session.execute(query)).all() if r[0]}


# --- class plans ----------------------------------------------------------------------------------------------


def _seq_row(plan_id: str, s: PlanSequence) -> dict[str, Any]:
    return {"plan_id": plan_id, "choreography_id": s.choreography_id, "position": s.order, "title": s.title,
            "duration": s.duration, "difficulty": s.difficulty, "num_moves": s.num_moves,
            "move_labels": list(s.move_labels), "video_key": s.video_key, "notes": s.notes}


def _to_seq(row: Any) -> PlanSequence:
    return PlanSequence(choreography_id=row.choreography_id, order=int(row.position), title=row.title,
                        duration=float(row.duration), difficulty=row.difficulty, num_moves=int(row.num_moves),
                        move_labels=tuple(row.move_labels or ()), video_key=row.video_key, notes=row.notes or "")


class SqlaClassPlanRepository(ClassPlanRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _row(self, p: ClassPlan) -> dict[str, Any]:
        return {"id": p.id, "instructor_id": p.instructor_id, "title": p.title,
                "difficulty_level": p.difficulty_level, "description": p.description, "created_at": p.created_at,
                "updated_at": p.updated_at}

    async def _write_sequences(self, plan: ClassPlan) -> None:
        s = class_plan_sequences
        await self.session.execute(delete(s).where(s.c.plan_id == plan.id))
        if plan.sequences:
            await self.session.execute(insert(s), [_seq_row(plan.id, q) for q in plan.sequences])

    async def add(self, plan: ClassPlan) -> None:
        await self.session.execute(insert(class_plans).values(**self._row(plan)))
        await self._write_sequences(plan)

    async def save(self, plan: ClassPlan) -> None:
        row = self._row(plan)
        del row["id"], row["created_at"], row["instructor_id"]
        await self.session.execute(update(class_plans).where(class_plans.c.id == plan.id).values(**row))
        await self._write_sequences(plan)

    async def _load(self, rows: Sequence[Any]) -> list[ClassPlan]:
        if not rows:
            return []
        s = class_plan_sequences
        seqs = (await self.session.execute(select(s).where(s.c.plan_id.in_([r.id for r in rows]))
                                           .order_by(s.c.plan_id, s.c.position))).all()
        by_plan: dict[str, list[PlanSequence]] = {}
        for q in seqs:
            by_plan.setdefault(q.plan_id, []).append(_to_seq(q))
        return [ClassPlan(id=r.id, instructor_id=r.instructor_id, title=r.title, difficulty_level=r.difficulty_level,
                          description=r.description or "", created_at=must(r.created_at),
                          updated_at=must(r.updated_at), sequences=tuple(by_plan.get(r.id, ())))
                for r in rows]

    async def get(self, plan_id: str) -> ClassPlan | None:
        rows = (await self.session.execute(select(class_plans).where(class_plans.c.id == plan_id))).all()
        found = await self._load(rows)
        return found[0] if found else None

    async def of_instructor(self, instructor_id: str, offset: int, limit: int) -> Page[ClassPlan]:
        p = class_plans
        total = int((await self.session.execute(
            select(func.count()).select_from(p).where(p.c.instructor_id == instructor_id))).scalar_one())
        rows = (await self.session.execute(select(p).where(p.c.instructor_id == instructor_id)
                                           .order_by(p.c.created_at.desc(), p.c.id).offset(offset).limit(limit))).all()
        return Page(await self._load(rows), total)

    async def all_of(self, instructor_id: str) -> list[ClassPlan]:
        p = class_plans
        rows = (await self.session.execute(select(p).where(p.c.instructor_id == instructor_id)
                                           .order_by(p.c.created_at))).all()
        return await self._load(rows)

    async def delete(self, plan_id: str) -> None:
        await self.session.execute(delete(class_plan_sequences).where(class_plan_sequences.c.plan_id == plan_id))
        await self.session.execute(delete(class_plans).where(class_plans.c.id == plan_id))
