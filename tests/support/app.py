"""Building the real app for tests, with a clock the test can move."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
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


ROOT = Path(__file__).resolve().parents[2]


def scaleout_env(tmp: Path, *, database_url: str, redis_url: str, s3_endpoint: str, name: str,
                 **overrides: Any) -> dict[str, str]:
    """Settings of the scale-out stack (PostgreSQL, the Redis queue, an S3-protocol server) as environment
    variables, the same for the API under test and its worker processes."""
    env = {
        "ENV": "test", "VAR_DIR": str(tmp), "DATABASE_URL": database_url, "STORAGE": "s3",
        "S3_ENDPOINT_URL": s3_endpoint, "S3_BUCKET": name, "S3_CREATE_BUCKET": "true",
        "QUEUE": "redis", "REDIS_URL": redis_url, "REDIS_QUEUE_NAME": name, "JWT_SECRET": "j" * 48,
        "WARM_UP": "false", "RATE_LIMIT_STANDARD": "10000", "RATE_LIMIT_UPLOADS": "10000", "RATE_LIMIT_AI": "10000",
        "RECONCILE_SECONDS": "2",
        "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
        "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
    }
    return env | {k.upper(): str(v) for k, v in overrides.items()}


@contextmanager
def running_worker(env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """A real ``taskiq worker`` process on ``env``'s queue and database (give it a database of its own: its
    reconciler takes over any expired job it finds there)."""
    log = (Path(env["VAR_DIR"]) / "worker.log").open("wb")  # kept with the test's tmp folder, for a failure's cause
    worker = subprocess.Popen([sys.executable, "-m", "taskiq", "worker", "entrypoints.worker:broker", "--workers", "1"],
                              cwd=ROOT, env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_listening(worker, Path(env["VAR_DIR"]) / "worker.log")
        yield worker
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()


def _wait_until_listening(worker: subprocess.Popen[bytes], log: Path, timeout: float = 180.0) -> None:
    """Until the worker takes jobs: its start (imports, the database, the store) takes seconds a test must not
    spend inside its own time limits."""
    deadline = time.monotonic() + timeout
    while b"Listening started" not in log.read_bytes():
        if worker.poll() is not None:
            raise RuntimeError(f"the worker exited with {worker.returncode}: {log.read_text()[-2000:]}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"the worker did not start in {timeout:.0f} s: {log.read_text()[-2000:]}")
        time.sleep(0.2)


@asynccontextmanager
async def running_app(settings: Settings, *providers: Provider) -> AsyncIterator[AsyncTestClient[Any]]:
    await database.upgrade(settings.database_url)
    app = create_app(settings, *providers)
    async with AsyncTestClient(app=app, base_url="http://127.0.0.1:8000") as client:
        yield client


def _own(client: Any, url: str) -> str | None:
    """The path of a link to the API itself (the local store's signed links), None for another server's."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.netloc == client.base_url.netloc.decode() else None


async def put_upload(client: Any, url: str, data: bytes, content_type: str) -> Any:
    """PUT to a signed upload link: the API's own (local store) through the test client, an S3 server's over HTTP."""
    if (path := _own(client, url)) is not None:
        return await client.put(path, content=data, headers={"content-type": content_type})
    async with httpx.AsyncClient(timeout=60) as s3:
        return await s3.put(url, content=data, headers={"content-type": content_type})


async def get_link(client: Any, url: str) -> Any:
    """GET a signed download link, the API's own or an S3 server's."""
    if (path := _own(client, url)) is not None:
        return await client.get(path)
    async with httpx.AsyncClient(timeout=60) as s3:
        return await s3.get(url)


async def wait_for(predicate: Any, timeout: float = 30.0, interval: float = 0.1) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await predicate()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(interval)
