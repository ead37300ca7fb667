from __future__ import annotations

from application.jobs.runner import EnqueueJob, RunJob
from domain.errors import InvalidInput
from domain.jobs.job import JobStatus
from tests.unit.application.fakes import FakeClock, FakeJobs, FakeQueue, FakeTx


async def test_enqueue_commits_before_sending():
    jobs, queue, tx = FakeJobs(), FakeQueue(), FakeTx()

    class CheckingQueue(FakeQueue):
        async def enqueue(self, job_id, kind):
            assert tx.commits == 1, "a worker must find the row when the message arrives"
            await super().enqueue(job_id, kind)

    queue = CheckingQueue()
    job = await EnqueueJob(jobs=jobs, queue=queue, tx=tx, clock=FakeClock())("file-digest", {"a": 1}, "u1")
    assert queue.sent == [(job.id, "file-digest")] and jobs.rows[job.id].status is JobStatus.QUEUED


async def test_run_job_records_progress_result_and_failure_reason():
    jobs, tx, clock = FakeJobs(), FakeTx(), FakeClock()
    enqueue = EnqueueJob(jobs=jobs, queue=FakeQueue(), tx=tx, clock=clock)

    async def works(job, progress):
        await progress(0.5)
        return {"answer": 42}

    async def refuses(job, progress):
        raise InvalidInput("video is 2.0 s long; at least 10 s is needed")

    async def crashes(job, progress):
        raise RuntimeError("disk on fire")

    runner = RunJob(jobs=jobs, tx=tx, clock=clock, handlers={"ok": works, "bad": refuses, "boom": crashes})
    ok = await runner((await enqueue("ok", {}, None)).id)
    assert ok.status is JobStatus.COMPLETED and ok.result == {"answer": 42}
    assert [j.progress for j in jobs.history if j.id == ok.id][:3] == [0.0, 0.5, 1.0]
    bad = await runner((await enqueue("bad", {}, None)).id)
    assert bad.status is JobStatus.FAILED and bad.error == "video is 2.0 s long; at least 10 s is needed"
    boom = await runner((await enqueue("boom", {}, None)).id)
    assert boom.status is JobStatus.FAILED and "disk on fire" in boom.error and boom.result is None
    unknown = await runner((await enqueue("mystery", {}, None)).id)
    assert unknown.status is JobStatus.FAILED and "No handler" in unknown.error
    again = await runner(ok.id)  # a redelivered message does not run finished work twice
    assert again == jobs.rows[ok.id]
