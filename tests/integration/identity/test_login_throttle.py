"""The two LoginThrottle adapters keep the same records; the look-alike key on Unicode's real table."""

from __future__ import annotations

import secrets

import pytest
from redis.asyncio import Redis

from adapters.security.confusables import skeleton
from adapters.security.login_throttle import MemoryLoginThrottle, RedisLoginThrottle
from domain.identity.throttle import AttemptRecord


@pytest.fixture(params=["memory", "redis"])
async def throttle(request):
    if request.param == "memory":
        yield MemoryLoginThrottle()
        return
    redis = Redis.from_url(request.getfixturevalue("redis_url"))
    yield RedisLoginThrottle(redis, prefix=f"test-{secrets.token_hex(4)}")
    await redis.aclose()


async def test_records_count_and_clear(throttle):
    assert await throttle.records(["a", "b"]) == [None, None]
    await throttle.count(["a", "b"], 1000.5, 60)
    await throttle.count(["a"], 1002.25, 60)
    assert await throttle.records(["a", "b", "c"]) == [AttemptRecord(2, 1002.25), AttemptRecord(1, 1000.5), None]
    await throttle.clear(["a"])
    assert await throttle.records(["a", "b"]) == [None, AttemptRecord(1, 1000.5)]


async def test_redis_records_expire(redis_url):
    redis = Redis.from_url(redis_url)
    throttle = RedisLoginThrottle(redis, prefix=f"test-{secrets.token_hex(4)}")
    await throttle.count(["k"], 1.0, 30)
    assert 0 < await redis.ttl(throttle._name("k")) <= 30
    await redis.aclose()


def test_skeleton_folds_look_alikes_but_keeps_plain_ascii_apart():
    plain = skeleton("alice@x.test")
    assert skeleton("\u0430lice@x.test") == skeleton("\u03b1lice@x.test") == skeleton("ALICE@x.test") == plain
    assert skeleton("\uff41lice@x.test") == plain
    assert skeleton("a1ice@x.test") != plain and skeleton("alicé@x.test") != plain
    assert skeleton("p\u0430ypal@x.test") == skeleton("paypal@x.test")
