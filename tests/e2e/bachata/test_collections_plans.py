"""Issue 12 through HTTP: collections (save, filters, stats on a known set, edit, delete, delete-all, cleanup) and
class plans (CRUD, add-sequence, summary adding up the measured videos, stats), another user refused; render
retention keeps every video a collection or a plan references."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta
from typing import Any

import av
import pytest

from application.choreography.tasks import PurgeRenders
from tests.e2e.bachata.helpers import generate, register

pytestmark = pytest.mark.media
C = "/api/collections"
P = "/api/instructors/class-plans"


@pytest.fixture(scope="module")
async def two_videos(studio: dict[str, Any]) -> dict[str, Any]:
    client, song = studio["client"], studio["song"]
    user = await register(client, "teacher")
    tasks = []
    for difficulty, style in (("beginner", "romantic"), ("advanced", "sensual")):
        task_id, seen = await generate(client, user, "/api/choreography/generate-from-song",
                                       {"song_id": song["id"], "difficulty": difficulty, "style": style})
        assert seen[-1]["status"] == "completed", seen[-1]
        video = await client.get(seen[-1]["result"]["video_url"], headers=user["headers"])
        with av.open(io.BytesIO(video.content)) as c:
            measured = c.duration / 1e6
        tasks.append({"id": task_id, "task": seen[-1], "measured": measured})
    return {"user": user, "tasks": tasks}


async def test_collections(studio: dict[str, Any], two_videos: dict[str, Any]) -> None:
    client = studio["client"]
    user, (a, b) = two_videos["user"], two_videos["tasks"]
    h = user["headers"]
    r = await client.post(f"{C}/save/", json={"task_id": a["id"], "title": "Romantic basics"}, headers=h)
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["difficulty"] == "beginner" and first["duration"] == a["task"]["result"]["duration"]
    assert first["music_info"]["song"] == studio["song"]["title"]
    again = await client.post(f"{C}/save/", json={"task_id": a["id"], "title": "Romantic basics"}, headers=h)
    assert again.status_code == 200 and again.json()["id"] == first["id"]  # a re-sent save: the same item
    r = await client.post(f"{C}/save/", json={"task_id": b["id"], "title": "Sensual advanced", "notes": "dips"},
                          headers=h)
    second = r.json()
    listed = (await client.get(f"{C}/", headers=h)).json()
    assert listed["count"] == 2 and [i["id"] for i in listed["results"]] == [second["id"], first["id"]]
    for query, ids in (("difficulty=advanced", [second["id"]]), ("search=romantic", [first["id"]]),
                       ("search=DIPS", [second["id"]]), ("search=&difficulty=", [second["id"], first["id"]]),
                       ("ordering=title", [first["id"], second["id"]]), ("search=short%20demo&ordering=created_at",
                                                                          [first["id"], second["id"]])):
        got = (await client.get(f"{C}/?{query}", headers=h)).json()
        assert [i["id"] for i in got["results"]] == ids, query
    assert (await client.get(f"{C}/?difficulty=expert", headers=h)).status_code == 400
    stats = (await client.get(f"{C}/stats/", headers=h)).json()
    assert stats == {"total_count": 2, "total_duration": round(first["duration"] + second["duration"], 2),
                     "by_difficulty": {"beginner": 1, "intermediate": 0, "advanced": 1}, "recent_count": 2}
    edited = await client.put(f"{C}/{first['id']}/", json={"title": "Renamed", "difficulty": "intermediate",
                                                           "notes": "n"}, headers=h)
    assert edited.status_code == 200 and edited.json()["title"] == "Renamed"
    assert (await client.get(f"{C}/{first['id']}/", headers=h)).json()["notes"] == "n"

    other = await register(client)
    for method in ("get", "put", "delete"):
        kwargs: dict[str, Any] = {"json": {"title": "x"}} if method == "put" else {}
        r = await getattr(client, method)(f"{C}/{first['id']}/", headers=other["headers"], **kwargs)
        assert r.status_code == 403, method
    assert (await client.post(f"{C}/save/", json={"task_id": a["id"]}, headers=other["headers"])).status_code == 403
    assert (await client.get(f"{C}/", headers=other["headers"])).json()["count"] == 0

    cleaned = (await client.post(f"{C}/cleanup/", json={}, headers=h)).json()
    assert cleaned["deleted_count"] == 0  # both videos are there
    assert (await client.post(f"{C}/cleanup/", json={"days": 30}, headers=h)).json()["deleted_count"] == 0
    refused = await client.post(f"{C}/delete-all/", json={}, headers=h)
    assert refused.status_code == 400 and "confirmation" in refused.json()
    assert (await client.post(f"{C}/delete-all/", json={"confirmation": False}, headers=h)).status_code == 400
    assert (await client.delete(f"{C}/{first['id']}/", headers=h)).status_code == 204
    done = (await client.post(f"{C}/delete-all/", json={"confirmation": True}, headers=h)).json()
    assert done["deleted_count"] == 1 and (await client.get(f"{C}/stats/", headers=h)).json()["total_count"] == 0


async def test_class_plans(studio: dict[str, Any], two_videos: dict[str, Any]) -> None:
    client = studio["client"]
    user, (a, b) = two_videos["user"], two_videos["tasks"]
    h = user["headers"]
    r = await client.post(f"{P}/", json={"title": "Beginner Workshop", "difficulty_level": "beginner",
                                         "description": "Introduction to bachata basics"}, headers=h)
    assert r.status_code == 201, r.text
    plan = r.json()
    bad = await client.post(f"{P}/", json={"title": "x", "difficulty_level": "pro"}, headers=h)
    assert bad.status_code == 400 and "difficulty_level" in bad.json()
    seq = f"{P}/{plan['id']}/add-sequence/"
    assert (await client.post(seq, json={"choreography_id": a["id"], "order": 1, "notes": "Start here"},
                              headers=h)).status_code == 201
    r = await client.post(seq, json={"choreography_id": b["id"], "order": 1}, headers=h)  # goes first
    assert [s["choreography_id"] for s in r.json()["sequences"]] == [b["id"], a["id"]]
    assert [s["order"] for s in r.json()["sequences"]] == [1, 2]
    dup = await client.post(seq, json={"choreography_id": a["id"]}, headers=h)
    assert dup.status_code == 400 and dup.json() == {"choreography_id": ["This choreography is already in the plan."]}
    summary = (await client.get(f"{P}/{plan['id']}/summary/", headers=h)).json()
    assert summary["total_duration"] == pytest.approx(a["measured"] + b["measured"], abs=0.05)
    assert summary["total_moves"] == a["task"]["result"]["num_moves"] + b["task"]["result"]["num_moves"]
    assert summary["difficulty_mix"] == {"beginner": 1, "intermediate": 0, "advanced": 1}
    assert sum(summary["move_mix"].values()) == summary["total_moves"] and "intros" in summary["move_mix"]
    assert summary["outline"].startswith("Beginner Workshop (beginner)") and "Start here" in summary["outline"]
    updated = await client.put(f"{P}/{plan['id']}/", json={"title": "Workshop 2"}, headers=h)
    assert updated.status_code == 200 and updated.json()["title"] == "Workshop 2"
    assert (await client.get(f"{P}/", headers=h)).json()["count"] == 1
    stats = (await client.get("/api/instructors/stats/", headers=h)).json()
    assert stats["total_plans"] == 1 and stats["total_sequences"] == 2
    assert stats["total_duration"] == summary["total_duration"]

    other = await register(client)
    oh = other["headers"]
    for method, path in (("get", f"{P}/{plan['id']}/"), ("put", f"{P}/{plan['id']}/"),
                         ("get", f"{P}/{plan['id']}/summary/"), ("delete", f"{P}/{plan['id']}/")):
        kwargs: dict[str, Any] = {"json": {"title": "x"}} if method == "put" else {}
        assert (await getattr(client, method)(path, headers=oh, **kwargs)).status_code == 403, path
    assert (await client.post(seq, json={"choreography_id": a["id"]}, headers=oh)).status_code == 403
    own = (await client.post(f"{P}/", json={"title": "Mine", "difficulty_level": "advanced"}, headers=oh)).json()
    stolen = await client.post(f"{P}/{own['id']}/add-sequence/", json={"choreography_id": a["id"]}, headers=oh)
    assert stolen.status_code == 403  # another user's choreography

    # Render retention: the planned video stays; once no plan or collection holds it, it goes.
    container = client.app.state.dishka_container
    async with container() as scope:
        purge = replace(await scope.get(PurgeRenders), older_than=timedelta(0))
        await purge()  # other sessions' unsaved renders may go; these two are planned
    for task in (a, b):
        assert (await client.get(task["task"]["result"]["video_url"], headers=h)).status_code == 200
    removed = await client.delete(f"{P}/{plan['id']}/sequences/{b['id']}/", headers=h)
    assert [s["order"] for s in removed.json()["sequences"]] == [1]
    async with container() as scope:
        purge = replace(await scope.get(PurgeRenders), older_than=timedelta(0))
        assert await purge() >= 1
    assert (await client.get(b["task"]["result"]["video_url"], headers=h)).status_code == 404
    assert (await client.get(a["task"]["result"]["video_url"], headers=h)).status_code == 200
    assert (await client.delete(f"{P}/{plan['id']}/", headers=h)).status_code == 204
    assert (await client.get(f"{P}/{plan['id']}/", headers=h)).status_code == 404
