"""Upload a real video, analyse it through the API, read the scores, and score again from stored pose data: on the
embedded defaults and on the scale-out stack (the analyses in a worker process, the files on an S3 server)."""

from __future__ import annotations

import gzip
import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from adapters.net.safe_fetch import GENERIC_ERROR
from tests.e2e.conftest import idance_user
from tests.support.app import get_link, make_settings, put_upload, running_app, wait_for
from tests.support.media import write_clip


@pytest.fixture
def client(stack_client):
    return stack_client


async def upload(client, user, name: str, data: bytes, ctype: str = "video/mp4") -> str:
    key = f"uploads/{user['id']}/{name}"
    r = await client.post("/api/s3/presigned-url", headers=user["headers"],
                          json={"fileKey": key, "contentType": ctype, "fileSize": len(data)})
    assert r.status_code == 200, r.text
    put = await put_upload(client, r.json()["uploadUrl"], data, ctype)
    assert put.status_code == 200, put.text
    return key


async def finished(client, user, submission_id: str, timeout: float = 240.0) -> dict:
    async def done():
        r = await client.get(f"/api/ai/analysis-status/{submission_id}", headers=user["headers"])
        body = r.json()
        return body if body["status"] in ("completed", "failed") else None

    return await wait_for(done, timeout=timeout, interval=0.5)


@pytest.mark.media
async def test_analyse_a_real_video_then_rescore_from_stored_pose_data(client, media_dir):
    user = await idance_user(client)
    key = await upload(client, user, "walk.mp4", (media_dir / "video" / "05_walk_sideview_sports2d.mp4").read_bytes())
    r = await client.post("/api/ai/analyze-pose", headers=user["headers"],
                          json={"submission_id": "walk-1", "file_key": key, "challenge_type": "freestyle"})
    assert r.status_code == 200
    started = r.json()
    assert started["status"] == "processing" and started["total_score"] is None and started["score_breakdown"] is None
    body = await finished(client, user, "walk-1")
    assert body["status"] == "completed", body["error_message"]
    b = body["score_breakdown"]
    assert 0 <= b["balance"] <= 25 and 0 <= b["rhythm"] <= 30 and 0 <= b["smoothness"] <= 25
    assert 0 <= b["creativity"] <= 20
    assert body["total_score"] == pytest.approx(sum(b.values()), abs=0.25)
    assert body["progress"] == 1.0 and body["error_message"] is None and body["feedback"]
    assert 0 < body["confidence"] <= 1
    # The walk video's audio track is silent and no tempo was given: there is no rhythm to dance to, so rhythm is
    # not measured (0, with the reason) and the total is out of 70.
    assert body["rhythm_basis"] == "not_measurable" and b["rhythm"] == 0 and body["rhythm_reason"]
    assert body["total_max"] == 70
    pose = await get_link(client, body["pose_data_url"])
    doc = json.loads(gzip.decompress(pose.content))
    assert len(doc["landmarks"]) == len(doc["timestamps"]) > 100 and len(doc["landmarks"][0]) == 33

    r = await client.post("/api/ai/score-submission", headers=user["headers"], json={"submission_id": "walk-1"})
    assert r.status_code == 200
    again = r.json()
    assert again["status"] == "scored"
    assert again["score_breakdown"] == b and again["total_score"] == body["total_score"]
    assert again["feedback"] == body["feedback"]
    other = await idance_user(client)
    r = await client.get("/api/ai/analysis-status/walk-1", headers=other["headers"])
    assert r.status_code == 404


async def test_bad_videos_end_failed_with_a_reason_and_no_score(client, tmp_path):
    user = await idance_user(client)
    text_key = await upload(client, user, "notes.mp4", b"these are my dance notes, not a video\n" * 50)
    short = write_clip(tmp_path / "short.mp4", seconds=2.0)
    short_key = await upload(client, user, "short.mp4", short.read_bytes())
    corrupt = bytearray(write_clip(tmp_path / "c.mp4", seconds=12.0).read_bytes())
    corrupt[len(corrupt) // 3:] = b"\x00" * (len(corrupt) - len(corrupt) // 3)
    corrupt_key = await upload(client, user, "corrupt.mp4", bytes(corrupt))
    empty = write_clip(tmp_path / "empty.mp4", seconds=11.0)
    empty_key = await upload(client, user, "empty.mp4", empty.read_bytes())
    cases = {"text": text_key, "short": short_key, "corrupt": corrupt_key, "noperson": empty_key}
    for name, key in cases.items():
        r = await client.post("/api/ai/analyze-pose", headers=user["headers"],
                              json={"submission_id": f"bad-{name}", "file_key": key})
        assert r.status_code == 200
    reasons = {}
    for name in cases:
        body = await finished(client, user, f"bad-{name}")
        assert body["status"] == "failed", (name, body)
        assert body["total_score"] is None and body["score_breakdown"] is None and body["pose_data_url"] is None
        reasons[name] = body["error_message"]
    assert "at least 3 s" in reasons["short"]  # a free analysis needs 3 s (challenge submissions 10 s)
    assert all(len(reason) > 10 for reason in reasons.values()), reasons
    r = await client.post("/api/ai/score-submission", headers=user["headers"], json={"submission_id": "bad-short"})
    assert r.status_code == 400 and "failed" in r.json()["detail"]


async def test_video_urls_are_checked_and_fetched_with_limits(tmp_path):
    # Media served from 127.0.0.1: private addresses allowed for this app only.
    async with running_app(make_settings(tmp_path, fetch_allow_private="true")) as client:
        await _check_and_fetch_urls(client, tmp_path)


async def _check_and_fetch_urls(client, tmp_path):
    user = await idance_user(client)
    r = await client.post("/api/ai/analyze-pose", headers=user["headers"],
                          json={"submission_id": "ftp-1", "video_url": "ftp://example.com/v.mp4"})
    assert r.status_code == 400 and "http" in r.json()["detail"]
    r = await client.post("/api/ai/analyze-pose", headers=user["headers"],
                          json={"submission_id": "both", "video_url": "http://x/v.mp4", "file_key": "uploads/a/b"})
    assert r.status_code == 400
    (tmp_path / "page.mp4").write_text("<html>not a video</html>")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        for sid, path in (("url-missing", "/absent.mp4"), ("url-html", "/page.mp4")):
            r = await client.post("/api/ai/analyze-pose", headers=user["headers"],
                                  json={"submission_id": sid, "video_url": base + path})
            assert r.status_code == 200
        missing = await finished(client, user, "url-missing")
        assert missing["status"] == "failed" and missing["error_message"] == GENERIC_ERROR  # no internal detail
        html = await finished(client, user, "url-html")
        assert html["status"] == "failed" and html["total_score"] is None
    finally:
        server.shutdown()


async def test_pose_analysis_job_and_ai_health(client, tmp_path):
    user = await idance_user(client)
    key = await upload(client, user, "short.mp4", write_clip(tmp_path / "s.mp4", seconds=2.0).read_bytes())
    r = await client.post("/api/background/jobs/pose-analysis", headers=user["headers"],
                          json={"submission_id": "job-1", "file_key": key})
    assert r.status_code == 200
    body = r.json()
    # The answer reads the job as it stands: a worker process may already have taken it (or, for this 2 s clip,
    # failed it) by the time the answer is written.
    assert body["status"] in ("queued", "processing", "failed") and body["estimated_duration"] > 0

    async def job_done():
        j = (await client.get(f"/api/background/jobs/{body['job_id']}", headers=user["headers"])).json()
        return j if j["status"] in ("completed", "failed") else None

    job = await wait_for(job_done, timeout=60)
    assert job["status"] == "failed" and job["error"].startswith("video is 2.0 s long; at least 3 s")
    health = (await client.get("/ai/health")).json()
    assert health["status"] == "healthy" and health["service"] == "ai_pose_analysis"
    assert health["backend"] == "mediapipe" and isinstance(health["active_analyses"], int)
