"""Ports of the breakdown context: where a video comes from, and how the outline video is drawn."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from domain.analysis.pose import PoseTrack
from domain.breakdown.model import Breakdown


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
