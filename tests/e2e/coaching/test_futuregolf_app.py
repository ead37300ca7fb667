"""The FutureGolf iOS app's flow end to end over real HTTP and a real WebSocket, decoded with the app's rules:
health, the speech warm-up burst, live swing detection, upload as the app sends it, analyze, the poll by video id
until completed within the app's 60 polls, and every field the app shows; and its failures."""

from __future__ import annotations

import asyncio
import io
import json
import time
from pathlib import Path

import av
import httpx
import pytest
import websockets

from application.coaching.speech import APP_PROMPTS
from tests.e2e.coaching.app_types import AnyAnswer, PollAnswer, UploadAnswer, WsReply, decode
from tests.e2e.coaching.conftest import MAX_UPLOAD_MB, register
from tests.integration.coaching.test_live_detection import EPOCH, STEP, app_frames

pytestmark = [pytest.mark.media, pytest.mark.slow]

WARM_UP_PHRASES = list(APP_PROMPTS)  # the app's nine fixed prompts, which start-up speaks into the cache
APP_TTS = {"voice": "onyx", "model": "tts-1-hd", "speed": 0.9}
POLLS, POLL_EVERY_S = 60, 2.0


def mp3_seconds(data: bytes) -> float:
    with av.open(io.BytesIO(data), format="mp3") as c:
        return sum(float(f.samples) / f.sample_rate for f in c.decode(audio=0))


async def health_ok(http: httpx.AsyncClient) -> float:
    start = time.perf_counter()
    r = await http.get("/api/v1/health", timeout=2.0)
    assert 200 <= r.status_code < 300
    return time.perf_counter() - start


async def app_upload(http: httpx.AsyncClient, path: Path) -> httpx.Response:
    return await http.post("/api/v1/videos/upload", data={"user_id": "1", "title": "Golf Swing Analysis"},
                           files={"file": ("video.mov", path.read_bytes(), "video/quicktime")}, timeout=60)


async def app_poll(http: httpx.AsyncClient, video_id: int) -> tuple[PollAnswer, float]:
    """Polls as the app does (request, sleep 2 s, at most 60) until completed with ai_analysis or failed; checks
    /api/v1/health between polls (the app checks it every second, 2 s timeout)."""
    slowest_health = 0.0
    for _ in range(POLLS):
        r = await http.get(f"/api/v1/video-analysis/video/{video_id}", timeout=60)
        answer = decode(r.content, PollAnswer)
        a = answer.analysis
        if a is not None and (a.status == "failed" or (a.status == "completed" and a.ai_analysis is not None)):
            return answer, slowest_health
        for _ in range(2):
            slowest_health = max(slowest_health, await health_ok(http))
            await asyncio.sleep(POLL_EVERY_S / 2)
    raise AssertionError(f"not finished within the app's {POLLS} polls")


async def test_the_apps_flow_end_to_end(http: httpx.AsyncClient, swing_server: str, media_dir: Path) -> None:
    # 1. Launch: health.
    assert await health_ok(http) < 2.0

    # 2. The speech warm-up burst: all at once, each within the app's 20 s, all 200 MP3 (start-up spoke them into
    # the cache; benchmarks/swing.py measures the same burst on a cold cache).
    async def speak(text: str, path: str = "/api/v1/tts/coaching") -> tuple[int, bytes, float]:
        start = time.perf_counter()
        r = await http.post(path, json={"text": text, **APP_TTS}, timeout=20.0)
        return r.status_code, r.content, time.perf_counter() - start

    burst = await asyncio.gather(*(speak(p) for p in WARM_UP_PHRASES))
    print(f"warm-up burst: {len(burst)} phrases, slowest answer {max(t for _, _, t in burst):.2f} s")
    for (status, body, _), text in zip(burst, WARM_UP_PHRASES, strict=True):
        assert status == 200
        seconds = mp3_seconds(body)
        assert 0.5 < seconds < 0.09 * len(text) + 2.0  # a few characters per ~60 ms of speech, at speed 0.9
    status, body, _ = await speak("Test", "/api/v1/api/v1/tts/coaching")  # the doubled prefix the app uses
    assert status == 200 and mp3_seconds(body) > 0.2
    again = await speak(WARM_UP_PHRASES[0])
    assert again[1] == burst[0][1]  # cached: the same bytes
    fresh = await asyncio.gather(*(speak(f"Swing number {n}, hold the finish.") for n in range(3)))
    assert all(status == 200 and mp3_seconds(body) > 0.5 for status, body, _ in fresh)  # not cached

    # 3. Recording: live swing detection on the app's frame stream, one positive for the one swing.
    ws_url = swing_server.replace("http://", "ws://") + "/api/v1/ws/detect-golf-swing"
    replies = []
    async with websockets.connect(ws_url) as ws:
        for k, frame in enumerate(app_frames(media_dir / "video" / "09_golf_swing_golfdb.mp4")):
            await ws.send(json.dumps({"timestamp": EPOCH + STEP * k, "image_base64": frame}))
            replies.append(decode(await ws.recv(), WsReply))
    swings = [r for r in replies if r.swing_detected is True and (r.confidence or 0) >= 0.70]
    assert len(swings) == 1 and all(r.status for r in replies)

    # 4. Upload exactly as the app sends it: exactly 200 with {success, video_id: Int, status}.
    r = await app_upload(http, media_dir / "video" / "09_golf_swing_golfdb.mp4")
    assert r.status_code == 200, r.text
    up = decode(r.content, UploadAnswer)
    assert up.success is True and 1 <= up.video_id < 2**53

    # 5. The fire-and-forget trigger (idempotent: the upload started it already).
    r = await http.post(f"/api/v1/video-analysis/analyze/{up.video_id}", headers={"Content-Type": "application/json"})
    assert r.status_code == 200 and decode(r.content, AnyAnswer).success is True

    # 6. Poll until completed within the app's 60 polls; health stays fast meanwhile.
    answer, slowest_health = await app_poll(http, up.video_id)
    assert answer.success is True and answer.analysis is not None
    assert answer.analysis.status == "completed"
    assert slowest_health < 2.0

    # 7. Every field the app shows, real and of the app's types.
    ai = answer.analysis.ai_analysis
    assert ai is not None and ai.swings and ai.summary and ai.coaching_script and ai.coaching_script.lines
    swing = ai.swings[0]
    assert isinstance(swing.score, int) and 0 <= swing.score <= 100
    assert swing.comments and swing.comments[0]
    assert swing.phases is not None
    phases = [swing.phases.setup, swing.phases.backswing, swing.phases.downswing, swing.phases.follow_through]
    assert all(p is not None and p.start_timestamp is not None for p in phases)
    starts = [p.start_timestamp for p in phases if p is not None]
    assert starts == sorted(starts) and starts[-1] > 0
    m = swing.metrics
    assert m is not None and m.clubheadSpeed is None  # not measured, so not sent (the app would show 85)
    assert m.backswingTime and m.downswingTime and m.backswingTime > m.downswingTime > 0
    assert isinstance(m.balanceScore, int)
    assert (ai.summary.highlights or []) + (ai.summary.improvements or [])
    frames = [ln.start_frame_number for ln in ai.coaching_script.lines]
    assert frames == sorted(frames) and all(0 <= f < 264 for f in frames)

    # The app's account is anonymous and nobody else's: a signed-in user does not see the video.
    headers = await register(http)
    r = await http.get(f"/api/v1/videos/{up.video_id}", headers=headers)
    assert r.status_code == 404 and r.json()["code"] == "video_not_found"


async def test_a_missing_video_answers_the_envelope_with_success_false(http: httpx.AsyncClient) -> None:
    r = await http.get("/api/v1/video-analysis/video/123456789")
    assert r.status_code == 404
    assert decode(r.content, PollAnswer).success is False and r.json()["code"] == "video_not_found"
    r = await http.post("/api/v1/video-analysis/analyze/not-a-number")
    assert r.status_code == 404 and decode(r.content, AnyAnswer).success is False


async def test_bad_uploads_answer_4xx_with_a_code_and_success_false(http: httpx.AsyncClient) -> None:
    async def post(files: dict, data: dict | None = None) -> httpx.Response:
        return await http.post("/api/v1/videos/upload", files=files, data=data or {"user_id": "1"})

    cases = [
        (await post({"file": ("video.mov", b"this is not a video at all " * 100, "video/quicktime")}),
         400, "invalid_video"),
        (await post({"file": ("video.mov", b"\0" * (MAX_UPLOAD_MB * 1024 * 1024 + 10), "video/quicktime")}),
         413, "file_too_large"),
        (await post({"file": ("video.mov", b"\0" * ((MAX_UPLOAD_MB + 2) * 1024 * 1024), "video/quicktime")}),
         413, "file_too_large"),
        (await post({"video": ("video.mov", b"abc", "video/quicktime")}), 400, "missing_file_part"),
        (await http.post("/api/v1/videos/upload", json={"file": "abc"}), 400, "not_multipart"),
    ]
    for r, status, code in cases:
        assert r.status_code == status, r.text
        assert decode(r.content, AnyAnswer).success is False and r.json()["code"] == code


async def test_a_clip_without_a_swing_fails_with_its_reason(http: httpx.AsyncClient, media_dir: Path) -> None:
    r = await app_upload(http, media_dir / "video" / "05_walk_sideview_sports2d.mp4")
    assert r.status_code == 200, r.text
    video_id = decode(r.content, UploadAnswer).video_id
    answer, _ = await app_poll(http, video_id)
    assert answer.success is False and answer.analysis is not None and answer.analysis.status == "failed"
    body = (await http.get(f"/api/v1/video-analysis/video/{video_id}")).json()
    assert "swing" in body["analysis"]["error_message"].lower()
