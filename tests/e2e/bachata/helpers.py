"""Bachata e2e helpers and fixtures. Two apps for the whole session: one with the committed move library
(figures measured from the 58 shared clips) and the shared clips to render from, one with no move library
(generation fails with the reason, fast)."""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from adapters.music.demo_song_files import write_demo_song
from domain.choreography.demo_songs import DemoSpec
from tests.support.app import ClockProvider, MovableClock, make_settings, running_app, wait_for

LIBRARY = Path(__file__).resolve().parents[2] / "integration" / "choreography" / "data" / "shared_moves.json"
# About 25 s of generated bachata at 128 BPM: six 8-counts with an intro and an outro, quick to render at 480p.
SHORT = DemoSpec("Short demo (generated)", 128.0, plan=(("intro", 1), ("verse", 2), ("chorus", 2), ("outro", 1)))
ADMIN = "admin@bachata.test"
PASSWORD = "Str0ng-pass-2025"
_n = iter(range(10**6))


async def register(client: Any, prefix: str = "dancer") -> dict[str, Any]:
    n = next(_n)
    r = await client.post("/api/auth/register/", json={"username": f"{prefix}_{n}", "email": f"{prefix}{n}@bb.test",
                                                        "password": PASSWORD, "password2": PASSWORD})
    assert r.status_code == 201, r.text
    body = r.json()
    return {**body, "headers": {"Authorization": f"Bearer {body['access']}", "Content-Type": "application/json"}}


async def admin_headers(client: Any) -> dict[str, str]:
    r = await client.post("/api/auth/register/", json={"username": "bb_admin", "email": ADMIN, "password": PASSWORD})
    if r.status_code != 201:
        r = await client.post("/api/auth/login/", json={"username": ADMIN, "password": PASSWORD})
    return {"Authorization": f"Bearer {r.json()['access']}"}


async def upload_demo_song(client: Any, folder: Path) -> dict[str, Any]:
    path = write_demo_song(SHORT, folder)
    r = await client.post("/api/choreography/songs/", headers=await admin_headers(client),
                          files={"file": (path.name, path.read_bytes(), "audio/wav")},
                          data={"title": "Short demo (generated)", "artist": "Dance backend", "genre": "traditional"})
    assert r.status_code == 201, r.text
    song_id = r.json()["id"]
    headers = await admin_headers(client)

    async def analysed() -> Any:
        d = (await client.get(f"/api/choreography/songs/{song_id}/", headers=headers)).json()
        return d if d["analysis_status"] != "pending" else None

    song = await wait_for(analysed, timeout=120, interval=0.3)
    assert song["analysis_status"] == "analysed", song
    return song


@pytest.fixture(scope="session")
async def studio(tmp_path_factory: pytest.TempPathFactory, media_dir: Path) -> AsyncIterator[dict[str, Any]]:
    """The app with a move library; ``song`` is the analysed demo song."""
    tmp = tmp_path_factory.mktemp("studio")
    library = tmp / "moves"
    library.mkdir()
    shutil.copy(LIBRARY, library / "moves.json")
    settings = make_settings(tmp, admin_emails=ADMIN, move_library_dir=library, move_clips_dir=media_dir / "moves")
    async with running_app(settings) as client:
        yield {"client": client, "song": await upload_demo_song(client, tmp / "songs"), "settings": settings}


@pytest.fixture(scope="session")
async def studio_scaleout(tmp_path_factory: pytest.TempPathFactory, media_dir: Path,
                          new_postgres_database: Callable[[], str], redis_url: str,
                          s3_endpoint: str) -> AsyncIterator[dict[str, Any]]:
    """The studio on the scale-out stack: PostgreSQL, S3 (moto's server), the Redis queue and a real
    ``taskiq worker`` process that runs the song analysis and the generation."""
    import os
    import subprocess
    import sys

    from adapters.sqla import database
    from entrypoints.settings import Settings

    postgres_url = new_postgres_database()  # its own: the worker's reconciler takes over any expired job there
    tmp = tmp_path_factory.mktemp("studio-scaleout")
    library = tmp / "moves"
    library.mkdir()
    shutil.copy(LIBRARY, library / "moves.json")
    root = Path(__file__).resolve().parents[3]
    env = {
        "ENV": "test", "VAR_DIR": str(tmp), "DATABASE_URL": postgres_url, "STORAGE": "s3",
        "S3_ENDPOINT_URL": s3_endpoint, "S3_BUCKET": "bachata-scaleout", "S3_CREATE_BUCKET": "true",
        "QUEUE": "redis", "REDIS_URL": redis_url, "REDIS_QUEUE_NAME": f"bachata-{os.getpid()}",
        "JWT_SECRET": "j" * 48, "ADMIN_EMAILS": ADMIN, "MOVE_LIBRARY_DIR": str(library),
        "MOVE_CLIPS_DIR": str(media_dir / "moves"), "WARM_UP": "false", "RATE_LIMIT_STANDARD": "10000",
        "RATE_LIMIT_UPLOADS": "10000", "RATE_LIMIT_AI": "10000", "RECONCILE_SECONDS": "2",
        "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
        "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
    }
    await database.upgrade(postgres_url)
    settings = Settings.from_env(env)
    worker = subprocess.Popen([sys.executable, "-m", "taskiq", "worker", "entrypoints.worker:broker", "--workers", "1"],
                              cwd=root, env={**os.environ, **env, "PYTHONPATH": str(root)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        async with running_app(settings) as client:
            yield {"client": client, "song": await upload_demo_song(client, tmp / "songs"), "settings": settings,
                   "scaleout": True}
    finally:
        worker.terminate()
        worker.wait(timeout=30)


@pytest.fixture(scope="session")
async def bare(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, Any]]:
    """The app with songs but an empty move library (nothing ingested, no demo library built): generations end
    `failed` with that reason."""
    tmp = tmp_path_factory.mktemp("bare")
    clock = MovableClock()
    settings = make_settings(tmp, admin_emails=ADMIN, move_clips_dir=tmp / "no-clips", rate_limit_standard=60)
    async with running_app(settings, ClockProvider(clock)) as client:
        yield {"client": client, "song": await upload_demo_song(client, tmp / "songs"), "clock": clock}


async def poll_to_end(client: Any, task_id: str, headers: dict[str, str], timeout: float = 180) -> list[dict[str, Any]]:
    """Every distinct poll answer until the task ends (as the client polls, back to back)."""
    seen: list[dict[str, Any]] = []

    async def ended() -> bool:
        r = await client.get(f"/api/choreography/tasks/{task_id}/", headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        key = (body["status"], body["stage"], body["progress"], body["message"])
        if not seen or key != (seen[-1]["status"], seen[-1]["stage"], seen[-1]["progress"], seen[-1]["message"]):
            seen.append(body)
        return body["status"] in ("completed", "failed")

    await wait_for(ended, timeout=timeout, interval=0.05)
    return seen


async def generate(client: Any, user: dict[str, Any], path: str, body: dict[str, Any]) -> tuple[str, list[Any]]:
    r = await client.post(path, json=body, headers=user["headers"])
    assert r.status_code == 202, r.text
    task_id = r.json()["task_id"]
    return task_id, await poll_to_end(client, task_id, user["headers"])


def dump(value: Any) -> str:
    return json.dumps(value, indent=1)[:2000]
