from __future__ import annotations

import asyncio
import itertools
import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from entrypoints.settings import Settings
from tests.support.app import ClockProvider, MovableClock, make_settings, running_app, running_worker, scaleout_env

_counter = itertools.count()


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
async def client(tmp_path: Path, clock: MovableClock):
    settings = make_settings(tmp_path, admin_emails="boss@example.com")
    async with running_app(settings, ClockProvider(clock)) as c:
        yield c


@pytest.fixture
async def embedded_client(tmp_path: Path, clock: MovableClock):
    """The embedded defaults only, for a test about them (the local store's own links and headers) in a module whose
    ``client`` runs on both stacks."""
    async with running_app(make_settings(tmp_path, admin_emails="boss@example.com"), ClockProvider(clock)) as c:
        yield c


@pytest.fixture(scope="module")
def scaleout_stack(tmp_path_factory: pytest.TempPathFactory, new_postgres_database, redis_url: str,
                   s3_endpoint: str):
    """PostgreSQL (a database for this module's tests), a bucket on the S3-protocol server (moto), a queue on Redis
    and a real ``taskiq worker`` process on them, ready to take jobs; shared by one module's tests. (Not async: it
    is asked for from inside a running test loop.)"""
    from adapters.sqla import database

    env = scaleout_env(tmp_path_factory.mktemp("scaleout"), database_url=new_postgres_database(),
                       redis_url=redis_url, s3_endpoint=s3_endpoint, name=f"e2e-{secrets.token_hex(4)}",
                       admin_emails="boss@example.com")
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, database.upgrade(env["DATABASE_URL"])).result()
    with running_worker(env):
        yield env


@pytest.fixture(params=["embedded", pytest.param("scaleout", marks=[pytest.mark.postgres, pytest.mark.redis])])
async def stack_client(request: pytest.FixtureRequest, tmp_path: Path, clock: MovableClock):
    """The API once on the embedded defaults (SQLite, a local folder, the in-process queue; fresh for each test) and
    once on the scale-out stack (``scaleout_stack``: PostgreSQL, the Redis queue with a worker process, S3). The clock
    moves for the API only; the worker keeps real time."""
    if request.param == "embedded":
        async with running_app(make_settings(tmp_path, admin_emails="boss@example.com"), ClockProvider(clock)) as c:
            yield c
        return
    env = request.getfixturevalue("scaleout_stack")
    async with running_app(Settings.from_env(env), ClockProvider(clock)) as c:
        c.scaleout = env  # type: ignore[attr-defined]  # what a test may check about the stack it runs on
        yield c


def unique_email(prefix: str = "dancer") -> str:
    return f"{prefix}{next(_counter)}@example.com"


async def idance_user(client: Any, email: str | None = None, password: str = "correct-horse") -> dict[str, Any]:
    email = email or unique_email()
    r = await client.post("/auth/register", json={"email": email, "password": password, "displayName": "Dancer"})
    assert r.status_code == 201, r.text
    body = r.json()
    return {"email": email, "password": password, "token": body["access_token"], "id": body["user_id"],
            "headers": {"Authorization": f"Bearer {body['access_token']}"}}
