"""Attempt records for the login throttle: in process memory, or in Redis (shared by every API process)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

from redis.asyncio import Redis

from adapters.outages import unavailable_dependency
from application.identity.ports import LoginThrottle
from domain.identity.throttle import AttemptRecord

log = logging.getLogger(__name__)


class MemoryLoginThrottle(LoginThrottle):
    def __init__(self, max_keys: int = 100_000) -> None:
        self._records: dict[str, tuple[AttemptRecord, float]] = {}  # key -> (record, forget at, monotonic)
        self._lock = asyncio.Lock()
        self._max = max_keys

    async def records(self, keys: Sequence[str]) -> list[AttemptRecord | None]:
        now = time.monotonic()
        out: list[AttemptRecord | None] = []
        for key in keys:
            hit = self._records.get(key)
            out.append(hit[0] if hit is not None and hit[1] > now else None)
        return out

    async def count(self, keys: Sequence[str], now: float, forget_after: float) -> None:
        mono = time.monotonic()
        async with self._lock:
            if len(self._records) >= self._max:  # bounded memory: drop what has expired, then everything
                self._records = {k: v for k, v in self._records.items() if v[1] > mono}
                if len(self._records) >= self._max:
                    self._records.clear()
            for key in keys:
                hit = self._records.get(key)
                previous = hit[0].count if hit is not None and hit[1] > mono else 0
                self._records[key] = (AttemptRecord(count=previous + 1, last_at=now), mono + forget_after)

    async def clear(self, keys: Sequence[str]) -> None:
        async with self._lock:
            for key in keys:
                self._records.pop(key, None)


class RedisLoginThrottle(LoginThrottle):
    """One hash per key (``count``, ``last``) that expires ``forget_after`` seconds after its last attempt."""

    def __init__(self, redis: Redis, prefix: str = "login-throttle") -> None:
        self._redis = redis
        self._prefix = prefix

    def _name(self, key: str) -> str:
        return f"{self._prefix}:{key}"

    async def records(self, keys: Sequence[str]) -> list[AttemptRecord | None]:
        async with self._redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.hmget(self._name(key), "count", "last")
            rows = await pipe.execute()
        return [AttemptRecord(count=int(c), last_at=float(last)) if c is not None and last is not None else None
                for c, last in rows]

    async def count(self, keys: Sequence[str], now: float, forget_after: float) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            for key in keys:
                name = self._name(key)
                pipe.hincrby(name, "count", 1)
                pipe.hset(name, "last", repr(now))
                pipe.expire(name, max(1, int(forget_after)))
            await pipe.execute()

    async def clear(self, keys: Sequence[str]) -> None:
        if keys:
            await self._redis.delete(*(self._name(k) for k in keys))


class FallbackLoginThrottle(LoginThrottle):
    """The shared throttle (Redis) while it answers; this process's own counts while it does not, so sign-in keeps
    working through a Redis outage and is still throttled (per process, not per deployment). Said in the log."""

    def __init__(self, shared: LoginThrottle, local: LoginThrottle | None = None) -> None:
        self._shared = shared
        self._local = local or MemoryLoginThrottle()
        self._warned_at = 0.0

    def _fallback(self, exc: Exception) -> LoginThrottle:
        if unavailable_dependency(exc) is None:
            raise exc
        now = time.monotonic()
        if now - self._warned_at > 10:  # once per 10 s, not per attempt
            self._warned_at = now
            log.warning("the login throttle's store is unreachable; counting in this process meanwhile: %s", exc)
        return self._local

    async def records(self, keys: Sequence[str]) -> list[AttemptRecord | None]:
        try:
            return await self._shared.records(keys)
        except Exception as exc:
            return await self._fallback(exc).records(keys)

    async def count(self, keys: Sequence[str], now: float, forget_after: float) -> None:
        try:
            await self._shared.count(keys, now, forget_after)
        except Exception as exc:
            await self._fallback(exc).count(keys, now, forget_after)

    async def clear(self, keys: Sequence[str]) -> None:
        await self._local.clear(keys)
        try:
            await self._shared.clear(keys)
        except Exception as exc:
            self._fallback(exc)
