"""On the real PostgreSQL server: one row from two racing submissions, the leaderboard and feed pages of
100,000 submissions answered through the indexes of migration 0003, and the challenge search over 100,000
challenges through the window index and the trigram indexes of migration 0010 (EXPLAIN read back)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, text

from adapters.sqla import database
from adapters.sqla.community.reader import SqlaCommunityReader
from tests.e2e.community.helpers import create_challenge, upload_challenge_video
from tests.e2e.conftest import idance_user
from tests.support.app import make_settings, running_app
from tests.support.scale_seed import CHALLENGE, scale_seed_sql

pytestmark = pytest.mark.postgres

N = 100_000


async def test_two_concurrent_submissions_leave_one_row_on_postgres(scale_url, tmp_path):
    settings = make_settings(tmp_path, database_url=scale_url, admin_emails="boss@example.com")
    async with running_app(settings) as client:
        admin = await idance_user(client, email="boss@example.com")
        user = await idance_user(client)
        cid = await create_challenge(client, admin)
        key = await upload_challenge_video(client, user, cid, b"not a video at all\n" * 50)
        results = await asyncio.gather(*(client.post(f"/api/challenges/{cid}/submit-unified",
                                                     headers=user["headers"], json={"video_file": key})
                                         for _ in range(2)))
        assert sorted(r.status_code for r in results) == [200, 400]
        assert "already submitted" in next(r for r in results if r.status_code == 400).json()["detail"]
        engine = database.make_engine(scale_url)
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT count(*) FROM challenge_submissions WHERE challenge_id = :c "
                                            "AND user_id = :u"), {"c": cid, "u": user["id"]})).scalar_one()
        await engine.dispose()
        assert rows == 1


SEED = scale_seed_sql(N)


@pytest.fixture(scope="module")
def scale_url():
    """A database of its own (made here, outside any event loop), dropped whole: no 100k-row deletes."""
    import secrets

    import asyncpg

    from tests.conftest import POSTGRES_ADMIN_URL

    name = f"dance_scale_{secrets.token_hex(4)}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(POSTGRES_ADMIN_URL)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    try:
        asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError) as exc:
        from tests.conftest import _service_missing

        _service_missing("PostgreSQL", exc)
    yield f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def big_db(scale_url):
    await database.upgrade(scale_url)
    engine = database.make_engine(scale_url)
    async with engine.begin() as conn:
        raw = await conn.get_raw_connection()
        await raw.driver_connection.execute(SEED)  # type: ignore[union-attr]
    import asyncpg

    conn = await asyncpg.connect(scale_url)
    try:  # as autovacuum would: the visibility map lets counts run index-only
        await conn.execute("VACUUM ANALYZE challenge_submissions")
    finally:
        await conn.close()
    yield engine
    await engine.dispose()


async def plans_of(engine, call) -> list[tuple[str, str]]:
    """Run a reader call, capture its SQL, and EXPLAIN each statement with the same parameters."""
    captured: list[tuple[str, object]] = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        if not statement.startswith("EXPLAIN"):
            captured.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", grab)
    try:
        async with database.make_sessionmaker(engine)() as session:
            result = await call(SqlaCommunityReader(session))
            plans = []
            for statement, params in captured:
                conn = await session.connection()
                rows = await conn.exec_driver_sql("EXPLAIN " + statement, params)
                plans.append((statement, "\n".join(r[0] for r in rows)))
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", grab)
    return result, plans


async def test_leaderboard_and_feed_pages_use_indexes_at_100k(big_db):
    board, plans = await plans_of(big_db, lambda r: r.leaderboard(CHALLENGE, "0" * 23 + "7", 3, 20))
    assert len(board.entries) == 20 and board.entries[0].rank == 41
    scores = [e.score for e in board.entries]
    assert scores == sorted(scores, reverse=True)
    page_plan = next(p for s, p in plans if "row_number" in s)
    assert "ix_challenge_submissions_leaderboard" in page_plan, page_plan
    assert "Seq Scan on challenge_submissions" not in page_plan, page_plan
    assert "Sort" not in page_plan.split("WindowAgg")[-1], page_plan  # ordered by the index, not sorted
    # userRank = 1 + (higher scores) + (equal scores submitted earlier). The tie count is an index range; the
    # "higher" count may be a seq scan when half of a 100k-row challenge qualifies (the planner's right call).
    tie_plan = next(p for s, p in plans if "count(" in s and "total_score =" in s)
    assert "ix_challenge_submissions_leaderboard" in tie_plan, tie_plan
    assert board.user_rank is not None and board.user_rank > 1

    feed, plans = await plans_of(big_db, lambda r: r.feed(None, 2, 20))
    assert len(feed.items) == 20
    times = [i.created_at for i in feed.items]
    assert times == sorted(times, reverse=True)
    page_plan = next(p for s, p in plans if "UNION ALL" in s)
    assert "ix_challenge_submissions_feed" in page_plan and "ix_dance_sessions_feed" in page_plan, page_plan
    assert "Seq Scan" not in page_plan, page_plan
    assert "Merge Append" in page_plan, page_plan  # newest-first merge of two index scans, no sort of 100k rows
    assert datetime.now(UTC) >= times[0]


CHALLENGES_SEED = f"""
INSERT INTO challenges (id, title, description, type, difficulty, start_time, end_time, points, categories, tags,
                        scoring_criteria, is_active, created_at, updated_at)
SELECT 'e' || lpad(to_hex(j), 23, '0'), 'Search challenge ' || j, 'Dance number ' || j,
       CASE WHEN j % 2 = 0 THEN 'freestyle' ELSE 'spin' END, 'beginner',
       now() - interval '1 day' + (j || ' minutes')::interval, now() + interval '1 day' + (j || ' minutes')::interval,
       100, '[]', '[]', '{{}}', true, now(), now()
FROM generate_series(1, {N}) AS j;
ANALYZE challenges;
"""


async def test_challenge_search_uses_indexes_at_100k(scale_url):
    """The app's search (words, a type, active only) walks the active window's index; a search by words alone
    over every challenge is answered from the trigram indexes (migration 0010), never by reading the table."""
    from application.community.views import ChallengeQuery

    await database.upgrade(scale_url)
    engine = database.make_engine(scale_url)
    try:
        async with engine.begin() as conn:
            raw = await conn.get_raw_connection()
            await raw.driver_connection.execute(CHALLENGES_SEED)  # type: ignore[union-attr]
        now = datetime.now(UTC)

        active = ChallengeQuery(query="challenge", type="spin", active_only=True, page=1, limit=20)
        found, plans = await plans_of(engine, lambda r: r.challenges(active, now))
        # Active now: started within the last day (1,440 minutes), all still open; half are spins.
        assert found.total == 720 and len(found.items) == 20
        starts = [row.challenge.start_time for row in found.items]
        assert starts == sorted(starts, reverse=True) and starts[0] <= now
        searched = [plan for statement, plan in plans if "FROM challenges" in statement]
        assert len(searched) == 2  # the count and the page
        for plan in searched:
            assert "ix_challenges_window" in plan and "Seq Scan on challenges" not in plan, plan

        words = ChallengeQuery(query="Challenge 4242", active_only=False, page=1, limit=20)
        found, plans = await plans_of(engine, lambda r: r.challenges(words, now))
        # 4242 and 42420-42429.
        assert found.total == 11
        assert {row.challenge.title for row in found.items} == {"Search challenge 4242"} | {
            f"Search challenge {n}" for n in range(42420, 42430)}
        searched = [plan for statement, plan in plans if "FROM challenges" in statement]
        assert len(searched) == 2
        for plan in searched:
            assert "ix_challenges_title_trgm" in plan and "Seq Scan on challenges" not in plan, plan
    finally:
        await engine.dispose()
