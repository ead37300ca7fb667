"""Ports of the swing coach: text to speech and the composited video."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from domain.analysis.pose import PoseTrack
from domain.coaching.phases import SwingPhase
from domain.coaching.records import SwingAnalysisRecord, SwingVideo
from domain.coaching.script import ScriptLine

AudioFormat = Literal["wav", "mp3"]


class SpeechError(Exception):
    """Speech could not be produced; the message says why."""


@dataclass(frozen=True, slots=True)
class Speech:
    samples: npt.NDArray[np.float32]  # mono, -1..1
    sample_rate: int

    @property
    def duration(self) -> float:
        return float(self.samples.shape[0] / self.sample_rate) if self.sample_rate else 0.0


class SpeechSynthesizer(Protocol):
    """Offline text to speech. ``speed`` 1.0 is the voice's natural rate; 0.5 half as fast, 2.0 twice."""

    name: str

    @abstractmethod
    def voices(self) -> list[str]: ...

    @abstractmethod
    def synthesize(self, text: str, voice: str | None = None, speed: float = 1.0) -> Speech:
        """The whole text as one clip; raises SpeechError (also for empty text or a speed outside 0.25-4)."""

    @abstractmethod
    def stream(self, text: str, voice: str | None = None, speed: float = 1.0) -> Iterator[Speech]:
        """Clips (one per sentence) as they are synthesised, for streaming."""

    @abstractmethod
    def audio_bytes(self, text: str, voice: str | None = None, speed: float = 1.0,
                    fmt: AudioFormat = "mp3") -> bytes:
        """An encoded file (WAV or MP3), cached by (text, voice, speed, format)."""

    @abstractmethod
    def warm_up(self) -> None: ...


@dataclass(frozen=True, slots=True)
class SpokenLine:
    line: ScriptLine
    speech: Speech


@dataclass(frozen=True, slots=True)
class CompositeInfo:
    path: Path
    duration: float
    width: int
    height: int
    frames: int


class SwingVideoCompositor(Protocol):
    @abstractmethod
    def compose(self, source: Path, track: PoseTrack, phases: Sequence[SwingPhase], lines: Sequence[SpokenLine],
                out: Path, playback_speed: float) -> CompositeInfo:
        """The swing (slowed to ``playback_speed``), skeleton, phase name, captions and speech, as H.264/AAC MP4."""


class SpeechEncoder(Protocol):
    @abstractmethod
    def encode(self, speech: Speech, fmt: AudioFormat, continuation: bool = False) -> bytes:
        """A whole file in the format (WAV or MP3). ``continuation``: a piece that follows another in one stream
        (an MP3 without its leading tag, so that the pieces concatenate into one playable MP3 stream)."""


class SwingVideoRepository(Protocol):
    @abstractmethod
    async def add(self, video: SwingVideo) -> None: ...

    @abstractmethod
    async def get(self, video_id: int) -> SwingVideo | None: ...

    @abstractmethod
    async def delete(self, video_id: int) -> None:
        """The video's row and its analyses' rows."""


class SwingAnalysisRepository(Protocol):
    @abstractmethod
    async def add(self, record: SwingAnalysisRecord) -> None: ...

    @abstractmethod
    async def save(self, record: SwingAnalysisRecord) -> None: ...

    @abstractmethod
    async def get(self, analysis_id: int) -> SwingAnalysisRecord | None: ...

    @abstractmethod
    async def for_video(self, video_id: int) -> list[SwingAnalysisRecord]:
        """Newest first."""

    @abstractmethod
    async def by_user(self, user_id: str, limit: int, offset: int) -> tuple[list[SwingAnalysisRecord], int]:
        """A page (newest first) and the total."""

    @abstractmethod
    async def count_created_since(self, user_id: str, since: datetime) -> int: ...
