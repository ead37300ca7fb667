"""A file a client uploaded through a presigned link is accepted only when its stored size keeps to the upload
policy: a store that cannot refuse a larger body at upload time (a presigned PUT to some S3-protocol servers)
still never lets an oversized file into a record. The oversized object is deleted."""

from __future__ import annotations

from application.ports.storage import BlobInfo, BlobStore
from domain.errors import InvalidInput, NotFound, TooLarge
from domain.storage.keys import BlobKey
from domain.storage.policy import UploadPolicy


async def accepted_upload(blobs: BlobStore, key: BlobKey, policy: UploadPolicy, *, challenge: bool = False,
                          missing: str = "File not found; upload it first.") -> BlobInfo:
    info = await blobs.info(key)
    if info is None:
        raise NotFound(missing)
    try:
        policy.check(info.content_type, info.size, challenge=challenge)
    except InvalidInput as exc:
        if info.size > 0 and "limit" in exc.message:
            await blobs.delete(key)
            raise TooLarge(f"{exc.message} The stored file was removed.") from exc
        raise
    return info
