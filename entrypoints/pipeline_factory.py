"""Builds the analysis pipeline from plain options; used by the container, the CLI and the benchmark."""

from __future__ import annotations

from pathlib import Path

from adapters.analysis.librosa_audio import LibrosaAudioAnalyzer
from adapters.analysis.pyav_video import PyAvVideoDecoder
from application.analysis.capture import CaptureOptions, VideoCapture
from application.analysis.pipeline import AnalysisPipeline
from application.ports.analysis import PoseEstimator


def make_estimator(backend: str, *, onnx_model: str | Path | None = None,
                   providers: list[str] | None = None, smooth_crop: bool = True) -> PoseEstimator:
    """``smooth_crop``: the ONNX backend cuts crops from points smoothed as MediaPipe smooths them (see
    ``adapters/analysis/onnx_pose.py``); the move library captures with the raw points, which follow one partner
    of a couple better."""
    if backend == "mediapipe":
        from adapters.analysis.mediapipe_pose import MediaPipePoseEstimator

        return MediaPipePoseEstimator()
    if backend == "onnx":
        from adapters.analysis.onnx_pose import OnnxPoseEstimator

        if onnx_model is None:
            raise ValueError("the onnx backend needs a model path (POSE_ONNX_MODEL)")
        return OnnxPoseEstimator(onnx_model, providers=providers, smooth_crop=smooth_crop)
    raise ValueError(f"unknown pose backend {backend!r}: use mediapipe or onnx")


def make_capture(backend: str, *, onnx_model: str | Path | None = None,
                 providers: list[str] | None = None, smooth_crop: bool = True) -> VideoCapture:
    """The shared capture step (decode, pose, beats) on the chosen pose backend."""
    return VideoCapture(
        decoder=PyAvVideoDecoder(),
        estimator=make_estimator(backend, onnx_model=onnx_model, providers=providers, smooth_crop=smooth_crop),
        audio_analyzer=LibrosaAudioAnalyzer(),
    )


def make_pipeline(backend: str, *, onnx_model: str | Path | None = None, providers: list[str] | None = None,
                  sample_fps: float = 15.0, max_side: int | None = 640) -> AnalysisPipeline:
    """iDance's scored analysis on a capture at ``sample_fps``."""
    return AnalysisPipeline(
        capture=make_capture(backend, onnx_model=onnx_model, providers=providers),
        options=CaptureOptions(sample_fps=sample_fps, max_side=max_side),
    )
