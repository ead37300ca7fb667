"""Admin jobs: challenge rotation and data cleanup, run by the admin endpoints and by the scheduler
(through the job queue, kinds below); and the jobs' status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from application.community.ports import (
    ChallengeRepository,
    CommunityReader,
    JobRunRepository,
    SubmissionRepository,
)
from application.community.views import JobStatusView
from application.jobs.progress import Progress
from application.ports.persistence import TransactionManager
from application.ports.storage import BlobStore
from application.ports.system import Clock
from domain.community.challenge import plan_rotation
from domain.community.retention import RetentionPolicy
from domain.ids import new_id
from domain.jobs.job import Job
from domain.storage.keys import BlobKey

ROTATE_CHALLENGES = "rotate-challenges"
CLEANUP_DATA = "cleanup-data"


@dataclass(frozen=True, slots=True)
class RotationResult:
    deactivated: int
    activated: int
    timestamp: datetime

    def details(self) -> dict[str, Any]:
        return {"success": True, "expired_deactivated": self.deactivated, "new_activated": self.activated,
                "statistics_updated": self.deactivated + self.activated,
                "timestamp": self.timestamp.isoformat()}


@dataclass(frozen=True, slots=True, kw_only=True)
class RotateChallenges:
    challenges: ChallengeRepository
    runs: JobRunRepository
    tx: TransactionManager
    clock: Clock

    async def __call__(self) -> RotationResult:
        now = self.clock.now()
        plan = plan_rotation(await self.challenges.out_of_sync(now), now)
        deactivated = await self.challenges.set_active(plan.deactivate, False, now)
        activated = await self.challenges.set_active(plan.activate, True, now)
        result = RotationResult(deactivated=deactivated, activated=activated, timestamp=now)
        await self.runs.record(new_id(now.timestamp()), ROTATE_CHALLENGES, now, self.clock.now(), result.details())
        await self.tx.commit()
        return result


@dataclass(frozen=True, slots=True)
class CleanupResult:
    submissions_deleted: int
    challenges_deleted: int
    blobs_deleted: int
    timestamp: datetime

    def details(self) -> dict[str, Any]:
        return {"success": True, "old_submissions_deleted": self.submissions_deleted,
                "inactive_challenges_deleted": self.challenges_deleted, "blobs_deleted": self.blobs_deleted,
                "timestamp": self.timestamp.isoformat()}


@dataclass(frozen=True, slots=True, kw_only=True)
class CleanupData:
    challenges: ChallengeRepository
    submissions: SubmissionRepository
    runs: JobRunRepository
    blobs: BlobStore
    tx: TransactionManager
    clock: Clock
    policy: RetentionPolicy = field(default_factory=RetentionPolicy)

    async def __call__(self) -> CleanupResult:
        now = self.clock.now()
        failed = [s for s in await self.submissions.failed_before(self.policy.failed_submission_cutoff(now))
                  if self.policy.submission_expired(True, s.submitted_at, now)]
        deleted_subs = await self.submissions.delete([s.id for s in failed])
        empty = [c for c, submitted in await self.challenges.ended_before(self.policy.challenge_cutoff(now))
                 if self.policy.challenge_expired(c.end_time, submitted, now)]
        for challenge in empty:
            await self.challenges.delete(challenge.id)
        result_keys = [k for s in failed for k in (s.video_key, s.pose_data_key) if k]
        result_keys += [c.demo_video_key for c in empty if c.demo_video_key]
        await self.tx.commit()
        blobs = 0
        for key in result_keys:  # after the commit: a failed delete leaves a stray file, never a dangling row
            blobs += int(await self.blobs.delete(BlobKey.parse(key)))
        result = CleanupResult(submissions_deleted=deleted_subs, challenges_deleted=len(empty), blobs_deleted=blobs,
                               timestamp=now)
        await self.runs.record(new_id(now.timestamp()), CLEANUP_DATA, now, self.clock.now(), result.details())
        await self.tx.commit()
        return result


@dataclass(frozen=True, slots=True, kw_only=True)
class GetJobsStatus:
    runs: JobRunRepository
    reader: CommunityReader

    async def __call__(self) -> JobStatusView:
        try:
            active = await self.reader.active_analyses()
            healthy = True
        except Exception:  # the database is the one thing these jobs need
            active, healthy = 0, False
        return JobStatusView(last_rotation=await self.runs.last(ROTATE_CHALLENGES) if healthy else None,
                             last_cleanup=await self.runs.last(CLEANUP_DATA) if healthy else None,
                             active_analyses=active, healthy=healthy)


@dataclass(frozen=True, slots=True, kw_only=True)
class RotateChallengesJob:
    rotate: RotateChallenges

    async def __call__(self, job: Job, progress: Progress) -> dict[str, Any]:
        return (await self.rotate()).details()


@dataclass(frozen=True, slots=True, kw_only=True)
class CleanupDataJob:
    cleanup: CleanupData

    async def __call__(self, job: Job, progress: Progress) -> dict[str, Any]:
        return (await self.cleanup()).details()
