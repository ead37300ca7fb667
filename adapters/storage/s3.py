"""A blob store on S3 (or any S3-protocol server) through aioboto3, with real presigned URLs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

import aioboto3
from botocore.config import Config
from botocore.exceptions import ClientError

from adapters.storage.link_cache import DownloadLinkCache
from application.ports.storage import BlobInfo, BlobStore, PresignedUrl
from domain.errors import NotFound
from domain.storage.keys import BlobKey


class S3BlobStore(BlobStore):
    def __init__(
        self,
        bucket: str,
        *,
        region: str = "us-east-1",
        endpoint_url: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        create_bucket: bool = False,
    ) -> None:
        self.bucket = bucket
        self._session = aioboto3.Session(
            aws_access_key_id=access_key, aws_secret_access_key=secret_key, region_name=region
        )
        self._endpoint = endpoint_url
        self._region = region
        self._create_bucket = create_bucket
        self._stack = AsyncExitStack()
        self._client: Any = None
        self._links = DownloadLinkCache()

    async def start(self) -> None:
        self._client = await self._stack.enter_async_context(
            self._session.client(
                "s3", endpoint_url=self._endpoint, region_name=self._region,
                config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
            )
        )
        if self._create_bucket:
            try:
                await self._client.head_bucket(Bucket=self.bucket)
            except ClientError:
                await self._client.create_bucket(Bucket=self.bucket)

    async def close(self) -> None:
        await self._stack.aclose()

    async def put(self, key: BlobKey, data: bytes | AsyncIterator[bytes], content_type: str) -> BlobInfo:
        if not isinstance(data, bytes):
            data = b"".join([chunk async for chunk in data])
        await self._client.put_object(Bucket=self.bucket, Key=key.value, Body=data, ContentType=content_type)
        return BlobInfo(key=key, size=len(data), content_type=content_type)

    async def get(self, key: BlobKey) -> bytes:
        try:
            response = await self._client.get_object(Bucket=self.bucket, Key=key.value)
        except ClientError as exc:
            raise NotFound("File not found") from exc
        async with response["Body"] as body:
            return bytes(await body.read())

    async def download_to(self, key: BlobKey, target: Path) -> None:
        try:
            response = await self._client.get_object(Bucket=self.bucket, Key=key.value)
        except ClientError as exc:
            raise NotFound("File not found") from exc
        with target.open("wb") as out:
            async for chunk in response["Body"].iter_chunks(1 << 20):
                out.write(chunk)

    async def info(self, key: BlobKey) -> BlobInfo | None:
        try:
            head = await self._client.head_object(Bucket=self.bucket, Key=key.value)
        except ClientError:
            return None
        return BlobInfo(key=key, size=int(head["ContentLength"]),
                        content_type=head.get("ContentType", "application/octet-stream"))

    async def delete(self, key: BlobKey) -> bool:
        self._links.forget(key)
        if await self.info(key) is None:
            return False
        await self._client.delete_object(Bucket=self.bucket, Key=key.value)
        return True

    async def presign_upload(
        self, key: BlobKey, content_type: str, max_bytes: int, expires: timedelta
    ) -> PresignedUrl:
        # A presigned PUT cannot carry a size range (a POST policy can, but the clients PUT, and the challenge
        # upload declares its size only roughly, in MB): the size is checked when the file is first used
        # (application/storage/accepted.py), and an oversized object is deleted there.
        url = await self._client.generate_presigned_url(
            "put_object",
            Params={"Bucket": self.bucket, "Key": key.value, "ContentType": content_type},
            ExpiresIn=int(expires.total_seconds()),
        )
        return PresignedUrl(url=url, method="PUT", expires_in=int(expires.total_seconds()),
                            headers={"Content-Type": content_type})

    async def presign_download(self, key: BlobKey, expires: timedelta) -> PresignedUrl:
        async def sign() -> PresignedUrl:
            url = await self._client.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": key.value},
                ExpiresIn=int(expires.total_seconds()))
            return PresignedUrl(url=url, method="GET", expires_in=int(expires.total_seconds()), headers={})

        return await self._links.get(key, expires, sign)

    async def check(self) -> None:
        await self._client.head_bucket(Bucket=self.bucket)
