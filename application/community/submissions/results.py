"""Filling a submission's score from its analysis: the only source of a score."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from application.community.ports import (
    ChallengeRepository,
    SubmissionRepository,
)
from application.ports.analysis_records import SubmissionAnalysis, SubmissionResultSink


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplyAnalysisResult(SubmissionResultSink):
    """The submission's score, breakdown, feedback, badge and processedAt come from here only."""

    submissions: SubmissionRepository
    challenges: ChallengeRepository
    changed: Callable[[str], None] | None = None  # e.g. drop cached leaderboard pages of the challenge

    async def record(self, result: SubmissionAnalysis) -> None:
        submission = await self.submissions.get(result.submission_id)
        if submission is None:
            return  # an analysis requested for something that is not a challenge submission
        if result.completed and result.total_score is not None and result.breakdown is not None:
            challenge = await self.challenges.get(submission.challenge_id)
            rule = challenge.badge_rule if challenge is not None else None
            if rule is None:
                return
            updated = submission.analysed(total_score=result.total_score, breakdown=result.breakdown,
                                          feedback=result.feedback, confidence=result.confidence,
                                          pose_data_key=result.pose_data_key, rule=rule,
                                          finished_at=result.finished_at, video_duration=result.video_duration)
        else:
            updated = submission.analysis_failed(result.error or "The analysis failed.", result.finished_at)
        await self.submissions.save(updated)
        if self.changed is not None:
            self.changed(submission.challenge_id)
