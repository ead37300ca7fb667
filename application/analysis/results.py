"""What a finished analysis tells the iDance submission it belongs to."""

from __future__ import annotations

from application.ports.analysis_records import SubmissionAnalysis
from domain.analysis.record import AnalysisRecord
from domain.analysis.scoring import PerformanceReport


def submission_result(record: AnalysisRecord, report: PerformanceReport | None,
                      video_duration: float | None = None) -> SubmissionAnalysis:
    assert record.submission_id is not None
    return SubmissionAnalysis(
        submission_id=record.submission_id, completed=report is not None,
        total_score=None if report is None else round(report.total, 1),
        breakdown=None if report is None else report.breakdown(),
        feedback=None if report is None else report.feedback,
        confidence=None if report is None else round(report.confidence, 3),
        pose_data_key=record.pose_data_key, error=record.error,
        finished_at=record.completed_at or record.updated_at,
        video_duration=None if video_duration is None else round(video_duration, 2),
    )
