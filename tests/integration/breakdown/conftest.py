"""Session-scoped captures for the breakdown tests: pose runs once per distinct video and capture options.

The job-handler tests capture through ``shared_captures`` too, so a clip already captured for the measurement tests
(the same bytes, served over HTTP or uploaded) is not decoded and posed again.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import pytest

from application.analysis.capture import CapturedVideo, CaptureOptions, VideoCapture
from application.breakdown.break_down import CAPTURE_OPTIONS
from application.breakdown.ports import CaptureRunner
from application.jobs.progress import FractionDone
from entrypoints.pipeline_factory import make_capture
from tests.integration.breakdown.routine_builder import build_routine

# The musepose solo (golden figures), the spin (language and file-key tests) and one more move; the constructed
# routine adds pieces of four other clips, all over music.
MUSIC_CLIPS = ("video/01_dance_solo_musepose.mp4", "moves/spin__spin.mp4", "moves/hiprolls__hiproll.mp4")
ROUTINE_PIECES = ("basic__slow_basic.mp4", "spin__spin.mp4", "hiprolls__hiproll.mp4", "footwork__madrid.mp4",
                  "arm_styling__paseala3.mp4")


class SharedCaptures(CaptureRunner):
    """Each distinct file (by content) is captured once per session; failures are not remembered."""

    def __init__(self, capture: VideoCapture) -> None:
        self._capture = capture
        self._done: dict[tuple[str, CaptureOptions], CapturedVideo] = {}
        self._lock = asyncio.Lock()

    def of(self, path: Path, options: CaptureOptions = CAPTURE_OPTIONS,
           progress: FractionDone | None = None) -> CapturedVideo:
        key = (hashlib.sha256(path.read_bytes()).hexdigest(), options)
        if key not in self._done:
            self._done[key] = self._capture(path, options, progress)
        elif progress is not None:
            progress(1.0)
        return self._done[key]

    async def capture(self, path: Path, options: CaptureOptions, progress: FractionDone) -> CapturedVideo:
        async with self._lock:
            return await asyncio.to_thread(self.of, path, options, progress)


@pytest.fixture(scope="session")
def capture(onnx_model_path: Path) -> VideoCapture:
    return make_capture("onnx", onnx_model=onnx_model_path)


@pytest.fixture(scope="session")
def shared_captures(capture: VideoCapture) -> SharedCaptures:
    return SharedCaptures(capture)


@pytest.fixture(scope="session")
def captured(shared_captures: SharedCaptures, media_dir: Path) -> dict[str, CapturedVideo]:
    return {rel: shared_captures.of(media_dir / rel) for rel in MUSIC_CLIPS if (media_dir / rel).is_file()}


@pytest.fixture(scope="session")
def constructed(shared_captures: SharedCaptures, media_dir: Path, tmp_path_factory
                ) -> tuple[CapturedVideo, list[float]]:
    """Five clips joined on beats 8, 16, 24 and 32 of an annotated country track, over that track."""
    lines = (media_dir / "audio" / "gtzan_country.00000.beats").read_text().split("\n")
    beats = [float(x.split()[0]) for x in lines if x.strip()]
    joins = [beats[i] for i in (8, 16, 24, 32)]
    out = tmp_path_factory.mktemp("routine") / "routine.mp4"
    build_routine([media_dir / "moves" / f for f in ROUTINE_PIECES], joins, beats[40],
                  media_dir / "audio" / "gtzan_country.00000.wav", out)
    return shared_captures.of(out), joins
