"""A blob store in a local folder. Presigned URLs are HMAC-signed links served by this app itself."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import mimetypes
import os
import shutil
import tempfile
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

from adapters.storage.link_cache import DownloadLinkCache
from application.ports.storage import BlobInfo, BlobStore, PresignedUrl, SignedLinkVerifier
from domain.errors import Forbidden, InvalidInput, NotFound
from domain.storage.keys import BlobKey

BLOB_ROUTE = "/api/blobs"


class LocalBlobStore(BlobStore, SignedLinkVerifier):
    def __init__(self, root: Path, *, secret: str, public_base_url: str) -> None:
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self._secret = secret.encode()
        self._base = public_base_url.rstrip("/")
        self._links = DownloadLinkCache()

    def path_for(self, key: BlobKey) -> Path:
        path = (self.root / key.value).resolve()
        if self.root not in path.parents:  # BlobKey forbids '..', this is a second lock on the door
            raise InvalidInput("File key escapes the store.", field="file_key")
        return path

    def _meta_path(self, path: Path) -> Path:
        return path.with_name(path.name + ".meta")

    async def put(self, key: BlobKey, data: bytes | AsyncIterator[bytes], content_type: str) -> BlobInfo:
        path = self.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        size = 0
        try:
            with os.fdopen(fd, "wb") as out:
                if isinstance(data, bytes):
                    out.write(data)
                    size = len(data)
                else:
                    async for chunk in data:
                        out.write(chunk)
                        size += len(chunk)
            # The type first, then the file: a full disk leaves neither half-written nor a file without its type.
            self._meta_path(path).write_text(content_type)
            os.replace(tmp, path)  # atomic: a reader never sees half a file
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            if not path.exists():
                self._meta_path(path).unlink(missing_ok=True)
            raise
        return BlobInfo(key=key, size=size, content_type=content_type)

    async def get(self, key: BlobKey) -> bytes:
        path = self.path_for(key)
        if not path.is_file():
            raise NotFound("File not found")
        return await asyncio.to_thread(path.read_bytes)

    async def download_to(self, key: BlobKey, target: Path) -> None:
        path = self.path_for(key)
        if not path.is_file():
            raise NotFound("File not found")
        await asyncio.to_thread(shutil.copyfile, path, target)

    async def info(self, key: BlobKey) -> BlobInfo | None:
        path = self.path_for(key)
        if not path.is_file():
            return None
        meta = self._meta_path(path)
        guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        ctype = meta.read_text() if meta.is_file() else guessed
        return BlobInfo(key=key, size=path.stat().st_size, content_type=ctype)

    async def delete(self, key: BlobKey) -> bool:
        self._links.forget(key)
        path = self.path_for(key)
        existed = path.is_file()
        path.unlink(missing_ok=True)
        self._meta_path(path).unlink(missing_ok=True)
        return existed

    def _signature(self, op: str, key: str, expires: int, content_type: str, max_bytes: int) -> str:
        message = f"{op}\n{key}\n{expires}\n{content_type}\n{max_bytes}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def _url(self, op: str, key: BlobKey, expires: timedelta, content_type: str = "", max_bytes: int = 0) -> str:
        exp = int(time.time() + expires.total_seconds())
        query = {"op": op, "exp": exp, "sig": self._signature(op, key.value, exp, content_type, max_bytes)}
        if op == "put":
            query |= {"ct": content_type, "max": max_bytes}
        return f"{self._base}{BLOB_ROUTE}/{quote(key.value)}?{urlencode(query)}"

    async def presign_upload(
        self, key: BlobKey, content_type: str, max_bytes: int, expires: timedelta
    ) -> PresignedUrl:
        return PresignedUrl(
            url=self._url("put", key, expires, content_type, max_bytes), method="PUT",
            expires_in=int(expires.total_seconds()), headers={"Content-Type": content_type},
        )

    async def presign_download(self, key: BlobKey, expires: timedelta) -> PresignedUrl:
        async def sign() -> PresignedUrl:
            return PresignedUrl(url=self._url("get", key, expires), method="GET",
                                expires_in=int(expires.total_seconds()), headers={})

        return await self._links.get(key, expires, sign)

    def verify(self, op: str, key: BlobKey, exp: int, sig: str, content_type: str = "", max_bytes: int = 0) -> None:
        """Checks a presigned link; raises Forbidden when it is forged or stale."""
        expected = self._signature(op, key.value, exp, content_type, max_bytes)
        if not hmac.compare_digest(expected, sig):
            raise Forbidden("Signature does not match.")
        if exp < time.time():
            raise Forbidden("This link has expired.")

    async def check(self) -> None:
        if not os.access(self.root, os.W_OK):
            raise OSError(f"blob folder {self.root} is not writable")
