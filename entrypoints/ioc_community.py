"""Wiring of the community features (sessions, challenges, submissions, feed, admin jobs)."""

from __future__ import annotations

from dishka import Provider, Scope, provide

from application.ports.analysis_records import SubmissionAnalysis, SubmissionResultSink
from entrypoints.job_handlers import ExtraJobHandlers


class _NoSubmissions(SubmissionResultSink):
    """Until submissions are stored, an analysis has no submission row to update."""

    async def record(self, result: SubmissionAnalysis) -> None:
        return None


class CommunityProvider(Provider):
    scope = Scope.REQUEST

    @provide
    def sink(self) -> SubmissionResultSink:
        return _NoSubmissions()

    @provide
    def extra_handlers(self) -> ExtraJobHandlers:
        return ExtraJobHandlers({})
