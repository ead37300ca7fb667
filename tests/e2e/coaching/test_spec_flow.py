"""Spec 004 over HTTP on the shared GolfDB swing: upload (video_file + metadata), analyse, poll the states and
stages, the Analysis Response, the composited MP4 with its audio, speech, the daily limit, delete."""

from __future__ import annotations

import io
import itertools
import json
import wave
from pathlib import Path

import av
import httpx
import numpy as np
import pytest

from tests.e2e.coaching.conftest import poll_until_finished, register

pytestmark = [pytest.mark.media, pytest.mark.slow]

PHASES = ["setup", "backswing", "downswing", "follow_through", "finish"]
STAGES = {"upload", "pose_detection", "analysis", "video_composition"}


async def spec_upload(http: httpx.AsyncClient, headers: dict[str, str], data: bytes,
                      name: str = "swing.mp4") -> httpx.Response:
    meta = json.dumps({"duration": 8.8, "resolution": "354x492", "fps": 30})
    return await http.post("/api/v1/videos/upload", headers=headers, data={"metadata": meta},
                           files={"video_file": (name, data, "video/mp4")})


def short_clip(seconds: float = 1.0) -> bytes:
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        vs = out.add_stream("libx264", rate=30)
        vs.width, vs.height, vs.pix_fmt = 64, 64, "yuv420p"
        for i in range(round(30 * seconds)):
            img = np.full((64, 64, 3), (i * 7) % 255, dtype=np.uint8)
            for p in vs.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(p)
        for p in vs.encode():
            out.mux(p)
    return buf.getvalue()


async def test_upload_analyse_poll_result_download_delete(http: httpx.AsyncClient, media_dir: Path) -> None:
    owner = await register(http)
    other = await register(http)
    r = await spec_upload(http, owner, (media_dir / "video" / "09_golf_swing_golfdb.mp4").read_bytes())
    assert r.status_code == 200, r.text
    video = r.json()
    assert isinstance(video["video_id"], int) and video["declared_metadata"]["fps"] == 30
    assert video["metadata"]["resolution"] == "354x492" and video["metadata"]["fps"] == pytest.approx(29.97, abs=0.01)
    vid = video["video_id"]
    assert (await http.get(f"/api/v1/videos/{vid}", headers=owner)).json()["analysis_ids"] == []
    r = await http.get(f"/api/v1/videos/{vid}", headers=other)
    assert r.status_code == 404 and r.json() == {"detail": "Video not found", "code": "video_not_found"}

    r = await http.post(f"/api/v1/video-analysis/{vid}", headers=owner)
    assert r.status_code == 202, r.text
    analysis_id = r.json()["analysis_id"]
    assert isinstance(analysis_id, int) and analysis_id != vid and r.json()["started"] is True
    again = await http.post(f"/api/v1/video-analysis/{vid}", headers=owner)
    assert again.json()["analysis_id"] == analysis_id and again.json()["started"] is False

    seen = await poll_until_finished(http, analysis_id, owner)
    states = [s["status"] for s in seen]
    assert set(states) <= {"queued", "processing", "completed"} and states[-1] == "completed", seen[-1]
    assert all(set(s["stages"]) == STAGES for s in seen)
    progress = [s["progress"] for s in seen]
    assert progress == sorted(progress) and seen[-1]["stages"] == dict.fromkeys(STAGES, 1.0)

    r = await http.get(f"/api/v1/video-analysis/{analysis_id}", headers=owner)
    assert r.status_code == 200
    result = r.json()
    assert result["analysis_id"] == analysis_id and result["video_id"] == vid and result["status"] == "completed"
    phases = result["swing_analysis"]["swing_phases"]
    assert [p["phase"] for p in phases] == PHASES
    assert all(0.0 <= p["quality_score"] <= 1.0 for p in phases)
    assert all(a["end_frame"] <= b["start_frame"] + 1 for a, b in itertools.pairwise(phases))
    events = result["swing_analysis"]["events"]
    # within 3 frames of the labels in tests/integration/coaching/test_swing_events.py (top 119, impact 144)
    assert abs(events["impact"]["frame"] - 144) <= 3 and abs(events["top"]["frame"] - 119) <= 3
    assert result["swing_analysis"]["handedness"] == "right"
    feedback = result["swing_analysis"]["alignment_feedback"]
    assert feedback and all(f["message"] and f["good_range"] for f in feedback)
    script = result["coaching_script"]
    stamps = [ln["timestamp"] for ln in script]
    assert script and stamps == sorted(stamps) and all(ln["text"] for ln in script)
    assert result["swing_analysis"]["pose_data"]["frames"] == 264

    # The composited MP4: H.264 video with an AAC audio stream as long as the video.
    r = await http.get(result["composited_video_url"])
    assert r.status_code == 200 and len(r.content) > 10_000
    with av.open(io.BytesIO(r.content)) as c:
        vs, aus = c.streams.video[0], c.streams.audio[0]
        assert vs.codec_context.name == "h264" and aus.codec_context.name == "aac"
        video_s = float(vs.duration * vs.time_base)
        audio_s = float(aus.duration * aus.time_base)
    assert video_s >= 264 / 29.97 / 0.25 - 0.2  # every frame slowed to 0.25x, held on until the last line is spoken
    assert audio_s == pytest.approx(video_s, abs=0.1)

    listed = (await http.get("/api/v1/video-analysis/user/analyses", headers=owner)).json()
    assert listed["total"] == 1 and listed["analyses"][0]["analysis_id"] == analysis_id
    assert (await http.get("/api/v1/video-analysis/user/analyses", headers=other)).json()["total"] == 0
    for path in (f"/api/v1/video-analysis/{analysis_id}", f"/api/v1/video-analysis/{analysis_id}/status"):
        r = await http.get(path, headers=other)
        assert r.status_code == 404 and r.json()["code"] == "analysis_not_found"

    r = await http.delete(f"/api/v1/videos/{vid}", headers=owner)
    assert r.status_code == 200
    assert (await http.get(f"/api/v1/videos/{vid}", headers=owner)).status_code == 404
    assert (await http.get(f"/api/v1/video-analysis/{analysis_id}", headers=owner)).status_code == 404
    assert (await http.get(result["composited_video_url"])).status_code == 404


async def test_speech_generate_stream_health(http: httpx.AsyncClient) -> None:
    user = await register(http)
    text = "Keep your head still through impact. Let the club finish high."
    r = await http.post("/api/v1/tts/generate", headers=user, json={"text": text, "format": "wav"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("audio/wav")
    with wave.open(io.BytesIO(r.content)) as w:
        normal = w.getnframes() / w.getframerate()
    assert 2.0 < normal < 8.0
    r = await http.post("/api/v1/tts/generate", headers=user, json={"text": text, "format": "wav", "speed": 2.0})
    with wave.open(io.BytesIO(r.content)) as w:
        fast = w.getnframes() / w.getframerate()
    # Piper's length scale shortens the words; the pause between sentences stays (measured 3.18 s -> 2.02 s)
    assert fast / normal == pytest.approx(0.635, abs=0.08)

    pieces = []
    async with http.stream("POST", "/api/v1/tts/stream", headers=user, json={"text": text}) as resp:
        assert resp.status_code == 200 and resp.headers["content-type"].startswith("audio/mpeg")
        async for chunk in resp.aiter_bytes():
            pieces.append(chunk)
    with av.open(io.BytesIO(b"".join(pieces)), format="mp3") as c:
        streamed = sum(f.samples / f.sample_rate for f in c.decode(audio=0))
    assert streamed == pytest.approx(normal, rel=0.15)

    r = await http.post("/api/v1/tts/generate", headers=user, json={"text": "  "})
    assert r.status_code == 400 and r.json()["code"] == "empty_text"
    r = await http.post("/api/v1/tts/generate", headers=user, json={"text": "Hi", "voice": "nobody"})
    assert r.status_code == 400 and r.json()["code"] == "unknown_voice"
    assert (await http.post("/api/v1/tts/generate", json={"text": "Hi"})).status_code == 401
    health = (await http.get("/api/v1/tts/health")).json()
    assert health["status"] == "healthy" and health["engine"] == "piper" and health["voice_loaded"] is True


async def test_free_plan_daily_limit_and_pro_unlimited(http: httpx.AsyncClient) -> None:
    """The session's server allows 2 analyses a day on the free plan. A 1 s clip is accepted as a video and its
    analysis fails fast (swings need 2-60 s); failed analyses count, as they did the work."""
    clip = short_clip(1.0)
    free = await register(http)
    pro = await register(http, "pro@example.com")
    for headers, allowed in ((free, 2), (pro, 3)):
        for n in range(allowed + (1 if headers is free else 0)):
            vid = (await spec_upload(http, headers, clip)).json()["video_id"]
            r = await http.post(f"/api/v1/video-analysis/{vid}", headers=headers)
            if n < allowed:
                assert r.status_code == 202, r.text
                seen = await poll_until_finished(http, r.json()["analysis_id"], headers)
                assert seen[-1]["status"] == "failed" and "2" in seen[-1]["error"]
            else:
                assert r.status_code == 429 and r.json()["code"] == "daily_limit_reached"
                assert "free plan allows 2" in r.json()["detail"] and int(r.headers["retry-after"]) > 0


async def test_the_swing_routes_are_in_the_openapi_document(http: httpx.AsyncClient) -> None:
    paths = (await http.get("/api/schema/")).json()["paths"]
    assert {"/api/v1/videos/upload", "/api/v1/video-analysis/{ref}/status", "/api/v1/video-analysis/video/{video_id}",
            "/api/v1/tts/coaching", "/api/v1/api/v1/tts/coaching", "/api/v1/tts/stream"} <= set(paths)


async def test_spec_uploads_refused_with_a_code_and_a_clip_over_60_s_fails_with_its_reason(
        http: httpx.AsyncClient) -> None:
    headers = await register(http)
    bad_meta = await http.post("/api/v1/videos/upload", headers=headers, data={"metadata": "{not json"},
                               files={"video_file": ("s.mp4", short_clip(1.0), "video/mp4")})
    assert bad_meta.status_code == 400 and bad_meta.json()["code"] == "invalid_metadata"
    wrong_part = await http.post("/api/v1/videos/upload", headers=headers,
                                 data={"metadata": json.dumps({"duration": 1, "resolution": "64x64", "fps": 30})},
                                 files={"movie": ("s.mp4", short_clip(1.0), "video/mp4")})
    assert wrong_part.status_code == 400 and wrong_part.json()["code"] == "missing_file_part"
    not_video = await spec_upload(http, headers, b"<html>no video here</html>", name="s.mp4")
    assert not_video.status_code == 400 and not_video.json()["code"] == "invalid_video"
    vid = (await spec_upload(http, headers, short_clip(61.0))).json()["video_id"]
    r = await http.post(f"/api/v1/video-analysis/{vid}", headers=headers)
    assert r.status_code == 202, r.text
    seen = await poll_until_finished(http, r.json()["analysis_id"], headers)
    assert seen[-1]["status"] == "failed" and seen[-1]["error"].endswith("at most 60 s is accepted"), seen[-1]
