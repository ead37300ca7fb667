"""iDance's analysis: a capture of the video, then its scored performance report."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from application.analysis.capture import CapturedVideo, CaptureOptions, SyncProgress, VideoCapture
from application.ports.analysis import AudioFeatures, VideoInfo
from domain.analysis import posedata
from domain.analysis.pose import BeatGrid, PoseTrack
from domain.analysis.scoring import PerformanceReport, score_performance

_CAPTURE_SHARE = 0.97  # of the progress bar; scoring takes the rest


@dataclass(frozen=True, slots=True)
class AnalysisOutcome:
    video: VideoInfo
    track: PoseTrack
    audio: AudioFeatures | None  # None when the video has no sound track, or only silence / no beats
    beats: BeatGrid | None
    report: PerformanceReport
    stage_seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class AnalysisPipeline:
    """Capture at iDance's rate (15 fps by default), then score with the domain's formulas."""

    capture: VideoCapture
    options: CaptureOptions = field(default_factory=CaptureOptions)

    @property
    def sample_fps(self) -> float | None:
        return self.options.sample_fps

    def track(self, path: Path) -> PoseTrack:
        """The pose track of a video alone, unscored (a challenge's demo, for comparison)."""
        return self.capture.pose_only(path, self.options)

    def score(self, captured: CapturedVideo, *, target_bpm: float | None = None,
              reference: PoseTrack | None = None) -> tuple[PoseTrack, PerformanceReport]:
        track = posedata.quantize(captured.track)  # score exactly what is stored, so a re-score agrees
        return track, score_performance(track, captured.beats, target_bpm=target_bpm, reference=reference)

    def run(
        self,
        path: Path,
        *,
        target_bpm: float | None = None,
        reference: PoseTrack | None = None,
        progress: SyncProgress | None = None,
        min_duration_s: float | None = None,
    ) -> AnalysisOutcome:
        """``min_duration_s``: the shortest video this use accepts (default: the pipeline's options)."""
        started = time.perf_counter()
        report_progress = progress or (lambda _fraction: None)
        options = self.options if min_duration_s is None else replace(self.options, min_duration_s=min_duration_s)
        captured = self.capture(path, options, lambda f: report_progress(_CAPTURE_SHARE * f))
        scoring_start = time.perf_counter()
        track, report = self.score(captured, target_bpm=target_bpm, reference=reference)
        scoring_s = time.perf_counter() - scoring_start
        report_progress(1.0)
        stages = {k: v for k, v in captured.stage_seconds.items() if k != "capture"}
        stages |= {"scoring": scoring_s, "total": time.perf_counter() - started}
        return AnalysisOutcome(video=captured.video, track=track, audio=captured.audio, beats=captured.beats,
                               report=report, stage_seconds=stages)
