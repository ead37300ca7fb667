"""Demo data for the community features: today's challenge and a few upcoming ones (idempotent by title)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.sqla import database
from adapters.sqla.community.repositories import SqlaChallengeRepository
from domain.community.challenge import Challenge, ScoringCriteria
from domain.ids import new_id
from entrypoints.settings import Settings

DEMO_CHALLENGES = (
    # (day offset from today, title, type, difficulty, category, tags, description, badge)
    (0, "Freestyle Friday", "freestyle", "intermediate", "freestyle", ("freestyle", "dance", "challenge"),
     "Show your best freestyle moves!", "Freestyle Master"),
    (1, "Spin Master Challenge", "spin", "intermediate", "hip hop", ("spin", "turns"),
     "Master the art of spinning.", "Spin Master"),
    (2, "Morning Flow Challenge", "flow", "beginner", "contemporary", ("flow", "morning"),
     "Start your day with smooth movements.", "Morning Flow Master"),
    (3, "Salsa Steps", "footwork", "beginner", "latin", ("salsa", "footwork"),
     "Clean basic steps on the beat.", "Salsa Starter"),
)


async def seed_community(settings: Settings) -> None:
    engine = database.make_engine(settings.database_url)
    try:
        async with database.make_sessionmaker(engine)() as session:
            repo = SqlaChallengeRepository(session)
            now = datetime.now(UTC)
            midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
            created = 0
            for offset, title, kind, difficulty, category, tags, description, badge in DEMO_CHALLENGES:
                start = midnight + timedelta(days=offset)
                existing = await repo.by_title(title)
                if existing is not None and existing.end_time > now:
                    continue  # still current or upcoming: keep it (and its submissions)
                challenge = Challenge(
                    id=existing.id if existing else new_id(now.timestamp()), title=title, description=description,
                    type=kind, difficulty=difficulty, start_time=start, end_time=start + timedelta(days=1),
                    points=100 + 50 * offset, badge_name=badge, category=category, tags=tags,
                    criteria=ScoringCriteria(), created_at=existing.created_at if existing else now, updated_at=now,
                ).synced(now)
                if existing is None:
                    await repo.add(challenge)
                else:  # an expired demo challenge moves forward to its new day
                    await repo.save(challenge)
                created += 1
            await session.commit()
            if created:
                print(f"demo challenges: {created} created or moved to the coming days")
    finally:
        await engine.dispose()
