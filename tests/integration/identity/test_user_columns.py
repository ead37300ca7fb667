"""Migration 0004 and the new user columns on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from adapters.sqla import database
from adapters.sqla.repositories import SqlaUserRepository
from domain.identity.user import Preferences, User
from domain.ids import new_id


@pytest.fixture(params=["sqlite", "postgres"])
async def db_url(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'users.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
        await database.downgrade(url, "base")
    await database.upgrade(url, "0003")
    return url


async def test_0004_adds_defaults_and_backfills_look_alike_keys(db_url):
    engine = database.make_engine(db_url)
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.execute(text(
            "INSERT INTO users (id, email, username, password_hash, display_name, role, bio, level, preferences,"
            " created_at, updated_at) VALUES ('u1', 'bob@x.test', 'bob', 'h', 'Bob', 'user', '', 1, '{}', :n, :n)"),
            {"n": now})
    await database.upgrade(db_url)
    async with database.make_sessionmaker(engine)() as session:
        users = SqlaUserRepository(session)
        bob = await users.get("u1")
        assert bob is not None and bob.preferences == Preferences() and bob.is_instructor is False
        assert (await users.lookalike_of("b\u043eb@x.test")) == bob  # Cyrillic o, found through the backfill
        assert await users.lookalike_of("bob@x.test") is None  # the same address is not its own twin
        changed = replace(bob, preferences=replace(bob.preferences, auto_save_choreographies=False,
                                                   default_difficulty="advanced", email_notifications=True))
        await users.save(changed)
        await session.commit()
        assert await users.get("u1") == changed
        moved = User(id=new_id(), email="carol@x.test", username="carol", display_name="C", password_hash=None,
                     created_at=now.replace(microsecond=0), updated_at=now.replace(microsecond=0))
        await users.add(moved)
        await session.commit()
        assert (await users.lookalike_of("c\u0430rol@x.test")) == moved
    await database.downgrade(db_url, "0003")
    await database.upgrade(db_url)
    await engine.dispose()
