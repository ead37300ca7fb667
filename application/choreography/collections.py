"""A user's collection of saved choreographies, and instructors' class plans built from them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from application.choreography.ports import (
    ClassPlanRepository,
    CollectionRepository,
    Page,
    SongRepository,
    TaskRepository,
)
from application.ports.persistence import TransactionManager
from application.ports.storage import BlobStore
from application.ports.system import Clock
from domain.choreography.class_plan import ClassPlan, PlanSequence, PlanSummary, summarise
from domain.choreography.collection import (
    DIFFICULTIES,
    MAX_NOTES,
    CollectionFilter,
    CollectionStats,
    SavedChoreography,
    collection_stats,
    default_title,
)
from domain.choreography.task import ChoreographyTask, TaskStatus
from domain.errors import Forbidden, InvalidInput, NotFound
from domain.identity.user import User
from domain.storage.keys import BlobKey


def _difficulty(value: str, field: str = "difficulty") -> str:
    if value not in DIFFICULTIES:
        raise InvalidInput(f"Invalid difficulty. Must be one of: {', '.join(DIFFICULTIES)}", field=field)
    return value


def _title(value: str, field: str = "title") -> str:
    text = value.strip()
    if not text:
        raise InvalidInput("This field may not be blank.", field=field)
    if len(text) > 200:
        raise InvalidInput("Ensure this field has no more than 200 characters.", field=field)
    return text


def _notes(value: str) -> str:
    if len(value) > MAX_NOTES:
        raise InvalidInput(f"Ensure this field has no more than {MAX_NOTES} characters.", field="notes")
    return value


async def _own_completed_task(tasks: TaskRepository, task_id: str, user: User, field: str) -> ChoreographyTask:
    task = await tasks.get(task_id)
    if task is None:
        raise InvalidInput("Choreography not found.", field=field)
    if task.user_id != user.id:
        raise Forbidden("You do not have permission to access this choreography")
    if task.status is not TaskStatus.COMPLETED or task.result is None:
        raise InvalidInput("Cannot save incomplete choreography", field=field)
    return task


@dataclass(frozen=True, slots=True, kw_only=True)
class SaveCommand:
    task_id: str
    title: str | None = None
    difficulty: str | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Collections:
    items: CollectionRepository
    tasks: TaskRepository
    songs: SongRepository
    blobs: BlobStore
    tx: TransactionManager
    clock: Clock

    async def save(self, cmd: SaveCommand, user: User) -> tuple[SavedChoreography, bool]:
        """The saved item and whether it is new (saving the same task again answers the first item)."""
        task = await _own_completed_task(self.tasks, cmd.task_id, user, "task_id")
        existing = await self.items.by_task(user.id, task.id)
        if existing is not None:
            return existing, False
        assert task.result is not None
        song = await self.songs.get(task.song_id)
        difficulty = _difficulty(cmd.difficulty or task.difficulty)
        title = _title(cmd.title) if cmd.title else default_title(song.title if song else None, task.style,
                                                                  task.difficulty)
        now = self.clock.now()
        music = {} if song is None else {"song_id": song.id, "song": song.title, "artist": song.artist,
                                         "bpm": song.bpm, "duration": song.duration, "genre": song.genre}
        item = SavedChoreography(
            id=str(uuid.uuid4()), user_id=user.id, task_id=task.id, title=title, difficulty=difficulty,
            notes=_notes(cmd.notes), duration=task.result.duration, video_key=task.result.video_key,
            music_info=music, generation_parameters={**task.parameters, "num_moves": task.result.num_moves},
            created_at=now, updated_at=now)
        await self.items.add(item)
        await self.tx.commit()
        return item, True

    async def get(self, item_id: str, user: User) -> SavedChoreography:
        item = await self.items.get(item_id)
        if item is None:
            raise NotFound("Not found.")
        if item.user_id != user.id:
            raise Forbidden("You do not have permission to perform this action.")
        return item

    async def page(self, user: User, flt: CollectionFilter, page: int, page_size: int) -> Page[SavedChoreography]:
        if flt.difficulty:
            _difficulty(flt.difficulty)
        return await self.items.search(user.id, flt, (page - 1) * page_size, page_size)

    async def edit(self, item_id: str, user: User, *, title: str | None, difficulty: str | None,
                   notes: str | None) -> SavedChoreography:
        item = await self.get(item_id, user)
        item = item.edited(self.clock.now(), title=None if title is None else _title(title),
                           difficulty=None if difficulty is None else _difficulty(difficulty),
                           notes=None if notes is None else _notes(notes))
        await self.items.save(item)
        await self.tx.commit()
        return item

    async def delete(self, item_id: str, user: User) -> None:
        """The item goes; its video stays with its task (the task still replays it)."""
        item = await self.get(item_id, user)
        await self.items.delete([item.id])
        await self.tx.commit()

    async def delete_all(self, user: User, confirmation: bool) -> int:
        if confirmation is not True:
            raise InvalidInput("Confirmation is required to delete all collections. Send {\"confirmation\": true}.",
                               field="confirmation")
        count = await self.items.delete([i.id for i in await self.items.all_of(user.id)])
        await self.tx.commit()
        return count

    async def cleanup(self, user: User, older_than_days: int | None) -> tuple[int, int]:
        """Remove the user's entries whose video is gone and, when a number of days is given, those saved longer
        ago than that; answers (removed for a missing video, removed for age)."""
        if older_than_days is not None and older_than_days < 0:
            raise InvalidInput("Ensure this value is greater than or equal to 0.", field="days")
        items = await self.items.all_of(user.id)
        gone: list[str] = []
        for item in items:
            if item.video_key is None or await self.blobs.info(BlobKey.parse(item.video_key)) is None:
                gone.append(item.id)
        old: list[str] = []
        if older_than_days is not None:
            cutoff = self.clock.now() - timedelta(days=older_than_days)
            old = [i.id for i in items if i.created_at < cutoff and i.id not in gone]
        await self.items.delete(gone + old)
        await self.tx.commit()
        return len(gone), len(old)

    async def stats(self, user: User) -> CollectionStats:
        return collection_stats(await self.items.all_of(user.id), self.clock.now())


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanStats:
    total_plans: int
    total_sequences: int
    total_duration: float
    plans_by_difficulty: dict[str, int]
    average_sequences_per_plan: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ClassPlans:
    """Every signed-in user may plan classes (see the README: spec 003 asks only for authentication)."""

    plans: ClassPlanRepository
    items: CollectionRepository
    tasks: TaskRepository
    tx: TransactionManager
    clock: Clock

    async def create(self, user: User, title: str, difficulty_level: str, description: str) -> ClassPlan:
        now = self.clock.now()
        plan = ClassPlan(id=str(uuid.uuid4()), instructor_id=user.id, title=_title(title),
                         difficulty_level=_difficulty(difficulty_level, "difficulty_level"),
                         description=description, created_at=now, updated_at=now)
        await self.plans.add(plan)
        await self.tx.commit()
        return plan

    async def get(self, plan_id: str, user: User) -> ClassPlan:
        plan = await self.plans.get(plan_id)
        if plan is None:
            raise NotFound("Not found.")
        if plan.instructor_id != user.id:
            raise Forbidden("You do not have permission to perform this action.")
        return plan

    async def page(self, user: User, page: int, page_size: int) -> Page[ClassPlan]:
        return await self.plans.of_instructor(user.id, (page - 1) * page_size, page_size)

    async def update(self, plan_id: str, user: User, *, title: str | None, difficulty_level: str | None,
                     description: str | None) -> ClassPlan:
        plan = (await self.get(plan_id, user)).edited(
            self.clock.now(), title=None if title is None else _title(title),
            difficulty_level=None if difficulty_level is None else _difficulty(difficulty_level, "difficulty_level"),
            description=description)
        await self.plans.save(plan)
        await self.tx.commit()
        return plan

    async def delete(self, plan_id: str, user: User) -> None:
        await self.get(plan_id, user)
        await self.plans.delete(plan_id)
        await self.tx.commit()

    async def add_sequence(self, plan_id: str, user: User, choreography_id: str, order: int | None,
                           notes: str) -> ClassPlan:
        """``choreography_id`` is a completed task of the caller, or one of the caller's saved items."""
        plan = await self.get(plan_id, user)
        item = await self.items.get(choreography_id)
        if item is not None and item.user_id == user.id and item.task_id is not None:
            task_id, title = item.task_id, item.title
        else:
            task_id, title = choreography_id, ""
        task = await _own_completed_task(self.tasks, task_id, user, "choreography_id")
        assert task.result is not None
        if not title:
            saved = await self.items.by_task(user.id, task.id)
            title = saved.title if saved else default_title(None, task.style, task.difficulty)
        if order is not None and order < 1:
            raise InvalidInput("Ensure this value is greater than or equal to 1.", field="order")
        sequence = PlanSequence(choreography_id=task.id, order=order or 0, title=title,
                                duration=task.result.duration, difficulty=task.result.difficulty,
                                num_moves=task.result.num_moves, move_labels=task.result.move_labels,
                                video_key=task.result.video_key, notes=_notes(notes))
        plan = plan.with_sequence(sequence, order, self.clock.now())
        await self.plans.save(plan)
        await self.tx.commit()
        return plan

    async def remove_sequence(self, plan_id: str, user: User, choreography_id: str) -> ClassPlan:
        plan = (await self.get(plan_id, user)).without_sequence(choreography_id, self.clock.now())
        await self.plans.save(plan)
        await self.tx.commit()
        return plan

    async def summary(self, plan_id: str, user: User) -> tuple[ClassPlan, PlanSummary]:
        plan = await self.get(plan_id, user)
        return plan, summarise(plan)

    async def stats(self, user: User) -> PlanStats:
        plans = await self.plans.all_of(user.id)
        by = dict.fromkeys(DIFFICULTIES, 0)
        for p in plans:
            by[p.difficulty_level] = by.get(p.difficulty_level, 0) + 1
        sequences = sum(len(p.sequences) for p in plans)
        return PlanStats(total_plans=len(plans), total_sequences=sequences,
                         total_duration=round(sum(s.duration for p in plans for s in p.sequences), 2),
                         plans_by_difficulty=by,
                         average_sequences_per_plan=round(sequences / len(plans), 2) if plans else 0.0)



