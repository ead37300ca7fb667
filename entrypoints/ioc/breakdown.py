"""Dance breakdowns (spec 001): the breakdown work on the process's analysis engine, its records and job route.

Settings: ``LLM`` (``none``: the deterministic writer; ``openai``: an OpenAI-compatible server at ``LLM_BASE_URL``
with ``LLM_API_KEY`` and ``LLM_MODEL``, whose wording is validated against the measurements), ``BREAKDOWN_WAIT_S``
and, through the shared ``VideoFetcher``, ``FETCH_ALLOW_PRIVATE``.
"""

from __future__ import annotations

from dishka import Provider, Scope, provide

from adapters.llm.openai_compatible import LanguageModelSettings, OpenAICompatibleLanguageModel
from adapters.media.opencv_outline import OpenCvOutlineRenderer
from adapters.sources.yt_dlp import YtDlpVideoSource
from adapters.sqla.breakdown.repositories import SqlaBreakdownRepository
from application.analysis.engine import AnalysisEngine
from application.breakdown.break_down import DANCE_BREAKDOWN, BreakDownDance
from application.breakdown.job import BreakdownJob, FailBreakdownOfJob
from application.breakdown.ports import BreakdownRepository, OutlineRenderer, VideoSource
from application.breakdown.requests import (
    AwaitBreakdown,
    GetBreakdown,
    ListBreakdowns,
    ListBreakdownVideos,
    RequestBreakdown,
)
from application.jobs.runner import JobRoute
from application.ports.analysis_records import VideoFetcher
from application.ports.language import LanguageModel, TemplateLanguageModel
from application.ports.persistence import TransactionManager
from application.ports.storage import BlobStore
from entrypoints.settings import Settings


def language_model(settings: Settings) -> LanguageModel:
    if settings.llm == "openai":
        return OpenAICompatibleLanguageModel(LanguageModelSettings(
            base_url=settings.llm_base_url, api_key=settings.llm_api_key, model=settings.llm_model))
    return TemplateLanguageModel()


class BreakdownProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def renderer(self) -> OutlineRenderer:
        return OpenCvOutlineRenderer()

    @provide(scope=Scope.APP)
    def source(self) -> VideoSource:
        return YtDlpVideoSource()

    @provide(scope=Scope.APP)
    def work(self, settings: Settings, engine: AnalysisEngine, renderer: OutlineRenderer, blobs: BlobStore,
             fetcher: VideoFetcher, source: VideoSource) -> BreakDownDance:
        # The engine's capture holds its lock: one pose graph at a time across analyses and breakdowns.
        return BreakDownDance(capture=engine, renderer=renderer, blobs=blobs, language=language_model(settings),
                              fetcher=fetcher, source=source,
                              max_download_bytes=settings.url_download_max_mb * 1024 * 1024,
                              download_timeout=settings.url_download_timeout)

    breakdowns = provide(SqlaBreakdownRepository, provides=BreakdownRepository)
    request_breakdown = provide(RequestBreakdown)
    get_breakdown = provide(GetBreakdown)
    list_breakdowns = provide(ListBreakdowns)
    list_videos = provide(ListBreakdownVideos)
    job = provide(BreakdownJob)
    fail = provide(FailBreakdownOfJob)

    @provide
    def await_breakdown(self, breakdowns: BreakdownRepository, blobs: BlobStore, tx: TransactionManager,
                        settings: Settings) -> AwaitBreakdown:
        return AwaitBreakdown(breakdowns=breakdowns, blobs=blobs, tx=tx, wait_s=settings.breakdown_wait_s)

    @provide
    def route(self, handler: BreakdownJob, failed: FailBreakdownOfJob) -> JobRoute:
        return JobRoute(DANCE_BREAKDOWN, handler, on_failure=failed)
