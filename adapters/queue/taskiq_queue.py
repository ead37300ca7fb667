"""The job queue on taskiq: an in-process broker for a laptop, Redis streams (acknowledged) to scale out."""

from __future__ import annotations

from taskiq import AsyncBroker, InMemoryBroker
from taskiq.kicker import AsyncKicker
from taskiq_redis import RedisAsyncResultBackend, RedisStreamBroker

from application.ports.queue import JobQueue

RUN_JOB_TASK = "dance.run_job"


def make_broker(mode: str, redis_url: str, queue_name: str = "dance-jobs") -> AsyncBroker:
    if mode == "memory":
        # Tasks run as background asyncio tasks of the same process; CPU work goes to an executor.
        return InMemoryBroker(await_inplace=False, max_async_tasks=8)
    if mode == "redis":
        return RedisStreamBroker(
            redis_url, queue_name=queue_name, consumer_group_name=f"{queue_name}-workers"
        ).with_result_backend(RedisAsyncResultBackend(redis_url, result_ex_time=24 * 3600))
    raise ValueError(f"unknown queue mode {mode!r}")


class TaskiqJobQueue(JobQueue):
    def __init__(self, broker: AsyncBroker) -> None:
        self._broker = broker

    async def enqueue(self, job_id: str, kind: str) -> None:
        # Kicked by name, so the web process needs no import of the worker's task code.
        kicker: AsyncKicker[[str], str] = AsyncKicker(RUN_JOB_TASK, self._broker, labels={"kind": kind})
        await kicker.kiq(job_id)
