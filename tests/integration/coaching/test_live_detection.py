"""Swing detection on frame streams built as the FutureGolf app builds them (grey, fitted in 192x108, JPEG 40,
base64, one every 0.3 s, epoch timestamps)."""

from __future__ import annotations

import base64
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from adapters.vision.opencv_frames import decode_grey_jpeg
from application.coaching.live import LiveSwingSession

STEP = 0.3
EPOCH = 1_754_000_000.0
FINISH_HELD_FROM_S = 200 / 29.97  # the finish pose is reached at frame 200 (see test_swing_events.LABELS)


def app_frames(path: Path, upto_s: float | None = None) -> list[str]:
    with av.open(str(path)) as c:
        fps = float(c.streams.video[0].average_rate)
        rgb = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    out = []
    k = 0
    while (i := round(k * STEP * fps)) < len(rgb) and (upto_s is None or k * STEP <= upto_s):
        grey = cv2.cvtColor(rgb[i], cv2.COLOR_RGB2GRAY)
        h, w = grey.shape
        s = min(192 / w, 108 / h)
        small = cv2.resize(grey, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
        tinted = cv2.cvtColor(small, cv2.COLOR_GRAY2BGR)  # the app's frames stay 3-channel
        ok, buf = cv2.imencode(".jpg", tinted, [cv2.IMWRITE_JPEG_QUALITY, 40])
        assert ok
        out.append(base64.b64encode(buf.tobytes()).decode())
        k += 1
    return out


def run(frames: list[str]) -> list[dict]:
    session = LiveSwingSession(decode=decode_grey_jpeg)
    return [session.handle({"timestamp": EPOCH + STEP * k, "image_base64": f}) for k, f in enumerate(frames)]


def positives(replies: list[dict]) -> list[int]:
    assert all(isinstance(r["status"], str) for r in replies)
    return [k for k, r in enumerate(replies) if r.get("swing_detected") is True and r["confidence"] >= 0.70]


@pytest.fixture(scope="module")
def swing_frames(swing_path: Path) -> list[str]:
    return app_frames(swing_path)


def test_one_swing_one_positive_soon_after_the_finish(swing_frames: list[str]) -> None:
    hits = positives(run(swing_frames))
    assert len(hits) == 1
    at = hits[0] * STEP
    assert FINISH_HELD_FROM_S <= at <= FINISH_HELD_FROM_S + 1.0


def test_three_swings_with_a_second_of_stillness_between(swing_frames: list[str]) -> None:
    still = [swing_frames[-1]] * round(1.0 / STEP)
    stream = swing_frames + still + swing_frames + still + swing_frames
    assert len(positives(run(stream))) == 3


def test_walking_gives_none(walk_path: Path) -> None:
    assert positives(run(app_frames(walk_path))) == []


def test_still_golfer_gives_none(swing_path: Path) -> None:
    address = app_frames(swing_path, upto_s=2.1)[4:]  # the golfer at address (1.2-2.1 s), before the takeaway
    replies = run((address + address[::-1]) * 4)
    assert positives(replies) == []
    assert replies[-1]["status"] == "ready"


def test_bad_frame_answers_an_error_status() -> None:
    reply = LiveSwingSession(decode=decode_grey_jpeg).handle({"timestamp": EPOCH, "image_base64": "bm90IGFuIGltYWdl"})
    assert reply["status"] == "error" and "JPEG" in reply["error"]


def test_replies_decode_with_the_apps_types(swing_frames: list[str]) -> None:
    for r in run(swing_frames):
        assert isinstance(r["status"], str) and isinstance(r["total_swings"], int)
        assert isinstance(r["confidence"], float) and isinstance(r["swing_detected"], bool)
        np.testing.assert_equal(isinstance(r["cooldown_remaining"], float), True)
