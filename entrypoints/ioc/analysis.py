"""Analysis (shared layer): the engine (capture + iDance scoring), pose data, URL fetching, analysis records."""

from __future__ import annotations

from collections.abc import Iterator

from dishka import Provider, Scope, provide

from adapters.net.safe_fetch import SafeVideoFetcher
from adapters.sqla.analyses import SqlaAnalysisRepository
from adapters.storage.pose_data import BlobPoseDataStore
from application.analysis.engine import AnalysisEngine
from application.analysis.health import GetAnalysisHealth
from application.analysis.job import FailAnalysisOfJob, PoseAnalysisHandler, RepairStuckAnalyses
from application.analysis.requests import POSE_ANALYSIS, CountActiveAnalyses, GetAnalysis, RequestAnalysis
from application.analysis.rescoring import RescoreSubmission
from application.jobs.runner import JobRoute
from application.ports.analysis_records import AnalysisRepository, VideoFetcher
from application.ports.pose_data import PoseDataStore
from application.ports.storage import BlobStore
from entrypoints.pipeline_factory import make_pipeline
from entrypoints.settings import Settings


class AnalysisProvider(Provider):
    scope = Scope.APP

    @provide
    def fetcher(self, settings: Settings) -> VideoFetcher:
        # Every URL a user gives (analyses, breakdowns) goes through the SSRF-safe fetcher.
        return SafeVideoFetcher(allow_private=settings.fetch_allow_private)

    @provide
    def engine(self, settings: Settings) -> Iterator[AnalysisEngine]:
        providers = [p.strip() for p in settings.onnx_providers.split(",") if p.strip()]
        pipeline = make_pipeline(settings.pose_backend, onnx_model=settings.pose_onnx_model, providers=providers,
                                 sample_fps=settings.analysis_fps, max_side=settings.analysis_max_side)
        engine = AnalysisEngine(pipeline=pipeline, backend=settings.pose_backend,
                                max_download_bytes=settings.url_download_max_mb * 1024 * 1024,
                                download_timeout=settings.url_download_timeout)
        yield engine
        engine.close()

    @provide
    def pose_data(self, blobs: BlobStore) -> PoseDataStore:
        return BlobPoseDataStore(blobs)

    analyses = provide(SqlaAnalysisRepository, provides=AnalysisRepository, scope=Scope.REQUEST)
    request_analysis = provide(RequestAnalysis, scope=Scope.REQUEST)
    get_analysis = provide(GetAnalysis, scope=Scope.REQUEST)
    count_active = provide(CountActiveAnalyses, scope=Scope.REQUEST)
    health = provide(GetAnalysisHealth, scope=Scope.REQUEST)
    rescore = provide(RescoreSubmission, scope=Scope.REQUEST)
    pose_handler = provide(PoseAnalysisHandler, scope=Scope.REQUEST)
    fail_analysis = provide(FailAnalysisOfJob, scope=Scope.REQUEST)
    repair = provide(RepairStuckAnalyses, scope=Scope.REQUEST)

    @provide(scope=Scope.REQUEST)
    def pose_route(self, handler: PoseAnalysisHandler, failed: FailAnalysisOfJob) -> JobRoute:
        return JobRoute(POSE_ANALYSIS, handler, on_failure=failed)
