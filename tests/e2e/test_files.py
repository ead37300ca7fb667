"""Files through the local store: presigned upload, download, direct upload, delete, and key rules."""

from __future__ import annotations

import base64
from urllib.parse import urlsplit

from tests.e2e.conftest import idance_user


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def test_presigned_upload_download_and_delete(client, tmp_path):
    user = await idance_user(client)
    key = f"sessions/{user['id']}/sess_1/video.mp4"
    r = await client.post("/api/s3/presigned-url", headers=user["headers"],
                          json={"fileKey": key, "contentType": "video/mp4", "fileSize": 11})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"uploadUrl", "fileKey", "expiresIn"} and body["fileKey"] == key
    put = await client.put(local(body["uploadUrl"]), content=b"hello video", headers={"content-type": "video/mp4"})
    assert put.status_code == 200, put.text
    r = await client.get(f"/api/s3/download-url/{key}", headers=user["headers"])
    assert r.status_code == 200 and r.json()["fileKey"] == key
    got = await client.get(local(r.json()["downloadUrl"]))
    assert got.content == b"hello video" and got.headers["content-type"].startswith("video/mp4")
    r = await client.delete(f"/api/s3/delete/{key}", headers=user["headers"])
    assert r.json() == {"message": "File deleted successfully", "file_key": key}
    assert (await client.get(f"/api/s3/download-url/{key}", headers=user["headers"])).status_code == 404


async def test_signed_links_cannot_be_forged_or_overfilled(client):
    user = await idance_user(client)
    key = f"uploads/{user['id']}/clip.mp4"
    body = (await client.post("/api/s3/presigned-url", headers=user["headers"],
                              json={"fileKey": key, "contentType": "video/mp4", "fileSize": 4})).json()
    url = local(body["uploadUrl"])
    forged = url.replace(user["id"], "f" * 24)
    assert (await client.put(forged, content=b"1234", headers={"content-type": "video/mp4"})).status_code == 403
    too_big = await client.put(url, content=b"12345678", headers={"content-type": "video/mp4"})
    assert too_big.status_code == 413
    wrong_type = await client.put(url, content=b"1234", headers={"content-type": "image/png"})
    assert wrong_type.status_code == 400
    r = await client.get(f"/api/s3/download-url/{key}", headers=user["headers"])
    assert r.status_code == 404  # none of the refused uploads left a file behind


async def test_direct_upload_json_and_multipart(client):
    user = await idance_user(client)
    r = await client.post("/api/s3/upload", headers=user["headers"],
                          json={"file": base64.b64encode(b"\x89PNG fake").decode(), "filename": "me.png",
                                "content_type": "image/png"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["file_key"].startswith(f"uploads/{user['id']}/") and body["size"] == 9
    r = await client.post("/api/s3/upload", headers=user["headers"],
                          files={"file": ("dance.mp4", b"0123456789", "video/mp4")})
    assert r.status_code == 200 and r.json()["size"] == 10
    r = await client.post("/api/s3/upload", headers=user["headers"],
                          json={"file": "!!!not base64", "filename": "x.mp4", "content_type": "video/mp4"})
    assert r.status_code == 400
    r = await client.post("/api/s3/upload", headers=user["headers"],
                          json={"file": "aGVsbG8=", "filename": "x.exe", "content_type": "application/x-msdownload"})
    assert r.status_code == 400 and "Unsupported content type" in r.json()["detail"]


async def test_keys_are_validated_and_owned(client):
    alice = await idance_user(client)
    bob = await idance_user(client)
    key = f"uploads/{alice['id']}/secret.mp4"
    body = (await client.post("/api/s3/presigned-url", headers=alice["headers"],
                              json={"fileKey": key, "contentType": "video/mp4", "fileSize": 3})).json()
    await client.put(local(body["uploadUrl"]), content=b"abc", headers={"content-type": "video/mp4"})
    # Bob can neither read, delete, nor overwrite Alice's file.
    assert (await client.get(f"/api/s3/download-url/{key}", headers=bob["headers"])).status_code == 403
    assert (await client.delete(f"/api/s3/delete/{key}", headers=bob["headers"])).status_code == 403
    r = await client.post("/api/s3/presigned-url", headers=bob["headers"],
                          json={"fileKey": key, "contentType": "video/mp4", "fileSize": 3})
    assert r.status_code == 403
    for bad in (f"uploads/{bob['id']}/../{alice['id']}/secret.mp4", "/etc/passwd", f"uploads/{bob['id']}/./x.mp4"):
        r = await client.post("/api/s3/presigned-url", headers=bob["headers"],
                              json={"fileKey": bad, "contentType": "video/mp4", "fileSize": 3})
        assert r.status_code == 400, bad
    r = await client.get(f"/api/s3/download-url/uploads/{bob['id']}/..%2F..%2Fjwt_secret", headers=bob["headers"])
    assert r.status_code in (400, 404)
    # Alice's file is still intact.
    r = await client.get(f"/api/s3/download-url/{key}", headers=alice["headers"])
    assert (await client.get(local(r.json()["downloadUrl"]))).content == b"abc"
