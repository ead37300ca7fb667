"""The job mechanism under faults: outbox announcements, leases, retries with back-off, and every job ending."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

from application.jobs.runner import EnqueueJob, JobRoute, ReconcileJobs, RunJob
from domain.jobs.job import Job, JobStatus
from tests.unit.application.fakes import FakeJobs, FakeQueue, FakeTx


class Clock:
    def __init__(self) -> None:
        self.t = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)


class DownQueue(FakeQueue):
    def __init__(self) -> None:
        super().__init__()
        self.down = True

    async def enqueue(self, job_id: str, kind: str) -> None:
        if self.down:
            raise ConnectionRefusedError("redis is down")
        await super().enqueue(job_id, kind)


def transient(exc: BaseException) -> bool:
    return isinstance(exc, ConnectionError)


async def test_a_job_is_announced_only_after_its_transaction_commits_and_a_rollback_forgets_it():
    jobs, queue, tx, clock = FakeJobs(), FakeQueue(), FakeTx(), Clock()
    enqueue = EnqueueJob(jobs=jobs, queue=queue, tx=tx, clock=clock)
    job = await enqueue.add("work", {}, None)
    assert queue.sent == []
    await tx.commit()
    assert queue.sent == [(job.id, "work")]
    await enqueue.add("other", {}, None)
    await tx.rollback()
    await tx.commit()
    assert queue.sent == [(job.id, "work")]


async def test_an_announcement_lost_to_a_queue_outage_is_repeated_by_the_reconciler():
    jobs, queue, clock = FakeJobs(), DownQueue(), Clock()

    class LoggingTx(FakeTx):
        async def commit(self) -> None:  # like the real one: an action's failure is logged, not raised
            actions, self._after = self._after, []
            self.commits += 1
            for action in actions:
                with contextlib.suppress(ConnectionError):
                    await action()

    tx = LoggingTx()
    job = await EnqueueJob(jobs=jobs, queue=queue, tx=tx, clock=clock)("work", {}, None)
    assert queue.sent == [] and jobs.rows[job.id].status is JobStatus.QUEUED
    reconcile = ReconcileJobs(jobs=jobs, queue=queue, tx=tx, clock=clock, handlers={},
                              announce_after=timedelta(seconds=60))
    clock.advance(30)
    assert (await reconcile()).announced == 0  # announced 30 s ago: not yet suspicious
    clock.advance(40)
    assert (await reconcile()).announced == 0  # the queue is still down: it will try again
    queue.down = False
    clock.advance(61)
    assert (await reconcile()).announced == 1 and queue.sent == [(job.id, "work")]
    assert (await reconcile()).announced == 0  # once per interval, not on every pass


async def test_a_transient_failure_backs_off_and_retries_then_fails_with_its_reason_and_ends_the_record():
    jobs, tx, clock = FakeJobs(), FakeTx(), Clock()
    calls: list[int] = []
    ended: list[Job] = []

    async def flaky(job: Job, progress: object) -> dict[str, object]:
        calls.append(job.attempts)
        raise ConnectionRefusedError("s3 unreachable")

    async def on_failure(job: Job) -> None:
        ended.append(job)

    routes = {"flaky": JobRoute("flaky", flaky, on_failure)}
    job = await EnqueueJob(jobs=jobs, queue=FakeQueue(), tx=tx, clock=clock)("flaky", {}, None)
    run = RunJob(jobs=jobs, tx=tx, clock=clock, handlers=routes, is_transient=transient)
    first = await run(job.id)
    assert first.status is JobStatus.QUEUED and first.run_after == clock.now() + timedelta(seconds=5)
    assert "s3 unreachable" in (first.error or "") and ended == []
    assert (await run(job.id)).attempts == 1  # a message before the retry time does not run it early
    clock.advance(5)
    second = await run(job.id)
    assert second.status is JobStatus.QUEUED and second.run_after == clock.now() + timedelta(seconds=10)
    clock.advance(10)
    third = await run(job.id)
    assert calls == [1, 2, 3]
    assert third.status is JobStatus.FAILED and "after 3 attempts" in (third.error or "")
    assert [j.id for j in ended] == [job.id] and ended[0].error == third.error


async def test_a_dead_workers_lease_expires_and_the_job_runs_elsewhere_then_fails_when_attempts_are_spent():
    jobs, queue, tx, clock = FakeJobs(), FakeQueue(), FakeTx(), Clock()
    ended: list[Job] = []

    async def on_failure(job: Job) -> None:
        ended.append(job)

    routes = {"work": JobRoute("work", lambda job, progress: None, on_failure)}  # type: ignore[arg-type,return-value]
    job = await EnqueueJob(jobs=jobs, queue=queue, tx=tx, clock=clock)("work", {}, None)
    reconcile = ReconcileJobs(jobs=jobs, queue=queue, tx=tx, clock=clock, handlers=routes)
    for attempt in range(1, 4):  # a worker claims it, then dies (no progress, no end)
        claimed = await jobs.claim(job.id, clock.now(), timedelta(seconds=60))
        assert claimed is not None and claimed.attempts == attempt
        assert await jobs.claim(job.id, clock.now(), timedelta(seconds=60)) is None  # held: no second runner
        clock.advance(30)
        assert (await reconcile()).requeued == 0  # the lease still holds
        clock.advance(31)
        outcome = await reconcile()
        if attempt < 3:
            assert outcome.requeued == 1 and jobs.rows[job.id].status is JobStatus.QUEUED
            assert outcome.announced == 1 and queue.sent[-1] == (job.id, "work")
    assert outcome.failed == 1 and jobs.rows[job.id].status is JobStatus.FAILED
    assert jobs.rows[job.id].error == "Its worker stopped 3 times before finishing."
    assert [j.id for j in ended] == [job.id]


async def test_progress_renews_the_lease_so_a_slow_live_worker_keeps_its_job():
    jobs, tx, clock = FakeJobs(), FakeTx(), Clock()
    queue = FakeQueue()
    reconcile = ReconcileJobs(jobs=jobs, queue=queue, tx=tx, clock=clock, handlers={})

    async def slow(job: Job, progress) -> dict[str, object]:  # type: ignore[no-untyped-def]
        for step in range(1, 5):
            clock.advance(45)  # longer than the lease between the start and the end, shorter between reports
            await progress(step / 5)
            assert (await reconcile()).requeued == 0
        return {"done": True}

    job = await EnqueueJob(jobs=jobs, queue=queue, tx=tx, clock=clock)("slow", {}, None)
    done = await RunJob(jobs=jobs, tx=tx, clock=clock, handlers={"slow": slow})(job.id)
    assert done.status is JobStatus.COMPLETED and done.attempts == 1
