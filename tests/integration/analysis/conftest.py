"""Shared, session-scoped results of the analysis adapters on the shared media (decode and pose run once)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.analysis.librosa_audio import LibrosaAudioAnalyzer
from adapters.analysis.mediapipe_pose import MediaPipePoseEstimator
from adapters.analysis.onnx_pose import OnnxPoseEstimator
from adapters.analysis.pyav_video import PyAvVideoDecoder
from application.ports.analysis import Frame, VideoInfo
from domain.analysis.pose import PoseTrack

SAMPLE_FPS = 15.0
MAX_SIDE = 640


@pytest.fixture(scope="session")
def decoder() -> PyAvVideoDecoder:
    return PyAvVideoDecoder()


@pytest.fixture(scope="session")
def videos(media_dir: Path) -> list[Path]:
    found = sorted((media_dir / "video").glob("*.mp4"))
    assert found, f"no videos in {media_dir / 'video'}"
    return found


@pytest.fixture(scope="session")
def decoded(decoder: PyAvVideoDecoder, videos: list[Path]) -> dict[str, tuple[VideoInfo, list[Frame]]]:
    return {v.name: (decoder.probe(v), list(decoder.frames(v, SAMPLE_FPS, MAX_SIDE))) for v in videos}


@pytest.fixture(scope="session")
def mediapipe_estimator() -> Iterator[MediaPipePoseEstimator]:
    with MediaPipePoseEstimator() as est:
        yield est


@pytest.fixture(scope="session")
def mediapipe_tracks(
    decoded: dict[str, tuple[VideoInfo, list[Frame]]], mediapipe_estimator: MediaPipePoseEstimator
) -> dict[str, PoseTrack]:
    return {
        name: mediapipe_estimator.estimate(frames, info.width, info.height)
        for name, (info, frames) in decoded.items()
    }


@pytest.fixture(scope="session")
def onnx_tracks(decoded: dict[str, tuple[VideoInfo, list[Frame]]], onnx_model_path: Path) -> dict[str, PoseTrack]:
    with OnnxPoseEstimator(onnx_model_path) as est:
        return {name: est.estimate(frames, info.width, info.height) for name, (info, frames) in decoded.items()}


@pytest.fixture(scope="session")
def audio_analyzer() -> LibrosaAudioAnalyzer:
    analyzer = LibrosaAudioAnalyzer()
    analyzer.warm_up()
    return analyzer
