"""Demo challenges: today's and upcoming ones, seeded once however often `seed` runs."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from adapters.sqla import database
from adapters.sqla.community.repositories import SqlaChallengeRepository
from adapters.sqla.community.tables import challenges
from domain.community.challenge import todays_challenge
from entrypoints.seed_community import DEMO_CHALLENGES, seed_community
from tests.support.app import make_settings


async def test_seed_is_idempotent_and_gives_a_challenge_today(tmp_path):
    settings = make_settings(tmp_path)
    await database.upgrade(settings.database_url)
    await seed_community(settings)
    await seed_community(settings)
    engine = database.make_engine(settings.database_url)
    async with database.make_sessionmaker(engine)() as session:
        count = (await session.execute(select(func.count()).select_from(challenges))).scalar_one()
        now = datetime.now(UTC)
        today = todays_challenge(await SqlaChallengeRepository(session).open_at(now), now)
    await engine.dispose()
    assert count == len(DEMO_CHALLENGES)
    assert today is not None and today.title == "Freestyle Friday" and today.is_active
