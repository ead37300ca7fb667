from __future__ import annotations

import hashlib
from types import SimpleNamespace

import pytest

from tests.e2e.conftest import idance_user, unique_email
from tests.support.app import make_settings, running_app, wait_for


@pytest.fixture(autouse=True)
def one_rate_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limiters count per fixed minute: a test's requests that straddle a minute's end would start a fresh
    count. The limiters here read a clock held 10 s into a window (the app's other clocks are untouched)."""
    from adapters.ratelimit import limiters

    monkeypatch.setattr(limiters, "time", SimpleNamespace(time=lambda: 1_700_000_050.0))


async def test_file_digest_job_runs_in_process_and_its_status_is_stored(client):
    user = await idance_user(client)
    r = await client.post("/api/s3/upload", headers=user["headers"],
                          files={"file": ("a.mp4", b"some video bytes", "video/mp4")})
    key = r.json()["file_key"]
    r = await client.post("/api/background/jobs/file-digest", headers=user["headers"], json={"file_key": key})
    assert r.status_code == 202 and r.json()["status"] == "queued"
    job_id = r.json()["job_id"]

    async def finished():
        body = (await client.get(f"/api/background/jobs/{job_id}", headers=user["headers"])).json()
        return body if body["status"] in ("completed", "failed") else None

    body = await wait_for(finished)
    assert body["status"] == "completed" and body["progress"] == 1.0
    assert body["result"]["sha256"] == hashlib.sha256(b"some video bytes").hexdigest()
    other = await idance_user(client)
    assert (await client.get(f"/api/background/jobs/{job_id}", headers=other["headers"])).status_code == 404


async def test_job_for_a_missing_file_fails_with_its_reason(client):
    user = await idance_user(client)
    r = await client.post("/api/background/jobs/file-digest", headers=user["headers"],
                          json={"file_key": f"uploads/{user['id']}/absent.mp4"})
    job_id = r.json()["job_id"]

    async def finished():
        body = (await client.get(f"/api/background/jobs/{job_id}", headers=user["headers"])).json()
        return body if body["status"] in ("completed", "failed") else None

    body = await wait_for(finished)
    assert body["status"] == "failed" and body["error"] == "File not found" and body["result"] is None


async def test_rate_limits_answer_429_with_retry_after(tmp_path):
    settings = make_settings(tmp_path, rate_limit_standard=5, rate_limit_uploads=2)
    async with running_app(settings) as client:
        user = await idance_user(client, email=unique_email())
        codes = [(await client.get("/api/users/profile", headers=user["headers"])).status_code for _ in range(6)]
        assert codes[:5] == [200] * 5 and codes[5] == 429
        r = await client.get("/api/users/profile", headers=user["headers"])
        assert r.status_code == 429 and 1 <= int(r.headers["retry-after"]) <= 61
        assert "Rate limit exceeded" in r.json()["detail"]
        # Limits are per caller: another user is unaffected; health is never limited.
        other = await idance_user(client, email=unique_email())
        assert (await client.get("/api/users/profile", headers=other["headers"])).status_code == 200
        assert (await client.get("/health")).status_code == 200
        uploads = [(await client.post("/api/s3/upload", headers=other["headers"],
                                       files={"file": ("a.mp4", b"x", "video/mp4")})).status_code for _ in range(3)]
        assert uploads == [200, 200, 429]
        # Buckets are declared on the routes: health, the schema and docs are exempt; the AI bucket is its own.
        for path in ("/health", "/api/schema/", "/api/docs/", "/ai/health", "/api/v1/health"):
            codes = [(await client.get(path)).status_code for _ in range(7)]
            assert codes == [200] * 7, path


async def test_the_ai_bucket_is_declared_on_the_analysis_routes(tmp_path):
    settings = make_settings(tmp_path, rate_limit_ai=2)
    async with running_app(settings) as client:
        user = await idance_user(client, email=unique_email())
        body = {"submission_id": "x1", "video_url": "ftp://nowhere"}  # refused (400) after the limit check
        codes = [(await client.post("/api/ai/analyze-pose", headers=user["headers"], json=body)).status_code
                 for _ in range(3)]
        assert codes == [400, 400, 429]
        assert (await client.get("/api/users/profile", headers=user["headers"])).status_code == 200


async def test_health_root_status_and_docs(client):
    assert (await client.get("/")).json() == {"message": "Welcome to iDance API Gateway"}
    assert (await client.get("/health")).json() == {"status": "ok"}
    status = (await client.get("/api/v1/status")).json()
    assert status["status"] == "ok" and status["database"] == "ok"
    schema = (await client.get("/api/schema/")).json()
    assert "/auth/login" in schema["paths"] and "/api/v1/auth/oauth" in schema["paths"]
    assert (await client.get("/api/docs/")).status_code == 200


async def test_jobs_left_unfinished_by_a_stopped_process_run_at_next_start(tmp_path):
    from datetime import UTC, datetime

    from adapters.sqla import database
    from adapters.sqla.repositories import SqlaJobRepository
    from adapters.storage.local import LocalBlobStore
    from domain.ids import new_id
    from domain.jobs.job import Job
    from domain.storage.keys import BlobKey

    settings = make_settings(tmp_path)
    await database.upgrade(settings.database_url)
    store = LocalBlobStore(tmp_path / "blobs", secret="x", public_base_url="http://127.0.0.1:8000")
    await store.put(BlobKey.parse("uploads/u/left.bin"), b"left behind", "video/mp4")
    now = datetime.now(UTC)
    # As a process that stopped mid-job leaves them: one still queued, one marked processing.
    queued = Job(id=new_id(), kind="file-digest", user_id=None, payload={"file_key": "uploads/u/left.bin"},
                 created_at=now, updated_at=now)
    running = Job(id=new_id(), kind="file-digest", user_id=None, payload={"file_key": "uploads/u/left.bin"},
                  created_at=now, updated_at=now).start(now)
    engine = database.make_engine(settings.database_url)
    async with database.make_sessionmaker(engine)() as session:
        for job in (queued, running):
            await SqlaJobRepository(session).add(job)
        await session.commit()

    async with running_app(settings):
        async def both_done():
            async with database.make_sessionmaker(engine)() as session:
                repo = SqlaJobRepository(session)
                found = [await repo.get(queued.id), await repo.get(running.id)]
                return found if all(j is not None and j.status.finished for j in found) else None

        done = await wait_for(both_done, timeout=30)
    await engine.dispose()
    assert [j.status.value for j in done] == ["completed", "completed"]
    assert done[0].result["sha256"] == hashlib.sha256(b"left behind").hexdigest()


async def test_the_futuregolf_apps_refusals_keep_its_envelope(tmp_path):
    settings = make_settings(tmp_path, rate_limit_uploads=1)
    async with running_app(settings) as client:
        files = {"file": ("swing.mp4", b"not a video", "video/mp4")}
        first = await client.post("/api/v1/videos/upload", files=files)
        assert first.status_code in (400, 415, 422) and first.json()["success"] is False
        second = await client.post("/api/v1/videos/upload", files=files)
        assert second.status_code == 429 and second.json()["success"] is False and second.headers["retry-after"]


async def test_without_anonymous_app_access_the_apps_calls_need_a_token(tmp_path):
    """SWING_ANONYMOUS_APP=false (the README's advice for a server reachable from outside a trusted network): the
    FutureGolf app's credential-less calls are refused in its envelope; its health check still answers."""
    async with running_app(make_settings(tmp_path, swing_anonymous_app="false")) as client:
        upload = await client.post("/api/v1/videos/upload", files={"file": ("s.mp4", b"video", "video/mp4")})
        poll = await client.get("/api/v1/video-analysis/video/123")
        speech = await client.post("/api/v1/tts/coaching", json={"text": "Nice swing", "voice": "onyx"})
        for r in (upload, poll, speech):
            assert r.status_code == 401, r.text
        assert upload.json()["success"] is False and poll.json()["success"] is False
        assert (await client.get("/api/v1/health")).status_code == 200
