from __future__ import annotations

import pytest

from adapters.analysis.mediapipe_pose import MediaPipePoseEstimator
from adapters.analysis.onnx_pose import OnnxPoseEstimator

pytestmark = pytest.mark.media


def test_estimators_say_whether_their_model_is_loaded(onnx_model_path):
    with MediaPipePoseEstimator() as mediapipe:
        assert not mediapipe.loaded  # the graph is built on first use
        mediapipe.warm_up()
        assert mediapipe.loaded
    assert not mediapipe.loaded  # closed: the graph is released
    onnx = OnnxPoseEstimator(onnx_model_path)
    assert onnx.loaded
    onnx.warm_up()
    onnx.close()
    assert not onnx.loaded
