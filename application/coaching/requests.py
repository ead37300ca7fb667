"""Starting a swing analysis (with the plan's daily limit) and reading analyses back."""

from __future__ import annotations

from dataclasses import dataclass

from application.jobs.runner import EnqueueJob
from application.ports.persistence import JobRepository, TransactionManager
from application.ports.system import Clock
from domain.coaching.records import (
    CoachingNotFound,
    PlanLimits,
    SwingAnalysisRecord,
    SwingAnalysisStatus,
    new_public_id,
    stage_progress,
    start_of_day,
)
from domain.identity.user import User
from domain.jobs.job import Job

from .analyse import JOB_KIND
from .ports import SwingAnalysisRepository, SwingVideoRepository
from .videos import owned_video


@dataclass(frozen=True, slots=True)
class Requester:
    user: User
    anonymous: bool = False  # the FutureGolf app's shared anonymous account


@dataclass(frozen=True, slots=True, kw_only=True)
class StartSwingAnalysis:
    """Idempotent: a video whose analysis is queued, running or completed answers with that one; only a video
    with none, or whose last one failed, starts a new one (which counts towards the plan's daily limit)."""

    videos: SwingVideoRepository
    analyses: SwingAnalysisRepository
    enqueue: EnqueueJob
    tx: TransactionManager
    clock: Clock
    limits: PlanLimits
    playback_speed: float = 0.25

    async def __call__(self, video_id: int, who: Requester) -> tuple[SwingAnalysisRecord, bool]:
        """The analysis and whether it was started by this call."""
        video = owned_video(await self.videos.get(video_id), who.user)
        existing = await self.analyses.for_video(video.id)
        if existing and existing[0].status is not SwingAnalysisStatus.FAILED:
            return existing[0], False
        now = self.clock.now()
        plan = self.limits.plan_of(who.user.email, who.user.is_admin, who.anonymous)
        if self.limits.limit_of(plan) is not None:
            self.limits.check(plan, await self.analyses.count_created_since(video.user_id, start_of_day(now)), now)
        analysis_id = new_public_id()
        job = await self.enqueue.add(JOB_KIND, {"analysis_id": analysis_id, "video_key": video.file_key,
                                                "playback_speed": self.playback_speed}, video.user_id)
        record = SwingAnalysisRecord(id=analysis_id, video_id=video.id, user_id=video.user_id, job_id=job.id,
                                     status=SwingAnalysisStatus.QUEUED, playback_speed=self.playback_speed,
                                     created_at=now, updated_at=now)
        await self.analyses.add(record)
        await self.tx.commit()
        return record, True


@dataclass(frozen=True, slots=True)
class AnalysisStatusView:
    record: SwingAnalysisRecord
    status: SwingAnalysisStatus
    progress: float
    stage: str | None
    message: str | None
    stages: dict[str, float]


def _owned(record: SwingAnalysisRecord | None, user: User) -> SwingAnalysisRecord:
    if record is None or (record.user_id != user.id and not user.is_admin):
        raise CoachingNotFound("Analysis not found", "analysis_not_found")
    return record


def status_of(record: SwingAnalysisRecord, job: Job | None) -> AnalysisStatusView:
    """The record decides the state once it has ended; while it runs the job's stage and progress are newer."""
    status = record.status
    progress, stage, message = record.progress, record.stage, None
    if not status.finished and job is not None:
        if job.status.value == "processing":
            status = SwingAnalysisStatus.PROCESSING
        progress, stage, message = max(progress, job.progress), job.stage or stage, job.message
    if status is SwingAnalysisStatus.COMPLETED:
        progress = 1.0
    return AnalysisStatusView(record=record, status=status, progress=round(progress, 3), stage=stage,
                              message=message if not status.finished else record.error,
                              stages=stage_progress(status, stage, progress))


@dataclass(frozen=True, slots=True, kw_only=True)
class SwingAnalysisQueries:
    analyses: SwingAnalysisRepository
    videos: SwingVideoRepository
    jobs: JobRepository

    async def get(self, analysis_id: int, user: User) -> SwingAnalysisRecord:
        return _owned(await self.analyses.get(analysis_id), user)

    async def status(self, analysis_id: int, user: User) -> AnalysisStatusView:
        record = await self.get(analysis_id, user)
        job = None if record.job_id is None or record.status.finished else await self.jobs.get(record.job_id)
        return status_of(record, job)

    async def of_video(self, video_id: int, user: User) -> AnalysisStatusView | None:
        """The video's latest analysis (the app polls by video id); None when none was started."""
        video = owned_video(await self.videos.get(video_id), user)
        found = await self.analyses.for_video(video.id)
        if not found:
            return None
        record = found[0]
        job = None if record.job_id is None or record.status.finished else await self.jobs.get(record.job_id)
        return status_of(record, job)

    async def history(self, user: User, limit: int, offset: int) -> tuple[list[SwingAnalysisRecord], int]:
        return await self.analyses.by_user(user.id, limit, offset)
