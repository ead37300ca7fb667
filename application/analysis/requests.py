"""Asking for an iDance analysis, and reading it back."""

from __future__ import annotations

from dataclasses import dataclass, replace

from application.jobs.runner import EnqueueJob
from application.ports.analysis_records import AnalysisRepository, SubmittedVideo, SubmittedVideos
from application.ports.persistence import TransactionManager
from application.ports.system import Clock
from domain.analysis.record import AnalysisRecord, AnalysisStatus
from domain.errors import Forbidden, InvalidInput, NotFound
from domain.identity.user import User
from domain.ids import new_id
from domain.storage.keys import BlobKey

POSE_ANALYSIS = "pose-analysis"


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalysisRequest:
    submission_id: str
    user: User
    video_url: str | None = None
    file_key: str | None = None
    challenge_type: str | None = None
    target_bpm: float | None = None
    reference_key: str | None = None


def check_url(url: str) -> str:
    if not url.lower().startswith(("http://", "https://")):
        raise InvalidInput("video_url must be an http(s) URL.", field="video_url")
    return url


def _check(req: AnalysisRequest) -> None:
    if len(req.submission_id) > 64:
        raise InvalidInput("submission_id must be 1-64 characters.", field="submission_id")
    try:  # the id names a folder of pose data: the same rule as a file key's segment
        BlobKey.parse(f"pose-data/{req.submission_id}/pose_data.json.gz")
    except InvalidInput as exc:
        raise InvalidInput("submission_id may hold letters, digits and . _ - only.", field="submission_id") from exc
    if (req.video_url is None) == (req.file_key is None):
        raise InvalidInput("Give exactly one of video_url or file_key.", field="video_url")
    if req.target_bpm is not None and not 30 <= req.target_bpm <= 300:
        raise InvalidInput("target_bpm must be between 30 and 300.", field="target_bpm")
    if req.file_key is not None:
        BlobKey.parse(req.file_key).check_access(req.user.id, is_admin=req.user.is_admin)
    if req.video_url is not None:
        check_url(req.video_url)


async def _own_video(req: AnalysisRequest, submitted: SubmittedVideo) -> AnalysisRequest:
    """A challenge submission is analysed from its own stored video, compared with its challenge's demo:
    another source would put one video's score on another's entry."""
    if submitted.owner_id != req.user.id and not req.user.is_admin:
        raise Forbidden("This submission belongs to another user.")
    if req.video_url is not None or (req.file_key is not None and req.file_key != submitted.video_key):
        raise InvalidInput("A challenge submission is analysed from the video it was submitted with; "
                           "leave out video_url, or send its own file_key.", field="file_key")
    return replace(req, file_key=submitted.video_key, video_url=None, reference_key=submitted.reference_key,
                   challenge_type=submitted.challenge_type)


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestAnalysis:
    analyses: AnalysisRepository
    enqueue: EnqueueJob
    tx: TransactionManager
    clock: Clock
    submitted: SubmittedVideos

    async def __call__(self, req: AnalysisRequest) -> AnalysisRecord:
        found = await self.submitted.of(req.submission_id)
        if found is not None:
            req = await _own_video(req, found)
        _check(req)
        existing = await self.analyses.by_submission(req.submission_id)
        if existing is not None:
            if existing.user_id != req.user.id and not req.user.is_admin:
                raise Forbidden("This submission belongs to another user.")
            if existing.status is AnalysisStatus.PROCESSING:
                return existing  # already running: answer with its progress instead of starting twice
        now = self.clock.now()
        analysis_id = existing.id if existing else new_id(now.timestamp())
        # The job row commits with the analysis that names it (the queue message follows the commit), so a job
        # can never end before its analysis knows it.
        job = await self.enqueue.add(POSE_ANALYSIS, {"analysis_id": analysis_id,
                                                     "submission_id": req.submission_id}, req.user.id)
        record = AnalysisRecord(
            id=analysis_id, user_id=existing.user_id if existing else req.user.id, submission_id=req.submission_id,
            job_id=job.id, source_url=req.video_url, source_key=req.file_key, challenge_type=req.challenge_type,
            target_bpm=req.target_bpm, reference_key=req.reference_key, created_at=now, updated_at=now,
        )
        if existing is None:
            await self.analyses.add(record)
        else:
            await self.analyses.save(record)  # a new analysis of the same submission runs in place
        await self.tx.commit()
        return record


@dataclass(frozen=True, slots=True, kw_only=True)
class GetAnalysis:
    """An iDance submission's analysis, for its owner (or an admin)."""

    analyses: AnalysisRepository

    async def __call__(self, submission_id: str, user: User) -> AnalysisRecord:
        record = await self.analyses.by_submission(submission_id)
        if record is None or (record.user_id != user.id and not user.is_admin):
            raise NotFound("Analysis not found")
        return record


@dataclass(frozen=True, slots=True, kw_only=True)
class CountActiveAnalyses:
    analyses: AnalysisRepository

    async def __call__(self) -> int:
        return await self.analyses.count_active()
