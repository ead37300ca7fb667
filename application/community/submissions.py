"""Submissions: submit (a stored key or base64 bytes, or a completed session), presigned upload, metadata,
reactions, and filling the score from the analysis, the only source of a score."""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from application.analysis.service import AnalysisRequest, RequestAnalysis
from application.community.ports import (
    ChallengeRepository,
    CommunityReader,
    SessionRepository,
    SocialRepository,
    SubmissionRepository,
)
from application.community.views import CommentView, Page, SubmissionView, check_paging
from application.ports.analysis_records import SubmissionAnalysis, SubmissionResultSink
from application.ports.persistence import TransactionManager
from application.ports.storage import BlobStore, PresignedUrl
from application.ports.system import Clock
from domain.community.challenge import Challenge
from domain.community.session import SessionStatus
from domain.community.submission import Submission, SubmissionMetadata, check_comment
from domain.errors import Conflict, DomainError, InvalidInput, NotFound
from domain.identity.user import User
from domain.ids import new_id
from domain.storage.keys import BlobKey
from domain.storage.policy import MB, VIDEO_TYPES, UploadPolicy

UPLOAD_EXPIRY = timedelta(hours=2)  # the seed's expires_in: 7200
DOWNLOAD_EXPIRY = timedelta(hours=2)
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
            await self.tx.commit()
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
            info = await self.blobs.info(key)
            if info is None:
                raise NotFound("Video file not found; upload it first.")
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
    try:
        await analyse(AnalysisRequest(submission_id=submission.id, user=user, file_key=submission.video_key,
                                      challenge_type=challenge.type, reference_key=challenge.demo_video_key))
    except DomainError as exc:  # never leave it pending forever, never score it
        await tx.rollback()
        failed = submission.analysis_failed(f"The analysis could not be started: {exc.message}", clock.now())
        await submissions.save(failed)
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
        await self.tx.commit()
        return await start_analysis(submission, challenge, cmd.user, self.analyse, self.submissions, self.tx,
                                    self.clock)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChallengeUploadCommand:
    user: User
    challenge_id: str
    file_extension: str
    content_type: str
    file_size_mb: float


@dataclass(frozen=True, slots=True)
class ChallengeUpload:
    key: BlobKey
    upload: PresignedUrl
    file_url: str
    content_type: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PresignChallengeUpload:
    challenges: ChallengeRepository
    blobs: BlobStore
    policy: UploadPolicy
    clock: Clock

    async def __call__(self, cmd: ChallengeUploadCommand) -> ChallengeUpload:
        if await self.challenges.get(cmd.challenge_id) is None:
            raise NotFound("Challenge not found")
        ctype = cmd.content_type.split(";")[0].strip().lower()
        if ctype not in VIDEO_TYPES:
            raise InvalidInput("content_type must be a video type (mp4, mov, avi, webm).", field="content_type")
        if not 0 < cmd.file_size_mb <= 1024 * 1024:  # also refuses inf and nan before the integer conversion
            raise InvalidInput("file_size_mb must be a positive size in megabytes.", field="file_size_mb")
        size = round(cmd.file_size_mb * MB)
        self.policy.check(ctype, size, challenge=True)
        ext = cmd.file_extension.strip().lower().lstrip(".")
        if ext not in set(VIDEO_TYPES.values()):
            raise InvalidInput("file_extension must be mp4, mov, avi or webm.", field="file_extension")
        key = challenge_video_key(cmd.user.id, cmd.challenge_id, self.clock.now().strftime("%Y%m%d_%H%M%S"), ext)
        upload = await self.blobs.presign_upload(key, ctype, size, UPLOAD_EXPIRY)
        download = await self.blobs.presign_download(key, DOWNLOAD_EXPIRY)
        return ChallengeUpload(key=key, upload=upload, file_url=download.url, content_type=ctype)


async def visible_submission(submissions: SubmissionRepository, submission_id: str, user: User) -> Submission:
    """A private submission is 'not found' to everyone but its owner (and admins)."""
    submission = await submissions.get(submission_id)
    if submission is None or (not submission.metadata.is_public and submission.user_id != user.id
                              and not user.is_admin):
        raise NotFound("Submission not found")
    return submission


@dataclass(frozen=True, slots=True, kw_only=True)
class MetadataUpdate:
    user: User
    submission_id: str
    caption: str | None = None
    tags: tuple[str, ...] | None = None
    location: str | None = None
    is_public: bool | None = None
    shared_to_feed: bool | None = None
    highlight_text: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UpdateSubmissionMetadata:
    submissions: SubmissionRepository
    tx: TransactionManager
    clock: Clock
    changed: Callable[[str], None] | None = None  # e.g. drop cached leaderboard pages of the challenge

    async def __call__(self, cmd: MetadataUpdate) -> Submission:
        submission = await visible_submission(self.submissions, cmd.submission_id, cmd.user)
        submission.check_owner(cmd.user.id)
        m = submission.metadata
        metadata = SubmissionMetadata(
            caption=m.caption if cmd.caption is None else cmd.caption,
            tags=m.tags if cmd.tags is None else cmd.tags,
            location=m.location if cmd.location is None else cmd.location,
            is_public=m.is_public if cmd.is_public is None else cmd.is_public,
            shared_to_feed=m.shared_to_feed if cmd.shared_to_feed is None else cmd.shared_to_feed,
            highlight_text=m.highlight_text if cmd.highlight_text is None else cmd.highlight_text,
        )
        updated = submission.with_metadata(metadata, self.clock.now())
        await self.submissions.save(updated)
        await self.tx.commit()
        if self.changed is not None:
            self.changed(updated.challenge_id)
        return updated


@dataclass(frozen=True, slots=True)
class Reaction:
    submission_id: str
    changed: bool
    likes: int


@dataclass(frozen=True, slots=True, kw_only=True)
class React:
    """Likes (idempotent per user), comments and shares on a submission the caller can see."""

    submissions: SubmissionRepository
    social: SocialRepository
    reader: CommunityReader
    tx: TransactionManager
    clock: Clock

    async def like(self, user: User, submission_id: str) -> Reaction:
        await visible_submission(self.submissions, submission_id, user)
        changed = await self.social.like(submission_id, user.id, self.clock.now())
        await self.tx.commit()
        return Reaction(submission_id, changed, await self.social.likes_count(submission_id))

    async def unlike(self, user: User, submission_id: str) -> Reaction:
        await visible_submission(self.submissions, submission_id, user)
        changed = await self.social.unlike(submission_id, user.id)
        await self.tx.commit()
        return Reaction(submission_id, changed, await self.social.likes_count(submission_id))

    async def comment(self, user: User, submission_id: str, text: str) -> CommentView:
        await visible_submission(self.submissions, submission_id, user)
        now = self.clock.now()
        comment_id = new_id(now.timestamp())
        body = check_comment(text)
        await self.social.comment(comment_id, submission_id, user.id, body, now)
        await self.tx.commit()
        view = await self.reader.submission(submission_id)
        assert view is not None
        return next(c for c in view.comments if c.id == comment_id)

    async def share(self, user: User, submission_id: str) -> int:
        submission = await visible_submission(self.submissions, submission_id, user)
        if not submission.metadata.is_public:
            raise InvalidInput("A private submission cannot be shared.", field="submission_id")
        shares = await self.social.share(submission_id)
        await self.tx.commit()
        return shares


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmissionQueries:
    submissions: SubmissionRepository
    reader: CommunityReader
    challenges: ChallengeRepository

    async def get(self, user: User, submission_id: str) -> SubmissionView:
        await visible_submission(self.submissions, submission_id, user)
        view = await self.reader.submission(submission_id)
        if view is None:
            raise NotFound("Submission not found")
        return view

    async def of_challenge(self, user: User, challenge_id: str, *, public_only: bool, page: int,
                           limit: int) -> tuple[Challenge, Page[SubmissionView]]:
        check_paging(page, limit)
        challenge = await self.challenges.get(challenge_id)
        if challenge is None:
            raise NotFound("Challenge not found")
        found = await self.reader.submissions(challenge_id=challenge_id, user_id=None, viewer_id=user.id,
                                              public_only=public_only, page=page, limit=limit)
        return challenge, found

    async def of_user(self, user: User, user_id: str, page: int, limit: int) -> Page[SubmissionView]:
        check_paging(page, limit)
        return await self.reader.submissions(challenge_id=None, user_id=user_id, viewer_id=user.id,
                                             public_only=user_id != user.id and not user.is_admin,
                                             page=page, limit=limit)


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplyAnalysisResult(SubmissionResultSink):
    """The submission's score, breakdown, feedback, badge and processedAt come from here only."""

    submissions: SubmissionRepository
    challenges: ChallengeRepository
    changed: Callable[[str], None] | None = None  # e.g. drop cached leaderboard pages of the challenge

    async def record(self, result: SubmissionAnalysis) -> None:
        submission = await self.submissions.get(result.submission_id)
        if submission is None:
            return  # an analysis requested for something that is not a challenge submission
        if result.completed and result.total_score is not None and result.breakdown is not None:
            challenge = await self.challenges.get(submission.challenge_id)
            rule = challenge.badge_rule if challenge is not None else None
            if rule is None:
                return
            updated = submission.analysed(total_score=result.total_score, breakdown=result.breakdown,
                                          feedback=result.feedback, confidence=result.confidence,
                                          pose_data_key=result.pose_data_key, rule=rule,
                                          finished_at=result.finished_at, video_duration=result.video_duration)
        else:
            updated = submission.analysis_failed(result.error or "The analysis failed.", result.finished_at)
        await self.submissions.save(updated)
        if self.changed is not None:
            self.changed(submission.challenge_id)
