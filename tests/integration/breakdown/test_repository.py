"""The breakdowns repository and migration 0006 on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect

from adapters.sqla import database
from adapters.sqla.breakdown.repositories import SqlaBreakdownRepository
from adapters.sqla.repositories import SqlaUserRepository
from domain.breakdown.record import BreakdownRecord, BreakdownStatus
from domain.identity.user import Preferences, User
from domain.ids import new_id

T0 = datetime(2025, 1, 25, 14, 30, 22, tzinfo=UTC)


async def _user(session, name: str, level: int = 1) -> User:
    u = User(id=new_id(), email=f"{name}@example.com", username=name, display_name=name.title(), password_hash="h",
             created_at=T0, updated_at=T0, preferences=Preferences(), avatar_url=f"https://a/{name}.png",
             level=level)
    await SqlaUserRepository(session).add(u)
    return u


def _record(user: User, minutes: int, **kw) -> BreakdownRecord:
    at = T0 + timedelta(minutes=minutes)
    return BreakdownRecord(id=new_id(at.timestamp()), user_id=user.id, mode="auto", target_difficulty="beginner",
                           video_url="https://cdn.example.com/v.mp4", job_id=new_id(), created_at=at, updated_at=at,
                           **kw)


async def test_round_trip_complete_and_fail(session):
    maya = await _user(session, "maya")
    r = _record(maya, 0)
    repo = SqlaBreakdownRepository(session)
    await repo.add(r)
    await session.commit()
    assert await repo.get(r.id) == r and (await repo.get(r.id)).status is BreakdownStatus.PROCESSING
    media = {"playable": f"breakdowns/{maya.id}/{r.id}/video.mp4", "outline": f"breakdowns/{maya.id}/{r.id}/o.mp4",
             "thumbnail": f"breakdowns/{maya.id}/{r.id}/t.jpg"}
    answer = {"success": True, "bpm": 117.42, "steps": [{"step_number": 1, "description": {"head": "Head: still"}}]}
    done = r.complete(answer, media, T0 + timedelta(seconds=30))
    await repo.save(done)
    await session.commit()
    loaded = await repo.get(r.id)
    assert loaded == done and loaded.media == media and loaded.answer == answer
    assert loaded.completed_at == T0 + timedelta(seconds=30) and loaded.completed_at.tzinfo is not None
    failed = done.fail("the video could not be downloaded from that URL", T0 + timedelta(seconds=40))
    await repo.save(failed)
    await session.commit()
    loaded = await repo.get(r.id)
    assert loaded.status is BreakdownStatus.FAILED and loaded.answer is None and loaded.media == {}
    assert loaded.error == "the video could not be downloaded from that URL"
    assert await repo.get("0" * 24) is None


async def test_history_pages_and_the_shared_videos(session):
    maya, leo = await _user(session, "maya", level=5), await _user(session, "leo")
    repo = SqlaBreakdownRepository(session)
    mine = [_record(maya, i) for i in range(5)]
    for i, r in enumerate(mine):
        if i % 2 == 0:
            r = r.complete({"success": True}, {}, r.created_at)
        await repo.add(r)
    theirs = _record(leo, 10).complete({"success": True}, {}, T0)
    await repo.add(theirs)
    await repo.add(_record(leo, 11).fail("no dancer", T0))
    await session.commit()

    page = await repo.of_user(maya.id, skip=0, limit=2)
    assert page.total == 5 and [r.id for r in page.items] == [mine[4].id, mine[3].id]  # newest first
    rest = await repo.of_user(maya.id, skip=4, limit=10)
    assert [r.id for r in rest.items] == [mine[0].id]
    assert (await repo.of_user("nobody", skip=0, limit=5)).total == 0

    shared = await repo.succeeded(skip=0, limit=10)
    assert shared.total == 4  # maya's three completed and leo's one; processing and failed ones stay out
    assert [s.record.id for s in shared.items] == [theirs.id, mine[4].id, mine[2].id, mine[0].id]
    assert all(s.record.status is BreakdownStatus.COMPLETED for s in shared.items)
    first = shared.items[0].profile
    assert (first.display_name, first.avatar_url, first.level) == ("Leo", "https://a/leo.png", 1)
    assert shared.items[1].profile.level == 5
    assert [s.record.id for s in (await repo.succeeded(skip=1, limit=2)).items] == [mine[4].id, mine[2].id]


async def test_migration_0006_goes_down_and_up(db_url):
    engine = database.make_engine(db_url)

    async def tables() -> set[str]:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))

    assert "breakdowns" in await tables()
    await database.downgrade(db_url, "0005")
    assert "breakdowns" not in await tables() and "analyses" in await tables()
    await database.upgrade(db_url)
    assert "breakdowns" in await tables()
    await engine.dispose()
