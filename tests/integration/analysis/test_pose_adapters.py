"""Both pose adapters on every shared video: they must agree with each other, and keep portrait upright."""

from __future__ import annotations

import numpy as np
import pytest

from application.ports.analysis import Frame, VideoInfo
from domain.analysis.pose import Landmark, PoseTrack

pytestmark = pytest.mark.media

# Measured (15 fps, 640 px long side): per-video medians 0.030-0.045 torso lengths (dance 0.032, jumping jacks
# 0.045, walk 0.032, fashion turn 0.030). The bound leaves better than 2x margin.
MAX_MEDIAN_DISTANCE = 0.10


def _torso(track: PoseTrack) -> np.ndarray:
    lm = track.landmarks
    shoulders = (lm[:, Landmark.LEFT_SHOULDER, :2] + lm[:, Landmark.RIGHT_SHOULDER, :2]) / 2
    hips = (lm[:, Landmark.LEFT_HIP, :2] + lm[:, Landmark.RIGHT_HIP, :2]) / 2
    return np.linalg.norm(shoulders - hips, axis=1)


def test_adapters_agree_on_every_video(
    decoded: dict[str, tuple[VideoInfo, list[Frame]]],
    mediapipe_tracks: dict[str, PoseTrack],
    onnx_tracks: dict[str, PoseTrack],
) -> None:
    for name in decoded:
        mp, ox = mediapipe_tracks[name], onnx_tracks[name]
        assert mp.frame_count == ox.frame_count == len(decoded[name][1])
        both = mp.detected() & ox.detected()
        # The ONNX adapter has no person detector; it must still find the dancer in most frames MediaPipe does.
        assert both.sum() >= 0.8 * mp.detected().sum(), name
        confident = both[:, None] & (mp.landmarks[:, :, 3] > 0.5) & (ox.landmarks[:, :, 3] > 0.5)
        dist = np.linalg.norm(mp.landmarks[:, :, :2] - ox.landmarks[:, :, :2], axis=2) / _torso(mp)[:, None]
        per_frame = [float(np.median(dist[i][confident[i]])) for i in range(mp.frame_count) if confident[i].sum() > 5]
        assert len(per_frame) > 0.5 * mp.frame_count * mp.detected().mean(), name
        median = float(np.median(per_frame))
        assert median < MAX_MEDIAN_DISTANCE, f"{name}: median distance {median:.3f} torso lengths"


def test_portrait_video_is_upright(
    decoded: dict[str, tuple[VideoInfo, list[Frame]]], mediapipe_tracks: dict[str, PoseTrack]
) -> None:
    name = "01_dance_solo_musepose.mp4"
    info, frames = decoded[name]
    assert (info.width, info.height) == (1080, 1920)
    assert frames[0].rgb.shape[0] > frames[0].rgb.shape[1]  # portrait frames, downscaled
    track = mediapipe_tracks[name]
    assert (track.width, track.height) == (1080, 1920)
    det = track.detected()
    assert det.mean() > 0.95
    lm = track.landmarks[det]
    # Upright: the nose above the hips above the ankles, in full-size portrait pixels.
    assert np.all(lm[:, Landmark.NOSE, 1] < lm[:, Landmark.LEFT_HIP, 1])
    assert np.median(lm[:, Landmark.LEFT_HIP, 1]) < np.median(lm[:, Landmark.LEFT_ANKLE, 1])
    assert np.nanmax(lm[:, :, 0]) < 1080 * 1.1 and np.nanmax(lm[:, :, 1]) < 1920 * 1.1
    # Visibility and presence are probabilities.
    assert np.all((track.landmarks[det, :, 3] >= 0) & (track.landmarks[det, :, 3] <= 1))


def test_onnx_visibility_is_a_probability(onnx_tracks: dict[str, PoseTrack]) -> None:
    for track in onnx_tracks.values():
        vis = track.landmarks[track.detected(), :, 3]
        assert np.all((vis >= 0) & (vis <= 1))
        # Frames without a person hold NaN, never made-up coordinates.
        missing = track.landmarks[track.presence < 0.5, :, :3]
        assert np.all(np.isnan(missing))


def test_mediapipe_refuses_models_that_would_download() -> None:
    from adapters.analysis.mediapipe_pose import MediaPipePoseEstimator

    for complexity in (0, 2):
        with pytest.raises(ValueError, match="model_complexity"):
            MediaPipePoseEstimator(model_complexity=complexity)
