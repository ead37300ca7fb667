"""Sign-in protection: the login throttle (memory or Redis), the decoy password hash, trusted client addresses."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from litestar import Request
from redis.asyncio import Redis

from adapters.security.login_throttle import FallbackLoginThrottle, MemoryLoginThrottle, RedisLoginThrottle
from application.identity.common import DecoyPasswordHash
from application.identity.ports import LoginThrottle
from application.identity.throttling import Guard
from application.ports.system import PasswordHasher
from domain.identity.throttle import BackOff, ThrottleRules
from entrypoints.http.client_address import ClientAddress, TrustedProxies, client_address
from entrypoints.settings import Settings

UNLIMITED = 10**9


def throttle_rules(settings: Settings) -> ThrottleRules:
    defaults = ThrottleRules()
    if not settings.login_throttle:
        off = BackOff(free=UNLIMITED, base_seconds=0, max_seconds=0, forget_after=1)
        return ThrottleRules(account=off, address=off, register=off)
    return ThrottleRules(
        account=BackOff(free=settings.login_free_failures, base_seconds=defaults.account.base_seconds,
                        max_seconds=defaults.account.max_seconds, forget_after=defaults.account.forget_after),
        address=BackOff(free=settings.login_free_failures_per_address, base_seconds=defaults.address.base_seconds,
                        max_seconds=defaults.address.max_seconds, forget_after=defaults.address.forget_after),
        register=BackOff(free=settings.register_per_address, base_seconds=defaults.register.base_seconds,
                         max_seconds=defaults.register.max_seconds, forget_after=defaults.register.forget_after),
    )


class SignInProvider(Provider):
    scope = Scope.APP

    @provide
    async def login_throttle(self, settings: Settings) -> AsyncIterator[LoginThrottle]:
        if settings.queue == "redis":
            redis = Redis.from_url(settings.redis_url, socket_connect_timeout=2, socket_timeout=2)
            # Namespaced by the queue name, so deployments (and test runs) sharing a Redis do not mix counts.
            yield FallbackLoginThrottle(RedisLoginThrottle(redis, prefix=f"{settings.redis_queue_name}:login-throttle"))
            await redis.aclose()
        else:
            yield MemoryLoginThrottle()

    @provide
    def guard(self, throttle: LoginThrottle, settings: Settings) -> Guard:
        return Guard(throttle=throttle, rules=throttle_rules(settings))

    @provide
    async def decoy(self, hasher: PasswordHasher) -> DecoyPasswordHash:
        return DecoyPasswordHash(await hasher.hash(secrets.token_urlsafe(24)))

    @provide
    def trusted_proxies(self, settings: Settings) -> TrustedProxies:
        return TrustedProxies.parse(settings.trusted_proxy_list)

    @provide(scope=Scope.REQUEST)
    def client(self, request: Request, proxies: TrustedProxies) -> ClientAddress:  # type: ignore[type-arg]
        return client_address(request, proxies)
