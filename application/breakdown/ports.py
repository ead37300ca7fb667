"""Ports of the breakdown context: where a video comes from, how it is captured and the outline drawn, and where
breakdowns are kept."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from application.analysis.capture import CapturedVideo, CaptureOptions
from application.breakdown.views import UserProfile
from application.jobs.progress import FractionDone
from domain.analysis.pose import PoseTrack
from domain.breakdown.model import Breakdown
from domain.breakdown.record import BreakdownRecord


@dataclass(frozen=True, slots=True)
class SourcedVideo:
    path: Path
    title: str | None  # the page's title when the source has one


class VideoSource(Protocol):
    """A page URL (YouTube, Instagram, ...) to a local media file."""

    @abstractmethod
    def handles(self, url: str) -> bool:
        """Whether this source reads pages of this URL (rather than a direct media URL)."""

    @abstractmethod
    async def download(self, url: str, folder: Path, *, max_bytes: int, timeout: float) -> SourcedVideo:
        """Fetch the page's video into ``folder``; raise MediaError with the reason when it cannot."""


@dataclass(frozen=True, slots=True)
class RenderedMedia:
    outline: Path  # H.264 MP4: skeleton over the original, step numbers, beat ticks
    thumbnail: Path  # JPEG
    playable: Path  # H.264/AAC MP4 any browser plays (a re-encode when the source is not)


class OutlineRenderer(Protocol):
    @abstractmethod
    def render(self, video: Path, track: PoseTrack, breakdown: Breakdown, folder: Path) -> RenderedMedia:
        """Draw the outline video and thumbnail into ``folder`` (CPU-bound; callers use an executor)."""


class CaptureRunner(Protocol):
    """The shared capture, run where the process allows one pose graph at a time (``AnalysisEngine.capture``)."""

    @abstractmethod
    async def capture(self, path: Path, options: CaptureOptions, progress: FractionDone) -> CapturedVideo:
        """Decode, pose and beats of one video; raise MediaError with the reason."""


@dataclass(frozen=True, slots=True)
class BreakdownPage:
    items: list[BreakdownRecord]
    total: int


@dataclass(frozen=True, slots=True)
class SharedBreakdown:
    record: BreakdownRecord
    profile: UserProfile


@dataclass(frozen=True, slots=True)
class SharedBreakdownPage:
    items: list[SharedBreakdown]
    total: int


class BreakdownRepository(Protocol):
    @abstractmethod
    async def add(self, record: BreakdownRecord) -> None: ...

    @abstractmethod
    async def save(self, record: BreakdownRecord) -> None: ...

    @abstractmethod
    async def get(self, breakdown_id: str) -> BreakdownRecord | None: ...

    @abstractmethod
    async def of_user(self, user_id: str, *, skip: int, limit: int) -> BreakdownPage:
        """The user's breakdowns of every status, newest first."""

    @abstractmethod
    async def succeeded(self, *, skip: int, limit: int) -> SharedBreakdownPage:
        """Every user's completed breakdowns, newest first, with their owner's public profile."""
