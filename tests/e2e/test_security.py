"""Regression tests for what probing the API as an attacker found (score substitution, stuck analyses, stored
XSS through metadata keys, malformed bodies, unknown demo keys, headers, demo data in production)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest

from entrypoints import manage
from tests.e2e.community.helpers import admin, create_challenge, local, upload_challenge_video
from tests.e2e.conftest import idance_user, unique_email
from tests.support.app import get_link, make_settings, put_upload, running_app, wait_for


@pytest.fixture
def client(stack_client):
    return stack_client  # on the embedded defaults and on the scale-out stack (analyses in a worker process)


async def _analysis(client: Any, user: dict[str, Any], submission_id: str) -> dict[str, Any]:
    return (await client.get(f"/api/ai/analysis-status/{submission_id}", headers=user["headers"])).json()


async def _ended(client: Any, user: dict[str, Any], submission_id: str) -> dict[str, Any]:
    async def done() -> dict[str, Any] | None:
        body = await _analysis(client, user, submission_id)
        return body if body["status"] != "processing" else None

    return await wait_for(done, timeout=60)


async def test_a_bad_url_ends_the_analysis_failed_not_stuck_processing(client):
    user = await idance_user(client)
    r = await client.post("/api/ai/analyze-pose", headers=user["headers"],
                          json={"submission_id": "bad-url", "video_url": "http://[::1/"})
    assert r.status_code in (200, 400)
    if r.status_code == 200:
        ended = await _ended(client, user, "bad-url")
        assert ended["status"] == "failed" and ended["error_message"] and ended["total_score"] is None


async def test_many_fast_failing_analyses_all_end_failed(client):
    user = await idance_user(client)
    ids = [f"race-{i}" for i in range(24)]
    answers = await asyncio.gather(*(client.post(
        "/api/ai/analyze-pose", headers=user["headers"],
        json={"submission_id": sid, "file_key": f"uploads/{user['id']}/missing-{sid}.mp4"}) for sid in ids))
    assert all(a.status_code == 200 for a in answers)
    for sid in ids:
        ended = await _ended(client, user, sid)
        assert ended["status"] == "failed" and "not found" in ended["error_message"].lower()
    retry = await client.post("/api/ai/analyze-pose", headers=user["headers"],
                              json={"submission_id": ids[0], "file_key": f"uploads/{user['id']}/missing.mp4"})
    assert retry.json()["status"] == "processing" and retry.json()["job_id"] != answers[0].json()["job_id"]


async def test_analyses_left_processing_by_an_older_version_are_repaired_at_start(tmp_path):
    from adapters.sqla import database
    from adapters.sqla.analyses import SqlaAnalysisRepository
    from adapters.sqla.repositories import SqlaJobRepository
    from domain.analysis.record import AnalysisRecord
    from domain.jobs.job import Job, JobStatus

    settings = make_settings(tmp_path, reconcile_seconds=0.2)
    async with running_app(settings) as client:
        user = await idance_user(client, email=unique_email())
    now = datetime.now(UTC)
    engine = database.make_engine(settings.database_url)
    async with database.make_sessionmaker(engine)() as session:
        await SqlaJobRepository(session).add(Job(id="j" * 24, kind="pose-analysis", user_id=user["id"],
                                                 status=JobStatus.FAILED, error="File not found",
                                                 created_at=now, updated_at=now, finished_at=now))
        await SqlaAnalysisRepository(session).add(AnalysisRecord(
            id="stuck", user_id=user["id"], submission_id="stuck", job_id="j" * 24, created_at=now, updated_at=now))
        await session.commit()
    await engine.dispose()
    async with running_app(settings) as client:
        user["headers"] = {"Authorization": f"Bearer {(await client.post('/auth/login', json={'email': user['email'], 'password': user['password']})).json()['access_token']}"}  # noqa: E501
        ended = await _ended(client, user, "stuck")
        assert ended["status"] == "failed" and ended["error_message"] == "File not found"


async def test_a_challenge_submission_is_scored_only_from_its_own_video_and_that_video_is_immutable(client):
    boss = await admin(client)
    cid = await create_challenge(client, boss)
    dancer = await idance_user(client)
    key = await upload_challenge_video(client, dancer, cid, b"not really a video\n" * 40)
    r = await client.post(f"/api/challenges/{cid}/submit-unified", headers=dancer["headers"], json={"video_file": key})
    assert r.status_code == 200, r.text
    submission_id = r.json()["id"]
    other = await client.post("/api/s3/upload", headers=dancer["headers"],
                              files={"file": ("other.mp4", b"another video", "video/mp4")})
    substitute = await client.post("/api/ai/analyze-pose", headers=dancer["headers"],
                                   json={"submission_id": submission_id, "file_key": other.json()["file_key"]})
    assert substitute.status_code == 400 and "submitted with" in substitute.json()["detail"]
    by_url = await client.post("/api/ai/analyze-pose", headers=dancer["headers"],
                               json={"submission_id": submission_id, "video_url": "https://example.com/v.mp4"})
    assert by_url.status_code == 400
    stranger = await idance_user(client)
    stolen = await client.post("/api/ai/analyze-pose", headers=stranger["headers"],
                               json={"submission_id": submission_id, "file_key": key})
    assert stolen.status_code == 403
    overwrite = await client.post("/api/s3/presigned-url", headers=dancer["headers"],
                                  json={"fileKey": key, "contentType": "video/mp4", "fileSize": 10})
    assert overwrite.status_code == 403 and "challenge submission" in overwrite.json()["detail"]
    removed = await client.delete(f"/api/s3/delete/{key}", headers=dancer["headers"])
    assert removed.status_code == 403


async def test_an_upload_link_issued_before_the_submission_cannot_replace_the_submitted_video(embedded_client):
    """The local store checks the file's references when the bytes arrive. (An S3 server accepts its presigned PUT
    until the link expires; the README's Security section says so.)"""
    client = embedded_client
    boss = await admin(client)
    cid = await create_challenge(client, boss)
    dancer = await idance_user(client)
    r = await client.post("/api/s3/upload/challenge-video", headers=dancer["headers"],
                          json={"challenge_id": cid, "file_extension": "mp4", "content_type": "video/mp4",
                                "file_size_mb": 0.01})
    link, key = r.json()["upload_url"], r.json()["file_key"]
    assert (await put_upload(client, link, b"the submitted video", "video/mp4")).status_code == 200
    r = await client.post(f"/api/challenges/{cid}/submit-unified", headers=dancer["headers"], json={"video_file": key})
    assert r.status_code == 200, r.text
    again = await put_upload(client, link, b"a better dancer's video", "video/mp4")
    assert again.status_code == 403 and "cannot be replaced" in again.json()["detail"]
    kept = await client.get(f"/api/s3/download-url/{key}", headers=dancer["headers"])
    assert (await get_link(client, kept.json()["downloadUrl"])).content == b"the submitted video"


async def test_metadata_keys_are_refused_and_served_files_are_sandboxed(embedded_client):
    client = embedded_client  # the local store serves files itself; on S3 the S3 server does
    user = await idance_user(client)
    sidecar = await client.post("/api/s3/presigned-url", headers=user["headers"],
                                json={"fileKey": f"uploads/{user['id']}/p.png.meta", "contentType": "image/png",
                                      "fileSize": 10})
    assert sidecar.status_code == 400 and ".meta" in sidecar.json()["detail"]
    uploaded = await client.post("/api/s3/upload", headers=user["headers"],
                                 files={"file": ("p.png", b"\x89PNG\r\n\x1a\n0000", "image/png")})
    served = await client.get(local(uploaded.json()["file_url"]))
    assert served.status_code == 200 and served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-security-policy"].startswith("sandbox")
    assert served.headers["content-disposition"].startswith("inline")


@pytest.mark.parametrize("path", ["/auth/login", "/api/auth/login/", "/api/v1/auth/login", "/api/ai/analyze-pose"])
async def test_malformed_bodies_answer_4xx_in_each_clients_shape(client, path):
    user = await idance_user(client)
    deep = "[" * 1000 + "]" * 1000
    for body in (deep.encode(), b'{"email": "\xff\xfe"}'):
        r = await client.post(path, content=body, headers={"content-type": "application/json", **user["headers"]})
        assert r.status_code == (400 if path.startswith("/api/auth/") else 422), (path, r.text)
        assert "detail" in r.json()


async def test_a_malformed_signed_upload_link_is_400(client):
    r = await client.put("/api/blobs/uploads/x/y.mp4?op=put&exp=1&sig=x&ct=video/mp4&max=abc", content=b"x")
    assert r.status_code == 400


async def test_a_challenge_demo_must_be_stored_before_it_is_named(client):
    boss = await admin(client)
    body = {"title": "Demo", "type": "freestyle", "difficulty": "beginner",
            "demoVideoFileKey": f"uploads/{boss['id']}/never-uploaded.mp4",
            "startTime": "2026-01-01T00:00:00Z", "endTime": "2027-01-01T00:00:00Z"}
    r = await client.post("/api/challenges", headers=boss["headers"], json=body)
    assert r.status_code == 400 and "upload the demo" in r.json()["detail"]


async def test_answers_carry_security_headers_and_status_names_no_backends(client):
    r = await client.get("/api/v1/status")
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-frame-options"] == "DENY"
    probes = {"database", "storage"} | ({"queue"} if hasattr(client, "scaleout") else set())  # Redis is probed too
    assert set(r.json()) == {"status", "version"} | probes
    docs = await client.get("/api/docs")
    assert "script-src 'self'" in docs.headers["content-security-policy"]
    assert "cdn." not in docs.text and "/api/docs-assets/swagger-ui-bundle.js" in docs.text
    assert (await client.get("/api/docs-assets/swagger-ui-bundle.js")).status_code == 200
    missing = await client.get("/api/nothing-here")
    assert missing.headers["x-content-type-options"] == "nosniff"


async def test_cors_origins_come_from_a_setting(tmp_path):
    settings = make_settings(tmp_path, env="production", jwt_secret="x" * 40, cors_origins="https://app.example")
    async with running_app(settings) as client:
        pre = {"access-control-request-method": "POST", "access-control-request-headers": "authorization"}
        ok = await client.options("/api/auth/login/", headers={"origin": "https://app.example", **pre})
        assert ok.headers.get("access-control-allow-origin") == "https://app.example"
        other = await client.options("/api/auth/login/", headers={"origin": "https://evil.example", **pre})
        assert other.headers.get("access-control-allow-origin") != "https://evil.example"


async def test_demo_data_is_never_seeded_in_production(tmp_path):
    settings = make_settings(tmp_path, env="production", jwt_secret="y" * 40)
    with pytest.raises(manage.SeedRefused):
        await manage.seed(settings)
