"""Spec 003 through HTTP: songs, generate-from-song polled through its stages, the MP4, generate-with-ai on the
spec's four example queries, parse-query, the documented error shapes, the hourly allowance and cancellation."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import av
import pytest

from application.choreography.tasks import EMPTY_LIBRARY
from tests.e2e.bachata.helpers import generate, poll_to_end, register

pytestmark = pytest.mark.media

SONGS = "/api/choreography/songs/"


async def test_songs_list_filters_and_detail(studio: dict[str, Any]) -> None:
    client, song = studio["client"], studio["song"]
    user = await register(client)
    h = user["headers"]
    page = (await client.get(SONGS, headers=h)).json()
    assert page["count"] == 1 and page["next"] is None and page["previous"] is None
    listed = page["results"][0]
    assert listed["id"] == song["id"] and isinstance(listed["id"], int)
    assert listed["bpm"] == pytest.approx(129.2, abs=0.1) and listed["duration"] == pytest.approx(25.0, abs=0.1)
    assert listed["genre"] == "traditional" and listed["title"] == "Short demo (generated)"
    for query, count in (("bpm_min=120&bpm_max=135", 1), ("bpm_min=130", 0), ("min_bpm=100&max_bpm=125", 0),
                         ("search=SHORT", 1), ("search=dance%20backend", 1), ("search=rosa", 0),
                         ("genre=traditional", 1), ("genre=urban", 0), ("ordering=-bpm&page_size=20", 1)):
        assert (await client.get(f"{SONGS}?{query}", headers=h)).json()["count"] == count, query
    assert (await client.get(f"{SONGS}?page_size=500", headers=h)).status_code == 400
    detail = (await client.get(f"/api/choreography/songs/{song['id']}/", headers=h)).json()
    assert detail["bpm"] == listed["bpm"] and len(detail["energy"]) == 5  # five complete 8-counts measured
    assert len(detail["beats"]) == 47 and detail["downbeats"][0] >= detail["beats"][0]
    assert [s["label"] for s in detail["sections"]] == ["intro", "verse"]  # as measured (Foote novelty)
    assert (await client.get("/api/choreography/songs/999/", headers=h)).status_code == 404


async def test_generate_from_song_polls_through_the_stages_to_a_matching_mp4(studio: dict[str, Any]) -> None:
    client, song = studio["client"], studio["song"]
    user = await register(client)
    r = await client.post("/api/choreography/generate-from-song", headers=user["headers"],
                          json={"song_id": song["id"], "difficulty": "intermediate", "energy_level": "high",
                                "style": "modern"})
    assert r.status_code == 202, r.text
    started = r.json()
    assert started["status"] == "started" and started["message"] == "Choreography generation started"
    assert started["song"] == {"id": song["id"], "title": song["title"], "artist": song["artist"]}
    assert started["poll_url"] == f"/api/choreography/tasks/{started['task_id']}"
    again = await client.post("/api/choreography/generate-from-song", headers=user["headers"],
                              json={"song_id": song["id"], "difficulty": "intermediate", "energy_level": "high",
                                    "style": "modern"})  # a re-send (the client retries a POST): the same task
    assert again.status_code == 202 and again.json()["task_id"] == started["task_id"]
    seen = await poll_to_end(client, started["task_id"], user["headers"])
    done = seen[-1]
    assert done["status"] == "completed", done
    stages = list(dict.fromkeys(s["stage"] for s in seen))  # each stage as first seen, in order
    documented = ["generating_blueprint", "submitting_job", "video_assembly", "uploading_result", "completed"]
    assert stages == [st for st in documented if st in stages]
    assert {"generating_blueprint", "video_assembly", "completed"} <= set(stages)
    assert [s["progress"] for s in seen] == sorted(s["progress"] for s in seen)
    assert {s["status"] for s in seen[:-1]} <= {"started", "running"}
    assert any("Music analyzed: 129.2 BPM, 25.0s" in s["message"] for s in seen)
    result = done["result"]
    assert result["difficulty"] == "intermediate" and result["num_moves"] >= 2
    assert result["video_url"].endswith(f"/api/choreography/videos/{done['task_id']}/")
    video = await client.get(result["video_url"], headers=user["headers"])
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    assert len(video.content) == result["file_size"]
    with av.open(io.BytesIO(video.content)) as c:
        assert {s.type: s.codec_context.name for s in c.streams} == {"video": "h264", "audio": "aac"}
        assert c.streams.video[0].codec_context.height == 480
        measured = c.duration / 1e6
    assert measured == pytest.approx(song["duration"], abs=0.5)
    assert result["duration"] == pytest.approx(measured, abs=0.1)
    part = await client.get(result["video_url"], headers={**user["headers"], "Range": "bytes=0-99"})
    assert part.status_code == 206 and part.content == video.content[:100]
    listed = (await client.get("/api/choreography/tasks/", headers=user["headers"])).json()
    assert listed["count"] == 1 and listed["results"][0]["task_id"] == done["task_id"]
    other = await register(client)
    forbidden = await client.get(f"/api/choreography/tasks/{done['task_id']}", headers=other["headers"])
    assert forbidden.status_code == 403
    assert forbidden.json() == {"detail": "You do not have permission to access this task"}
    assert (await client.get(result["video_url"], headers=other["headers"])).status_code == 403


# The spec's four example queries and what the deterministic parser reads in them.
EXAMPLES = [
    ("Create a romantic bachata for beginners with smooth transitions",
     {"difficulty": "beginner", "energy_level": "low", "style": "romantic",
      "special_requirements": ["smooth transitions"]}),
    ("I want an energetic intermediate choreography with lots of turns",
     {"difficulty": "intermediate", "energy_level": "high", "style": "energetic",
      "special_requirements": ["lots of turns"]}),
    ("Make me an advanced sensual routine to a slow song",
     {"difficulty": "advanced", "energy_level": "low", "style": "sensual", "special_requirements": ["slow song"],
      "tempo": "slow"}),
    ("Beginner-friendly playful dance with simple steps",
     {"difficulty": "beginner", "energy_level": "medium", "style": "playful",
      "special_requirements": ["simple steps"]}),
]


@pytest.mark.parametrize(("query", "expected"), EXAMPLES)
async def test_generate_with_ai_parses_the_spec_examples(bare: dict[str, Any], query: str,
                                                         expected: dict[str, Any]) -> None:
    client, song = bare["client"], bare["song"]
    user = await register(client)
    parsed = await client.post("/api/choreography/parse-query/", json={"query": query}, headers=user["headers"])
    assert parsed.status_code == 200 and parsed.json()["parsed_parameters"] == expected
    r = await client.post("/api/choreography/generate-with-ai", json={"query": query}, headers=user["headers"])
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["parsed_parameters"] == expected and body["status"] == "started"
    assert body["song"] == {"id": song["id"], "title": song["title"], "artist": song["artist"]}
    # No move library in this app: the task fails with that reason, never with an invented video.
    seen = await poll_to_end(client, body["task_id"], user["headers"])
    assert seen[-1]["status"] == "failed" and seen[-1]["error"] == EMPTY_LIBRARY and seen[-1]["result"] is None
    assert seen[-1]["style"] == expected["style"] and seen[-1]["difficulty"] == expected["difficulty"]


async def test_documented_error_shapes(bare: dict[str, Any]) -> None:
    client, song = bare["client"], bare["song"]
    h = (await register(client))["headers"]
    cases: list[tuple[str, dict[str, Any], int, dict[str, Any]]] = [
        ("/api/choreography/generate-from-song", {"difficulty": "beginner"}, 400,
         {"song_id": ["This field is required."]}),
        ("/api/choreography/generate-from-song", {"song_id": 999, "difficulty": "beginner"}, 400,
         {"song_id": ["Song with id 999 does not exist."]}),
        ("/api/choreography/generate-from-song", {"song_id": song["id"], "difficulty": "expert"}, 400,
         {"difficulty": ["Invalid difficulty. Must be one of: beginner, intermediate, advanced"]}),
        ("/api/choreography/generate-with-ai", {}, 400, {"query": ["This field is required."]}),
        ("/api/choreography/generate-with-ai", {"query": "salsa"}, 400,
         {"query": ["Query must be at least 10 characters."]}),
        ("/api/choreography/generate-with-ai", {"query": "please make something nice"}, 400,
         {"error": "Could not parse query. Please be more specific."}),
        ("/api/choreography/parse-query/", {"query": "qwertyuiop asdf"}, 400,
         {"error": "Could not parse query. Please be more specific."}),
    ]
    for path, body, status, expected in cases:
        r = await client.post(path, json=body, headers=h)
        assert (r.status_code, r.json()) == (status, expected), (path, body)
    r = await client.post("/api/choreography/generate-from-song", json={"song_id": 1, "difficulty": "beginner"})
    assert (r.status_code, r.json()) == (401, {"detail": "Authentication credentials were not provided."})
    r = await client.get("/api/choreography/tasks/no-such-task/", headers=h)
    assert (r.status_code, r.json()) == (404, {"detail": "Task not found"})


async def test_ten_generations_per_hour(bare: dict[str, Any]) -> None:
    client, song, clock = bare["client"], bare["song"], bare["clock"]
    user = await register(client)
    combos = [(d, e) for d in ("beginner", "intermediate", "advanced") for e in ("low", "medium", "high")]
    ids = []
    for difficulty, energy in combos:
        r = await client.post("/api/choreography/generate/", headers=user["headers"],
                              json={"song_id": song["id"], "difficulty": difficulty, "energy_level": energy,
                                    "style": "romantic"})
        assert r.status_code == 202, r.text
        ids.append(r.json()["task_id"])
    assert len(set(ids)) == 9
    tenth = {"song_id": song["id"], "difficulty": "beginner", "energy_level": "low", "style": "sensual"}
    assert (await client.post("/api/choreography/generate/", json=tenth, headers=user["headers"])).status_code == 202
    r = await client.post("/api/choreography/generate/", headers=user["headers"],
                          json={**tenth, "style": "playful"})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 3000
    assert r.json()["detail"].startswith("Request was throttled. Expected available in ")
    assert (await client.get("/api/choreography/tasks/?page_size=20", headers=user["headers"])).json()["count"] == 10
    clock.advance(timedelta(hours=1, minutes=1))
    try:
        r = await client.post("/api/choreography/generate/", headers=user["headers"],
                              json={**tenth, "style": "playful"})
        assert r.status_code == 202
    finally:
        clock.advance(-timedelta(hours=1, minutes=1))


async def test_polling_back_to_back_is_never_rate_limited(bare: dict[str, Any]) -> None:
    client, song = bare["client"], bare["song"]
    user = await register(client)
    task_id, _ = await generate(client, user, "/api/choreography/generate/",
                                {"song_id": song["id"], "difficulty": "advanced", "energy_level": "high",
                                 "style": "energetic"})
    for _ in range(90):  # this app allows 60 standard requests a minute
        assert (await client.get(f"/api/choreography/tasks/{task_id}/", headers=user["headers"])).status_code == 200


async def test_video_needs_a_live_bearer_token_and_answers_cors_preflight(bare: dict[str, Any]) -> None:
    client, clock = bare["client"], bare["clock"]
    user = await register(client)
    url = "/api/choreography/videos/some-task/"
    pre = await client.options(url, headers={"Origin": "http://localhost:5173", "Access-Control-Request-Method": "GET",
                                             "Access-Control-Request-Headers": "authorization, content-type"})
    assert pre.status_code in (200, 204)
    assert "authorization" in pre.headers["access-control-allow-headers"].lower()
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=user["headers"])).status_code == 404
    clock.advance(timedelta(days=9))
    try:
        r = await client.get(url, headers=user["headers"])
        assert r.status_code == 401
    finally:
        clock.advance(-timedelta(days=9))
