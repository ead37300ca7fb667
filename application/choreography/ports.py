"""Ports of the choreography context: song analysis, the move index, the move library's files, video assembly."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from domain.choreography.blueprint import Blueprint
from domain.choreography.moves import MoveRecord
from domain.choreography.song import SongAnalysis

FloatArray = npt.NDArray[np.float64]
SyncProgress = Callable[[float], None]
"""Fraction done, 0..1, reported from the thread that does the work."""


class SongAnalyzer(Protocol):
    @abstractmethod
    def analyze(self, path: Path) -> SongAnalysis:
        """Beats, downbeats, 8-counts, sections and energy of an audio file; MediaError when it holds no music."""

    @abstractmethod
    def warm_up(self) -> None: ...


@dataclass(frozen=True, slots=True)
class MoveHit:
    clip_id: str
    score: float  # inner product of the unit vectors: cosine similarity, higher is nearer


class MoveIndex(Protocol):
    """Nearest moves by embedding; rebuilt from the stored move records whenever they change."""

    @abstractmethod
    def rebuild(self, records: Sequence[MoveRecord]) -> None: ...

    @abstractmethod
    def search(self, vector: Sequence[float], k: int, exclude: frozenset[str] = frozenset()) -> list[MoveHit]: ...

    @abstractmethod
    def query(self, energy: float, difficulty: float, tempo_bpm: float) -> Sequence[float]:
        """A search vector asking for a descriptor (energy, difficulty 0..1 and a tempo) and no particular motion."""

    @abstractmethod
    def vector_of(self, clip_id: str) -> Sequence[float]:
        """The indexed vector of a library move (e.g. to find moves like it)."""

    @abstractmethod
    def record(self, clip_id: str) -> MoveRecord: ...

    @abstractmethod
    def records(self) -> list[MoveRecord]: ...

    def __len__(self) -> int: ...


class MoveLibraryStore(Protocol):
    """The ingested library's records (and the pose tracks they came from) in durable files."""

    @abstractmethod
    def save(self, records: Sequence[MoveRecord]) -> None: ...

    @abstractmethod
    def load(self) -> list[MoveRecord]: ...


@dataclass(frozen=True, slots=True)
class CapturedClip:
    """What ingestion keeps of a clip's capture: the pose track and the music's beats."""

    times: FloatArray
    landmarks: FloatArray
    width: int
    height: int
    duration: float
    beat_times: FloatArray | None
    tempo_bpm: float | None


class TrackCache(Protocol):
    """Captured clips kept by file name, so records can be rebuilt without decoding and pose estimation."""

    @abstractmethod
    def get(self, clip_file: str) -> CapturedClip | None: ...

    @abstractmethod
    def put(self, clip_file: str, clip: CapturedClip) -> None: ...


class VideoAssembler(Protocol):
    @abstractmethod
    def assemble(self, blueprint: Blueprint, clip_root: Path, output: Path,
                 progress: SyncProgress | None = None) -> float:
        """Render ``blueprint`` to an MP4 at ``output`` and return its duration in seconds; MediaError on failure."""
