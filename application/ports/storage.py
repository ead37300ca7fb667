"""The blob store port: files by key, with presigned URLs for direct upload and download."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from domain.storage.keys import BlobKey


@dataclass(frozen=True, slots=True)
class BlobInfo:
    key: BlobKey
    size: int
    content_type: str


@dataclass(frozen=True, slots=True)
class PresignedUrl:
    url: str
    method: str
    expires_in: int
    headers: dict[str, str]


class BlobStore(Protocol):
    @abstractmethod
    async def put(self, key: BlobKey, data: bytes | AsyncIterator[bytes], content_type: str) -> BlobInfo: ...

    @abstractmethod
    async def get(self, key: BlobKey) -> bytes:
        """Raises NotFound."""

    @abstractmethod
    async def download_to(self, key: BlobKey, target: Path) -> None:
        """Copy a blob to a local file (analysis needs a path); raises NotFound."""

    @abstractmethod
    async def info(self, key: BlobKey) -> BlobInfo | None: ...

    @abstractmethod
    async def delete(self, key: BlobKey) -> bool:
        """True when something was deleted."""

    @abstractmethod
    async def presign_upload(
        self, key: BlobKey, content_type: str, max_bytes: int, expires: timedelta
    ) -> PresignedUrl: ...

    @abstractmethod
    async def presign_download(self, key: BlobKey, expires: timedelta) -> PresignedUrl: ...

    @abstractmethod
    async def check(self) -> None:
        """Raises when the store cannot be reached."""


class SignedLinkVerifier(Protocol):
    """A store that serves its own signed links (the local folder); S3 checks its links itself."""

    @abstractmethod
    def verify(self, op: str, key: BlobKey, exp: int, sig: str, content_type: str = "", max_bytes: int = 0) -> None:
        """Raise Forbidden unless the link was signed for this operation, key, type and size, and is unexpired."""


class FileReferences(Protocol):
    """A context that keeps records naming stored files (a submission's video, a challenge's demo). Each context
    contributes one; a referenced file is immutable: no new upload over it, no delete."""

    @abstractmethod
    async def used_by(self, key: BlobKey) -> str | None:
        """What uses the file, in words (e.g. "a challenge submission"), or None."""
