"""In-memory fakes of the persistence ports that record what was committed and enqueued."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
        self._after: list = []

    async def commit(self) -> None:
        self.commits += 1
        actions, self._after = self._after, []
        for action in actions:
            await action()

    async def rollback(self) -> None:
        self._after = []

    def after_commit(self, action) -> None:
        self._after.append(action)


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

    async def claim(self, job_id: str, now: datetime, lease: timedelta) -> Job | None:
        job = self.rows.get(job_id)
        if job is None or not job.claimable(now):
            return None
        claimed = job.start(now, lease)
        await self.save(claimed)
        return claimed

    async def to_announce(self, now: datetime, announced_before: datetime, limit: int = 100) -> list[Job]:
        return [j for j in self.rows.values() if j.status is JobStatus.QUEUED and j.claimable(now)
                and (j.published_at is None or j.published_at < announced_before)][:limit]

    async def mark_announced(self, job: Job, now: datetime) -> bool:
        stored = self.rows.get(job.id)
        if stored is None or stored.status is not JobStatus.QUEUED or stored.published_at != job.published_at:
            return False
        self.rows[job.id] = stored.announced(now)
        return True

    async def expired_leases(self, now: datetime, limit: int = 100) -> list[Job]:
        return [j for j in self.rows.values() if j.lease_expired(now)][:limit]

    async def replace_if_unchanged(self, old: Job, new: Job) -> bool:
        stored = self.rows.get(old.id)
        if stored is None or stored.status is not old.status or stored.lease_until != old.lease_until:
            return False
        await self.save(new)
        return True

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
