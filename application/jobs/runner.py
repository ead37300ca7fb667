"""Jobs: recording them (an outbox: the row commits with the work that needs it, the queue message follows the
commit), running them under a lease, retrying transient failures, and ending every one completed or failed."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from abc import abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from application.jobs.progress import Progress
from application.ports.persistence import JobRepository, TransactionManager
from application.ports.queue import JobQueue
from application.ports.storage import BlobStore
from application.ports.system import Clock
from domain.errors import DomainError, NotFound
from domain.identity.user import User
from domain.ids import new_id
from domain.jobs.job import Job, JobStatus
from domain.storage.keys import BlobKey

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)  # a worker that shows no progress for this long is taken for dead


class JobHandler(Protocol):
    @abstractmethod
    async def __call__(self, job: Job, progress: Progress) -> dict[str, Any]:
        """Do the work; return the result to store. Raise DomainError with a readable reason to fail. Must be
        idempotent: a job whose worker died runs again, and two runs leave one result."""


JobEnded = Callable[[Job], Awaitable[None]]
"""Told when a job has failed for good (its reason in ``job.error``), whoever ended it: the context ends the
record it belongs to (an analysis, a task), so none stays "processing"."""


@dataclass(frozen=True, slots=True)
class JobRoute:
    """A context's contribution to the job table: the kind it handles, its handler, and what ends its record."""

    kind: str
    handler: JobHandler
    on_failure: JobEnded | None = None


def is_transient_default(exc: BaseException) -> bool:
    """A dependency that did not answer (connection refused or reset, timeout): worth another attempt."""
    return isinstance(exc, OSError | TimeoutError)


@dataclass(frozen=True, slots=True, kw_only=True)
class EnqueueJob:
    jobs: JobRepository
    queue: JobQueue
    tx: TransactionManager
    clock: Clock

    async def add(self, kind: str, payload: dict[str, Any], user_id: str | None) -> Job:
        """Record a job in the caller's transaction; it is announced on the queue once the caller commits.
        If the announcement fails (the queue is down), the reconciler repeats it: the row is the promise."""
        now = self.clock.now()
        job = Job(id=new_id(now.timestamp()), kind=kind, user_id=user_id, payload=payload,
                  created_at=now, updated_at=now, published_at=now)
        await self.jobs.add(job)
        queue = self.queue

        async def announce() -> None:
            await queue.enqueue(job.id, kind)

        self.tx.after_commit(announce)
        return job

    async def __call__(self, kind: str, payload: dict[str, Any], user_id: str | None) -> Job:
        """A job on its own: recorded, committed, announced."""
        job = await self.add(kind, payload, user_id)
        await self.tx.commit()
        return job


@dataclass(frozen=True, slots=True, kw_only=True)
class ResumeUnfinishedJobs:
    """An in-process queue forgets its messages when the process stops; the job rows do not. At start-up,
    queue again every job that was queued or running, so none stays "processing" forever."""

    jobs: JobRepository
    queue: JobQueue
    tx: TransactionManager
    clock: Clock

    async def __call__(self) -> int:
        pending = await self.jobs.unfinished()
        now = self.clock.now()
        for job in pending:
            if job.status is JobStatus.PROCESSING:  # its process is gone: the lease means nothing now
                await self.jobs.save(job.requeued(now))
        await self.tx.commit()
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


def _routes(handlers: Mapping[str, JobHandler | JobRoute]) -> dict[str, JobRoute]:
    return {kind: h if isinstance(h, JobRoute) else JobRoute(kind, h) for kind, h in handlers.items()}


async def end_failed(routes: Mapping[str, JobRoute], job: Job) -> None:
    route = routes.get(job.kind)
    if route is not None and route.on_failure is not None:
        try:
            await route.on_failure(job)
        except Exception:  # the job's own end is recorded; the reconciler's repair pass retries the record's
            log.exception("ending the record of failed job %s (%s)", job.id, job.kind)


@dataclass(frozen=True, slots=True, kw_only=True)
class RunJob:
    jobs: JobRepository
    tx: TransactionManager
    clock: Clock
    handlers: Mapping[str, JobHandler | JobRoute]
    is_transient: Callable[[BaseException], bool] = is_transient_default
    lease: timedelta = LEASE
    _table: dict[str, JobRoute] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_table", _routes(self.handlers))

    async def __call__(self, job_id: str) -> Job:
        job = await self.jobs.get(job_id)
        if job is None:
            raise NotFound(f"Job {job_id} not found")
        if job.status.finished:
            return job  # a redelivered message: the work is done already
        route = self._table.get(job.kind)
        if route is None:
            job = job.fail(f"No handler for job kind {job.kind!r}.", self.clock.now())
            await self.jobs.save(job)
            await self.tx.commit()
            return job
        claimed = await self.jobs.claim(job.id, self.clock.now(), self.lease)
        await self.tx.commit()
        if claimed is None:
            return job  # another worker holds it, or it waits for its retry time: nothing to do here
        current = claimed
        saving = asyncio.Lock()  # one session per job: a report made while another commits waits its turn

        async def progress(fraction: float, *, stage: str | None = None, message: str | None = None) -> None:
            nonlocal current
            async with saving:
                now = self.clock.now()
                current = current.advance(fraction, now, stage=stage, message=message).renewed(now, self.lease)
                await self.jobs.save(current)
                await self.tx.commit()

        try:
            result = await route.handler(current, progress)
        except DomainError as exc:
            current = current.fail(exc.message, self.clock.now())
        except Exception as exc:
            current = await self._after_crash(current, exc)
        else:
            current = current.complete(result, self.clock.now())
        await self.tx.rollback()  # whatever the handler left uncommitted is not part of the job's end
        await self.jobs.save(current)
        await self.tx.commit()
        if current.status is JobStatus.FAILED:
            await end_failed(self._table, current)
        return current

    async def _after_crash(self, job: Job, exc: Exception) -> Job:
        now = self.clock.now()
        reason = f"{type(exc).__name__}: {exc}"
        if self.is_transient(exc) and job.attempts_left > 0:
            log.warning("job %s (%s) met an unavailable dependency (%s); retrying", job.id, job.kind, reason)
            return job.retry_later(f"Retrying after: {reason}", now)
        if self.is_transient(exc):
            return job.fail(f"A dependency stayed unavailable after {job.attempts} attempts: {reason}", now)
        log.error("job %s (%s) crashed", job.id, job.kind, exc_info=exc)  # a bug: record it, never invent a result
        return job.fail(f"Internal error: {reason}", now)


@dataclass(frozen=True, slots=True)
class Reconciled:
    announced: int = 0
    requeued: int = 0
    failed: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ReconcileJobs:
    """One pass of the reconciler (each worker and the scheduler run it every few seconds):

    - a queued job that is due but was not announced recently is announced again: its first announcement was
      lost (the queue was down at commit, or restarted without its streams);
    - a processing job whose lease expired lost its worker: it is queued again, or failed with the reason once
      its attempts are spent.
    Every change is a compare-and-set, so several reconcilers at once do no harm.
    """

    jobs: JobRepository
    queue: JobQueue
    tx: TransactionManager
    clock: Clock
    handlers: Mapping[str, JobHandler | JobRoute]
    announce_after: timedelta = timedelta(seconds=60)

    async def __call__(self) -> Reconciled:
        now = self.clock.now()
        requeued = failed = 0
        for job in await self.jobs.expired_leases(now):
            if job.attempts_left > 0:
                ok = await self.jobs.replace_if_unchanged(job, job.requeued(now))
                requeued += ok
            else:
                ended = job.fail(f"Its worker stopped {job.attempts} times before finishing.", now)
                if await self.jobs.replace_if_unchanged(job, ended):
                    failed += 1
                    await self.tx.commit()
                    await end_failed(_routes(self.handlers), ended)
        await self.tx.commit()
        announced = 0
        for job in await self.jobs.to_announce(now, now - self.announce_after):
            if await self.jobs.mark_announced(job, now):
                await self.tx.commit()
                try:
                    await self.queue.enqueue(job.id, job.kind)
                except Exception:
                    log.warning("the queue is unreachable; job %s will be announced again", job.id, exc_info=True)
                    continue
                announced += 1
        await self.tx.commit()
        return Reconciled(announced=announced, requeued=requeued, failed=failed)


FILE_DIGEST = "file-digest"


@dataclass(frozen=True, slots=True, kw_only=True)
class BlobDigestHandler:
    """Integrity check of a stored file: its size and SHA-256, computed where the worker runs."""

    blobs: BlobStore

    async def __call__(self, job: Job, progress: Progress) -> dict[str, Any]:
        key = BlobKey.parse(str(job.payload.get("file_key", "")))
        data = await self.blobs.get(key)
        await progress(0.5)
        return {"file_key": key.value, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueFileDigest:
    """Queue an integrity check of one of the caller's files (admins: any file)."""

    enqueue: EnqueueJob

    async def __call__(self, file_key: str, user: User) -> Job:
        key = BlobKey.parse(file_key)
        key.check_access(user.id, is_admin=user.is_admin)
        return await self.enqueue(FILE_DIGEST, {"file_key": key.value}, user.id)
