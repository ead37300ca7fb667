"""What the analysis service can say about itself: its engine and the analyses still running."""

from __future__ import annotations

from dataclasses import dataclass

from application.analysis.engine import AnalysisEngine, EngineStatus
from application.ports.analysis_records import AnalysisRepository


@dataclass(frozen=True, slots=True)
class AnalysisHealth:
    engine: EngineStatus
    active_analyses: int


@dataclass(frozen=True, slots=True, kw_only=True)
class GetAnalysisHealth:
    engine: AnalysisEngine
    analyses: AnalysisRepository

    async def __call__(self) -> AnalysisHealth:
        return AnalysisHealth(engine=self.engine.status(), active_analyses=await self.analyses.count_active())
