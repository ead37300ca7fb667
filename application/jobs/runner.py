"""Running queued jobs: the worker side of the job queue port."""

from __future__ import annotations

import hashlib
import logging
from abc import abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from application.jobs.progress import Progress
from application.ports.persistence import JobRepository, TransactionManager
from application.ports.queue import JobQueue
from application.ports.storage import BlobStore
from application.ports.system import Clock
from domain.errors import DomainError, NotFound
from domain.identity.user import User
from domain.ids import new_id
from domain.jobs.job import Job
from domain.storage.keys import BlobKey

log = logging.getLogger(__name__)



class JobHandler(Protocol):
    @abstractmethod
    async def __call__(self, job: Job, progress: Progress) -> dict[str, Any]:
        """Do the work; return the result to store. Raise DomainError with a readable reason to fail."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EnqueueJob:
    jobs: JobRepository
    queue: JobQueue
    tx: TransactionManager
    clock: Clock

    async def __call__(self, kind: str, payload: dict[str, Any], user_id: str | None) -> Job:
        now = self.clock.now()
        job = Job(id=new_id(now.timestamp()), kind=kind, user_id=user_id, payload=payload,
                  created_at=now, updated_at=now)
        await self.jobs.add(job)
        await self.tx.commit()  # the row exists before any worker can look for it
        await self.queue.enqueue(job.id, kind)
        return job


@dataclass(frozen=True, slots=True, kw_only=True)
class ResumeUnfinishedJobs:
    """An in-process queue forgets its messages when the process stops; the job rows do not. At start-up,
    queue again every job that was queued or running, so none stays "processing" forever."""

    jobs: JobRepository
    queue: JobQueue

    async def __call__(self) -> int:
        pending = await self.jobs.unfinished()
        for job in pending:
            await self.queue.enqueue(job.id, job.kind)
        return len(pending)


@dataclass(frozen=True, slots=True, kw_only=True)
class GetJob:
    jobs: JobRepository

    async def __call__(self, job_id: str, user: User) -> Job:
        job = await self.jobs.get(job_id)
        if job is None or (job.user_id != user.id and not user.is_admin):
            raise NotFound("Job not found")
        return job


@dataclass(frozen=True, slots=True, kw_only=True)
class RunJob:
    jobs: JobRepository
    tx: TransactionManager
    clock: Clock
    handlers: Mapping[str, JobHandler]

    async def __call__(self, job_id: str) -> Job:
        job = await self.jobs.get(job_id)
        if job is None:
            raise NotFound(f"Job {job_id} not found")
        if job.status.finished:
            return job  # a redelivered message: the work is done already
        handler = self.handlers.get(job.kind)
        if handler is None:
            job = job.fail(f"No handler for job kind {job.kind!r}.", self.clock.now())
            await self.jobs.save(job)
            await self.tx.commit()
            return job
        job = job.start(self.clock.now())
        await self.jobs.save(job)
        await self.tx.commit()
        current = job

        async def progress(fraction: float, *, stage: str | None = None, message: str | None = None) -> None:
            nonlocal current
            current = current.advance(fraction, self.clock.now(), stage=stage, message=message)
            await self.jobs.save(current)
            await self.tx.commit()

        try:
            result = await handler(current, progress)
        except DomainError as exc:
            current = current.fail(exc.message, self.clock.now())
        except Exception as exc:  # a bug or an outage: record it, never invent a result
            log.exception("job %s (%s) crashed", job.id, job.kind)
            current = current.fail(f"Internal error: {type(exc).__name__}: {exc}", self.clock.now())
        else:
            current = current.complete(result, self.clock.now())
        await self.jobs.save(current)
        await self.tx.commit()
        return current


@dataclass(frozen=True, slots=True, kw_only=True)
class BlobDigestHandler:
    """Integrity check of a stored file: its size and SHA-256, computed where the worker runs."""

    blobs: BlobStore

    async def __call__(self, job: Job, progress: Progress) -> dict[str, Any]:
        key = BlobKey.parse(str(job.payload.get("file_key", "")))
        data = await self.blobs.get(key)
        await progress(0.5)
        return {"file_key": key.value, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


FILE_DIGEST = "file-digest"


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueFileDigest:
    """Queue an integrity check of one of the caller's files (admins: any file)."""

    enqueue: EnqueueJob

    async def __call__(self, file_key: str, user: User) -> Job:
        key = BlobKey.parse(file_key)
        key.check_access(user.id, is_admin=user.is_admin)
        return await self.enqueue(FILE_DIGEST, {"file_key": key.value}, user.id)


@dataclass(frozen=True, slots=True)
class JobRoute:
    """A context's contribution to the job table: the kind it handles and its handler."""

    kind: str
    handler: JobHandler
