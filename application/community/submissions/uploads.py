"""The presigned upload of a challenge video."""

from __future__ import annotations

from dataclasses import dataclass

from application.community.ports import (
    ChallengeRepository,
)
from application.community.submissions.submit import challenge_video_key
from application.ports.storage import BlobStore, PresignedUrl
from application.ports.system import Clock
from domain.errors import InvalidInput, NotFound
from domain.identity.user import User
from domain.storage.keys import BlobKey
from domain.storage.links import CHALLENGE_UPLOAD_LINK
from domain.storage.policy import MB, VIDEO_TYPES, UploadPolicy


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
        upload = await self.blobs.presign_upload(key, ctype, size, CHALLENGE_UPLOAD_LINK)
        download = await self.blobs.presign_download(key, CHALLENGE_UPLOAD_LINK)
        return ChallengeUpload(key=key, upload=upload, file_url=download.url, content_type=ctype)
