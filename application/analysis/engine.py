"""The analysis engine: one per process, running one video at a time (one MediaPipe graph per process)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from application.analysis.capture import CapturedVideo, CaptureOptions
from application.analysis.pipeline import AnalysisOutcome, AnalysisPipeline
from application.jobs.progress import FractionDone
from domain.analysis.pose import PoseTrack

_MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class EngineStatus:
    """What the engine can say about itself without touching a database or a queue."""

    backend: str
    model_loaded: bool
    analysis_fps: float | None
    running: int


@dataclass
class AnalysisEngine:
    pipeline: AnalysisPipeline
    backend: str
    max_download_bytes: int = 500 * _MB
    download_timeout: float = 60.0
    active: int = 0
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def run(self, path: Path, *, target_bpm: float | None, reference: PoseTrack | None,
                  progress: FractionDone, min_duration_s: float | None = None) -> AnalysisOutcome:
        """iDance's scored analysis of one video."""
        self.active += 1
        try:
            async with self._lock:
                return await asyncio.to_thread(self.pipeline.run, path, target_bpm=target_bpm,
                                               reference=reference, progress=progress,
                                               min_duration_s=min_duration_s)
        finally:
            self.active -= 1

    async def capture(self, path: Path, options: CaptureOptions, progress: FractionDone) -> CapturedVideo:
        """The shared capture step alone, for a context that judges the video its own way."""
        self.active += 1
        try:
            async with self._lock:
                return await asyncio.to_thread(self.pipeline.capture, path, options, progress)
        finally:
            self.active -= 1

    async def track_of(self, path: Path) -> PoseTrack:
        """The pose track of a reference (demo) video, without scoring it."""
        async with self._lock:
            return await asyncio.to_thread(self.pipeline.track, path)

    def warm_up(self) -> None:
        """Blocking: load the pose model and compile the beat tracker before the first video."""
        self.pipeline.capture.estimator.warm_up()
        self.pipeline.capture.audio_analyzer.warm_up()

    def status(self) -> EngineStatus:
        return EngineStatus(backend=self.backend, model_loaded=self.pipeline.capture.estimator.loaded,
                            analysis_fps=self.pipeline.sample_fps, running=self.active)

    def close(self) -> None:
        self.pipeline.capture.estimator.close()  # MediaPipe leaks its graph when close() is skipped
