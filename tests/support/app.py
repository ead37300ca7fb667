"""Building the real app for tests, with a clock the test can move."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from dishka import Provider, Scope, provide
from litestar.testing import AsyncTestClient

from adapters.sqla import database
from application.ports.system import Clock
from entrypoints.http.app import create_app
from entrypoints.settings import Settings


class MovableClock(Clock):
    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


class ClockProvider(Provider):
    def __init__(self, clock: MovableClock) -> None:
        super().__init__()
        self._clock = clock

    @provide(scope=Scope.APP)
    def clock(self) -> Clock:
        return self._clock


def make_settings(tmp: Path, **overrides: Any) -> Settings:
    env = {
        "ENV": "test",
        "VAR_DIR": str(tmp),
        "RATE_LIMIT_STANDARD": "10000",
        "RATE_LIMIT_UPLOADS": "10000",
        "RATE_LIMIT_AI": "10000",
        "WARM_UP": "false",
    }
    env |= {k.upper(): str(v) for k, v in overrides.items()}
    return Settings.from_env(env)


@asynccontextmanager
async def running_app(settings: Settings, *providers: Provider) -> AsyncIterator[AsyncTestClient[Any]]:
    await database.upgrade(settings.database_url)
    app = create_app(settings, *providers)
    async with AsyncTestClient(app=app, base_url="http://127.0.0.1:8000") as client:
        yield client


async def wait_for(predicate: Any, timeout: float = 30.0, interval: float = 0.1) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await predicate()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(interval)
