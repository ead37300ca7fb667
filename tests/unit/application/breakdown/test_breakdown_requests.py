"""The breakdown use cases on in-memory fakes: one transaction for record and job, the wait, the failure route."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from application.breakdown.job import FailBreakdownOfJob, stage_of
from application.breakdown.ports import BreakdownPage, BreakdownRepository, SharedBreakdownPage
from application.breakdown.requests import (
    AwaitBreakdown,
    BreakdownInput,
    GetBreakdown,
    ListBreakdowns,
    RequestBreakdown,
)
from application.jobs.runner import EnqueueJob
from application.ports.storage import PresignedUrl
from domain.breakdown.record import BreakdownRecord, BreakdownStatus
from domain.errors import Forbidden, InvalidInput, NotFound
from domain.identity.user import User
from domain.jobs.job import Job
from tests.unit.application.fakes import FakeClock, FakeJobs, FakeQueue, FakeTx

NOW = datetime(2025, 1, 28, 12, 0, tzinfo=UTC)
MAYA = User(id="a" * 24, email="m@example.com", username="maya", display_name="Maya", password_hash=None,
            created_at=NOW, updated_at=NOW)


class FakeBreakdowns(BreakdownRepository):
    def __init__(self) -> None:
        self.rows: dict[str, BreakdownRecord] = {}
        self.reads = 0
        self.on_read = None

    async def add(self, record: BreakdownRecord) -> None:
        self.rows[record.id] = record

    async def save(self, record: BreakdownRecord) -> None:
        self.rows[record.id] = record

    async def get(self, breakdown_id: str) -> BreakdownRecord | None:
        self.reads += 1
        if self.on_read is not None:
            self.on_read(self)
        return self.rows.get(breakdown_id)

    async def of_user(self, user_id: str, *, skip: int, limit: int) -> BreakdownPage:
        mine = sorted((r for r in self.rows.values() if r.user_id == user_id), key=lambda r: r.created_at,
                      reverse=True)
        return BreakdownPage(items=mine[skip:skip + limit], total=len(mine))

    async def succeeded(self, *, skip: int, limit: int) -> SharedBreakdownPage:
        return SharedBreakdownPage(items=[], total=0)


class SigningStore:
    async def presign_download(self, key, expires: timedelta) -> PresignedUrl:
        return PresignedUrl(url=f"https://signed/{key.value}", method="GET", expires_in=int(expires.total_seconds()),
                            headers={})


def _request(repo: FakeBreakdowns, tx: FakeTx, queue: FakeQueue) -> RequestBreakdown:
    jobs = FakeJobs()
    enqueue = EnqueueJob(jobs=jobs, queue=queue, tx=tx, clock=FakeClock())
    return RequestBreakdown(breakdowns=repo, enqueue=enqueue, tx=tx, clock=FakeClock())


async def test_the_record_and_its_job_commit_together_and_the_job_is_announced_after():
    repo, tx, queue = FakeBreakdowns(), FakeTx(), FakeQueue()
    record = await _request(repo, tx, queue)(BreakdownInput(user=MAYA, video_url="https://cdn.example.com/v.mp4",
                                                            mode="manual", target_difficulty="beginner"))
    assert tx.commits == 1 and queue.sent == [(record.job_id, "dance-breakdown")]
    assert repo.rows[record.id].status is BreakdownStatus.PROCESSING and record.mode == "manual"


@pytest.mark.parametrize(("body", "error"), [
    ({"video_url": "ftp://x/v.mp4"}, InvalidInput), ({}, InvalidInput),
    ({"video_url": "https://x/v.mp4", "file_key": f"uploads/{MAYA.id}/v.mp4"}, InvalidInput),
    ({"video_url": "https://x/v.mp4", "mode": "freestyle"}, InvalidInput),
    ({"video_url": "https://x/v.mp4", "target_difficulty": "pro"}, InvalidInput),
    ({"video_url": "https://x/" + "v" * 2100}, InvalidInput),
    ({"file_key": "uploads/someone-else/v.mp4"}, Forbidden),
])
async def test_bad_requests_record_nothing(body, error):
    repo, tx, queue = FakeBreakdowns(), FakeTx(), FakeQueue()
    with pytest.raises(error):
        await _request(repo, tx, queue)(BreakdownInput(user=MAYA, **body))
    assert repo.rows == {} and tx.commits == 0 and queue.sent == []


def _record(**kw) -> BreakdownRecord:
    return BreakdownRecord(id="b" * 24, user_id=MAYA.id, mode="auto", target_difficulty="beginner",
                           video_url="https://x/v.mp4", job_id="j" * 24, created_at=NOW, updated_at=NOW, **kw)


async def test_the_wait_polls_with_short_reads_until_the_breakdown_ends():
    repo, tx = FakeBreakdowns(), FakeTx()
    record = _record()
    await repo.add(record)
    media = {"playable": "breakdowns/u/b/video.mp4", "outline": "breakdowns/u/b/outline.mp4",
             "thumbnail": "breakdowns/u/b/thumbnail.jpg"}

    def finish_on_third_read(r: FakeBreakdowns) -> None:
        if r.reads == 3:
            r.rows[record.id] = record.complete({"success": True, "steps": [1]}, media, NOW)

    repo.on_read = finish_on_third_read
    rollbacks = []

    async def rollback() -> None:
        rollbacks.append(1)

    tx.rollback = rollback
    stored = await AwaitBreakdown(breakdowns=repo, blobs=SigningStore(), tx=tx, wait_s=10, interval_s=0.01)(record)
    assert stored.status == "completed" and repo.reads == 3 and len(rollbacks) == 3
    assert stored.answer["outline_url"] == "https://signed/breakdowns/u/b/outline.mp4"
    assert stored.thumbnail_url == "https://signed/breakdowns/u/b/thumbnail.jpg"


async def test_no_wait_answers_processing_at_once():
    repo = FakeBreakdowns()
    record = _record()
    await repo.add(record)
    stored = await AwaitBreakdown(breakdowns=repo, blobs=SigningStore(), tx=FakeTx(), wait_s=0)(record)
    assert stored.status == "processing" and repo.reads == 0
    assert stored.answer["success"] is False and stored.answer["error_message"] is None


async def test_another_users_breakdown_is_not_found_and_history_pages():
    repo = FakeBreakdowns()
    for i in range(3):
        await repo.add(replace(_record(), id=f"{i:024d}", created_at=NOW + timedelta(minutes=i)))
    other = replace(MAYA, id="c" * 24)
    with pytest.raises(NotFound):
        await GetBreakdown(breakdowns=repo, blobs=SigningStore())(f"{0:024d}", other)
    history = await ListBreakdowns(breakdowns=repo, blobs=SigningStore())(MAYA, skip=1, limit=1)
    assert history.total == 3 and history.has_more and history.items[0].id == f"{1:024d}"
    assert not (await ListBreakdowns(breakdowns=repo, blobs=SigningStore())(MAYA, skip=2, limit=5)).has_more
    with pytest.raises(InvalidInput):
        await ListBreakdowns(breakdowns=repo, blobs=SigningStore())(MAYA, skip=-1, limit=5)


async def test_a_failed_job_ends_its_breakdown_unless_a_newer_job_runs_it():
    repo, tx = FakeBreakdowns(), FakeTx()
    await repo.add(_record())
    job = Job(id="k" * 24, kind="dance-breakdown", user_id=MAYA.id, payload={"breakdown_id": "b" * 24},
              error="Internal error: boom", created_at=NOW, updated_at=NOW)
    await FailBreakdownOfJob(breakdowns=repo, tx=tx, clock=FakeClock())(job)
    assert repo.rows["b" * 24].status is BreakdownStatus.PROCESSING  # job k is not the breakdown's job
    await FailBreakdownOfJob(breakdowns=repo, tx=tx, clock=FakeClock())(replace(job, id="j" * 24))
    ended = repo.rows["b" * 24]
    assert ended.status is BreakdownStatus.FAILED and ended.error == "Internal error: boom" and tx.commits == 1


def test_stages_follow_the_work():
    assert [stage_of(f) for f in (0.0, 0.05, 0.5, 0.82, 0.9, 0.95, 1.0)] == [
        "fetching", "pose_detection", "pose_detection", "describing", "rendering", "storing", "storing"]
