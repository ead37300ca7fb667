"""Use cases over the blob store: presigned upload and download, direct upload, delete."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from application.ports.storage import BlobInfo, BlobStore, FileReferences, PresignedUrl
from application.ports.system import Clock
from domain.errors import Forbidden, InvalidInput, NotFound
from domain.identity.user import User
from domain.storage.keys import BlobKey
from domain.storage.links import FILE_DOWNLOAD_LINK, FILE_UPLOAD_LINK
from domain.storage.policy import UploadPolicy, extension_for


@dataclass(frozen=True, slots=True, kw_only=True)
class PresignUploadCommand:
    user: User
    file_key: str
    content_type: str
    file_size: int


async def refuse_if_referenced(references: list[FileReferences], key: BlobKey, action: str) -> None:
    for reference in references:
        user = await reference.used_by(key)
        if user is not None:
            raise Forbidden(f"This file belongs to {user} and cannot be {action}.")


@dataclass(frozen=True, slots=True, kw_only=True)
class PresignUpload:
    blobs: BlobStore
    policy: UploadPolicy
    references: list[FileReferences]

    async def __call__(self, cmd: PresignUploadCommand) -> tuple[BlobKey, PresignedUrl]:
        key = BlobKey.parse(cmd.file_key)
        key.check_access(cmd.user.id, is_admin=cmd.user.is_admin)
        self.policy.check(cmd.content_type, cmd.file_size)
        await refuse_if_referenced(self.references, key, "replaced")
        url = await self.blobs.presign_upload(key, cmd.content_type, cmd.file_size, FILE_UPLOAD_LINK)
        return key, url


@dataclass(frozen=True, slots=True, kw_only=True)
class PresignDownload:
    blobs: BlobStore

    async def __call__(self, user: User, file_key: str) -> tuple[BlobKey, PresignedUrl]:
        key = BlobKey.parse(file_key)
        key.check_access(user.id, is_admin=user.is_admin)
        if await self.blobs.info(key) is None:
            raise NotFound("File not found")
        return key, await self.blobs.presign_download(key, FILE_DOWNLOAD_LINK)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(filename: str, content_type: str) -> str:
    base = _UNSAFE.sub("_", filename.rsplit("/", 1)[-1]).strip("._") or "file"
    if "." not in base:
        base = f"{base}.{extension_for(content_type)}"
    return base[-100:]


@dataclass(frozen=True, slots=True, kw_only=True)
class UploadCommand:
    user: User
    filename: str
    content_type: str
    data: bytes
    area: str = "uploads"


@dataclass(frozen=True, slots=True, kw_only=True)
class UploadFile:
    blobs: BlobStore
    policy: UploadPolicy
    clock: Clock

    async def __call__(self, cmd: UploadCommand) -> tuple[BlobInfo, PresignedUrl]:
        self.policy.check(cmd.content_type, len(cmd.data))
        stamp = self.clock.now().strftime("%Y%m%d_%H%M%S")
        name = f"{stamp}_{secrets.token_hex(4)}_{safe_filename(cmd.filename, cmd.content_type)}"
        key = BlobKey.for_user(cmd.area, cmd.user.id, name)
        info = await self.blobs.put(key, cmd.data, cmd.content_type)
        return info, await self.blobs.presign_download(key, FILE_DOWNLOAD_LINK)


@dataclass(frozen=True, slots=True, kw_only=True)
class DeleteFile:
    blobs: BlobStore
    references: list[FileReferences]

    async def __call__(self, user: User, file_key: str) -> BlobKey:
        key = BlobKey.parse(file_key)
        key.check_access(user.id, is_admin=user.is_admin)
        await refuse_if_referenced(self.references, key, "deleted")
        if not await self.blobs.delete(key):
            raise NotFound("File not found")
        return key


def require_size(size: int | None) -> int:
    if size is None or size <= 0:
        raise InvalidInput("fileSize must be a positive number of bytes.", field="fileSize")
    return size
