"""Capture (shared by every context) and iDance's scored analysis on top of it."""

from application.analysis.capture import CapturedVideo, CaptureOptions, VideoCapture, beat_grid
from application.analysis.pipeline import AnalysisOutcome, AnalysisPipeline

__all__ = ["AnalysisOutcome", "AnalysisPipeline", "CaptureOptions", "CapturedVideo", "VideoCapture", "beat_grid"]
