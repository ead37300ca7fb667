"""Session-scoped swing captures: the shared GolfDB clip as is, mirrored and at double speed, and a walk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
import pytest

from application.analysis.capture import CapturedVideo, VideoCapture
from application.coaching.analyse import SWING_CAPTURE
from entrypoints.pipeline_factory import make_capture

SWING = "09_golf_swing_golfdb.mp4"
WALK = "05_walk_sideview_sports2d.mp4"


def rewrite_video(src: Path, dst: Path, change: Callable[[int, np.ndarray], np.ndarray | None]) -> Path:
    """Re-encode ``src`` to H.264 at its own rate, each frame passed through ``change`` (None drops it)."""
    with av.open(str(src)) as inp:
        stream = inp.streams.video[0]
        rate = stream.average_rate
        frames = [f.to_ndarray(format="rgb24") for f in inp.decode(video=0)]
    with av.open(str(dst), "w") as out:
        vs = out.add_stream("libx264", rate=rate)
        vs.width, vs.height, vs.pix_fmt = frames[0].shape[1], frames[0].shape[0], "yuv420p"
        vs.options = {"crf": "16", "preset": "veryfast"}
        for i, rgb in enumerate(frames):
            new = change(i, rgb)
            if new is not None:
                for packet in vs.encode(av.VideoFrame.from_ndarray(np.ascontiguousarray(new), format="rgb24")):
                    out.mux(packet)
        for packet in vs.encode():
            out.mux(packet)
    return dst


@pytest.fixture(scope="session")
def swing_path(media_dir: Path) -> Path:
    return media_dir / "video" / SWING


@pytest.fixture(scope="session")
def walk_path(media_dir: Path) -> Path:
    return media_dir / "video" / WALK


@pytest.fixture(scope="session")
def mirrored_path(swing_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rewrite_video(swing_path, tmp_path_factory.mktemp("swing") / "mirrored.mp4", lambda _i, f: f[:, ::-1])


@pytest.fixture(scope="session")
def double_speed_path(swing_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rewrite_video(swing_path, tmp_path_factory.mktemp("swing") / "double.mp4",
                         lambda i, f: f if i % 2 == 0 else None)


@pytest.fixture(scope="session")
def swing_capture(onnx_model_path: Path) -> VideoCapture:
    # ONNX: on this clip it tracks the golfer as well as MediaPipe (events within 3 frames of the labels, as
    # MediaPipe's) and runs faster on 2 cores.
    return make_capture("onnx", onnx_model=onnx_model_path)


@pytest.fixture(scope="session")
def captured_swing(swing_capture: VideoCapture, swing_path: Path) -> CapturedVideo:
    return swing_capture(swing_path, SWING_CAPTURE)


@pytest.fixture(scope="session")
def captured_mirrored(swing_capture: VideoCapture, mirrored_path: Path) -> CapturedVideo:
    return swing_capture(mirrored_path, SWING_CAPTURE)


@pytest.fixture(scope="session")
def captured_double(swing_capture: VideoCapture, double_speed_path: Path) -> CapturedVideo:
    return swing_capture(double_speed_path, SWING_CAPTURE)


@pytest.fixture(scope="session")
def captured_walk(swing_capture: VideoCapture, walk_path: Path) -> CapturedVideo:
    return swing_capture(walk_path, SWING_CAPTURE)
