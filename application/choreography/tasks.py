"""Choreography tasks: start one (from a song or from words), run it as a job, poll it, cancel it, fetch its video."""

from __future__ import annotations

import tempfile
import uuid
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from application.choreography.generate import GenerateChoreography, GenerateCommand
from application.choreography.ports import CollectionRepository, MoveIndex, Page, SongRepository, TaskRepository
from application.choreography.requests import ParseRequest
from application.jobs.progress import Progress
from application.jobs.runner import EnqueueJob
from application.ports.persistence import TransactionManager
from application.ports.storage import BlobStore
from application.ports.system import Clock
from domain.choreography.blueprint import Preferences
from domain.choreography.catalogue import Song, SongStatus
from domain.choreography.query import DIFFICULTIES, ENERGIES, STYLES, ParsedQuery, SongOption, choose_song
from domain.choreography.task import (
    CANCELLED,
    ChoreographyTask,
    GenerationThrottled,
    RequestNotUnderstood,
    TaskResult,
    TaskStatus,
    fingerprint,
    retry_after,
)
from domain.errors import DomainError, Forbidden, InvalidInput, NotFound
from domain.identity.user import User
from domain.jobs.job import Job
from domain.storage.keys import BlobKey

GENERATE = "choreography.generate"
EMPTY_LIBRARY = ("The move library is empty: no choreography can be made without real move clips. An admin adds them "
                 "with `python -m entrypoints.manage ingest-moves DIR`.")


def _choice(value: str, allowed: tuple[str, ...], name: str, label: str) -> str:
    if value not in allowed:
        raise InvalidInput(f"Invalid {label}. Must be one of: {', '.join(allowed)}", field=name)
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class FromSong:
    song_id: int
    difficulty: str
    energy_level: str = "medium"
    style: str = "modern"


@dataclass(frozen=True, slots=True, kw_only=True)
class Started:
    task: ChoreographyTask
    song: Song
    parsed: ParsedQuery | None = None
    resent: bool = False  # the same request a moment ago: its task, no second generation


@dataclass(frozen=True, slots=True, kw_only=True)
class StartGeneration:
    songs: SongRepository
    tasks: TaskRepository
    enqueue: EnqueueJob
    parse: ParseRequest
    tx: TransactionManager
    clock: Clock
    per_hour: int = 10

    async def from_song(self, req: FromSong, user: User) -> Started:
        _choice(req.difficulty, DIFFICULTIES, "difficulty", "difficulty")
        _choice(req.energy_level, ENERGIES, "energy_level", "energy level")
        _choice(req.style, STYLES, "style", "style")
        song = await self.songs.get(req.song_id)
        if song is None or song.status is not SongStatus.ANALYSED:
            raise InvalidInput(f"Song with id {req.song_id} does not exist."
                               if song is None or song.status is SongStatus.FAILED
                               else f"Song with id {req.song_id} is still being analysed.", field="song_id")
        params = {"song_id": song.id, "difficulty": req.difficulty, "energy_level": req.energy_level,
                  "style": req.style}
        return await self._start(user, song, params, None, None)

    async def from_words(self, query: str, user: User, field_name: str = "query") -> Started:
        text = query.strip()
        if len(text) < 10:
            raise InvalidInput("Query must be at least 10 characters.", field=field_name)
        if len(text) > 500:
            raise InvalidInput("Query must be at most 500 characters.", field=field_name)
        parsed = await self.parse(text)
        options = [SongOption(s.id, s.bpm or 0.0, s.mean_energy) for s in await self.songs.analysed()]
        if not options:
            raise RequestNotUnderstood("There is no analysed song to choreograph yet.")
        chosen = choose_song(options, parsed)
        song = await self.songs.get(chosen.song_id)
        assert song is not None
        params = {"song_id": song.id, **parsed.to_parameters(), "avoid": list(parsed.avoid)}
        return await self._start(user, song, params, parsed, text)

    async def _start(self, user: User, song: Song, params: dict[str, Any], parsed: ParsedQuery | None,
                     query: str | None) -> Started:
        now = self.clock.now()
        fp = fingerprint(user.id, {**params, "query": query})
        previous = await self.tasks.latest_with_fingerprint(fp)
        if previous is not None and previous.user_id == user.id and previous.resend_of(now):
            return Started(task=previous, song=song, parsed=parsed, resent=True)
        wait = retry_after(await self.tasks.created_since(user.id, now - timedelta(hours=1)), now, self.per_hour)
        if wait is not None:
            raise GenerationThrottled(wait)
        task = ChoreographyTask(
            id=str(uuid.uuid4()), user_id=user.id, song_id=song.id, difficulty=str(params["difficulty"]),
            energy_level=str(params["energy_level"]), style=str(params["style"]), status=TaskStatus.PENDING,
            stage="generating_blueprint", progress=0, message="Choreography generation started",
            created_at=now, updated_at=now, parameters=params, query=query, fingerprint=fp)
        await self.tasks.add(task)
        job = await self.enqueue.add(GENERATE, {"task_id": task.id}, user.id)
        task = task.started(job.id, now)
        await self.tasks.save(task)
        await self.tx.commit()
        return Started(task=task, song=song, parsed=parsed)


def preferences_of(task: ChoreographyTask) -> Preferences:
    p = task.parameters
    if task.query is not None:
        return ParsedQuery(difficulty=task.difficulty, energy_level=task.energy_level, style=task.style,
                           special_requirements=tuple(p.get("special_requirements", ())),
                           tempo=p.get("tempo"), avoid=tuple(p.get("avoid", ()))).preferences()
    return Preferences(difficulty=task.difficulty, energy_level=task.energy_level, style=task.style)


class TaskCancelled(DomainError):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class GenerationJob:
    """The job: blueprint, assembly and upload through ``GenerateChoreography``; every stage, percentage and message
    is written to the task (and the job) as it happens. Idempotent: a finished task is left as it is."""

    generate: GenerateChoreography
    index: MoveIndex
    songs: SongRepository
    tasks: TaskRepository
    blobs: BlobStore
    tx: TransactionManager
    clock: Clock
    resolution: str = "480p"

    async def __call__(self, job: Job, progress: Progress) -> dict[str, Any]:
        task_id = str(job.payload["task_id"])
        task = await self.tasks.get(task_id)
        if task is None:
            raise NotFound(f"Task {task_id} not found")
        if task.status.finished:
            return {"task_id": task.id, "status": task.status.value}
        song = await self.songs.get(task.song_id)
        if song is None or song.analysis is None:
            raise DomainError(f"Song with id {task.song_id} does not exist or was never analysed.")
        if len(self.index) == 0:
            raise DomainError(EMPTY_LIBRARY)
        key = BlobKey.parse(f"renders/choreography/{task.id}.mp4")

        facts: list[str] = []  # the blueprint's measured facts, repeated while the video renders

        async def report(stage: str, pct: float, message: str) -> None:
            current = await self.tasks.get(task_id)
            if current is None or current.cancelled:
                raise TaskCancelled(CANCELLED)
            if stage == "generating_blueprint" and message.startswith(("Music analyzed", "Found", "Created")):
                facts.append(message)
            elif stage == "video_assembly" and facts:
                # pollers every 2 s rarely catch the blueprint's messages; the web client's reasoning panel reads
                # the tempo and the number of matching moves from them
                message = f"{message} ({'; '.join(facts)})"
            await self.tasks.save(current.advance(stage, pct, message, self.clock.now()))
            await progress(min(pct / 100.0, 0.99), stage=stage, message=message)  # commits both rows

        with tempfile.TemporaryDirectory(prefix="choreography-") as folder:
            song_path = Path(folder) / ("song" + Path(song.audio_key).suffix)
            await self.blobs.download_to(BlobKey.parse(song.audio_key), song_path)
            cmd = GenerateCommand(task_id=task.id, song_path=song_path, preferences=preferences_of(task),
                                  result_key=key, song=song.analysis, resolution=self.resolution)
            try:
                out = await self.generate(cmd, report)
            except TaskCancelled:
                await self.blobs.delete(key)
                raise
        current = await self.tasks.get(task_id)
        if current is None or current.cancelled:
            await self.blobs.delete(key)
            raise TaskCancelled(CANCELLED)
        result = TaskResult(video_key=key.value, duration=round(out.duration, 3), file_size=out.file_size,
                            num_moves=out.num_moves, difficulty=out.difficulty,
                            move_labels=tuple(m.move_label for m in out.blueprint.moves),
                            blueprint=out.blueprint.to_dict())
        await self.tasks.save(current.complete(result, self.clock.now()))
        await self.tx.commit()
        return {"task_id": task_id, **out.to_dict()}


@dataclass(frozen=True, slots=True, kw_only=True)
class FailTaskOfJob:
    """A generation job failed for good: its task ends failed with the job's reason."""

    tasks: TaskRepository
    tx: TransactionManager
    clock: Clock

    async def __call__(self, job: Job) -> None:
        task = await self.tasks.get(str(job.payload.get("task_id", "")))
        if task is not None and not task.status.finished:
            await self.tasks.save(task.fail(job.error or "The generation job ended without a result.",
                                            self.clock.now()))
            await self.tx.commit()


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskQueries:
    tasks: TaskRepository
    songs: SongRepository

    async def get(self, task_id: str, user: User) -> tuple[ChoreographyTask, Song | None]:
        task = await self.tasks.get(task_id)
        if task is None:
            raise NotFound("Task not found")
        if task.user_id != user.id and not user.is_admin:
            raise Forbidden("You do not have permission to access this task")
        return task, await self.songs.get(task.song_id)

    async def page(self, user: User, page: int, page_size: int) -> Page[ChoreographyTask]:
        return await self.tasks.of_user(user.id, (page - 1) * page_size, page_size)

    async def video(self, task_id: str, user: User) -> tuple[ChoreographyTask, BlobKey]:
        task, _ = await self.get(task_id, user)
        if task.result is None:
            raise NotFound("The video is not ready yet." if not task.status.finished else "This task has no video.")
        return task, BlobKey.parse(task.result.video_key)


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelTask:
    tasks: TaskRepository
    tx: TransactionManager
    clock: Clock

    async def __call__(self, task_id: str, user: User) -> ChoreographyTask:
        task = await self.tasks.get(task_id)
        if task is None:
            raise NotFound("Task not found")
        if task.user_id != user.id and not user.is_admin:
            raise Forbidden("You do not have permission to access this task")
        if task.status.finished:
            return task  # nothing runs any more: cancelling is a no-op, as a re-sent DELETE must be
        task = task.cancel(self.clock.now())
        await self.tasks.save(task)
        await self.tx.commit()
        return task


@dataclass(frozen=True, slots=True, kw_only=True)
class PurgeRenders:
    """Render retention: the videos of tasks completed more than ``older_than`` ago are deleted, except those a
    collection item or a class plan still references (saving keeps a video alive)."""

    tasks: TaskRepository
    collections: CollectionRepository
    blobs: BlobStore
    tx: TransactionManager
    clock: Clock
    older_than: timedelta = field(default=timedelta(days=30))

    async def __call__(self) -> int:
        old = [t for t in await self.tasks.completed_before(self.clock.now() - self.older_than) if t.result]
        keep = await self.collections.referenced_video_keys([t.result.video_key for t in old if t.result])
        purged = 0
        for task in old:
            assert task.result is not None
            if task.result.video_key in keep:
                continue
            await self.blobs.delete(BlobKey.parse(task.result.video_key))
            await self.tasks.save(replace(task, result=None, message="The video expired and was deleted."))
            purged += 1
        await self.tx.commit()
        return purged
