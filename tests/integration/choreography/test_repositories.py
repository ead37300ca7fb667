"""Choreography repositories on SQLite and PostgreSQL; migrations 0008/0009 down and up again on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect

from adapters.sqla import database
from adapters.sqla.choreography.repositories import (
    SqlaClassPlanRepository,
    SqlaCollectionRepository,
    SqlaSongRepository,
    SqlaTaskRepository,
)
from adapters.sqla.repositories import SqlaUserRepository
from domain.choreography.catalogue import Song, SongFilter, SongStatus
from domain.choreography.class_plan import ClassPlan, PlanSequence
from domain.choreography.collection import CollectionFilter, SavedChoreography
from domain.choreography.task import ChoreographyTask, TaskResult, TaskStatus
from domain.errors import Conflict
from domain.identity.user import User
from domain.ids import new_id

NOW = datetime.now(UTC).replace(microsecond=0)
CHOREOGRAPHY_TABLES = {"songs", "choreography_tasks", "choreography_collections", "class_plans",
                       "class_plan_sequences"}


async def _user(session, name: str) -> str:
    u = User(id=new_id(), email=f"{name}@x.test", username=name, display_name=name, password_hash="h",
             created_at=NOW, updated_at=NOW)
    await SqlaUserRepository(session).add(u)
    return u.id


def _song(title: str, bpm_note: str = "") -> Song:
    return Song(id=0, title=title, artist="Artist " + bpm_note, genre="modern", audio_key=f"songs/{title}.wav",
                status=SongStatus.PENDING, created_at=NOW, updated_at=NOW)


async def test_songs_tasks_collections_and_plans(session) -> None:
    uid, other = await _user(session, "ana"), await _user(session, "leo")
    songs = SqlaSongRepository(session)
    a, b = await songs.add(_song("Amor_x")), await songs.add(_song("Rosa", "Guerra"))
    assert (a.id, b.id) == (1, 2)
    assert (await songs.search(SongFilter(), 0, 10)).total == 0  # nothing analysed yet
    assert [s.id for s in (await songs.search(SongFilter(only_analysed=False, search="guerra"), 0, 10)).items] == [2]
    assert (await songs.search(SongFilter(only_analysed=False, search="r_x"), 0, 10)).total == 1  # _ is literal
    assert (await songs.get(2)) == b and (await songs.by_title("Amor_x")) == a

    tasks = SqlaTaskRepository(session)
    t = ChoreographyTask(id="00000000-0000-0000-0000-000000000001", user_id=uid, song_id=a.id,
                         difficulty="beginner", energy_level="low", style="romantic", status=TaskStatus.STARTED,
                         stage="generating_blueprint", progress=0, message="m", created_at=NOW, updated_at=NOW,
                         parameters={"song_id": a.id}, fingerprint="f1", job_id="j")
    await tasks.add(t)
    done = t.complete(TaskResult(video_key="renders/choreography/t1.mp4", duration=25.0, file_size=10,
                                 num_moves=3, difficulty="beginner", move_labels=("intros", "basic", "outro")),
                      NOW)
    await tasks.save(done)
    await session.commit()
    assert await tasks.get(t.id) == done and (await tasks.latest_with_fingerprint("f1")) == done
    assert await tasks.created_since(uid, NOW - timedelta(minutes=1)) == [NOW]
    assert [x.id for x in await tasks.completed_before(NOW + timedelta(seconds=1))] == [t.id]
    assert (await tasks.of_user(other, 0, 10)).total == 0

    items = SqlaCollectionRepository(session)
    item = SavedChoreography(id="c1", user_id=uid, task_id=t.id, title="Amor - Beginner", difficulty="beginner",
                             notes="dips", duration=25.0, video_key="renders/choreography/t1.mp4",
                             music_info={"song": "Amor_x", "artist": "Artist"}, created_at=NOW, updated_at=NOW)
    await items.add(item)
    with pytest.raises(Conflict):
        await items.add(_copy(item, "c2"))  # the same task saved twice by the same user
    await session.commit()
    assert [i.id for i in (await items.search(uid, CollectionFilter(search="AMOR_X"), 0, 10)).items] == ["c1"]
    assert (await items.search(uid, CollectionFilter(difficulty="advanced"), 0, 10)).total == 0
    assert await items.referenced_video_keys(["renders/choreography/t1.mp4", "renders/x.mp4"]) == \
        {"renders/choreography/t1.mp4"}

    plans = SqlaClassPlanRepository(session)
    p = ClassPlan(id="p1", instructor_id=uid, title="Plan", difficulty_level="beginner", description="d",
                  created_at=NOW, updated_at=NOW)
    await plans.add(p)
    s = PlanSequence(choreography_id=t.id, order=0, title="S", duration=25.0, difficulty="beginner", num_moves=3,
                     move_labels=("basic",), video_key="renders/other.mp4")
    p = p.with_sequence(s, None, NOW)
    await plans.save(p)
    await session.commit()
    assert await plans.get("p1") == p and (await plans.of_instructor(uid, 0, 10)).total == 1
    assert await items.referenced_video_keys(["renders/other.mp4"]) == {"renders/other.mp4"}
    assert await items.delete(["c1"]) == 1
    await plans.delete("p1")
    await session.commit()
    assert await plans.get("p1") is None and await items.all_of(uid) == []


def _copy(item: SavedChoreography, new_id_: str) -> SavedChoreography:
    from dataclasses import replace

    return replace(item, id=new_id_)


@pytest.mark.postgres
async def test_migrations_down_and_up_on_postgres(postgres_url) -> None:
    await database.upgrade(postgres_url)
    await database.downgrade(postgres_url, "0005")
    await database.upgrade(postgres_url)
    engine = database.make_engine(postgres_url)
    try:
        async with engine.connect() as conn:
            names = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert names >= CHOREOGRAPHY_TABLES
    finally:
        await engine.dispose()
