"""The scheduled rotation and cleanup go through the job system and change the rows (no sleeping, moved clock)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from taskiq import InMemoryBroker

from adapters.sqla import database
from adapters.sqla.community.repositories import SqlaChallengeRepository
from adapters.sqla.community.tables import challenges, job_runs
from adapters.sqla.repositories import SqlaJobRepository
from domain.community.challenge import Challenge
from domain.jobs.job import JobStatus
from entrypoints.scheduler import CLEANUP_CRON, RECONCILE_CRON, ROTATE_CRON, make_scheduler
from entrypoints.settings import Settings
from tests.support.app import ClockProvider, MovableClock, make_settings, running_worker, scaleout_env, wait_for


def challenge(cid: str, start: datetime, hours: float, active: bool) -> Challenge:
    return Challenge(id=cid, title=f"C {cid[:3]}", start_time=start, end_time=start + timedelta(hours=hours),
                     is_active=active, created_at=start, updated_at=start)


async def test_scheduled_rotation_and_cleanup_run_the_jobs(tmp_path):
    settings = make_settings(tmp_path)
    await database.upgrade(settings.database_url)
    clock = MovableClock()
    now = clock.now()
    engine = database.make_engine(settings.database_url)
    maker = database.make_sessionmaker(engine)
    async with maker() as session:
        repo = SqlaChallengeRepository(session)
        await repo.add(challenge("a" * 24, now - timedelta(hours=5), 2, True))  # expired but flagged active
        await repo.add(challenge("b" * 24, now - timedelta(hours=1), 5, False))  # open but flagged inactive
        await repo.add(challenge("c" * 24, now - timedelta(days=100), 1, False))  # long gone, no submissions
        await session.commit()

    jobs = InMemoryBroker(await_inplace=True)
    app = make_scheduler(settings, ClockProvider(clock), job_broker=jobs)
    source = app.scheduler.sources[0]
    await app.scheduler.startup()
    await jobs.startup()
    try:
        await source.startup()
        crons = sorted(s.cron for s in await source.get_schedules())
        assert crons == sorted([ROTATE_CRON, CLEANUP_CRON, RECONCILE_CRON])
        rotate_job = (await (await app.rotate_tick.kiq()).wait_result()).return_value
        cleanup_job = (await (await app.cleanup_tick.kiq()).wait_result()).return_value
        async with maker() as session:
            jobs_repo = SqlaJobRepository(session)
            rotated = await jobs_repo.get(rotate_job)
            cleaned = await jobs_repo.get(cleanup_job)
            assert rotated.status is JobStatus.COMPLETED, rotated.error
            assert rotated.kind == "rotate-challenges" and rotated.result["expired_deactivated"] == 1
            assert rotated.result["new_activated"] == 1
            assert cleaned.status is JobStatus.COMPLETED and cleaned.result["inactive_challenges_deleted"] == 1
            flags = dict((await session.execute(select(challenges.c.id, challenges.c.is_active))).all())
            assert flags == {"a" * 24: False, "b" * 24: True}
            kinds = sorted(r[0] for r in await session.execute(select(job_runs.c.kind)))
            assert kinds == ["cleanup-data", "rotate-challenges"]
    finally:
        await jobs.shutdown()
        await app.scheduler.shutdown()
        await app.container.close()
        await engine.dispose()


@pytest.mark.postgres
@pytest.mark.redis
async def test_scheduled_jobs_go_through_redis_to_a_worker_process(tmp_path, new_postgres_database, redis_url,
                                                                    s3_endpoint):
    """The scale-out stack: the scheduler's ticks queue the jobs on Redis and a real ``taskiq worker`` process (on
    its own PostgreSQL database) runs them; the rows change as in process."""
    env = scaleout_env(tmp_path, database_url=new_postgres_database(), redis_url=redis_url, s3_endpoint=s3_endpoint,
                       name=f"scheduler-{secrets.token_hex(4)}")
    await database.upgrade(env["DATABASE_URL"])
    settings = Settings.from_env(env)
    now = datetime.now(UTC)  # the worker keeps real time
    engine = database.make_engine(settings.database_url)
    maker = database.make_sessionmaker(engine)
    async with maker() as session:
        repo = SqlaChallengeRepository(session)
        await repo.add(challenge("a" * 24, now - timedelta(hours=5), 2, True))
        await repo.add(challenge("b" * 24, now - timedelta(hours=1), 5, False))
        await repo.add(challenge("c" * 24, now - timedelta(days=100), 1, False))
        await session.commit()

    app = make_scheduler(settings)
    assert not isinstance(app.jobs, InMemoryBroker)
    await app.scheduler.startup()
    await app.jobs.startup()
    try:
        with running_worker(env):
            rotate_job = (await (await app.rotate_tick.kiq()).wait_result()).return_value
            cleanup_job = (await (await app.cleanup_tick.kiq()).wait_result()).return_value

            async def finished():
                async with maker() as session:
                    found = [await SqlaJobRepository(session).get(j) for j in (rotate_job, cleanup_job)]
                return found if all(j.status in (JobStatus.COMPLETED, JobStatus.FAILED) for j in found) else None

            rotated, cleaned = await wait_for(finished, timeout=90, interval=0.3)
        assert rotated.status is JobStatus.COMPLETED, rotated.error
        assert rotated.result["expired_deactivated"] == 1 and rotated.result["new_activated"] == 1
        assert cleaned.status is JobStatus.COMPLETED and cleaned.result["inactive_challenges_deleted"] == 1
        async with maker() as session:
            flags = dict((await session.execute(select(challenges.c.id, challenges.c.is_active))).all())
        assert flags == {"a" * 24: False, "b" * 24: True}
    finally:
        await app.jobs.shutdown()
        await app.scheduler.shutdown()
        await app.container.close()
        await engine.dispose()
