"""Comparison against a demo on real videos: a video against itself scores 100, another clearly lower."""

from __future__ import annotations

import pytest

from domain.analysis import posedata
from domain.analysis.scoring import compare_tracks

pytestmark = pytest.mark.media

DEMO = "01_dance_solo_musepose.mp4"


def test_demo_against_itself_is_100(mediapipe_tracks):
    demo = posedata.quantize(mediapipe_tracks[DEMO])
    result = compare_tracks(demo, demo)
    assert result.similarity >= 99.0
    assert all(score >= 99.0 for score in result.per_limb.values())


def test_other_videos_are_clearly_less_similar(mediapipe_tracks):
    demo = mediapipe_tracks[DEMO]
    for name, track in mediapipe_tracks.items():
        if name == DEMO:
            continue
        result = compare_tracks(track, demo)
        assert result.similarity < 85.0, (name, result.similarity)
        assert result.worst_ranges, name  # it says where they differed most


def test_onnx_track_of_the_same_video_is_close_to_the_mediapipe_one(mediapipe_tracks, onnx_tracks):
    # Two estimators on one performance: the comparison sees the same dance.
    same = compare_tracks(onnx_tracks[DEMO], mediapipe_tracks[DEMO]).similarity
    other = compare_tracks(onnx_tracks["03_exercise_jumpingjacks_romp.mp4"], mediapipe_tracks[DEMO]).similarity
    assert same > other + 10
