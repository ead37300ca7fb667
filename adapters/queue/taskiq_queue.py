"""The job queue on taskiq: an in-process broker for a laptop, Redis streams (acknowledged) to scale out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeout
from taskiq import AckableMessage, AsyncBroker, InMemoryBroker
from taskiq.kicker import AsyncKicker
from taskiq_redis import RedisAsyncResultBackend, RedisStreamBroker

from application.ports.queue import JobQueue

log = logging.getLogger(__name__)

RUN_JOB_TASK = "dance.run_job"
STREAM_MAXLEN = 100_000  # messages kept in the stream (acknowledged ones are never deleted); a trimmed unread one
# is announced again by the reconciler, since the job row, not the message, is the promise


class ResilientRedisStreamBroker(RedisStreamBroker):
    """taskiq-redis ends ``listen`` at the first Redis error, and the worker process with it, abandoning the jobs
    it is running. This one waits for Redis and listens again, declaring its consumer group again when Redis came
    back without its data (NOGROUP)."""

    async def listen(self) -> AsyncGenerator[AckableMessage, None]:
        delay = 0.5
        while True:
            try:
                async for message in super().listen():
                    delay = 0.5
                    yield message
            except (RedisConnectionError, RedisTimeout, ConnectionError, TimeoutError) as exc:
                log.warning("the queue is unreachable (%s); listening again in %.1f s", exc, delay)
            except ResponseError as exc:
                if "NOGROUP" not in str(exc):
                    raise
                log.warning("the queue lost its consumer group (Redis restarted without its data); declaring it")
            await asyncio.sleep(delay)
            delay = min(10.0, delay * 2)
            with contextlib.suppress(RedisError, OSError):
                await self._declare_consumer_group()


def make_broker(mode: str, redis_url: str, queue_name: str = "dance-jobs") -> AsyncBroker:
    if mode == "memory":
        # Tasks run as background asyncio tasks of the same process; CPU work goes to an executor.
        return InMemoryBroker(await_inplace=False, max_async_tasks=8)
    if mode == "redis":
        # consumer_id "0": a group created on a stream that already holds messages (Redis restarted empty, then
        # the API announced jobs before any worker was back) reads them too, instead of starting after them.
        # Socket timeouts: a Redis that hangs (not refuses) must not hang an announcement or a worker for ever.
        return ResilientRedisStreamBroker(
            redis_url, queue_name=queue_name, consumer_group_name=f"{queue_name}-workers", consumer_id="0",
            maxlen=STREAM_MAXLEN, socket_connect_timeout=3, socket_timeout=15,
        ).with_result_backend(RedisAsyncResultBackend(redis_url, result_ex_time=24 * 3600))
    raise ValueError(f"unknown queue mode {mode!r}")


class TaskiqJobQueue(JobQueue):
    def __init__(self, broker: AsyncBroker) -> None:
        self._broker = broker

    async def enqueue(self, job_id: str, kind: str) -> None:
        # Kicked by name, so the web process needs no import of the worker's task code.
        kicker: AsyncKicker[[str], str] = AsyncKicker(RUN_JOB_TASK, self._broker, labels={"kind": kind})
        await kicker.kiq(job_id)
