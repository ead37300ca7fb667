"""The one place where adapters are chosen (from settings) and wired: dishka providers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from pathlib import Path

from dishka import AsyncContainer, Provider, Scope, from_context, make_async_container, provide
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from taskiq import AsyncBroker

from adapters.http_fetcher import HttpxVideoFetcher
from adapters.queue.taskiq_queue import TaskiqJobQueue
from adapters.ratelimit.limiters import MemoryRateLimiter, RedisRateLimiter
from adapters.security.oidc import DEFAULT_PROVIDERS, JwksIdentityVerifier, OidcProvider
from adapters.security.passwords import Argon2PasswordHasher
from adapters.security.recent_tokens import RecentTokens
from adapters.security.tokens import JwtTokenService
from adapters.sqla.analyses import SqlaAnalysisRepository
from adapters.sqla.database import make_engine, make_sessionmaker
from adapters.sqla.repositories import (
    SqlaJobRepository,
    SqlaRevokedTokenRepository,
    SqlaTransactionManager,
    SqlaUserRepository,
)
from adapters.sqla.stats import SqlaUserStatsReader
from adapters.storage.local import LocalBlobStore
from adapters.storage.s3 import S3BlobStore
from adapters.system import SystemClock
from application.analysis.service import (
    POSE_ANALYSIS,
    AnalysisEngine,
    GetAnalysis,
    PoseAnalysisHandler,
    RequestAnalysis,
    RescoreSubmission,
)
from application.identity.common import IdentityPolicy
from application.identity.login import Authenticate, LoginWithPassword, Logout, RefreshTokens
from application.identity.oauth import LoginWithIdentityProvider
from application.identity.profile import UpdatePreferences, UpdateProfile
from application.identity.register import RegisterUser
from application.identity.stats import GetUserStats, UserStatsReader
from application.jobs.runner import (
    BlobDigestHandler,
    EnqueueJob,
    GetJob,
    JobHandler,
    ResumeUnfinishedJobs,
    RunJob,
)
from application.ports.analysis_records import AnalysisRepository, VideoFetcher
from application.ports.persistence import (
    JobRepository,
    RevokedTokenRepository,
    TransactionManager,
    UserRepository,
)
from application.ports.queue import JobQueue
from application.ports.storage import BlobStore
from application.ports.system import (
    Clock,
    IdentityProviderVerifier,
    PasswordHasher,
    RateLimiter,
    TokenService,
)
from application.storage.files import DeleteFile, PresignDownload, PresignUpload, UploadFile
from domain.storage.policy import UploadPolicy
from entrypoints.ioc_community import CommunityAppProvider, CommunityProvider
from entrypoints.ioc_identity_extra import IdentityExtraProvider
from entrypoints.job_handlers import ExtraJobHandlers
from entrypoints.pipeline_factory import make_pipeline
from entrypoints.settings import Settings


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


class InfrastructureProvider(Provider):
    scope = Scope.APP
    settings = from_context(Settings)
    broker = from_context(AsyncBroker)

    @provide
    async def engine(self, settings: Settings) -> AsyncIterator[AsyncEngine]:
        engine = make_engine(settings.database_url)
        yield engine
        await engine.dispose()

    @provide
    def sessionmaker(self, engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
        return make_sessionmaker(engine)

    @provide
    def clock(self) -> Clock:
        return SystemClock()

    @provide
    def hasher(self) -> PasswordHasher:
        return Argon2PasswordHasher()

    @provide
    def tokens(self, settings: Settings, clock: Clock) -> TokenService:
        return JwtTokenService(settings.jwt_secret, clock)

    @provide
    def verifier(self, settings: Settings) -> IdentityProviderVerifier:
        providers = {}
        for name, (_default_url, issuer) in DEFAULT_PROVIDERS.items():
            providers[name] = OidcProvider(
                name=name,
                jwks_url=getattr(settings, f"oidc_{name}_jwks_url"),
                issuer_pattern=issuer,
                client_ids=_split(getattr(settings, f"oidc_{name}_client_ids")),
            )
        return JwksIdentityVerifier(providers)

    @provide
    def recent_tokens(self, settings: Settings) -> RecentTokens:
        return RecentTokens(ttl=settings.auth_cache_seconds)

    @provide
    def identity_policy(self, settings: Settings) -> IdentityPolicy:
        return IdentityPolicy(admin_emails=settings.admin_email_set)

    @provide
    def upload_policy(self) -> UploadPolicy:
        return UploadPolicy()

    @provide
    async def blob_store(self, settings: Settings) -> AsyncIterator[BlobStore]:
        if settings.storage == "s3":
            store = S3BlobStore(
                settings.s3_bucket, region=settings.s3_region, endpoint_url=settings.s3_endpoint_url,
                access_key=settings.s3_access_key_id, secret_key=settings.s3_secret_access_key,
                create_bucket=settings.s3_create_bucket,
            )
            await store.start()
            yield store
            await store.close()
        else:
            yield LocalBlobStore(Path(settings.storage_dir), secret=settings.jwt_secret + ":blobs",
                                 public_base_url=settings.public_base_url)

    @provide
    async def rate_limiter(self, settings: Settings) -> AsyncIterator[RateLimiter]:
        if settings.queue == "redis":
            redis = Redis.from_url(settings.redis_url)
            yield RedisRateLimiter(redis)
            await redis.aclose()
        else:
            yield MemoryRateLimiter()

    @provide
    def job_queue(self, broker: AsyncBroker) -> JobQueue:
        return TaskiqJobQueue(broker)


class RequestProvider(Provider):
    scope = Scope.REQUEST

    @provide
    async def session(self, maker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
        async with maker() as session:  # closing rolls back whatever the use case did not commit
            yield session

    tx = provide(SqlaTransactionManager, provides=TransactionManager)
    @provide
    def users(self, session: AsyncSession, recent: RecentTokens) -> UserRepository:
        return SqlaUserRepository(session, recent)

    @provide
    def revoked(self, session: AsyncSession, recent: RecentTokens) -> RevokedTokenRepository:
        return SqlaRevokedTokenRepository(session, recent)

    jobs = provide(SqlaJobRepository, provides=JobRepository)
    stats_reader = provide(SqlaUserStatsReader, provides=UserStatsReader)

    register = provide(RegisterUser)
    login = provide(LoginWithPassword)
    authenticate = provide(Authenticate)
    refresh = provide(RefreshTokens)
    logout = provide(Logout)
    oauth = provide(LoginWithIdentityProvider)
    update_profile = provide(UpdateProfile)
    update_preferences = provide(UpdatePreferences)
    user_stats = provide(GetUserStats)
    presign_upload = provide(PresignUpload)
    presign_download = provide(PresignDownload)
    upload_file = provide(UploadFile)
    delete_file = provide(DeleteFile)
    enqueue_job = provide(EnqueueJob)
    get_job = provide(GetJob)
    resume_jobs = provide(ResumeUnfinishedJobs)
    run_job = provide(RunJob)

    analyses = provide(SqlaAnalysisRepository, provides=AnalysisRepository)
    request_analysis = provide(RequestAnalysis)
    get_analysis = provide(GetAnalysis)
    rescore = provide(RescoreSubmission)
    pose_handler = provide(PoseAnalysisHandler)

    @provide
    def job_handlers(self, blobs: BlobStore, pose: PoseAnalysisHandler,
                     extra: ExtraJobHandlers) -> Mapping[str, JobHandler]:
        return {"file-digest": BlobDigestHandler(blobs=blobs), POSE_ANALYSIS: pose, **extra}


class AnalysisProvider(Provider):
    scope = Scope.APP

    @provide
    def fetcher(self) -> VideoFetcher:
        return HttpxVideoFetcher()

    @provide
    def engine(self, settings: Settings) -> Iterator[AnalysisEngine]:
        providers = [p.strip() for p in settings.onnx_providers.split(",") if p.strip()]
        pipeline = make_pipeline(settings.pose_backend, onnx_model=settings.pose_onnx_model, providers=providers,
                                 sample_fps=settings.analysis_fps, max_side=settings.analysis_max_side)
        engine = AnalysisEngine(pipeline=pipeline, backend=settings.pose_backend,
                                max_download_bytes=settings.url_download_max_mb * 1024 * 1024,
                                download_timeout=settings.url_download_timeout)
        yield engine
        pipeline.capture.estimator.close()  # MediaPipe leaks its graph when close() is skipped


def make_container(settings: Settings, broker: AsyncBroker, *extra: Provider) -> AsyncContainer:
    """Extra providers come last, so tests override adapters without patching."""
    from dishka.integrations.litestar import LitestarProvider

    return make_async_container(
        InfrastructureProvider(), RequestProvider(), AnalysisProvider(), CommunityProvider(), CommunityAppProvider(),
        IdentityExtraProvider(), LitestarProvider(),
        *extra,
        context={Settings: settings, AsyncBroker: broker},
    )
