"""Community (iDance): sessions, challenges, submissions, feed, admin jobs; and its job routes."""

from __future__ import annotations

from dishka import Provider, Scope, provide
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sqla.community.cache import CachedCommunityReader, CommunityCache, watch_writes
from adapters.sqla.community.reader import SqlaCommunityReader
from adapters.sqla.community.references import SqlaCommunityFileReferences
from adapters.sqla.community.repositories import (
    SqlaChallengeRepository,
    SqlaJobRunRepository,
    SqlaSessionRepository,
    SqlaSocialRepository,
    SqlaSubmissionRepository,
)
from application.community.challenges import (
    ChallengeQueries,
    CreateChallenge,
    DeleteChallenge,
    UpdateChallenge,
)
from application.community.feed import FeedQueries
from application.community.jobs import (
    CLEANUP_DATA,
    ROTATE_CHALLENGES,
    CleanupData,
    CleanupDataJob,
    GetJobsStatus,
    RotateChallenges,
    RotateChallengesJob,
)
from application.community.ports import (
    ChallengeRepository,
    CommunityReader,
    JobRunRepository,
    SessionRepository,
    SocialRepository,
    SubmissionRepository,
)
from application.community.sessions import CompleteSession, GetSession, ListSessions, StartSession
from application.community.submissions import (
    ApplyAnalysisResult,
    PresignChallengeUpload,
    React,
    SubmissionQueries,
    SubmitSession,
    SubmitToChallenge,
    UpdateSubmissionMetadata,
)
from application.community.submitted_videos import CommunitySubmittedVideos
from application.jobs.runner import JobRoute
from application.ports.analysis_records import SubmissionResultSink, SubmittedVideos
from application.ports.persistence import TransactionManager
from application.ports.storage import FileReferences
from application.ports.system import Clock
from domain.community.retention import RetentionPolicy
from entrypoints.settings import Settings

LEADERBOARD_CACHE_SECONDS = 5.0  # a leaderboard may lag another process by this much; its own changes drop it at once


class CommunityProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def community_cache(self, settings: Settings, maker: async_sessionmaker[AsyncSession]) -> CommunityCache:
        cache = CommunityCache(leaderboard_ttl=LEADERBOARD_CACHE_SECONDS, feed_ttl=settings.feed_cache_seconds)
        watch_writes(maker.kw["sync_session_class"], cache)  # this app's own session class (make_sessionmaker)
        return cache

    @provide(scope=Scope.APP)
    def retention(self) -> RetentionPolicy:
        return RetentionPolicy()

    sessions = provide(SqlaSessionRepository, provides=SessionRepository)
    challenges = provide(SqlaChallengeRepository, provides=ChallengeRepository)
    submissions = provide(SqlaSubmissionRepository, provides=SubmissionRepository)
    social = provide(SqlaSocialRepository, provides=SocialRepository)
    runs = provide(SqlaJobRunRepository, provides=JobRunRepository)

    @provide
    def reader(self, session: AsyncSession, cache: CommunityCache) -> CommunityReader:
        return CachedCommunityReader(SqlaCommunityReader(session), cache)

    @provide
    def sink(self, submissions: SubmissionRepository, challenges: ChallengeRepository,
             cache: CommunityCache) -> SubmissionResultSink:
        """A finished analysis fills the submission's score, in the analysis job's transaction."""
        return ApplyAnalysisResult(submissions=submissions, challenges=challenges, changed=cache.invalidate)

    start_session = provide(StartSession)
    complete_session = provide(CompleteSession)
    get_session = provide(GetSession)
    list_sessions = provide(ListSessions)
    create_challenge = provide(CreateChallenge)
    update_challenge = provide(UpdateChallenge)
    delete_challenge = provide(DeleteChallenge)
    challenge_queries = provide(ChallengeQueries)
    submit = provide(SubmitToChallenge)
    submit_session = provide(SubmitSession)
    presign_challenge_upload = provide(PresignChallengeUpload)

    @provide
    def update_metadata(self, submissions: SubmissionRepository, tx: TransactionManager, clock: Clock,
                        cache: CommunityCache) -> UpdateSubmissionMetadata:
        return UpdateSubmissionMetadata(submissions=submissions, tx=tx, clock=clock, changed=cache.invalidate)

    react = provide(React)
    submission_queries = provide(SubmissionQueries)
    rotate = provide(RotateChallenges)
    cleanup = provide(CleanupData)
    jobs_status = provide(GetJobsStatus)
    feed_queries = provide(FeedQueries)

    @provide
    def submitted_videos(self, submissions: SubmissionRepository,
                         challenges: ChallengeRepository) -> SubmittedVideos:
        return CommunitySubmittedVideos(submissions=submissions, challenges=challenges)

    @provide
    def file_references(self, session: AsyncSession) -> FileReferences:
        return SqlaCommunityFileReferences(session)

    @provide
    def rotate_route(self, rotate: RotateChallenges) -> JobRoute:
        return JobRoute(ROTATE_CHALLENGES, RotateChallengesJob(rotate=rotate))

    @provide
    def cleanup_route(self, cleanup: CleanupData) -> JobRoute:
        return JobRoute(CLEANUP_DATA, CleanupDataJob(cleanup=cleanup))
