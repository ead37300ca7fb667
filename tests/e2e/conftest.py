from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from tests.support.app import ClockProvider, MovableClock, make_settings, running_app

_counter = itertools.count()


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
async def client(tmp_path: Path, clock: MovableClock):
    settings = make_settings(tmp_path, admin_emails="boss@example.com")
    async with running_app(settings, ClockProvider(clock)) as c:
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
