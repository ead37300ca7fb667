"""Engine, sessions and migrations for SQLite (embedded default) and PostgreSQL (asyncpg)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def async_url(url: str) -> str:
    """Accept plain driver-less URLs and pick the async driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url[len("postgresql://"):]
    if url.startswith("sqlite://") and not url.startswith("sqlite+aiosqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://"):]
    return url


def make_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    url = async_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    # No pre-ping (a round trip on every checkout); connections are recycled instead, and a broken one
    # fails its request, which the client may retry.
    return create_async_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=900)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # A session class of its own, so session events (e.g. the community caches' write watch) are one app's only.
    own_class = type("AppSession", (Session,), {})
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False, sync_session_class=own_class)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", async_url(url).replace("%", "%%"))
    return cfg


def _run(action: str, url: str, revision: str) -> None:
    cfg = alembic_config(url)
    getattr(command, action)(cfg, revision)


async def upgrade(url: str, revision: str = "head") -> None:
    # Alembic's env.py runs its own event loop, so it gets a thread of its own.
    await asyncio.to_thread(_run, "upgrade", url, revision)


async def downgrade(url: str, revision: str = "base") -> None:
    await asyncio.to_thread(_run, "downgrade", url, revision)


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
