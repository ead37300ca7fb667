"""Ports around an analysis: its record, fetching a video by URL, and telling a submission its result."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from domain.analysis.record import AnalysisRecord


class AnalysisRepository(Protocol):
    @abstractmethod
    async def add(self, record: AnalysisRecord) -> None: ...

    @abstractmethod
    async def save(self, record: AnalysisRecord) -> None: ...

    @abstractmethod
    async def get(self, analysis_id: str) -> AnalysisRecord | None: ...

    @abstractmethod
    async def by_submission(self, submission_id: str) -> AnalysisRecord | None:
        """The analysis of an iDance submission (at most one: a new request re-runs it in place)."""

    @abstractmethod
    async def count_active(self) -> int: ...

    @abstractmethod
    async def processing(self, limit: int = 500) -> list[AnalysisRecord]:
        """Analyses not yet ended, oldest first."""


class VideoFetcher(Protocol):
    @abstractmethod
    async def fetch(self, url: str, target: Path, *, max_bytes: int, timeout: float) -> int:
        """Download an http(s) URL to ``target``; raise InvalidInput/MediaError with a reason."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmissionAnalysis:
    """What a finished analysis tells the submission it belongs to."""

    submission_id: str
    completed: bool
    total_score: float | None
    breakdown: dict[str, float] | None
    feedback: str | None
    confidence: float | None
    pose_data_key: str | None
    error: str | None
    finished_at: datetime
    video_duration: float | None = None  # seconds, as decoded; None when the video was never read


class SubmissionResultSink(Protocol):
    @abstractmethod
    async def record(self, result: SubmissionAnalysis) -> None:
        """Fill the submission's score from the analysis (a no-op when no such submission exists)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmittedVideo:
    """A challenge submission's own video: the only source its analysis may use."""

    submission_id: str
    owner_id: str
    video_key: str
    reference_key: str | None  # the challenge's demo, compared with
    challenge_type: str | None


class SubmittedVideos(Protocol):
    @abstractmethod
    async def of(self, submission_id: str) -> SubmittedVideo | None:
        """The submission's video, or None when the id names no challenge submission."""
