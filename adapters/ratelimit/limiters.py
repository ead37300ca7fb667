"""Fixed-window rate limiters: one in process memory, one shared by every process through Redis."""

from __future__ import annotations

import asyncio
import time

from redis.asyncio import Redis

from application.ports.system import RateDecision, RateLimiter


class MemoryRateLimiter(RateLimiter):
    def __init__(self) -> None:
        self._windows: dict[str, tuple[int, int]] = {}
        self._lock = asyncio.Lock()

    async def hit(self, key: str, limit: int, window_seconds: int) -> RateDecision:
        now = time.time()
        window = int(now // window_seconds)
        async with self._lock:
            current_window, count = self._windows.get(key, (window, 0))
            if current_window != window:
                count = 0
            count += 1
            self._windows[key] = (window, count)
            if len(self._windows) > 100_000:  # forget stale windows so memory stays bounded
                self._windows = {k: v for k, v in self._windows.items() if v[0] == window}
        retry = int((window + 1) * window_seconds - now) + 1
        return RateDecision(allowed=count <= limit, remaining=max(0, limit - count), retry_after=retry)


class RedisRateLimiter(RateLimiter):
    def __init__(self, redis: Redis, prefix: str = "ratelimit") -> None:
        self._redis = redis
        self._prefix = prefix

    async def hit(self, key: str, limit: int, window_seconds: int) -> RateDecision:
        now = time.time()
        window = int(now // window_seconds)
        redis_key = f"{self._prefix}:{key}:{window}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(redis_key)
            pipe.expire(redis_key, window_seconds + 1)
            count, _ = await pipe.execute()
        retry = int((window + 1) * window_seconds - now) + 1
        return RateDecision(allowed=int(count) <= limit, remaining=max(0, limit - int(count)), retry_after=retry)
