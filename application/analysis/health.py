"""What the analysis service can say about itself, measured: its engine, its dependencies, the analyses running.
A figure that cannot be measured (the database is down) is reported as unknown (None), never as 0."""

from __future__ import annotations

from dataclasses import dataclass

from application.analysis.engine import AnalysisEngine, EngineStatus
from application.health.check import CheckHealth
from application.ports.analysis_records import AnalysisRepository


@dataclass(frozen=True, slots=True)
class AnalysisHealth:
    engine: EngineStatus
    dependencies: dict[str, str]  # name -> "ok" | "unreachable: <kind>"
    active_analyses: int | None  # None: the database could not be asked

    @property
    def status(self) -> str:
        if self.dependencies.get("database") != "ok":
            return "unhealthy"
        return "healthy" if all(v == "ok" for v in self.dependencies.values()) else "degraded"


@dataclass(frozen=True, slots=True, kw_only=True)
class GetAnalysisHealth:
    engine: AnalysisEngine
    analyses: AnalysisRepository
    check: CheckHealth

    async def __call__(self) -> AnalysisHealth:
        report = await self.check()
        active: int | None = None
        if report.states.get("database") == "ok":
            try:
                active = await self.analyses.count_active()
            except Exception:  # the database went away between the probe and the count
                active = None
        return AnalysisHealth(engine=self.engine.status(), dependencies=report.states, active_analyses=active)
