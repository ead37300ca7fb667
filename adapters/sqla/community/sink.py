"""The SQL side of "an analysis finished": fill the submission's score, or its failure, in the job's transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sqla.community.cache import LeaderboardCache
from adapters.sqla.community.repositories import SqlaChallengeRepository, SqlaSubmissionRepository
from application.community.submissions import ApplyAnalysisResult
from application.ports.analysis_records import SubmissionAnalysis, SubmissionResultSink


class SqlaSubmissionResultSink(SubmissionResultSink):
    def __init__(self, session: AsyncSession, cache: LeaderboardCache | None = None) -> None:
        self._apply = ApplyAnalysisResult(submissions=SqlaSubmissionRepository(session),
                                          challenges=SqlaChallengeRepository(session),
                                          changed=cache.invalidate if cache is not None else None)

    async def record(self, result: SubmissionAnalysis) -> None:
        await self._apply.record(result)
