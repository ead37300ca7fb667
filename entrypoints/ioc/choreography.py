"""Choreography (spec 003): songs, the move library and its FAISS index, generation jobs, collections, class plans."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from dishka import Provider, Scope, provide

from adapters.llm.openai_compatible import LanguageModelSettings, OpenAICompatibleLanguageModel
from adapters.media.ffmpeg_assembler import FfmpegVideoAssembler
from adapters.music.librosa_song import LibrosaSongAnalyzer
from adapters.search.faiss_moves import FaissMoveIndex
from adapters.search.move_library_files import FileMoveLibrary
from adapters.sqla.choreography.repositories import (
    SqlaClassPlanRepository,
    SqlaCollectionRepository,
    SqlaSongRepository,
    SqlaTaskRepository,
)
from application.choreography.catalogue import (
    ANALYSE_SONG,
    AddSong,
    AnalyseSong,
    AnalyseSongJob,
    FailSongOfJob,
    SongQueries,
)
from application.choreography.collections import ClassPlans, Collections
from application.choreography.generate import GenerateChoreography
from application.choreography.ports import (
    ClassPlanRepository,
    CollectionRepository,
    MoveIndex,
    SongAnalyzer,
    SongRepository,
    TaskRepository,
    VideoAssembler,
)
from application.choreography.requests import ParseRequest
from application.choreography.tasks import (
    GENERATE,
    CancelTask,
    FailTaskOfJob,
    GenerationJob,
    PurgeRenders,
    StartGeneration,
    TaskQueries,
)
from application.jobs.runner import EnqueueJob, JobRoute
from application.ports.persistence import TransactionManager
from application.ports.storage import BlobStore
from application.ports.system import Clock
from entrypoints.settings import Settings


def open_move_index(folder: Path) -> FaissMoveIndex:
    """The library's index as persisted beside its records (rebuilt when stale); empty when nothing was ingested."""
    records = FileMoveLibrary(folder).load()
    return FaissMoveIndex.open(folder, records) if records else FaissMoveIndex()


class ChoreographyProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def analyzer(self) -> SongAnalyzer:
        return LibrosaSongAnalyzer()

    @provide(scope=Scope.APP)
    def index(self, settings: Settings) -> MoveIndex:
        return open_move_index(settings.move_library_path)

    @provide(scope=Scope.APP)
    def assembler(self, settings: Settings) -> VideoAssembler:
        return FfmpegVideoAssembler(resolution=settings.choreography_resolution)

    @provide(scope=Scope.APP)
    def generate(self, settings: Settings, analyzer: SongAnalyzer, index: MoveIndex, assembler: VideoAssembler,
                 blobs: BlobStore) -> GenerateChoreography:
        return GenerateChoreography(analyzer=analyzer, index=index, assembler=assembler, blobs=blobs,
                                    clip_root=settings.move_clip_root)

    @provide(scope=Scope.APP)
    def parse(self, settings: Settings) -> ParseRequest:
        if settings.llm != "openai":  # the one LLM setting of every context; start-up checks URL and model
            return ParseRequest()
        return ParseRequest(model=OpenAICompatibleLanguageModel(LanguageModelSettings(
            base_url=settings.llm_base_url, api_key=settings.llm_api_key, model=settings.llm_model, timeout_s=20.0)))

    songs = provide(SqlaSongRepository, provides=SongRepository)
    tasks = provide(SqlaTaskRepository, provides=TaskRepository)
    items = provide(SqlaCollectionRepository, provides=CollectionRepository)
    plans = provide(SqlaClassPlanRepository, provides=ClassPlanRepository)
    add_song = provide(AddSong)
    analyse_song = provide(AnalyseSong)
    song_queries = provide(SongQueries)
    task_queries = provide(TaskQueries)
    cancel = provide(CancelTask)
    collections = provide(Collections)
    class_plans = provide(ClassPlans)
    fail_song = provide(FailSongOfJob)
    fail_task = provide(FailTaskOfJob)

    @provide
    def start(self, settings: Settings, songs: SongRepository, tasks: TaskRepository, enqueue: EnqueueJob,
              parse: ParseRequest, tx: TransactionManager, clock: Clock) -> StartGeneration:
        return StartGeneration(songs=songs, tasks=tasks, enqueue=enqueue, parse=parse, tx=tx, clock=clock,
                               per_hour=settings.choreography_per_hour)

    @provide
    def generation_job(self, settings: Settings, generate: GenerateChoreography, index: MoveIndex,
                       songs: SongRepository, tasks: TaskRepository, blobs: BlobStore, tx: TransactionManager,
                       clock: Clock) -> GenerationJob:
        return GenerationJob(generate=generate, index=index, songs=songs, tasks=tasks, blobs=blobs, tx=tx,
                             clock=clock, resolution=settings.choreography_resolution)

    @provide
    def purge(self, settings: Settings, tasks: TaskRepository, items: CollectionRepository, blobs: BlobStore,
              tx: TransactionManager, clock: Clock) -> PurgeRenders:
        return PurgeRenders(tasks=tasks, collections=items, blobs=blobs, tx=tx, clock=clock,
                            older_than=timedelta(days=settings.render_retention_days))

    @provide
    def generate_route(self, handler: GenerationJob, failed: FailTaskOfJob) -> JobRoute:
        return JobRoute(GENERATE, handler, on_failure=failed)

    @provide
    def analyse_route(self, analyse: AnalyseSong, failed: FailSongOfJob) -> JobRoute:
        return JobRoute(ANALYSE_SONG, AnalyseSongJob(analyse=analyse), on_failure=failed)
