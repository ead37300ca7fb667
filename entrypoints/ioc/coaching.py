"""Coaching (the golf swing coach, spec 004 and the FutureGolf app): repositories, speech, the composited video,
the swing-analysis job route."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from dishka import Provider, Scope, provide

from adapters.analysis.pyav_video import PyAvVideoDecoder
from adapters.media.pyav_swing_compositor import PyAvSwingVideoCompositor
from adapters.speech.espeak_ng import EspeakNgSpeechSynthesizer
from adapters.speech.piper_tts import PiperSpeechSynthesizer
from adapters.speech.pyav_encoder import PyAvSpeechEncoder
from adapters.sqla.coaching.repositories import SqlaSwingAnalysisRepository, SqlaSwingVideoRepository
from application.analysis.engine import AnalysisEngine
from application.coaching.analyse import JOB_KIND
from application.coaching.anonymous import AnonymousAppAccount, AppAccountCache
from application.coaching.job import CaptureMemo, FailSwingAnalysisOfJob, RunSwingAnalysis
from application.coaching.ports import (
    SpeechEncoder,
    SpeechSynthesizer,
    SwingAnalysisRepository,
    SwingVideoCompositor,
    SwingVideoRepository,
)
from application.coaching.requests import StartSwingAnalysis, SwingAnalysisQueries
from application.coaching.speech import SpeechService
from application.coaching.videos import DeleteSwingVideo, GetSwingVideo, UploadPolicy, UploadSwingVideo
from application.jobs.runner import EnqueueJob, JobRoute
from application.ports.persistence import TransactionManager, UserRepository
from application.ports.storage import BlobStore
from application.ports.system import Clock
from domain.coaching.records import PlanLimits
from entrypoints.settings import Settings


class SpeechExecutor(ThreadPoolExecutor):
    """One thread for speech synthesis: the voice model is single-session and uses the cores itself."""


class CoachingProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def synthesizer(self, settings: Settings) -> SpeechSynthesizer:
        if settings.swing_tts == "espeak":
            return EspeakNgSpeechSynthesizer(cache_items=settings.swing_tts_cache_items)
        return PiperSpeechSynthesizer(cache_items=settings.swing_tts_cache_items)

    @provide(scope=Scope.APP)
    def encoder(self) -> SpeechEncoder:
        return PyAvSpeechEncoder()

    @provide(scope=Scope.APP)
    def speech_executor(self) -> Iterator[SpeechExecutor]:
        executor = SpeechExecutor(max_workers=1, thread_name_prefix="speech")
        yield executor
        executor.shutdown(wait=False, cancel_futures=True)

    @provide(scope=Scope.APP)
    def speech(self, settings: Settings, synthesizer: SpeechSynthesizer, encoder: SpeechEncoder,
               executor: SpeechExecutor) -> SpeechService:
        return SpeechService(synthesizer=synthesizer, encoder=encoder, executor=executor,
                             cache_items=settings.swing_tts_cache_items)

    @provide(scope=Scope.APP)
    def compositor(self) -> SwingVideoCompositor:
        return PyAvSwingVideoCompositor()

    @provide(scope=Scope.APP)
    def memo(self) -> CaptureMemo:
        return CaptureMemo()

    @provide(scope=Scope.APP)
    def app_account_cache(self) -> AppAccountCache:
        return AppAccountCache()

    @provide(scope=Scope.APP)
    def limits(self, settings: Settings) -> PlanLimits:
        return PlanLimits(
            free_per_day=settings.swing_free_analyses_per_day,
            pro_per_day=settings.swing_pro_analyses_per_day or None,
            anonymous_per_day=settings.swing_app_analyses_per_day or None,
            pro_emails=frozenset(e.strip().lower() for e in settings.swing_pro_emails.split(",") if e.strip()))

    @provide(scope=Scope.APP)
    def upload_policy(self, settings: Settings) -> UploadPolicy:
        return UploadPolicy(max_bytes=settings.swing_max_upload_mb * 1024 * 1024)

    videos = provide(SqlaSwingVideoRepository, provides=SwingVideoRepository)
    analyses = provide(SqlaSwingAnalysisRepository, provides=SwingAnalysisRepository)

    @provide
    def upload(self, videos: SwingVideoRepository, blobs: BlobStore, tx: TransactionManager, clock: Clock,
               policy: UploadPolicy) -> UploadSwingVideo:
        return UploadSwingVideo(videos=videos, blobs=blobs, decoder=PyAvVideoDecoder(), tx=tx, clock=clock,
                                policy=policy)

    get_video = provide(GetSwingVideo)
    delete_video = provide(DeleteSwingVideo)
    queries = provide(SwingAnalysisQueries)

    @provide
    def start(self, videos: SwingVideoRepository, analyses: SwingAnalysisRepository, enqueue: EnqueueJob,
              tx: TransactionManager, clock: Clock, limits: PlanLimits, settings: Settings) -> StartSwingAnalysis:
        return StartSwingAnalysis(videos=videos, analyses=analyses, enqueue=enqueue, tx=tx, clock=clock,
                                  limits=limits, playback_speed=settings.swing_playback_speed)

    @provide
    def anonymous(self, users: UserRepository, tx: TransactionManager, clock: Clock,
                  cache: AppAccountCache) -> AnonymousAppAccount:
        return AnonymousAppAccount(users=users, tx=tx, clock=clock, cache=cache)

    @provide
    def run_swing(self, engine: AnalysisEngine, analyses: SwingAnalysisRepository, blobs: BlobStore,
                  synthesizer: SpeechSynthesizer, compositor: SwingVideoCompositor, memo: CaptureMemo,
                  tx: TransactionManager, clock: Clock) -> RunSwingAnalysis:
        return RunSwingAnalysis(engine=engine, analyses=analyses, blobs=blobs, synthesizer=synthesizer,
                                compositor=compositor, memo=memo, tx=tx, clock=clock)

    fail_swing = provide(FailSwingAnalysisOfJob)

    @provide
    def swing_route(self, handler: RunSwingAnalysis, failed: FailSwingAnalysisOfJob) -> JobRoute:
        return JobRoute(JOB_KIND, handler, on_failure=failed)
