"""Swing videos: upload (both forms: spec 004's ``video_file`` + ``metadata`` and the app's ``file``), read, delete."""

from __future__ import annotations

import asyncio
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from application.ports.analysis import MediaError, VideoDecoder
from application.ports.persistence import TransactionManager
from application.ports.storage import BlobStore
from application.ports.system import Clock
from domain.coaching.records import (
    BadUpload,
    CoachingNotFound,
    SwingVideo,
    UploadTooLarge,
    VideoMetadata,
    VideoStatus,
    check_title,
    new_public_id,
)
from domain.identity.user import User
from domain.storage.keys import BlobKey

from .ports import SwingAnalysisRepository, SwingVideoRepository

_EXT = re.compile(r"\.(mp4|mov|m4v|webm|mkv|avi)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class UploadPolicy:
    max_bytes: int = 500 * 1024 * 1024  # the original's MAX_VIDEO_SIZE_MB


@dataclass(frozen=True, slots=True, kw_only=True)
class UploadCommand:
    user: User
    data: bytes
    filename: str
    content_type: str
    title: str | None = None
    declared: VideoMetadata = field(default_factory=VideoMetadata)


def owned_video(video: SwingVideo | None, user: User) -> SwingVideo:
    if video is None or (video.user_id != user.id and not user.is_admin):
        raise CoachingNotFound("Video not found", "video_not_found")
    return video


@dataclass(frozen=True, slots=True, kw_only=True)
class UploadSwingVideo:
    """Stores the file only when it is a video (read by its content, never its name or declared type)."""

    videos: SwingVideoRepository
    blobs: BlobStore
    decoder: VideoDecoder
    tx: TransactionManager
    clock: Clock
    policy: UploadPolicy = UploadPolicy()

    async def __call__(self, cmd: UploadCommand) -> SwingVideo:
        size = len(cmd.data)
        if size == 0:
            raise BadUpload("The uploaded file is empty.", "empty_file")
        if size > self.policy.max_bytes:
            raise UploadTooLarge(f"The video is {size / 1e6:.1f} MB; at most {self.policy.max_bytes / 1e6:.0f} MB "
                                 "is accepted.", "file_too_large")
        title = check_title(cmd.title)
        with tempfile.TemporaryDirectory(prefix="swing-upload-") as folder:
            path = Path(folder) / "upload"
            await asyncio.to_thread(path.write_bytes, cmd.data)
            try:
                info = await asyncio.to_thread(self.decoder.probe, path)
            except MediaError as exc:
                raise BadUpload(f"The file is not a video we can read: {exc}", "invalid_video") from exc
        video_id = new_public_id()
        ext = _EXT.search(cmd.filename or "")
        key = BlobKey.for_user("videos", cmd.user.id, f"swing-{video_id}",
                               "source" + (ext.group(0).lower() if ext else ".video"))
        await self.blobs.put(key, cmd.data, cmd.content_type or "application/octet-stream")
        video = SwingVideo(
            id=video_id, user_id=cmd.user.id, file_key=key.value, filename=(cmd.filename or "video")[:255],
            content_type=(cmd.content_type or "application/octet-stream")[:128], size=size, title=title,
            declared=cmd.declared, duration=info.duration, width=info.width, height=info.height, fps=info.fps,
            status=VideoStatus.UPLOADED, created_at=self.clock.now())
        await self.videos.add(video)
        await self.tx.commit()
        return video


@dataclass(frozen=True, slots=True, kw_only=True)
class GetSwingVideo:
    videos: SwingVideoRepository
    analyses: SwingAnalysisRepository

    async def __call__(self, video_id: int, user: User) -> tuple[SwingVideo, list[int]]:
        video = owned_video(await self.videos.get(video_id), user)
        return video, [a.id for a in await self.analyses.for_video(video.id)]


@dataclass(frozen=True, slots=True, kw_only=True)
class DeleteSwingVideo:
    """The video, its stored file, its analyses and their composited videos."""

    videos: SwingVideoRepository
    analyses: SwingAnalysisRepository
    blobs: BlobStore
    tx: TransactionManager

    async def __call__(self, video_id: int, user: User) -> SwingVideo:
        video = owned_video(await self.videos.get(video_id), user)
        keys = [video.file_key] + [a.composited_video_key for a in await self.analyses.for_video(video.id)
                                   if a.composited_video_key]
        await self.videos.delete(video.id)
        await self.tx.commit()
        for key in keys:  # after the commit: a file left behind is garbage, a row without its file is an error
            await self.blobs.delete(BlobKey.parse(key))
        return video
