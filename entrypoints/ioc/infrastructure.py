"""Database, clock, blob store, job queue and rate limits: chosen from settings, shared by every context."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from dishka import Provider, Scope, from_context, provide
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from taskiq import AsyncBroker

from adapters.probes import DatabaseProbe, RedisProbe, StorageProbe
from adapters.queue.taskiq_queue import TaskiqJobQueue
from adapters.ratelimit.limiters import MemoryRateLimiter, RedisRateLimiter
from adapters.sqla.database import make_engine, make_sessionmaker
from adapters.sqla.repositories import SqlaTransactionManager
from adapters.storage.local import LocalBlobStore
from adapters.storage.s3 import S3BlobStore
from adapters.system import SystemClock
from application.health.check import CheckHealth, DependencyProbe
from application.ports.persistence import TransactionManager
from application.ports.queue import JobQueue
from application.ports.storage import BlobStore
from application.ports.system import Clock, RateLimiter
from entrypoints.settings import Settings

log = logging.getLogger(__name__)


class InfrastructureProvider(Provider):
    scope = Scope.APP
    settings = from_context(Settings)
    broker = from_context(AsyncBroker)

    @provide
    async def engine(self, settings: Settings) -> AsyncIterator[AsyncEngine]:
        engine = make_engine(settings.database_url)
        yield engine
        await engine.dispose()

    @provide
    def sessionmaker(self, engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
        return make_sessionmaker(engine)

    @provide(scope=Scope.REQUEST)
    async def session(self, maker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
        session = maker()
        try:
            yield session
        finally:
            try:  # closing rolls back whatever the use case did not commit
                await session.close()
            except Exception as exc:  # a connection broken mid-request: drop it, never hand it out again
                log.warning("discarding a broken database connection: %s: %s", type(exc).__name__, exc)
                with contextlib.suppress(Exception):
                    await session.invalidate()

    tx = provide(SqlaTransactionManager, provides=TransactionManager, scope=Scope.REQUEST)

    @provide
    def clock(self) -> Clock:
        return SystemClock()

    @provide
    async def blob_store(self, settings: Settings) -> AsyncIterator[BlobStore]:
        if settings.storage == "s3":
            store = S3BlobStore(
                settings.s3_bucket, region=settings.s3_region, endpoint_url=settings.s3_endpoint_url,
                access_key=settings.s3_access_key_id, secret_key=settings.s3_secret_access_key,
                create_bucket=settings.s3_create_bucket,
            )
            await store.start()
            yield store
            await store.close()
        else:
            yield LocalBlobStore(Path(settings.storage_dir), secret=settings.jwt_secret + ":blobs",
                                 public_base_url=settings.public_base_url)

    @provide
    async def rate_limiter(self, settings: Settings) -> AsyncIterator[RateLimiter]:
        if settings.queue == "redis":
            # Short timeouts: a Redis that hangs must not hold every request (the limiter then fails open).
            redis = Redis.from_url(settings.redis_url, socket_connect_timeout=1, socket_timeout=1)
            yield RedisRateLimiter(redis)
            await redis.aclose()
        else:
            yield MemoryRateLimiter()

    @provide
    def job_queue(self, broker: AsyncBroker) -> JobQueue:
        return TaskiqJobQueue(broker)

    @provide
    def health(self, settings: Settings, engine: AsyncEngine, blobs: BlobStore) -> CheckHealth:
        probes: list[DependencyProbe] = [DatabaseProbe(engine), StorageProbe(blobs)]
        if settings.queue == "redis":
            probes.append(RedisProbe(settings.redis_url))
        return CheckHealth(probes=probes)
