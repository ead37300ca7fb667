"""The taskiq worker for redis mode: `taskiq worker entrypoints.worker:broker` (or `nox -s worker`)."""

from __future__ import annotations

import asyncio
import logging

from dishka.integrations.taskiq import TaskiqProvider, setup_dishka
from taskiq import TaskiqEvents, TaskiqState

from adapters.queue.taskiq_queue import make_broker
from application.analysis.engine import AnalysisEngine
from entrypoints import reconciler
from entrypoints.ioc import make_container
from entrypoints.settings import Settings
from entrypoints.tasks import register_tasks
from entrypoints.warm_up import warm_up_serialised

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

settings = Settings.from_env()
broker = make_broker(settings.queue, settings.redis_url, settings.redis_queue_name)
register_tasks(broker)
container = make_container(settings, broker, TaskiqProvider())
setup_dishka(container, broker)


_reconciler: asyncio.Task[None] | None = None


@broker.on_event(TaskiqEvents.WORKER_STARTUP)
async def _warm(_: TaskiqState) -> None:
    global _reconciler
    # The reconciler first: jobs a dead worker held are taken over even while this one warms up.
    _reconciler = reconciler.start(container, settings.reconcile_seconds)
    # Models load and librosa's numba kernels compile before the first job, not during it.
    if settings.warm_up:
        engine = await container.get(AnalysisEngine)
        await asyncio.to_thread(warm_up_serialised, engine)


@broker.on_event(TaskiqEvents.WORKER_SHUTDOWN)
async def _close(_: TaskiqState) -> None:
    await reconciler.stop(_reconciler)
    await container.close()
