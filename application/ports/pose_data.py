"""Stored pose data: the track an analysis was scored on, kept so it can be scored again without the video."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from typing import Any, Protocol

from domain.analysis.pose import BeatGrid, PoseTrack


@dataclass(frozen=True, slots=True)
class StoredPoseData:
    track: PoseTrack
    beats: BeatGrid | None
    target_bpm: float | None


class PoseDataStore(Protocol):
    @abstractmethod
    async def save_analysis(self, analysis_id: str, data: StoredPoseData, video: dict[str, Any]) -> str:
        """Store an analysis's pose data; answer the file key it is kept under."""

    @abstractmethod
    async def load(self, key: str) -> StoredPoseData: ...

    @abstractmethod
    async def save_reference(self, source_key: str, track: PoseTrack) -> None:
        """Remember the pose track of a reference (demo) video, by the demo's own file key."""

    @abstractmethod
    async def reference(self, source_key: str) -> PoseTrack | None:
        """The remembered track of a reference video, or None when it was never analysed."""
