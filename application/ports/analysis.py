"""Ports for the analysis pipeline: video decoding, pose estimation and audio analysis.

These are synchronous, CPU-bound calls; the application runs them in a worker's executor.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from domain.analysis.pose import PoseTrack

UInt8Image = npt.NDArray[np.uint8]
FloatArray = npt.NDArray[np.float64]


class MediaError(Exception):
    """The media cannot be analysed; the message says why in words a user understands."""


@dataclass(frozen=True, slots=True)
class VideoInfo:
    container: str  # e.g. "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi"
    codec: str
    width: int  # upright size, after rotation metadata
    height: int
    rotation: int  # degrees clockwise applied to decoded frames to make them upright
    fps: float
    duration: float  # seconds
    frame_count: int
    has_audio: bool


@dataclass(frozen=True, slots=True)
class Frame:
    index: int  # index among the sampled frames
    timestamp: float  # seconds
    rgb: UInt8Image  # (H, W, 3), upright


@dataclass(frozen=True, slots=True)
class AudioTrack:
    samples: npt.NDArray[np.float32]  # mono
    sample_rate: int


@dataclass(frozen=True, slots=True)
class AudioFeatures:
    tempo_bpm: float
    beat_times: FloatArray  # seconds
    onset_strength: FloatArray  # onset envelope
    onset_rate: float  # envelope frames per second
    duration: float


class VideoDecoder(Protocol):
    @abstractmethod
    def probe(self, path: Path) -> VideoInfo:
        """Read the container by its content (never its name); raise MediaError when it holds no video."""

    @abstractmethod
    def frames(self, path: Path, sample_fps: float, max_side: int | None = None) -> Iterator[Frame]:
        """Upright RGB frames sampled at ``sample_fps`` (or every frame when the video is slower)."""

    @abstractmethod
    def audio(self, path: Path, sample_rate: int) -> AudioTrack | None:
        """The mono sound track resampled to ``sample_rate``, or None when there is none."""


class PoseEstimator(Protocol):
    name: str

    @abstractmethod
    def estimate(self, frames: Iterable[Frame], width: int, height: int) -> PoseTrack:
        """One person's pose in each frame, as a track in image pixels."""

    @property
    @abstractmethod
    def loaded(self) -> bool:
        """Whether the model is in memory (a lazily built graph counts once built)."""

    @abstractmethod
    def warm_up(self) -> None:
        """Load the model now rather than on the first video."""

    @abstractmethod
    def close(self) -> None: ...


class AudioAnalyzer(Protocol):
    @abstractmethod
    def analyze(self, audio: AudioTrack) -> AudioFeatures: ...

    @abstractmethod
    def warm_up(self) -> None:
        """Pay one-off compilation costs before the first real request."""
