"""Submitting to a challenge: a stored key or base64 bytes, or a completed session; the analysis starts at once."""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass

from application.analysis.requests import AnalysisRequest, RequestAnalysis
from application.community.ports import (
    ChallengeRepository,
    SessionRepository,
    SubmissionRepository,
)
from application.ports.persistence import TransactionManager
from application.ports.storage import BlobStore
from application.ports.system import Clock
from application.storage.accepted import accepted_upload
from domain.community.challenge import Challenge
from domain.community.session import SessionStatus
from domain.community.submission import Submission, SubmissionMetadata
from domain.errors import Conflict, DomainError, InvalidInput, NotFound
from domain.identity.user import User
from domain.ids import new_id
from domain.storage.keys import BlobKey
from domain.storage.policy import VIDEO_TYPES, UploadPolicy

ALREADY_SUBMITTED = "You have already submitted to this challenge."


def challenge_video_key(user_id: str, challenge_id: str, stamp: str, ext: str) -> BlobKey:
    """challenges/{user_id}/{challenge_id}/{YYYYmmdd_HHMMSS}_{8 hex}.{ext}"""
    return BlobKey.for_user("challenges", user_id, challenge_id, f"{stamp}_{secrets.token_hex(4)}.{ext}")


async def _open_challenge(challenges: ChallengeRepository, challenge_id: str, clock: Clock) -> Challenge:
    challenge = await challenges.get(challenge_id)
    if challenge is None:
        raise NotFound("Challenge not found")
    challenge.check_accepts_submissions(clock.now())
    return challenge


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmitCommand:
    user: User
    challenge_id: str
    video_file: str  # a stored file key owned by the caller, or base64-encoded video bytes
    metadata: SubmissionMetadata
    content_type: str = "video/mp4"


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmitToChallenge:
    """One submission per user and challenge (a UNIQUE constraint decides a race); then the analysis is queued."""

    challenges: ChallengeRepository
    submissions: SubmissionRepository
    blobs: BlobStore
    policy: UploadPolicy
    analyse: RequestAnalysis
    tx: TransactionManager
    clock: Clock

    async def __call__(self, cmd: SubmitCommand) -> Submission:
        challenge = await _open_challenge(self.challenges, cmd.challenge_id, self.clock)
        key, size, stored_here = await self._video(cmd, challenge)
        now = self.clock.now()
        submission = Submission(id=new_id(now.timestamp()), challenge_id=challenge.id, user_id=cmd.user.id,
                                video_key=key.value, video_size=size, metadata=cmd.metadata, submitted_at=now,
                                updated_at=now)
        try:
            await self.submissions.add(submission)
        except Conflict:
            if stored_here:
                await self.blobs.delete(key)
            raise
        return await start_analysis(submission, challenge, cmd.user, self.analyse, self.submissions, self.tx,
                                    self.clock)

    async def _video(self, cmd: SubmitCommand, challenge: Challenge) -> tuple[BlobKey, int | None, bool]:
        raw = cmd.video_file.strip()
        if not raw:
            raise InvalidInput("video_file is required.", field="video_file")
        key: BlobKey | None = None
        if len(raw) <= 512 and "/" in raw:
            try:
                key = BlobKey.parse(raw)
            except InvalidInput:
                key = None
        if key is not None:
            key.check_access(cmd.user.id, is_admin=False)
            info = await accepted_upload(self.blobs, key, self.policy, challenge=True,
                                         missing="Video file not found; upload it first.")
            return key, info.size, False
        try:
            data = base64.b64decode(raw.split(",", 1)[-1] if raw.startswith("data:") else raw, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidInput("video_file must be a stored file key or base64-encoded video bytes.",
                               field="video_file") from exc
        self.policy.check(cmd.content_type, len(data), challenge=True)
        ext = VIDEO_TYPES.get(cmd.content_type.split(";")[0].strip().lower())
        if ext is None:
            raise InvalidInput("video_file must be a video (mp4, mov, avi or webm).", field="content_type")
        stamp = self.clock.now().strftime("%Y%m%d_%H%M%S")
        key = challenge_video_key(cmd.user.id, challenge.id, stamp, ext)
        info = await self.blobs.put(key, data, cmd.content_type)
        return key, info.size, True


async def start_analysis(submission: Submission, challenge: Challenge, user: User, analyse: RequestAnalysis,
                         submissions: SubmissionRepository, tx: TransactionManager, clock: Clock) -> Submission:
    """Starts the analysis of a submission added (not yet committed) in this transaction: the submission, its
    analysis and the analysis's job commit together, so no failure between two commits can leave a submission
    pending with no job to end it."""
    try:
        await analyse(AnalysisRequest(submission_id=submission.id, user=user, file_key=submission.video_key,
                                      challenge_type=challenge.type, reference_key=challenge.demo_video_key))
    except DomainError as exc:  # never leave it pending forever, never score it
        await tx.rollback()
        failed = submission.analysis_failed(f"The analysis could not be started: {exc.message}", clock.now())
        await submissions.add(failed)
        await tx.commit()
        return failed
    return submission


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmitSessionCommand:
    user: User
    challenge_id: str
    session_id: str
    caption: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmitSession:
    """The older session-based submit: the session's video is the entry."""

    challenges: ChallengeRepository
    sessions: SessionRepository
    submissions: SubmissionRepository
    analyse: RequestAnalysis
    tx: TransactionManager
    clock: Clock

    async def __call__(self, cmd: SubmitSessionCommand) -> Submission:
        challenge = await _open_challenge(self.challenges, cmd.challenge_id, self.clock)
        session = await self.sessions.get(cmd.session_id)
        if session is None:
            raise NotFound("Session not found")
        session.check_visible_to(cmd.user.id)
        if session.status is not SessionStatus.COMPLETED or not session.video_key:
            raise InvalidInput("Complete the session with a video before submitting it.", field="sessionId")
        now = self.clock.now()
        submission = Submission(id=new_id(now.timestamp()), challenge_id=challenge.id, user_id=cmd.user.id,
                                session_id=session.id, video_key=session.video_key,
                                metadata=SubmissionMetadata(caption=cmd.caption, tags=cmd.tags,
                                                            is_public=session.is_public,
                                                            shared_to_feed=session.is_public),
                                submitted_at=now, updated_at=now)
        await self.submissions.add(submission)
        return await start_analysis(submission, challenge, cmd.user, self.analyse, self.submissions, self.tx,
                                    self.clock)
