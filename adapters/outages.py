"""Which exceptions mean "a dependency is unavailable" (retry later, answer 503) rather than a bug.

Drivers raise their own types for a lost or refused connection; this one place knows them: asyncpg and
SQLAlchemy (PostgreSQL, SQLite), redis-py, botocore/aiobotocore (S3), httpx, and the OS's own socket errors.
"""

from __future__ import annotations

import errno

DATABASE, QUEUE, STORAGE, NETWORK = "database", "queue", "storage", "network"


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 8:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _one(exc: BaseException) -> str | None:
    module = type(exc).__module__.split(".")[0]
    name = type(exc).__name__
    if module == "sqlalchemy":
        from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
        from sqlalchemy.exc import TimeoutError as PoolTimeout

        if isinstance(exc, OperationalError | InterfaceError | PoolTimeout):
            return DATABASE
        if isinstance(exc, DBAPIError) and exc.connection_invalidated:
            return DATABASE
        return None
    if module == "asyncpg":
        from asyncpg import exceptions as pg

        connection_lost = (pg.ConnectionDoesNotExistError, pg.InterfaceError, pg.CannotConnectNowError,
                           pg.PostgresConnectionError, pg.TooManyConnectionsError)
        return DATABASE if isinstance(exc, connection_lost) else None
    if module == "redis":
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeout

        return QUEUE if isinstance(exc, RedisConnectionError | RedisTimeout) else None
    if module in ("botocore", "aiobotocore"):
        unavailable = ("EndpointConnectionError", "ConnectTimeoutError", "ReadTimeoutError", "ConnectionClosedError",
                       "HTTPClientError")
        return STORAGE if name in unavailable else None
    if module == "aiohttp":
        from aiohttp import ClientConnectionError, ServerTimeoutError

        return STORAGE if isinstance(exc, ClientConnectionError | ServerTimeoutError) else None
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return None  # a full disk is not an outage that waiting cures: see is_disk_full
    if isinstance(exc, ConnectionError | TimeoutError):
        return NETWORK
    return None


def unavailable_dependency(exc: BaseException) -> str | None:
    """The dependency an exception says is unavailable ("database", "queue", "storage", "network"), or None."""
    for link in _chain(exc):
        found = _one(link)
        if found is not None:
            return found
    return None


def is_transient(exc: BaseException) -> bool:
    return unavailable_dependency(exc) is not None


def is_disk_full(exc: BaseException) -> bool:
    return any(isinstance(e, OSError) and e.errno == errno.ENOSPC for e in _chain(exc))
