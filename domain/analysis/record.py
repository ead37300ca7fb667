"""The record of one analysis of a video: its owner, status, progress, result or reason.

An analysis has its own id; an iDance challenge submission finds its analysis by ``submission_id``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from domain.analysis.scoring.model import PerformanceReport

# Shortest video each use accepts, seconds. Challenge submissions: the iDance spec's "10 seconds to 5 minutes";
# a free analysis needs a few beats and movements (3 s); a golf swing lasts 2-10 s.
MIN_DURATION_S: dict[str, float] = {"challenge_submission": 10.0, "performance": 3.0, "swing": 2.0}


class AnalysisStatus(StrEnum):
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalysisRecord:
    id: str
    user_id: str  # the owner
    kind: str = "performance"  # what was analysed for: iDance's scored performance today
    submission_id: str | None = None
    job_id: str | None = None
    status: AnalysisStatus = AnalysisStatus.PROCESSING
    progress: float = 0.0
    source_url: str | None = None
    source_key: str | None = None
    challenge_type: str | None = None
    target_bpm: float | None = None
    reference_key: str | None = None
    pose_data_key: str | None = None
    report: dict[str, Any] | None = None  # PerformanceReport.to_dict()
    error: str | None = None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None

    @property
    def is_challenge_submission(self) -> bool:
        # Only community's submit path names the challenge's demo (reference_key); the public analyze-pose body
        # cannot, while its challenge_type is the caller's free label.
        return self.reference_key is not None

    @property
    def min_duration_s(self) -> float:
        if self.is_challenge_submission:
            return MIN_DURATION_S["challenge_submission"]
        return MIN_DURATION_S.get(self.kind, MIN_DURATION_S["performance"])

    def performance(self) -> PerformanceReport | None:
        """The scored report of a completed analysis; None while it runs or when it failed."""
        if self.status is not AnalysisStatus.COMPLETED or self.report is None:
            return None
        return PerformanceReport.from_dict(self.report)

    def advance(self, progress: float, now: datetime) -> AnalysisRecord:
        return replace(self, progress=min(1.0, max(self.progress, progress)), updated_at=now)

    def complete(self, report: dict[str, Any], pose_data_key: str, now: datetime) -> AnalysisRecord:
        return replace(self, status=AnalysisStatus.COMPLETED, progress=1.0, report=report,
                       pose_data_key=pose_data_key, error=None, updated_at=now, completed_at=now)

    def rescored(self, report: dict[str, Any], now: datetime) -> AnalysisRecord:
        return replace(self, report=report, updated_at=now)

    def fail(self, reason: str, now: datetime) -> AnalysisRecord:
        # A failure never carries a score.
        return replace(self, status=AnalysisStatus.FAILED, report=None, error=reason, updated_at=now,
                       completed_at=now)
