"""Bachata Buddy's web client (../shared/specs/clients/bachata_buddy_web.md, section 2): every call of its table with
the request it sends (JSON content type on every call, Bearer token) and every field its pages read, types included.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.bachata.helpers import PASSWORD, poll_to_end

pytestmark = pytest.mark.media
JSON = {"Content-Type": "application/json"}


def authed(token: str) -> dict[str, str]:
    return {**JSON, "Authorization": f"Bearer {token}"}


def is_num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


@pytest.fixture(params=["embedded", "postgres+s3+redis"])
def stack(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The same client against the embedded defaults and against PostgreSQL, S3 and Redis with a worker process."""
    return request.getfixturevalue("studio" if request.param == "embedded" else "studio_scaleout")


async def test_every_call_of_the_web_client(stack: dict[str, Any]) -> None:
    client, song = stack["client"], stack["song"]
    suffix = "_so" if stack.get("scaleout") else ""
    # 1-3: register, login, refresh
    creds = {"username": f"web_client_1{suffix}", "email": f"webclient1{suffix}@bb.test", "password": PASSWORD,
             "password2": PASSWORD}
    r = await client.post("/api/auth/register/", json=creds, headers=JSON)
    assert r.status_code == 201
    body = r.json()
    assert isinstance(body["access"], str) and isinstance(body["refresh"], str)
    assert isinstance(body["user"]["id"], str) and body["user"]["username"] == f"web_client_1{suffix}"
    r = await client.post("/api/auth/login/", json={"username": f"web_client_1{suffix}", "password": PASSWORD},
                          headers=JSON)
    assert r.status_code == 200 and {"id", "username", "email"} <= set(r.json()["user"])
    token, refresh = r.json()["access"], r.json()["refresh"]
    r = await client.post("/api/auth/refresh/", json={"refresh": refresh}, headers=JSON)
    assert r.status_code == 200 and isinstance(r.json()["access"], str)
    h = authed(token)

    # 4: songs, 20 a page, the client's ordering and filters
    r = await client.get("/api/choreography/songs/?page=1&page_size=20&ordering=-bpm&search=demo&genre=traditional"
                         "&bpm_min=100&bpm_max=150", headers=h)
    assert r.status_code == 200
    page = r.json()
    assert isinstance(page["count"], int) and "next" in page and "previous" in page
    s = page["results"][0]
    assert isinstance(s["id"], int) and isinstance(s["title"], str) and isinstance(s["artist"], str)
    assert is_num(s["bpm"]) and is_num(s["duration"]) and isinstance(s["genre"], str)
    for ordering in ("title", "-title", "artist", "-artist", "bpm", "-bpm"):
        assert (await client.get(f"/api/choreography/songs/?page=1&page_size=20&ordering={ordering}",
                                 headers=h)).status_code == 200

    # 5: generate (answers a task id at once), 7: poll every field the progress and result pages read
    gen = {"song_id": s["id"], "difficulty": "beginner", "energy_level": "low", "style": "playful"}
    r = await client.post("/api/choreography/generate/", json=gen, headers=h)
    assert r.status_code == 202 and isinstance(r.json()["task_id"], str)
    task_id = r.json()["task_id"]
    seen = await poll_to_end(client, task_id, h)
    for t in seen:
        assert t["status"] in ("pending", "started", "running", "completed", "failed")
        assert is_num(t["progress"]) and 0 <= t["progress"] <= 100
        assert isinstance(t["stage"], str) and isinstance(t["message"], str)
        assert t["song"]["title"] == song["title"] and is_num(t["song"]["bpm"]) and isinstance(t["song"]["artist"], str)
        assert t["difficulty"] == "beginner" and t["style"] == "playful"
    done = seen[-1]
    assert done["status"] == "completed" and done["error"] is None, (done["error"], done["message"])
    assert isinstance(done["result"]["video_url"], str) and done["result"]["video_url"].startswith("http")
    assert isinstance(done["result"]["num_moves"], int) and done["result"]["num_moves"] > 0
    assert "mock" not in done["result"]
    # the reasoning panel's regular expressions find the tempo, the duration and the matching moves
    messages = [t["message"] for t in seen]
    bpm = next(m for m in messages if "BPM" in m)
    assert re.search(r"(\d+\.?\d*)\s*BPM", bpm) and re.search(r"(\d+\.?\d*)s", bpm)
    assert any(re.search(r"Found (\d+)", m) for m in messages if "matching moves" in m)
    assert any("blueprint" in m and "moves" in m for m in messages)

    # 9: the video, Bearer token, the whole body
    r = await client.get(done["result"]["video_url"], headers=h)
    assert r.status_code == 200 and r.headers["content-type"] == "video/mp4" and r.content[4:8] == b"ftyp"
    forwarded = await client.get(f"/api/choreography/tasks/{task_id}/", headers={**h, "X-Forwarded-Proto": "https"})
    assert forwarded.json()["result"]["video_url"].startswith("https://")

    # 8: cancel a running task
    r = await client.post("/api/choreography/generate/", json={**gen, "style": "modern"}, headers=h)
    running = r.json()["task_id"]
    r = await client.delete(f"/api/choreography/tasks/{running}/", headers=h)
    assert r.status_code == 200
    ended = (await poll_to_end(client, running, h))[-1]
    assert ended["status"] == "failed" and ended["cancelled"] is True and ended["error"] == "Cancelled by the user."

    # 13: save (the client's default title, difficulty and notes); 10/11: list; 12: stats; 14: edit; 15: delete
    r = await client.post("/api/collections/save/", headers=h,
                          json={"task_id": task_id, "title": f"{song['title']} - Beginner", "difficulty": "beginner",
                                "notes": ""})
    assert r.status_code == 201
    r = await client.get("/api/collections/?page=1&page_size=3", headers=h)
    assert r.status_code == 200 and len(r.json()["results"]) == 1
    r = await client.get("/api/collections/?page=1&search=&difficulty=&ordering=", headers=h)
    item = r.json()["results"][0]
    assert isinstance(item["id"], str) and isinstance(item["title"], str) and isinstance(item["difficulty"], str)
    assert is_num(item["duration"]) and item["duration"] > 0 and isinstance(item["created_at"], str)
    assert item["task_id"] == task_id and item["music_info"]["song"] == song["title"]
    assert item["song_title"] == song["title"] and item["notes"] == ""
    for ordering in ("-created_at", "created_at", "title", "-duration"):
        assert (await client.get(f"/api/collections/?page=1&search=&difficulty=&ordering={ordering}",
                                 headers=h)).status_code == 200
    stats = (await client.get("/api/collections/stats/", headers=h)).json()
    assert stats["total_count"] == 1 and is_num(stats["total_duration"]) and stats["recent_count"] == 1
    assert stats["by_difficulty"] == {"beginner": 1, "intermediate": 0, "advanced": 0}
    r = await client.put(f"/api/collections/{item['id']}/", json={"title": item["title"], "difficulty": "advanced",
                                                                  "notes": "slow start"}, headers=h)
    assert r.status_code == 200 and r.json()["notes"] == "slow start" and r.json()["difficulty"] == "advanced"
    r = await client.delete(f"/api/collections/{item['id']}/", headers=h)
    assert r.status_code == 204
    # the replay needs the task: it stays completed with its video after the item is gone
    assert (await client.get(f"/api/choreography/tasks/{task_id}/", headers=h)).json()["result"]["video_url"]


async def _describe(client: Any, song: dict[str, Any], username: str) -> tuple[dict[str, str], str]:
    """Call 6 as the client makes it: register, describe; the answer carries the task id and the panel's first
    bubble (the song and its tempo); a request under 10 characters is a 400 dict."""
    creds = {"username": username, "email": f"{username.replace('_', '')}@bb.test", "password": PASSWORD,
             "password2": PASSWORD}
    h = authed((await client.post("/api/auth/register/", json=creds, headers=JSON)).json()["access"])
    r = await client.post("/api/choreography/describe/", json={"user_request": "A playful routine for beginners"},
                          headers=h)
    assert r.status_code == 202 and isinstance(r.json()["task_id"], str)
    assert song["title"] in r.json()["message"] and "BPM" in r.json()["message"]
    short = await client.post("/api/choreography/describe/", json={"user_request": "salsa"}, headers=h)
    assert short.status_code == 400 and isinstance(short.json()["user_request"], list)
    return h, r.json()["task_id"]


async def _client_error_handling(client: Any, song: dict[str, Any], h: dict[str, str]) -> None:
    """Bad input is a 400 dict, an unknown task 404, a bad token 401."""
    r = await client.post("/api/choreography/generate/", json={"song_id": song["id"], "difficulty": "advanced",
                                                                "energy_level": "wild", "style": "modern"}, headers=h)
    assert r.status_code == 400 and isinstance(r.json()["energy_level"], list)
    assert (await client.get("/api/choreography/tasks/not-a-task/", headers=h)).status_code == 404
    assert (await client.get("/api/choreography/tasks/x/", headers=authed("expired.or.bad"))).status_code == 401


async def test_describe_and_the_client_error_handling(bare: dict[str, Any]) -> None:
    client, song = bare["client"], bare["song"]
    h, task_id = await _describe(client, song, "web_client_2")
    # a failed task shows its error; every style is accepted
    ended = (await poll_to_end(client, task_id, h))[-1]
    assert ended["status"] == "failed" and isinstance(ended["error"], str)
    for style in ("romantic", "energetic", "sensual", "playful", "modern"):
        r = await client.post("/api/choreography/generate/", headers=h,
                              json={"song_id": song["id"], "difficulty": "advanced", "energy_level": "medium",
                                    "style": style})
        assert r.status_code == 202, style
    await _client_error_handling(client, song, h)


async def test_describe_and_the_client_error_handling_on_the_scale_out_stack(studio_scaleout: dict[str, Any]) -> None:
    """Call 6 and the client's error handling on PostgreSQL, S3 and Redis with a worker process: the described
    routine starts there for real, so it is cancelled as the client cancels (call 8) instead of rendered."""
    client, song = studio_scaleout["client"], studio_scaleout["song"]
    h, task_id = await _describe(client, song, "web_client_3")
    assert (await client.delete(f"/api/choreography/tasks/{task_id}/", headers=h)).status_code == 200
    ended = (await poll_to_end(client, task_id, h))[-1]
    assert ended["status"] == "failed" and ended["cancelled"] is True and isinstance(ended["error"], str)
    await _client_error_handling(client, song, h)
