"""Dependency probes for the health endpoints: one cheap round trip each."""

from __future__ import annotations

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqla.database import ping
from application.health.check import DependencyProbe
from application.ports.storage import BlobStore


class DatabaseProbe(DependencyProbe):
    name, required = "database", True

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def check(self) -> None:
        await ping(self._engine)


class RedisProbe(DependencyProbe):
    name, required = "queue", False

    def __init__(self, url: str) -> None:
        self._url = url

    async def check(self) -> None:
        client = Redis.from_url(self._url, socket_connect_timeout=1.5, socket_timeout=1.5)
        try:
            await client.ping()
        finally:
            await client.aclose()


class StorageProbe(DependencyProbe):
    name, required = "storage", False

    def __init__(self, blobs: BlobStore) -> None:
        self._blobs = blobs

    async def check(self) -> None:
        await self._blobs.check()
