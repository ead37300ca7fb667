"""The same repositories and migrations on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect

from adapters.security.recent_tokens import RecentTokens
from adapters.sqla import database
from adapters.sqla.repositories import SqlaJobRepository, SqlaRevokedTokenRepository, SqlaUserRepository
from domain.errors import Conflict
from domain.identity.user import Preferences, Role, User
from domain.ids import new_id
from domain.jobs.job import Job, JobStatus


def user(email: str, username: str) -> User:
    now = datetime.now(UTC).replace(microsecond=0)
    return User(id=new_id(), email=email, username=username, display_name="D", password_hash="h",
                created_at=now, updated_at=now, preferences=Preferences(style="sensual"))


async def test_users_round_trip_and_unique_constraints(session):
    repo = SqlaUserRepository(session)
    u = user("a@example.com", "alpha")
    await repo.add(u)
    await session.commit()
    loaded = await repo.get(u.id)
    assert loaded == u
    assert (await repo.by_email("a@example.com")) == u and (await repo.by_username("alpha")) == u
    with pytest.raises(Conflict):
        await repo.add(user("a@example.com", "beta"))
    with pytest.raises(Conflict):
        await repo.add(user("b@example.com", "alpha"))
    await session.commit()
    from dataclasses import replace

    promoted = replace(u, role=Role.ADMIN, display_name="Boss")
    await repo.save(promoted)
    await session.commit()
    assert (await repo.get(u.id)).role is Role.ADMIN
    await repo.link_identity(u.id, "google", "sub-1", datetime.now(UTC))
    await session.commit()
    assert (await repo.by_identity("google", "sub-1")).id == u.id
    assert await repo.identities(u.id) == ["google"]
    with pytest.raises(Conflict):
        await repo.link_identity(u.id, "google", "sub-1", datetime.now(UTC))


async def test_revoked_tokens_and_purge(session):
    repo = SqlaRevokedTokenRepository(session)
    now = datetime.now(UTC)
    await repo.revoke("old", now - timedelta(hours=1))
    await repo.revoke("new", now + timedelta(hours=1))
    await repo.revoke("new", now + timedelta(hours=1))  # idempotent
    await session.commit()
    assert await repo.is_revoked("new") and await repo.is_revoked("old")
    assert await repo.purge_expired(now) == 1
    assert not await repo.is_revoked("old")


async def test_token_lookup_reads_user_and_revocation_together(session):
    users, revoked = SqlaUserRepository(session), SqlaRevokedTokenRepository(session)
    u = user("t@example.com", "tokenista")
    await users.add(u)
    await revoked.revoke("gone", datetime.now(UTC) + timedelta(hours=1))
    await session.commit()
    assert await users.for_token(u.id, "live") == (u, False)
    assert await users.for_token(u.id, "gone") == (u, True)
    assert await users.for_token("f" * 24, "live") == (None, False)


async def test_recent_tokens_skip_the_database_until_revoked_or_changed(session):
    from dataclasses import replace

    recent = RecentTokens(ttl=60)
    users, revoked = SqlaUserRepository(session, recent), SqlaRevokedTokenRepository(session, recent)
    u = user("cached@example.com", "cachey")
    await users.add(u)
    await session.commit()
    assert await users.for_token(u.id, "jti-1") == (u, False)
    assert recent.get("jti-1", u.id) == u and recent.get("jti-1", "someone-else") is None
    await users.save(replace(u, display_name="Renamed"))  # a changed profile is read afresh
    await session.commit()
    assert recent.get("jti-1", u.id) is None
    assert (await users.for_token(u.id, "jti-1"))[0].display_name == "Renamed"
    await revoked.revoke("jti-1", datetime.now(UTC) + timedelta(hours=1))  # logout in this process: at once
    await session.commit()
    assert await users.for_token(u.id, "jti-1") == (replace(u, display_name="Renamed"), True)


async def test_jobs_round_trip(session):
    repo = SqlaJobRepository(session)
    now = datetime.now(UTC).replace(microsecond=0)
    job = Job(id=new_id(), kind="file-digest", user_id=None, payload={"file_key": "x"}, created_at=now,
              updated_at=now)
    await repo.add(job)
    await session.commit()
    assert await repo.count_active() == 1
    done = job.start(now).advance(0.5, now).complete({"ok": True}, now)
    await repo.save(done)
    await session.commit()
    loaded = await repo.get(job.id)
    assert loaded.status is JobStatus.COMPLETED and loaded.result == {"ok": True} and loaded.progress == 1.0
    assert await repo.count_active() == 0


async def test_migrations_upgrade_downgrade_upgrade(db_url):
    engine = database.make_engine(db_url)

    async def tables() -> set[str]:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))

    assert {"users", "jobs", "oauth_identities", "revoked_tokens", "dance_sessions"} <= await tables()
    await database.downgrade(db_url, "base")
    assert await tables() <= {"alembic_version"}
    await database.upgrade(db_url)
    assert {"users", "jobs"} <= await tables()
    await engine.dispose()
