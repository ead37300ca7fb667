"""Dance breakdowns through the real app (spec 001): a URL served locally, an uploaded file key, ownership, the
videos screen, failures that store nothing half-way, and the 202-then-GET path.

Both apps capture with the ONNX backend, as the breakdown integration tests do, so the golden figures agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from adapters.net.safe_fetch import GENERIC_ERROR
from tests.e2e.conftest import idance_user
from tests.integration.breakdown.servers import send, serve
from tests.support.app import make_settings, running_app, wait_for

pytestmark = [pytest.mark.media, pytest.mark.slow]

SOLO = "video/01_dance_solo_musepose.mp4"
POST_KEYS = {"success", "video_url", "playable_video_url", "title", "duration", "bpm", "difficulty_level",
             "total_steps", "routine_analysis", "steps", "outline_url", "mode", "error_message"}
ADDED_POST_KEYS = {"breakdown_id", "status"}
STEP_KEYS = {"step_number", "start_timestamp", "end_timestamp", "step_name", "global_description", "description",
             "style_and_history", "spice_it_up", "connection_to_next", "technical_notes", "quality_metrics"}
ROUTINE_KEYS = {"bpm", "total_segments", "style_indicators", "difficulty_level", "energy_level",
                "overall_routine_characteristics"}
LIST_KEYS = {"_id", "videoUrl", "title", "mode", "targetDifficulty", "duration", "bpm", "difficultyLevel",
             "totalSteps", "success", "createdAt"}
DETAIL_KEYS = {"_id", "userId", "videoUrl", "title", "mode", "targetDifficulty", "duration", "bpm", "difficultyLevel",
               "totalSteps", "routineAnalysis", "steps", "outlineUrl", "success", "createdAt", "updatedAt"}
VIDEO_KEYS = {"id", "videoUrl", "playableVideoUrl", "thumbnailUrl", "title", "duration", "durationFormatted", "bpm",
              "difficultyLevel", "totalSteps", "success", "createdAt", "userProfile"}


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def upload(client: Any, user: dict[str, Any], name: str, data: bytes) -> str:
    key = f"uploads/{user['id']}/{name}"
    r = await client.post("/api/s3/presigned-url", headers=user["headers"],
                          json={"fileKey": key, "contentType": "video/mp4", "fileSize": len(data)})
    assert r.status_code == 200, r.text
    put = await client.put(local(r.json()["uploadUrl"]), content=data, headers={"content-type": "video/mp4"})
    assert put.status_code == 200, put.text
    return key


def _settings(tmp: Path, onnx_model_path: Path, **extra: Any):
    return make_settings(tmp, pose_backend="onnx", pose_onnx_model=str(onnx_model_path), fetch_allow_private="true",
                         **extra)


@pytest.fixture(scope="module")
async def app(tmp_path_factory, onnx_model_path):
    root = tmp_path_factory.mktemp("breakdown-app")
    async with running_app(_settings(root, onnx_model_path)) as client:
        client.root = root
        yield client


@pytest.fixture(scope="module")
def site(media_dir):
    clip = (media_dir / SOLO).read_bytes()

    def handle(h):
        if h.path == "/dance.mp4":
            send(h, 200, clip, {"Content-Type": "video/mp4"})
        elif h.path == "/page.mp4":
            send(h, 200, b"<html><body>a page about dancing, not a video</body></html>" * 40,
                 {"Content-Type": "text/html"})
        else:
            send(h, 404, b"missing")

    with serve(handle) as (base, _rec):
        yield base, clip


@pytest.fixture(scope="module")
async def solo(app, site):
    """One user's breakdown of the musepose solo, from a URL served on loopback."""
    base, _clip = site
    owner = await idance_user(app)
    r = await app.post("/api/ai/dance-breakdown", headers=owner["headers"],
                       json={"video_url": f"{base}/dance.mp4", "mode": "auto", "target_difficulty": "beginner"})
    assert r.status_code == 200, r.text
    return owner, r.json()


@pytest.fixture(scope="module")
async def failures(app, site):
    base, _clip = site
    user = await idance_user(app)
    answers = {}
    for name, body in (("page", {"video_url": f"{base}/page.mp4"}),
                       ("missing", {"file_key": f"uploads/{user['id']}/absent.mp4"})):
        r = await app.post("/api/ai/dance-breakdown", headers=user["headers"], json=body)
        assert r.status_code == 200, r.text
        answers[name] = r.json()
    return user, answers


async def test_a_served_url_answers_the_full_breakdown_in_spec_shapes(app, solo, site):
    owner, answer = solo
    assert set(answer) == POST_KEYS | ADDED_POST_KEYS
    assert answer["success"] is True and answer["status"] == "completed" and answer["error_message"] is None
    assert answer["video_url"].endswith("/dance.mp4") and answer["mode"] == "auto"
    # golden figures of the solo (the same as the integration tests' capture)
    assert answer["bpm"] == pytest.approx(117.42, abs=0.05) and answer["duration"] == pytest.approx(12.0, abs=0.1)
    assert answer["total_steps"] == len(answer["steps"]) == 4
    assert answer["steps"][0]["start_timestamp"] == "00:01.440"
    assert set(answer["routine_analysis"]) >= ROUTINE_KEYS
    assert answer["routine_analysis"]["total_segments"] == 4
    for i, step in enumerate(answer["steps"], start=1):
        assert set(step) == STEP_KEYS | {"difficulty_level"} and step["step_number"] == i
        assert set(step["description"]) == {"head", "hands", "shoulders", "torso", "legs", "bodyAngle"}
        assert set(step["technical_notes"]) == {"alignment", "timing", "energy", "precision"}
        assert set(step["quality_metrics"]) == {"smoothness", "stability", "precision", "energy", "balance"}
    assert (await app.get(local(answer["playable_video_url"]))).content == site[1]
    outline = await app.get(local(answer["outline_url"]))
    assert outline.status_code == 200 and outline.content[4:8] == b"ftyp"

    r = await app.get(f"/api/ai/dance-breakdown/{answer['breakdown_id']}", headers=owner["headers"])
    assert r.status_code == 200
    detail = r.json()
    assert set(detail) >= DETAIL_KEYS
    assert detail["_id"] == answer["breakdown_id"] and detail["userId"] == owner["id"]
    assert detail["steps"] == answer["steps"] and detail["totalSteps"] == 4 and detail["success"] is True
    assert detail["targetDifficulty"] == "beginner" and detail["createdAt"].endswith("Z")
    assert detail["routineAnalysis"]["totalSegments"] == 4 and "styleIndicators" in detail["routineAnalysis"]
    assert (await app.get(local(detail["outlineUrl"]))).content == outline.content
    job = (await app.get(f"/api/background/jobs/{detail['jobId']}", headers=owner["headers"])).json()
    assert job["status"] == "completed"

    r = await app.get("/api/ai/dance-breakdowns", headers=owner["headers"])
    history = r.json()
    assert history["success"] is True and history["total"] == 1
    assert history["pagination"] == {"limit": 20, "skip": 0, "has_more": False}
    item = history["breakdowns"][0]
    assert set(item) == LIST_KEYS | {"status"} and item["_id"] == answer["breakdown_id"]
    assert item["totalSteps"] == 4 and item["success"] is True


async def test_another_users_breakdown_is_not_found_and_the_videos_list_only_successful_ones(app, solo, failures):
    owner, answer = solo
    other, failed = failures
    r = await app.get(f"/api/ai/dance-breakdown/{answer['breakdown_id']}", headers=other["headers"])
    assert r.status_code == 404 and r.json() == {"detail": "Breakdown not found"}
    assert (await app.get("/api/ai/dance-breakdowns", headers=other["headers"])).json()["total"] == 2
    r = await app.get("/api/ai/dance-breakdowns/videos?page=1&limit=20", headers=other["headers"])
    assert r.status_code == 200
    videos = r.json()
    assert videos["total"] == 1 and videos["page"] == 1 and videos["limit"] == 20 and videos["hasMore"] is False
    video = videos["breakdowns"][0]
    assert set(video) == VIDEO_KEYS and video["id"] == answer["breakdown_id"] and video["success"] is True
    assert video["userProfile"] == {"displayName": "Dancer", "avatarUrl": None, "level": 1}
    assert video["durationFormatted"] == "0:12" and video["totalSteps"] == 4
    thumb = await app.get(local(video["thumbnailUrl"]))
    assert thumb.status_code == 200 and thumb.content[:2] == b"\xff\xd8"  # a JPEG
    assert (await app.get(local(video["playableVideoUrl"]))).status_code == 200
    assert failed["page"]["breakdown_id"] not in {v["id"] for v in videos["breakdowns"]}
    r = await app.get("/api/ai/dance-breakdowns/videos?page=2&limit=1", headers=owner["headers"])
    assert r.json()["breakdowns"] == [] and r.json()["hasMore"] is False
    assert (await app.get("/api/ai/dance-breakdowns/videos")).status_code == 401


async def test_a_page_that_is_not_a_video_and_a_missing_file_fail_with_a_reason_and_store_nothing(app, failures):
    user, answers = failures
    for name, body in answers.items():
        assert set(body) == POST_KEYS | ADDED_POST_KEYS
        assert body["success"] is False and body["status"] == "failed", (name, body)
        assert body["steps"] == [] and body["total_steps"] == 0 and body["bpm"] is None
        assert body["outline_url"] is None and body["playable_video_url"] is None
        assert len(body["error_message"]) > 10
    assert answers["missing"]["error_message"] == "the uploaded file was not found"
    assert GENERIC_ERROR not in answers["page"]["error_message"]  # it was fetched, then could not be decoded
    detail = (await app.get(f"/api/ai/dance-breakdown/{answers['page']['breakdown_id']}",
                            headers=user["headers"])).json()
    assert detail["success"] is False and detail["status"] == "failed" and detail["steps"] == []
    assert detail["errorMessage"] == answers["page"]["error_message"] and detail["outlineUrl"] is None
    assert not (app.root / "blobs" / "breakdowns" / user["id"]).exists()  # no media stored half-way
    history = (await app.get("/api/ai/dance-breakdowns?limit=1&skip=0", headers=user["headers"])).json()
    assert history["total"] == 2 and len(history["breakdowns"]) == 1 and history["pagination"]["has_more"] is True
    assert history["breakdowns"][0]["success"] is False

    # Requests that are wrong in themselves are refused before anything is recorded.
    other = await idance_user(app)
    for body, status in (({"video_url": "ftp://example.com/v.mp4"}, 400), ({}, 400),
                         ({"video_url": "https://x.example/v.mp4", "file_key": f"uploads/{user['id']}/a.mp4"}, 400),
                         ({"video_url": "https://x.example/v.mp4", "mode": "freestyle"}, 400),
                         ({"video_url": "https://x.example/v.mp4", "target_difficulty": "expert"}, 400),
                         ({"file_key": f"uploads/{user['id']}/absent.mp4"}, 403)):
        r = await app.post("/api/ai/dance-breakdown", headers=other["headers"], json=body)
        assert r.status_code == status, (body, r.text)
        assert "detail" in r.json()
    assert (await app.get("/api/ai/dance-breakdowns", headers=other["headers"])).json()["total"] == 0
    r = await app.get("/api/ai/dance-breakdowns?limit=0", headers=other["headers"])
    assert r.status_code == 400


async def test_past_the_wait_the_post_answers_202_and_the_get_returns_it_when_done(tmp_path, onnx_model_path,
                                                                                   media_dir):
    async with running_app(_settings(tmp_path, onnx_model_path, breakdown_wait_s=0)) as client:
        user = await idance_user(client)
        key = await upload(client, user, "solo.mp4", (media_dir / SOLO).read_bytes())
        r = await client.post("/api/ai/dance-breakdown", headers=user["headers"],
                              json={"file_key": key, "mode": "manual", "target_difficulty": "advanced"})
        assert r.status_code == 202, r.text
        accepted = r.json()
        assert accepted["status"] == "processing" and accepted["breakdown_id"] and accepted["job_id"]
        url = f"/api/ai/dance-breakdown/{accepted['breakdown_id']}"
        running = (await client.get(url, headers=user["headers"])).json()
        assert running["status"] == "processing" and running["success"] is False and running["steps"] == []

        async def done():
            body = (await client.get(url, headers=user["headers"])).json()
            return body if body["status"] != "processing" else None

        detail = await wait_for(done, timeout=240, interval=0.5)
        assert detail["status"] == "completed" and detail["success"] is True, detail["errorMessage"]
        assert set(detail) >= DETAIL_KEYS and detail["mode"] == "manual" and detail["targetDifficulty"] == "advanced"
        assert detail["videoUrl"] is None and detail["bpm"] == pytest.approx(117.42, abs=0.05)
        # manual mode: one step per 8-count (golden: beats 0-8, 8-16, 16-20)
        assert detail["totalSteps"] == len(detail["steps"]) == 3
        assert detail["steps"][0]["start_timestamp"] == "00:01.440"
        assert all(set(s) == STEP_KEYS | {"difficulty_level"} for s in detail["steps"])
        assert (await client.get(local(detail["playableVideoUrl"]))).content == (media_dir / SOLO).read_bytes()
        job = (await client.get(f"/api/background/jobs/{accepted['job_id']}", headers=user["headers"])).json()
        assert job["status"] == "completed"
