"""Ports of the choreography context: song analysis, the move index, the move library's files, video assembly."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Generic, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from domain.choreography.blueprint import Blueprint
from domain.choreography.catalogue import Song, SongFilter
from domain.choreography.class_plan import ClassPlan
from domain.choreography.collection import CollectionFilter, SavedChoreography
from domain.choreography.moves import MoveRecord
from domain.choreography.song import SongAnalysis
from domain.choreography.task import ChoreographyTask

FloatArray = npt.NDArray[np.float64]
T = TypeVar("T")
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
    # the clip tracked afresh from each of ``restart_starts`` (seconds) to the move's end: (times, landmarks)
    restart_starts: tuple[float, ...] = ()
    restarts: tuple[tuple[FloatArray, FloatArray], ...] = ()


class TrackCache(Protocol):
    """Captured clips kept by file name, so records can be rebuilt without decoding and pose estimation."""

    @abstractmethod
    def get(self, clip_file: str) -> CapturedClip | None: ...

    @abstractmethod
    def put(self, clip_file: str, clip: CapturedClip) -> None: ...


class FigureClipWriter(Protocol):
    @abstractmethod
    def write(self, path: Path, times: FloatArray, landmarks: FloatArray, width: int, height: int,
              fps: float) -> None:
        """Draw the landmark track (pixels) as a figure and encode it as an MP4 at ``path``."""


class VideoAssembler(Protocol):
    @abstractmethod
    def assemble(self, blueprint: Blueprint, clip_root: Path, output: Path,
                 progress: SyncProgress | None = None) -> float:
        """Render ``blueprint`` to an MP4 at ``output`` and return its duration in seconds; MediaError on failure."""


# --- catalogue, tasks, collections and class plans (their repositories) --------------------------------------


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int


class SongRepository(Protocol):
    @abstractmethod
    async def add(self, song: Song) -> Song:
        """Store a new song; the answer carries the id the database gave it."""

    @abstractmethod
    async def save(self, song: Song) -> None: ...

    @abstractmethod
    async def get(self, song_id: int) -> Song | None: ...

    @abstractmethod
    async def by_title(self, title: str) -> Song | None: ...

    @abstractmethod
    async def search(self, flt: SongFilter, offset: int, limit: int) -> Page[Song]: ...

    @abstractmethod
    async def analysed(self) -> list[Song]: ...


class TaskRepository(Protocol):
    @abstractmethod
    async def add(self, task: ChoreographyTask) -> None: ...

    @abstractmethod
    async def save(self, task: ChoreographyTask) -> None: ...

    @abstractmethod
    async def get(self, task_id: str) -> ChoreographyTask | None: ...

    @abstractmethod
    async def of_user(self, user_id: str, offset: int, limit: int) -> Page[ChoreographyTask]: ...

    @abstractmethod
    async def latest_with_fingerprint(self, fingerprint: str) -> ChoreographyTask | None: ...

    @abstractmethod
    async def created_since(self, user_id: str, since: datetime) -> list[datetime]:
        """When the user's tasks since ``since`` were created (the hourly allowance counts them)."""

    @abstractmethod
    async def completed_before(self, before: datetime) -> list[ChoreographyTask]: ...


class CollectionRepository(Protocol):
    @abstractmethod
    async def add(self, item: SavedChoreography) -> None:
        """Raises Conflict when the user saved this task already."""

    @abstractmethod
    async def save(self, item: SavedChoreography) -> None: ...

    @abstractmethod
    async def get(self, item_id: str) -> SavedChoreography | None: ...

    @abstractmethod
    async def by_task(self, user_id: str, task_id: str) -> SavedChoreography | None: ...

    @abstractmethod
    async def search(self, user_id: str, flt: CollectionFilter, offset: int, limit: int) -> Page[SavedChoreography]:
        ...

    @abstractmethod
    async def all_of(self, user_id: str) -> list[SavedChoreography]: ...

    @abstractmethod
    async def delete(self, item_ids: Sequence[str]) -> int: ...

    @abstractmethod
    async def referenced_video_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of ``keys`` a collection item or a class plan sequence still points at."""


class ClassPlanRepository(Protocol):
    @abstractmethod
    async def add(self, plan: ClassPlan) -> None: ...

    @abstractmethod
    async def save(self, plan: ClassPlan) -> None:
        """The plan and its sequences, as given (sequences replaced)."""

    @abstractmethod
    async def get(self, plan_id: str) -> ClassPlan | None: ...

    @abstractmethod
    async def of_instructor(self, instructor_id: str, offset: int, limit: int) -> Page[ClassPlan]: ...

    @abstractmethod
    async def all_of(self, instructor_id: str) -> list[ClassPlan]: ...

    @abstractmethod
    async def delete(self, plan_id: str) -> None: ...
