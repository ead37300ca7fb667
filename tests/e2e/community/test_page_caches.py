"""The feed and challenge search are served from in-process page caches (FEED_CACHE_SECONDS). Two apps on one
database stand for two API processes: a change made through one shows at once there and within the documented
bound (the cache's age plus one refresh) through the other; a private submission never shows in either."""

from __future__ import annotations

import base64
import time
from typing import Any

from tests.e2e.community.helpers import admin, create_challenge
from tests.e2e.conftest import idance_user
from tests.support.app import make_settings, running_app, wait_for

TTL = 3.0  # long enough that "not yet" right after a write is certain even on a loaded machine
NOT_A_VIDEO = b"these are dance notes, not a video\n" * 40


async def feed_ids(client: Any, user: dict[str, Any]) -> list[str]:
    r = await client.get("/api/feed", headers=user["headers"], params={"limit": 50})
    assert r.status_code == 200, r.text
    return [i["id"] for i in r.json()["feed"]]


async def search_titles(client: Any, user: dict[str, Any]) -> list[str]:
    r = await client.post("/api/challenges/search", headers=user["headers"],
                          json={"query": "waltz", "page": 1, "limit": 50})
    assert r.status_code == 200, r.text
    return [c["title"] for c in r.json()["challenges"]]


async def submit(client: Any, user: dict[str, Any], cid: str, *, public: bool) -> str:
    r = await client.post(f"/api/challenges/{cid}/submit-unified", headers=user["headers"],
                          json={"video_file": base64.b64encode(NOT_A_VIDEO).decode(),
                                "metadata": {"caption": "mine", "isPublic": public, "sharedToFeed": True}})
    assert r.status_code == 200, r.text
    return str(r.json()["id"])


async def test_a_change_shows_at_once_in_its_process_and_within_the_bound_in_another(tmp_path):
    settings = make_settings(tmp_path, admin_emails="boss@example.com", feed_cache_seconds=TTL)
    async with running_app(settings) as writer, running_app(settings) as other:
        boss = await admin(writer)
        alice, bob = await idance_user(writer), await idance_user(writer)
        cid = await create_challenge(writer, boss, title="Waltz week")
        assert await search_titles(other, bob) == ["Waltz week"]
        before = await feed_ids(other, bob)  # both processes' pages are now cached
        assert await feed_ids(writer, bob) == before and await search_titles(writer, bob) == ["Waltz week"]

        warmed = time.monotonic()
        public = await submit(writer, alice, cid, public=True)
        private = await submit(writer, bob, cid, public=False)
        await create_challenge(writer, boss, title="Waltz weekend")
        written = time.monotonic()

        # The writing process dropped its pages with the commit.
        assert public in await feed_ids(writer, bob)
        assert sorted(await search_titles(writer, bob)) == ["Waltz week", "Waltz weekend"]
        # The other still answers from its cached pages while they are younger than the bound ...
        if time.monotonic() - warmed < TTL:
            assert await feed_ids(other, bob) == before
            assert await search_titles(other, bob) == ["Waltz week"]

        # ... and shows the change once they expire.
        async def seen() -> bool:
            ids = await feed_ids(other, bob)
            assert private not in ids
            return public in ids

        await wait_for(seen, timeout=TTL + 10, interval=0.05)
        # The bound is the page's age plus one refresh; the margin is for a loaded machine's slow polls.
        assert time.monotonic() - written <= TTL + 4.0
        assert sorted(await search_titles(other, bob)) == ["Waltz week", "Waltz weekend"]

        # A private submission never shows, to anyone, in either process, cached or fresh.
        for client in (writer, other):
            for viewer in (alice, bob):
                assert private not in await feed_ids(client, viewer)


async def test_with_a_long_bound_the_processs_own_changes_still_show_at_once(tmp_path):
    """Visibility, likes and deletions reach the cached pages of the process that made them with the commit,
    however long the bound."""
    settings = make_settings(tmp_path, admin_emails="boss@example.com", feed_cache_seconds=600)
    async with running_app(settings) as client:
        boss = await admin(client)
        alice, bob = await idance_user(client), await idance_user(client)
        cid = await create_challenge(client, boss, title="Waltz week")
        sid = await submit(client, alice, cid, public=True)
        assert sid in await feed_ids(client, bob)

        r = await client.post(f"/api/submissions/{sid}/like", headers=bob["headers"])
        assert r.status_code == 200, r.text
        item = next(i for i in (await client.get("/api/feed", headers=bob["headers"])).json()["feed"] if i["id"] == sid)
        assert item["likes"] == 1

        r = await client.put(f"/api/submissions/{sid}/metadata", headers=alice["headers"], json={"isPublic": False})
        assert r.status_code == 200, r.text
        assert sid not in await feed_ids(client, bob)

        assert await search_titles(client, bob) == ["Waltz week"]
        r = await client.delete(f"/api/challenges/{cid}", headers=boss["headers"])
        assert r.status_code in (200, 204), r.text
        assert await search_titles(client, bob) == []
