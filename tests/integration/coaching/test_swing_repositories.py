"""Swing videos and analyses on SQLite and on the real PostgreSQL server (migration 0007)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect

from adapters.sqla import database
from adapters.sqla.coaching.repositories import SqlaSwingAnalysisRepository, SqlaSwingVideoRepository
from adapters.sqla.repositories import SqlaUserRepository
from domain.coaching.records import (
    MAX_PUBLIC_ID,
    SwingAnalysisRecord,
    SwingAnalysisStatus,
    SwingVideo,
    VideoMetadata,
    VideoStatus,
    new_public_id,
)
from domain.identity.user import User
from domain.ids import new_id

NOW = datetime(2025, 8, 8, 12, 0, tzinfo=UTC)


async def a_user(session, name: str) -> User:
    u = User(id=new_id(), email=f"{name}@example.com", username=name, display_name=name, password_hash=None,
             created_at=NOW, updated_at=NOW)
    await SqlaUserRepository(session).add(u)
    return u


def a_video(user: User, video_id: int) -> SwingVideo:
    return SwingVideo(id=video_id, user_id=user.id, file_key=f"videos/{user.id}/swing-{video_id}/source.mp4",
                      filename="swing.mp4", content_type="video/mp4", size=440224, title="Golf Swing Analysis",
                      declared=VideoMetadata(duration=8.8, resolution="354x492", fps=30.0), duration=8.809,
                      width=354, height=492, fps=29.97, status=VideoStatus.UPLOADED, created_at=NOW)


def an_analysis(user: User, video_id: int, analysis_id: int, at: datetime) -> SwingAnalysisRecord:
    return SwingAnalysisRecord(id=analysis_id, video_id=video_id, user_id=user.id, job_id=new_id(),
                               status=SwingAnalysisStatus.QUEUED, created_at=at, updated_at=at)


async def test_videos_and_analyses_round_trip_with_53_bit_ids(session, db_url):
    names = set(inspect_tables := await _tables(db_url))
    assert {"swing_videos", "swing_analyses"} <= names, inspect_tables
    owner = await a_user(session, "owner")
    vids = SqlaSwingVideoRepository(session)
    analyses = SqlaSwingAnalysisRepository(session)
    video = a_video(owner, MAX_PUBLIC_ID)  # the largest id survives both databases' integer types
    await vids.add(video)
    first = an_analysis(owner, video.id, new_public_id(), NOW - timedelta(days=1))
    second = an_analysis(owner, video.id, 2**53 - 2, NOW)
    await analyses.add(first)
    await analyses.add(second)
    await session.commit()
    assert await vids.get(video.id) == video
    assert await vids.get(12345) is None
    assert [a.id for a in await analyses.for_video(video.id)] == [second.id, first.id]  # newest first

    result = {"swing_analysis": {"swing_phases": [{"phase": "setup", "start_frame": 0}]}, "futuregolf": {}}
    done = second.start(NOW).advance("video_composition", 0.8, NOW).complete(result, "renders/swing-1/c.mp4", NOW)
    await analyses.save(done)
    await analyses.save(first.fail("No golf swing: the hands never rose above the shoulders.", NOW))
    await session.commit()
    loaded = await analyses.get(second.id)
    assert loaded == done and loaded.result == result and loaded.progress == 1.0
    assert (await analyses.get(first.id)).status is SwingAnalysisStatus.FAILED

    page, total = await analyses.by_user(owner.id, limit=1, offset=0)
    assert total == 2 and [a.id for a in page] == [second.id]
    assert await analyses.count_created_since(owner.id, NOW - timedelta(hours=1)) == 1
    assert await analyses.count_created_since(owner.id, NOW - timedelta(days=2)) == 2

    await vids.delete(video.id)
    await session.commit()
    assert await vids.get(video.id) is None
    assert await analyses.for_video(video.id) == [] and await analyses.get(second.id) is None


async def _tables(url: str) -> list[str]:
    engine = database.make_engine(url)
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda c: inspect(c).get_table_names())
    await engine.dispose()
    return names
