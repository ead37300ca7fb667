"""The scheduler: `taskiq scheduler entrypoints.scheduler:scheduler` (QUEUE=redis with a worker running, or
QUEUE=memory, where the jobs run inside the scheduler process).

Cron ticks (LabelScheduleSource) run on a small in-process broker of their own; each tick only creates a job
row and queues it (EnqueueJob), so the work goes through the job system and the very use cases the admin
endpoints call (RotateChallenges, CleanupData):

- rotate challenges: every hour at :00 (UTC);
- clean up data: daily at 03:30 UTC (retention: domain/community/retention.py);
- reconcile jobs: every minute (entrypoints/reconciler.py), beside the workers' own reconcilers, so queued work
  is announced again and a dead worker's job taken over even when no worker is idle to notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dishka import AsyncContainer, Provider
from dishka.integrations.taskiq import FromDishka, TaskiqProvider, inject, setup_dishka
from taskiq import AsyncBroker, InMemoryBroker, TaskiqScheduler
from taskiq.schedule_sources import LabelScheduleSource

from adapters.queue.taskiq_queue import make_broker
from application.community.jobs import CLEANUP_DATA, ROTATE_CHALLENGES
from application.jobs.runner import EnqueueJob
from entrypoints import reconciler
from entrypoints.ioc import make_container
from entrypoints.settings import Settings
from entrypoints.tasks import register_tasks

ROTATE_CRON = "0 * * * *"
CLEANUP_CRON = "30 3 * * *"
ROTATE_TICK = "dance.schedule.rotate_challenges"
CLEANUP_TICK = "dance.schedule.cleanup_data"
RECONCILE_CRON = "* * * * *"
RECONCILE_TICK = "dance.schedule.reconcile_jobs"


@dataclass
class SchedulerApp:
    scheduler: TaskiqScheduler
    ticks: AsyncBroker  # where the cron ticks run
    jobs: AsyncBroker  # where the queued jobs go
    container: AsyncContainer
    rotate_tick: Any
    cleanup_tick: Any


def make_scheduler(settings: Settings, *providers: Provider, job_broker: AsyncBroker | None = None) -> SchedulerApp:
    jobs = job_broker or make_broker(settings.queue, settings.redis_url, settings.redis_queue_name)
    in_process = settings.queue == "memory" and job_broker is None
    if in_process or isinstance(jobs, InMemoryBroker):
        register_tasks(jobs)  # jobs run here, as in `nox -s serve`
    container = make_container(settings, jobs, TaskiqProvider(), *providers)
    ticks = InMemoryBroker(await_inplace=True)
    setup_dishka(container, ticks)
    if isinstance(jobs, InMemoryBroker):
        setup_dishka(container, jobs)

    @ticks.task(task_name=ROTATE_TICK, schedule=[{"cron": ROTATE_CRON, "schedule_id": "rotate-challenges"}])
    @inject(patch_module=True)
    async def rotate_challenges(enqueue: FromDishka[EnqueueJob]) -> str:
        return (await enqueue(ROTATE_CHALLENGES, {"scheduled": True}, None)).id

    @ticks.task(task_name=CLEANUP_TICK, schedule=[{"cron": CLEANUP_CRON, "schedule_id": "cleanup-data"}])
    @inject(patch_module=True)
    async def cleanup_data(enqueue: FromDishka[EnqueueJob]) -> str:
        return (await enqueue(CLEANUP_DATA, {"scheduled": True}, None)).id

    @ticks.task(task_name=RECONCILE_TICK, schedule=[{"cron": RECONCILE_CRON, "schedule_id": "reconcile-jobs"}])
    async def reconcile_jobs() -> str:
        await reconciler.reconcile_once(container)
        return "reconciled"

    scheduler = TaskiqScheduler(broker=ticks, sources=[LabelScheduleSource(ticks)])
    return SchedulerApp(scheduler=scheduler, ticks=ticks, jobs=jobs, container=container,
                        rotate_tick=rotate_challenges, cleanup_tick=cleanup_data)


_app: SchedulerApp | None = None


def __getattr__(name: str) -> Any:
    """`scheduler` is built on first use, so importing this module has no side effects."""
    global _app
    if name == "scheduler":
        if _app is None:
            _app = make_scheduler(Settings.from_env())
            ticks, jobs = _app.ticks, _app.jobs
            original_startup, original_shutdown = _app.scheduler.startup, _app.scheduler.shutdown

            async def startup() -> None:
                await original_startup()
                if jobs is not ticks:
                    await jobs.startup()

            async def shutdown() -> None:
                await original_shutdown()
                if jobs is not ticks:
                    await jobs.shutdown()
                assert _app is not None
                await _app.container.close()

            _app.scheduler.startup = startup  # type: ignore[method-assign]
            _app.scheduler.shutdown = shutdown  # type: ignore[method-assign]
        return _app.scheduler
    raise AttributeError(name)
