"""Capture: what every context measures a video with, before any context-specific judgement.

A capture is the video's facts, one person's pose track at a chosen frame rate (or the source's own rate), and the
sound track's beats and tempo. iDance scores it; breakdowns cut it into steps; the swing coach needs it at full
frame rate because a downswing lasts about 0.3 s.
"""

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

SyncProgress = Callable[[float], None]
"""Fraction done, 0..1, reported from the thread that does the work."""

_MB = 1024 * 1024
_MIN_BEATS = 4  # fewer beats than this is not a pulse anyone can dance to


def beat_grid(features: AudioFeatures | None) -> BeatGrid | None:
    """The music's beat grid, or None when the sound holds no usable pulse (silence, speech, noise)."""
    if features is None or features.tempo_bpm <= 0 or features.beat_times.shape[0] < _MIN_BEATS:
        return None
    times = np.round(features.beat_times, posedata.TIME_DIGITS)  # stored precision, as for the track
    return BeatGrid(tempo_bpm=features.tempo_bpm, beat_times=times, source="audio")


@dataclass(frozen=True, slots=True, kw_only=True)
class CaptureOptions:
    """How to capture. ``sample_fps=None`` keeps every frame at the source's own rate."""

    sample_fps: float | None = 15.0
    max_side: int | None = 640  # pose models look at 256 px crops; larger frames only slow decoding down
    with_audio: bool = True
    min_duration_s: float = 10.0
    max_duration_s: float = 300.0


@dataclass(frozen=True, slots=True)
class CapturedVideo:
    video: VideoInfo
    track: PoseTrack
    audio: AudioFeatures | None  # None when there is no sound track, only silence, or no beats in it
    beats: BeatGrid | None
    stage_seconds: dict[str, float] = field(default_factory=dict)


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
class VideoCapture:
    """Decode, pose and beats of one video. Synchronous and CPU-bound: callers run it in an executor."""

    decoder: VideoDecoder
    estimator: PoseEstimator
    audio_analyzer: AudioAnalyzer
    audio_sample_rate: int = 22050
    max_bytes: int = 500 * _MB
    prefetch_frames: int = 16

    def validate(self, path: Path, options: CaptureOptions) -> VideoInfo:
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
        if info.duration < options.min_duration_s:
            raise MediaError(
                f"video is {info.duration:.1f} s long; at least {options.min_duration_s:g} s is needed"
            )
        if info.duration > options.max_duration_s:
            if options.max_duration_s < 600:  # a limit of seconds said in seconds: "1.0 min" hides 61 s
                raise MediaError(f"video is {info.duration:.1f} s long; at most {options.max_duration_s:g} s is "
                                 "accepted")
            raise MediaError(
                f"video is {info.duration / 60:.1f} min long; "
                f"at most {options.max_duration_s / 60:g} min is accepted"
            )
        return info

    def sample_rate_for(self, info: VideoInfo, options: CaptureOptions) -> float:
        """The rate frames are sampled at: the requested one, never above the source's own."""
        source = info.fps if info.fps > 0 else 30.0
        return source if options.sample_fps is None else min(options.sample_fps, source)

    def pose_only(self, path: Path, options: CaptureOptions) -> PoseTrack:
        """The pose track alone (no sound, no progress): e.g. a challenge's demo video for comparison."""
        info = self.validate(path, options)
        frames = self.decoder.frames(path, self.sample_rate_for(info, options), options.max_side)
        return self.estimator.estimate(frames, info.width, info.height)

    def pose_from(self, path: Path, options: CaptureOptions, start: float, end: float) -> PoseTrack:
        """The pose tracked afresh from the first sampled frame at or after ``start`` up to ``end`` (seconds):
        what an estimator sees of a stretch of the video played on its own, e.g. after a cut."""
        info = self.validate(path, options)

        def stretch() -> Iterator[Frame]:
            for frame in self.decoder.frames(path, self.sample_rate_for(info, options), options.max_side):
                if frame.timestamp > end + 1e-6:
                    return
                if frame.timestamp >= start - 1e-6:
                    yield frame

        return self.estimator.estimate(stretch(), info.width, info.height)

    def __call__(self, path: Path, options: CaptureOptions, progress: SyncProgress | None = None) -> CapturedVideo:
        started = time.perf_counter()
        info = self.validate(path, options)
        report = progress or (lambda _fraction: None)
        report(0.0)
        rate = self.sample_rate_for(info, options)
        expected = max(1.0, info.duration * rate)
        prefetch = _Prefetch(self.decoder.frames(path, rate, options.max_side), self.prefetch_frames)

        def counted() -> Iterator[Frame]:
            for n, frame in enumerate(prefetch, start=1):
                report(min(0.97, 0.97 * n / expected))  # pose is most of the work; sound takes the rest
                yield frame

        pose_start = time.perf_counter()
        try:
            track = self.estimator.estimate(counted(), info.width, info.height)
        finally:
            prefetch.close()
        pose_wall = time.perf_counter() - pose_start

        audio_start = time.perf_counter()
        features = self._audio(path) if options.with_audio and info.has_audio else None
        beats = beat_grid(features)
        audio_s = time.perf_counter() - audio_start
        report(1.0)
        stages = {
            "decode": prefetch.busy_seconds,
            "pose": max(0.0, pose_wall - prefetch.wait_seconds),  # excludes waiting for decoded frames
            "decode_pose_wall": pose_wall,
            "audio": audio_s,
            "capture": time.perf_counter() - started,
        }
        return CapturedVideo(video=info, track=track, audio=features if beats is not None else None,
                             beats=beats, stage_seconds=stages)

    def _audio(self, path: Path) -> AudioFeatures | None:
        track = self.decoder.audio(path, self.audio_sample_rate)
        if track is None or track.samples.size == 0:
            return None
        if float(np.max(np.abs(track.samples))) < 1e-4:
            return None  # a silent track (muted recording) says nothing about music
        return self.audio_analyzer.analyze(track)
