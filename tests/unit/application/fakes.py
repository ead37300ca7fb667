"""In-memory fakes of the persistence ports that record what was committed and enqueued."""

from __future__ import annotations

from datetime import UTC, datetime

from application.ports.persistence import JobRepository, TransactionManager
from application.ports.queue import JobQueue
from application.ports.system import Clock
from domain.jobs.job import Job, JobStatus


class FakeClock(Clock):
    def now(self) -> datetime:
        return datetime(2025, 1, 28, 12, 0, tzinfo=UTC)


class FakeTx(TransactionManager):
    def __init__(self) -> None:
        self.commits = 0

    async def commit(self) -> None:
        self.commits += 1

    async def rollback(self) -> None:
        pass


class FakeJobs(JobRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Job] = {}
        self.history: list[Job] = []

    async def add(self, job: Job) -> None:
        self.rows[job.id] = job

    async def save(self, job: Job) -> None:
        self.rows[job.id] = job
        self.history.append(job)

    async def get(self, job_id: str) -> Job | None:
        return self.rows.get(job_id)

    async def unfinished(self, limit: int = 1000) -> list[Job]:
        return [j for j in self.rows.values() if not j.status.finished][:limit]

    async def count_active(self, kind: str | None = None) -> int:
        return sum(1 for j in self.rows.values() if not j.status.finished and (kind is None or j.kind == kind))


class FakeQueue(JobQueue):
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def enqueue(self, job_id: str, kind: str) -> None:
        self.sent.append((job_id, kind))


__all__ = ["FakeClock", "FakeJobs", "FakeQueue", "FakeTx", "JobStatus"]
