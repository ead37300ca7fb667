from __future__ import annotations

import itertools
import secrets
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


@pytest.fixture(params=["embedded", pytest.param("scaleout", marks=[pytest.mark.postgres, pytest.mark.redis])])
async def stack_client(request: pytest.FixtureRequest, tmp_path: Path, clock: MovableClock):
    """The API once on the embedded defaults (SQLite, a local folder, the in-process queue) and once on the scale-out
    stack: PostgreSQL, the Redis queue with a real ``taskiq worker`` process running the jobs, and an S3-protocol
    server (moto). The clock moves for the API only; the worker keeps real time."""
    if request.param == "embedded":
        async with running_app(make_settings(tmp_path, admin_emails="boss@example.com"), ClockProvider(clock)) as c:
            yield c
        return
    env = scaleout_env(tmp_path, database_url=request.getfixturevalue("new_postgres_database")(),
                       redis_url=request.getfixturevalue("redis_url"),
                       s3_endpoint=request.getfixturevalue("s3_endpoint"),
                       name=f"e2e-{secrets.token_hex(4)}", admin_emails="boss@example.com")
    from adapters.sqla import database

    await database.upgrade(env["DATABASE_URL"])
    with running_worker(env):
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
