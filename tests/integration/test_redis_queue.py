"""A real job through Redis streams to a separate worker process; rate limits shared through Redis."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.queue.taskiq_queue import TaskiqJobQueue, make_broker
from adapters.ratelimit.limiters import RedisRateLimiter
from adapters.sqla import database
from adapters.sqla.repositories import SqlaJobRepository, SqlaTransactionManager
from adapters.storage.local import LocalBlobStore
from adapters.system import SystemClock
from application.jobs.runner import EnqueueJob
from domain.storage.keys import BlobKey
from tests.support.app import wait_for

pytestmark = pytest.mark.redis

ROOT = Path(__file__).resolve().parents[2]


async def test_job_travels_through_redis_to_a_worker_process(tmp_path, new_postgres_database, redis_url):
    postgres_url = new_postgres_database()  # its own: the worker reconciles every job in its database
    await database.upgrade(postgres_url)
    queue_name = f"dance-test-{os.getpid()}"
    env = os.environ | {
        "QUEUE": "redis", "REDIS_URL": redis_url, "DATABASE_URL": postgres_url, "VAR_DIR": str(tmp_path),
        "STORAGE_DIR": str(tmp_path / "blobs"), "JWT_SECRET": "s" * 40, "REDIS_QUEUE_NAME": queue_name,
    }
    blobs = LocalBlobStore(tmp_path / "blobs", secret="x", public_base_url="http://127.0.0.1:8000")
    key = BlobKey.parse("uploads/someone/data.bin")
    await blobs.put(key, b"through redis", "video/mp4")

    worker = subprocess.Popen(
        [sys.executable, "-m", "taskiq", "worker", "entrypoints.worker:broker", "--workers", "1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    broker = make_broker("redis", redis_url, queue_name)
    await broker.startup()
    engine = database.make_engine(postgres_url)
    try:
        async with database.make_sessionmaker(engine)() as session:
            enqueue = EnqueueJob(jobs=SqlaJobRepository(session), queue=TaskiqJobQueue(broker),
                                 tx=SqlaTransactionManager(session), clock=SystemClock())
            job = await enqueue("file-digest", {"file_key": key.value}, None)

        async def finished():
            async with database.make_sessionmaker(engine)() as session:
                found = await SqlaJobRepository(session).get(job.id)
                return found if found and found.status.finished else None

        try:
            done = await wait_for(finished, timeout=60, interval=0.25)
        except TimeoutError:
            worker.terminate()
            raise AssertionError(worker.communicate(timeout=10)[0].decode()[-3000:]) from None
        assert done.status.value == "completed", done.error
        assert done.result["sha256"] == hashlib.sha256(b"through redis").hexdigest()
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        await broker.shutdown()
        await engine.dispose()


async def test_rate_limit_counters_are_shared_through_redis(redis_url):
    from redis.asyncio import Redis

    first, second = Redis.from_url(redis_url), Redis.from_url(redis_url)
    a, b = RedisRateLimiter(first, prefix=f"t{os.getpid()}"), RedisRateLimiter(second, prefix=f"t{os.getpid()}")
    decisions = [await (a if i % 2 else b).hit("user:1", 3, 60) for i in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert 1 <= decisions[-1].retry_after <= 61
    await first.aclose()
    await second.aclose()


async def test_a_job_whose_worker_was_killed_is_taken_over_by_an_idle_worker(tmp_path, new_postgres_database,
                                                                            redis_url, media_dir):
    """kill -9 mid-analysis; a second worker listening on an idle queue finishes the job: the lease expires and
    the reconciler announces it again (taskiq-redis alone would wait for unrelated traffic and 10 minutes)."""
    import signal
    from datetime import UTC, datetime

    from adapters.sqla.analyses import SqlaAnalysisRepository
    from adapters.sqla.repositories import SqlaUserRepository
    from domain.analysis.record import AnalysisRecord
    from domain.identity.user import User
    from domain.jobs.job import Job

    postgres_url = new_postgres_database()  # its own: a worker reconciles every job in its database
    await database.upgrade(postgres_url)
    queue_name = f"dance-crash-{os.getpid()}"
    env = os.environ | {
        "QUEUE": "redis", "REDIS_URL": redis_url, "DATABASE_URL": postgres_url, "VAR_DIR": str(tmp_path),
        "STORAGE_DIR": str(tmp_path / "blobs"), "JWT_SECRET": "s" * 40, "REDIS_QUEUE_NAME": queue_name,
        "WARM_UP": "false", "RECONCILE_SECONDS": "1", "JOB_LEASE_SECONDS": "8",
    }
    blobs = LocalBlobStore(tmp_path / "blobs", secret="x", public_base_url="http://127.0.0.1:8000")
    key = BlobKey.parse("uploads/crash-user/walk.mp4")
    await blobs.put(key, (media_dir / "video" / "05_walk_sideview_sports2d.mp4").read_bytes(), "video/mp4")
    engine = database.make_engine(postgres_url)
    now = datetime.now(UTC)
    async with database.make_sessionmaker(engine)() as session:
        await SqlaUserRepository(session).add(User(id="crash-user", email="crash@example.com", username="crash",
                                                   display_name="C", password_hash="h", created_at=now,
                                                   updated_at=now))
        await SqlaJobRepository(session).add(Job(id="k" * 24, kind="pose-analysis", user_id="crash-user",
                                                 payload={"analysis_id": "crash"}, created_at=now, updated_at=now,
                                                 published_at=now))
        await SqlaAnalysisRepository(session).add(AnalysisRecord(id="crash", user_id="crash-user",
                                                                 job_id="k" * 24, source_key=key.value,
                                                                 created_at=now, updated_at=now))
        await session.commit()

    def start_worker() -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "taskiq", "worker", "entrypoints.worker:broker",
                                 "--workers", "1"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)

    async def job() -> Job | None:
        async with database.make_sessionmaker(engine)() as session:
            return await SqlaJobRepository(session).get("k" * 24)

    broker = make_broker("redis", redis_url, queue_name)
    await broker.startup()
    first = start_worker()
    second = None
    try:
        await TaskiqJobQueue(broker).enqueue("k" * 24, "pose-analysis")

        async def running() -> Job | None:
            found = await job()
            return found if found and found.status.value == "processing" and found.progress >= 0.1 else None

        await wait_for(running, timeout=120, interval=0.2)
        os.killpg(first.pid, signal.SIGKILL)  # the worker and its children die mid-analysis
        first.wait(timeout=20)
        second = start_worker()

        async def finished() -> Job | None:
            found = await job()
            return found if found and found.status.finished else None

        done = await wait_for(finished, timeout=150, interval=0.5)
        assert done.status.value == "completed", done.error
        assert done.attempts == 2
        async with database.make_sessionmaker(engine)() as session:
            analysis = await SqlaAnalysisRepository(session).get("crash")
        assert analysis is not None and analysis.status.value == "completed" and analysis.report is not None
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=30)
        await broker.shutdown()
        await engine.dispose()
