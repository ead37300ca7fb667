"""S3BlobStore against moto's S3 server: real HTTP, real presigned URLs."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from adapters.storage.s3 import S3BlobStore
from domain.errors import NotFound
from domain.storage.keys import BlobKey


@pytest.fixture
async def store(s3_endpoint):
    s = S3BlobStore("dance-test", endpoint_url=s3_endpoint, access_key="testing", secret_key="testing",
                    create_bucket=True)
    await s.start()
    yield s
    await s.close()


async def test_put_get_info_delete(store, tmp_path):
    key = BlobKey.parse("uploads/abc/clip.mp4")
    info = await store.put(key, b"video-bytes", "video/mp4")
    assert info.size == 11
    assert await store.get(key) == b"video-bytes"
    assert (await store.info(key)).content_type == "video/mp4"
    target = tmp_path / "copy.mp4"
    await store.download_to(key, target)
    assert target.read_bytes() == b"video-bytes"
    assert await store.delete(key) is True
    assert await store.delete(key) is False
    assert await store.info(key) is None
    with pytest.raises(NotFound):
        await store.get(key)
    await store.check()


async def test_presigned_put_and_get_work_over_http(store):
    key = BlobKey.parse("sessions/abc/s1/video.mp4")
    up = await store.presign_upload(key, "video/mp4", 5, timedelta(minutes=5))
    async with httpx.AsyncClient() as http:
        r = await http.put(up.url, content=b"12345", headers=up.headers)
        assert r.status_code == 200, r.text
        down = await store.presign_download(key, timedelta(minutes=5))
        r = await http.get(down.url)
        assert r.status_code == 200 and r.content == b"12345"
    assert "X-Amz-Signature" in up.url and "X-Amz-Expires=300" in up.url


async def test_an_oversized_upload_through_an_s3_link_is_refused_at_first_use_and_removed(store):
    """moto (like some S3-protocol servers) accepts any body on a presigned PUT; the first use refuses it."""
    from application.storage.accepted import accepted_upload
    from domain.errors import TooLarge
    from domain.storage.policy import UploadPolicy

    key = BlobKey.parse("uploads/u1/big.mp4")
    up = await store.presign_upload(key, "video/mp4", 4, timedelta(minutes=5))
    async with httpx.AsyncClient() as http:
        r = await http.put(up.url, content=b"x" * 5000, headers=up.headers)
    assert r.status_code == 200  # the server took it...
    with pytest.raises(TooLarge):
        await accepted_upload(store, key, UploadPolicy(max_video_bytes=4096))
    assert await store.info(key) is None  # ...and it is gone, never part of a record
    small = BlobKey.parse("uploads/u1/small.mp4")
    await store.put(small, b"x" * 100, "video/mp4")
    assert (await accepted_upload(store, small, UploadPolicy(max_video_bytes=4096))).size == 100
