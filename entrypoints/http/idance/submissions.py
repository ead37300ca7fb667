"""iDance submissions: submit-unified, the older session-based submit (spec 002), the presigned challenge-video
upload, metadata, and the submission lists.

List shapes: spec 000 answers `{submissions, total, page, limit}`, spec 002 `{submissions, pagination}`; both are
served. Items carry the union of 000's, 001's (public list) and 002's (user list: challengeTitle) fields."""

from __future__ import annotations

from typing import Annotated

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Router, get, post, put

from application.community.submissions import (
    ChallengeUploadCommand,
    MetadataUpdate,
    PresignChallengeUpload,
    SubmissionQueries,
    SubmitCommand,
    SubmitSession,
    SubmitSessionCommand,
    SubmitToChallenge,
    UpdateSubmissionMetadata,
)
from application.ports.storage import BlobStore
from domain.community.submission import SubmissionMetadata
from entrypoints.http.auth import Caller
from entrypoints.http.idance.present import SubmissionList, SubmissionOut, submission_list, submission_out
from entrypoints.http.ratelimit import UPLOADS

Tag = Annotated[str, msgspec.Meta(max_length=50)]


class MetadataBody(msgspec.Struct, rename="camel", kw_only=True):
    caption: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    tags: list[Tag] = []
    location: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    is_public: bool = True
    shared_to_feed: bool = True
    highlight_text: Annotated[str, msgspec.Meta(max_length=500)] | None = None


class UnifiedBody(msgspec.Struct, kw_only=True):
    video_file: str
    metadata: MetadataBody = msgspec.field(default_factory=MetadataBody)
    content_type: str = "video/mp4"  # addition: the type of base64 bytes (default mp4)


@post("/api/challenges/{challenge_id:str}/submit-unified", status_code=200, opt=UPLOADS)
@inject
async def submit_unified(challenge_id: str, data: UnifiedBody, caller: FromDishka[Caller],
                         use_case: FromDishka[SubmitToChallenge], queries: FromDishka[SubmissionQueries],
                         blobs: FromDishka[BlobStore]) -> SubmissionOut:
    """One submission per user and challenge (400 on a second); the real analysis is queued at once."""
    m = data.metadata
    submission = await use_case(SubmitCommand(
        user=caller.user, challenge_id=challenge_id, video_file=data.video_file, content_type=data.content_type,
        metadata=SubmissionMetadata(caption=m.caption, tags=tuple(m.tags), location=m.location,
                                    is_public=m.is_public, shared_to_feed=m.shared_to_feed,
                                    highlight_text=m.highlight_text)))
    return await submission_out(await queries.get(caller.user, submission.id), blobs)


class SessionSubmitBody(msgspec.Struct, rename="camel", kw_only=True):
    session_id: str
    caption: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    tags: list[Tag] = []


class SubmittedOut(msgspec.Struct, rename="camel"):
    submission_id: str
    message: str
    status: str


@post("/api/challenges/{challenge_id:str}/submit", status_code=200, opt=UPLOADS)
@inject
async def submit_session(challenge_id: str, data: SessionSubmitBody, caller: FromDishka[Caller],
                         use_case: FromDishka[SubmitSession]) -> SubmittedOut:
    s = await use_case(SubmitSessionCommand(user=caller.user, challenge_id=challenge_id, session_id=data.session_id,
                                            caption=data.caption, tags=tuple(data.tags)))
    status = "pending_analysis" if s.status.value == "pending" else s.status.value
    return SubmittedOut(submission_id=s.id, message="Submission created successfully", status=status)


class ChallengeVideoBody(msgspec.Struct):
    challenge_id: str
    file_extension: str = "mp4"
    content_type: str = "video/mp4"
    file_size_mb: Annotated[float, msgspec.Meta(gt=0)] = 100.0


class ChallengeVideoOut(msgspec.Struct):
    upload_url: str
    file_key: str
    content_type: str
    expires_in: int
    file_url: str


@post("/api/s3/upload/challenge-video", status_code=200, opt=UPLOADS)
@inject
async def challenge_video(data: ChallengeVideoBody, caller: FromDishka[Caller],
                          use_case: FromDishka[PresignChallengeUpload]) -> ChallengeVideoOut:
    up = await use_case(ChallengeUploadCommand(user=caller.user, challenge_id=data.challenge_id,
                                               file_extension=data.file_extension, content_type=data.content_type,
                                               file_size_mb=data.file_size_mb))
    return ChallengeVideoOut(upload_url=up.upload.url, file_key=up.key.value, content_type=up.content_type,
                             expires_in=up.upload.expires_in, file_url=up.file_url)


class MetadataPatch(msgspec.Struct, rename="camel", kw_only=True):
    caption: Annotated[str, msgspec.Meta(max_length=2000)] | None = None
    tags: list[Tag] | None = None
    location: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    is_public: bool | None = None
    shared_to_feed: bool | None = None
    highlight_text: Annotated[str, msgspec.Meta(max_length=500)] | None = None


@put("/api/submissions/{submission_id:str}/metadata")
@inject
async def update_metadata(submission_id: str, data: MetadataPatch, caller: FromDishka[Caller],
                          use_case: FromDishka[UpdateSubmissionMetadata]) -> SubmittedOut:
    s = await use_case(MetadataUpdate(user=caller.user, submission_id=submission_id, caption=data.caption,
                                      tags=None if data.tags is None else tuple(data.tags), location=data.location,
                                      is_public=data.is_public, shared_to_feed=data.shared_to_feed,
                                      highlight_text=data.highlight_text))
    return SubmittedOut(submission_id=s.id, message="Submission metadata updated successfully",
                        status=s.status.value)


@get("/api/challenges/{challenge_id:str}/submissions")
@inject
async def challenge_submissions(challenge_id: str, caller: FromDishka[Caller], queries: FromDishka[SubmissionQueries],
                                blobs: FromDishka[BlobStore], page: int = 1, limit: int = 20) -> SubmissionList:
    """Public submissions, and the caller's own private one."""
    _, found = await queries.of_challenge(caller.user, challenge_id, public_only=False, page=page, limit=limit)
    return await submission_list(found, blobs)


class PublicSubmissions(msgspec.Struct, rename="camel"):
    challenge_id: str
    challenge_title: str
    submissions: list[SubmissionOut]
    total: int
    page: int
    limit: int


@get("/api/challenges/{challenge_id:str}/public-submissions")
@inject
async def public_submissions(challenge_id: str, caller: FromDishka[Caller], queries: FromDishka[SubmissionQueries],
                             blobs: FromDishka[BlobStore], page: int = 1, limit: int = 20) -> PublicSubmissions:
    challenge, found = await queries.of_challenge(caller.user, challenge_id, public_only=True, page=page,
                                                  limit=limit)
    return PublicSubmissions(challenge_id=challenge.id, challenge_title=challenge.title,
                             submissions=[await submission_out(v, blobs) for v in found.items], total=found.total,
                             page=found.page, limit=found.limit)


@get("/api/submissions/{submission_id:str}")
@inject
async def submission_detail(submission_id: str, caller: FromDishka[Caller], queries: FromDishka[SubmissionQueries],
                            blobs: FromDishka[BlobStore]) -> SubmissionOut:
    return await submission_out(await queries.get(caller.user, submission_id), blobs)


@get("/api/users/{user_id:str}/submissions")
@inject
async def user_submissions(user_id: str, caller: FromDishka[Caller], queries: FromDishka[SubmissionQueries],
                           blobs: FromDishka[BlobStore], page: int = 1, limit: int = 20) -> SubmissionList:
    """Another user's public submissions; all of one's own."""
    return await submission_list(await queries.of_user(caller.user, user_id, page, limit), blobs)


router = Router(path="/", route_handlers=[
    submit_unified, submit_session, challenge_video, update_metadata, challenge_submissions, public_submissions,
    submission_detail, user_submissions], tags=["iDance: submissions"])
