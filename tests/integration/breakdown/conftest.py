"""Session-scoped captures of the shared clips for the breakdown tests (pose runs once per clip)."""

from __future__ import annotations

from pathlib import Path

import pytest

from application.analysis.capture import CapturedVideo, VideoCapture
from application.breakdown.break_down import CAPTURE_OPTIONS
from entrypoints.pipeline_factory import make_capture

MUSIC_CLIPS = ("video/01_dance_solo_musepose.mp4", "moves/basic__slow_basic.mp4", "moves/spin__spin.mp4",
               "moves/hiprolls__hiproll.mp4", "moves/footwork__madrid.mp4")


@pytest.fixture(scope="session")
def capture(onnx_model_path: Path) -> VideoCapture:
    return make_capture("onnx", onnx_model=onnx_model_path)


@pytest.fixture(scope="session")
def captured(capture: VideoCapture, media_dir: Path) -> dict[str, CapturedVideo]:
    out = {}
    for rel in MUSIC_CLIPS:
        path = media_dir / rel
        if path.is_file():
            out[rel] = capture(path, CAPTURE_OPTIONS)
    return out
