"""Collection cleanup removes the entries whose video is gone and, given a number of days, those saved before
then; the boundary and the other user's entries stay."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.choreography.collections import Collections
from domain.choreography.collection import SavedChoreography
from domain.errors import InvalidInput
from domain.identity.user import User
from tests.unit.application.fakes import FakeClock, FakeTx

NOW = FakeClock().now()
ME = User(id="u" * 24, email="me@example.com", username="me", display_name="Me", password_hash=None,
          created_at=NOW, updated_at=NOW)


def item(iid: str, user: str, key: str | None, age_days: float) -> SavedChoreography:
    at = NOW - timedelta(days=age_days)
    return SavedChoreography(id=iid, user_id=user, task_id=None, title=iid, difficulty="beginner", notes="",
                             duration=10.0, video_key=key, created_at=at, updated_at=at)


class Items:
    def __init__(self, *items: SavedChoreography) -> None:
        self.rows = {i.id: i for i in items}

    async def all_of(self, user_id):
        return [i for i in self.rows.values() if i.user_id == user_id]

    async def delete(self, ids):
        for i in ids:
            self.rows.pop(i)
        return len(ids)


class Blobs:
    def __init__(self, *stored: str) -> None:
        self.stored = set(stored)

    async def info(self, key):
        return object() if key.value in self.stored else None


def collections(items: Items, blobs: Blobs) -> Collections:
    return Collections(items=items, tasks=None, songs=None, blobs=blobs, tx=FakeTx(), clock=FakeClock())


KEPT, LOST = "renders/kept.mp4", "renders/lost.mp4"


def library() -> Items:
    return Items(item("fresh", ME.id, KEPT, 1), item("lost", ME.id, LOST, 1), item("none", ME.id, None, 1),
                 item("old", ME.id, KEPT, 31), item("edge", ME.id, KEPT, 30), item("theirs", "o" * 24, LOST, 40))


async def test_entries_whose_video_is_gone_go_and_age_only_when_asked():
    items = library()
    assert await collections(items, Blobs(KEPT)).cleanup(ME, None) == (2, 0)
    assert sorted(items.rows) == ["edge", "fresh", "old", "theirs"]
    assert await collections(items, Blobs(KEPT)).cleanup(ME, 30) == (0, 1)  # saved exactly 30 days ago stays
    assert sorted(items.rows) == ["edge", "fresh", "theirs"]


async def test_a_negative_age_is_refused_and_removes_nothing():
    items = library()
    with pytest.raises(InvalidInput) as err:
        await collections(items, Blobs()).cleanup(ME, -1)
    assert err.value.field == "days" and len(items.rows) == 6
