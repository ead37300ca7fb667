"""Scoring again from the stored pose data (no video decode), e.g. after a scoring improvement."""

from __future__ import annotations

from dataclasses import dataclass

from application.analysis.requests import GetAnalysis
from application.analysis.results import submission_result
from application.ports.analysis_records import AnalysisRepository, SubmissionResultSink
from application.ports.persistence import TransactionManager
from application.ports.pose_data import PoseDataStore
from application.ports.system import Clock
from domain.analysis.record import AnalysisStatus
from domain.analysis.scoring import PerformanceReport, score_performance
from domain.errors import InvalidInput
from domain.identity.user import User


@dataclass(frozen=True, slots=True, kw_only=True)
class RescoreSubmission:
    analyses: AnalysisRepository
    pose_data: PoseDataStore
    sink: SubmissionResultSink
    tx: TransactionManager
    clock: Clock

    async def __call__(self, submission_id: str, user: User) -> PerformanceReport:
        record = await GetAnalysis(analyses=self.analyses)(submission_id, user)
        if record.status is AnalysisStatus.PROCESSING:
            raise InvalidInput("The analysis is still running; score it once it has completed.",
                               field="submission_id")
        if record.pose_data_key is None:
            raise InvalidInput(f"Nothing to score: the analysis failed ({record.error}).", field="submission_id")
        stored = await self.pose_data.load(record.pose_data_key)
        reference = None
        if record.reference_key is not None and record.report and record.report.get("comparison"):
            reference = await self.pose_data.reference(record.reference_key)
        report = score_performance(stored.track, stored.beats, target_bpm=stored.target_bpm, reference=reference)
        record = record.rescored(report.to_dict(), self.clock.now())
        await self.analyses.save(record)
        await self.sink.record(submission_result(record, report))
        await self.tx.commit()
        return report
