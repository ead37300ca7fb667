"""Repository tests run once on SQLite and once on the real PostgreSQL server, each on a freshly migrated
database: ``db_url`` and ``session`` for every integration test that asks for them."""

from __future__ import annotations

import pytest

from adapters.sqla import database


@pytest.fixture(params=["sqlite", "postgres"])
async def db_url(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'repo.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
        await database.downgrade(url, "base")
    await database.upgrade(url)
    return url


@pytest.fixture
async def session(db_url):
    engine = database.make_engine(db_url)
    async with database.make_sessionmaker(engine)() as s:
        yield s
    await engine.dispose()
