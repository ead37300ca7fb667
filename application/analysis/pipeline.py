"""The analysis use case: video in, pose track, music beats and a scored report out."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from application.ports.analysis import (
    AudioAnalyzer,
    AudioFeatures,
    Frame,
    MediaError,
    PoseEstimator,
    VideoDecoder,
    VideoInfo,
)
from domain.analysis import posedata
from domain.analysis.pose import BeatGrid, PoseTrack
from domain.analysis.scoring import PerformanceReport, score_performance

Progress = Callable[[float], None]

_MB = 1024 * 1024
_MIN_BEATS = 4  # fewer beats than this is not a pulse the rhythm score can follow


@dataclass(frozen=True, slots=True)
class AnalysisOutcome:
    video: VideoInfo
    track: PoseTrack
    audio: AudioFeatures | None  # None when the video has no sound track, or only silence / no beats
    beats: BeatGrid | None
    report: PerformanceReport
    stage_seconds: dict[str, float] = field(default_factory=dict)


def beat_grid(features: AudioFeatures | None) -> BeatGrid | None:
    """The music's beat grid, or None when the sound holds no usable pulse (silence, speech, noise)."""
    if features is None or features.tempo_bpm <= 0 or features.beat_times.shape[0] < _MIN_BEATS:
        return None
    times = np.round(features.beat_times, posedata.TIME_DIGITS)  # stored precision, as for the track
    return BeatGrid(tempo_bpm=features.tempo_bpm, beat_times=times, source="audio")


class _Prefetch:
    """Decodes on a worker thread so decoding overlaps pose inference (FFmpeg and ONNX Runtime release the GIL)."""

    _DONE = object()

    def __init__(self, source: Iterator[Frame], depth: int) -> None:
        self._source = source
        self._queue: queue.Queue[object] = queue.Queue(maxsize=max(1, depth))
        self._stop = threading.Event()
        self.busy_seconds = 0.0  # time spent decoding
        self.wait_seconds = 0.0  # time the consumer waited for a frame
        self._thread = threading.Thread(target=self._work, name="video-decode", daemon=True)
        self._thread.start()

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _work(self) -> None:
        try:
            while not self._stop.is_set():
                start = time.perf_counter()
                try:
                    frame = next(self._source)
                except StopIteration:
                    break
                finally:
                    self.busy_seconds += time.perf_counter() - start
                if not self._put(frame):
                    return
            self._put(self._DONE)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            self._put(exc)
        finally:
            close = getattr(self._source, "close", None)
            if close is not None:
                close()

    def __iter__(self) -> Iterator[Frame]:
        while True:
            start = time.perf_counter()
            item = self._queue.get()
            self.wait_seconds += time.perf_counter() - start
            if item is self._DONE:
                return
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, Frame)
            yield item

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5.0)


@dataclass
class AnalysisPipeline:
    decoder: VideoDecoder
    estimator: PoseEstimator
    audio_analyzer: AudioAnalyzer
    sample_fps: float = 15.0
    max_side: int | None = 640  # pose models look at 256 px crops; larger frames only slow decoding down
    audio_sample_rate: int = 22050
    min_duration_s: float = 10.0
    max_duration_s: float = 300.0
    max_bytes: int = 500 * _MB
    prefetch_frames: int = 16

    def validate(self, path: Path) -> VideoInfo:
        """Checks a user can act on: size, that it is a video, and its length."""
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise MediaError(f"{path.name} cannot be read") from exc
        if size == 0:
            raise MediaError(f"{path.name} is empty")
        if size > self.max_bytes:
            raise MediaError(
                f"file is {size / _MB:.0f} MB; at most {self.max_bytes / _MB:.0f} MB is accepted"
            )
        info = self.decoder.probe(path)
        if info.duration < self.min_duration_s:
            raise MediaError(
                f"video is {info.duration:.1f} s long; at least {self.min_duration_s:.0f} s is needed"
            )
        if info.duration > self.max_duration_s:
            raise MediaError(
                f"video is {info.duration / 60:.1f} min long; at most {self.max_duration_s / 60:.0f} min is accepted"
            )
        return info

    def track(self, path: Path) -> PoseTrack:
        """The pose track of a video alone, unscored (a challenge's demo, for comparison)."""
        info = self.validate(path)
        return self.estimator.estimate(self.decoder.frames(path, self.sample_fps, self.max_side),
                                       info.width, info.height)

    def run(
        self,
        path: Path,
        *,
        target_bpm: float | None = None,
        reference: PoseTrack | None = None,
        progress: Progress | None = None,
    ) -> AnalysisOutcome:
        started = time.perf_counter()
        info = self.validate(path)
        report_progress = progress or (lambda _fraction: None)
        report_progress(0.0)

        expected = max(1.0, info.duration * min(self.sample_fps, info.fps or self.sample_fps))
        prefetch = _Prefetch(self.decoder.frames(path, self.sample_fps, self.max_side), self.prefetch_frames)

        def counted() -> Iterator[Frame]:
            for n, frame in enumerate(prefetch, start=1):
                # Pose is most of the work; keep the last 5 % for sound and scoring.
                report_progress(min(0.95, 0.95 * n / expected))
                yield frame

        pose_start = time.perf_counter()
        try:
            track = self.estimator.estimate(counted(), info.width, info.height)
        finally:
            prefetch.close()
        pose_wall = time.perf_counter() - pose_start

        audio_start = time.perf_counter()
        features = self._audio(path) if info.has_audio else None
        beats = beat_grid(features)
        audio_s = time.perf_counter() - audio_start
        report_progress(0.97)

        scoring_start = time.perf_counter()
        track = posedata.quantize(track)  # score exactly what is stored, so a re-score agrees
        report = score_performance(track, beats, target_bpm=target_bpm, reference=reference)
        scoring_s = time.perf_counter() - scoring_start
        report_progress(1.0)

        stages = {
            "decode": prefetch.busy_seconds,
            # Pose time excludes the time spent waiting for decoded frames.
            "pose": max(0.0, pose_wall - prefetch.wait_seconds),
            "decode_pose_wall": pose_wall,
            "audio": audio_s,
            "scoring": scoring_s,
            "total": time.perf_counter() - started,
        }
        return AnalysisOutcome(
            video=info,
            track=track,
            audio=features if beats is not None else None,
            beats=beats,
            report=report,
            stage_seconds=stages,
        )

    def _audio(self, path: Path) -> AudioFeatures | None:
        track = self.decoder.audio(path, self.audio_sample_rate)
        if track is None or track.samples.size == 0:
            return None
        if float(np.max(np.abs(track.samples))) < 1e-4:
            return None  # a silent track (muted recording) says nothing about music
        return self.audio_analyzer.analyze(track)
