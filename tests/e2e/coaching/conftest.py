"""One real server for the swing coach's e2e tests (uvicorn on a loopback port, so HTTP and the WebSocket go over
real sockets, as the app's do): ONNX pose, Piper voice loaded once, uploads capped at 2 MB to test the limit."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from adapters.sqla import database
from entrypoints.http.app import create_app
from entrypoints.http.swing import warm_up
from tests.e2e.conftest import unique_email
from tests.support.app import make_settings

MAX_UPLOAD_MB = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
async def swing_server(tmp_path_factory: pytest.TempPathFactory, onnx_model_path: Path) -> AsyncIterator[str]:
    tmp = tmp_path_factory.mktemp("swing-e2e")
    port = free_port()
    settings = make_settings(tmp, pose_backend="onnx", pose_onnx_model=str(onnx_model_path),
                             swing_max_upload_mb=MAX_UPLOAD_MB, swing_free_analyses_per_day=2,
                             swing_pro_emails="pro@example.com", public_base_url=f"http://127.0.0.1:{port}")
    await database.upgrade(settings.database_url)
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.05)
    await warm_up(app.state.dishka_container)  # what start-up does where WARM_UP is on: the voice, once
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


@pytest.fixture(scope="session")
async def http(swing_server: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=swing_server, timeout=60) as client:
        yield client


async def register(http: httpx.AsyncClient, email: str | None = None) -> dict[str, Any]:
    r = await http.post("/api/v1/auth/register", json={"email": email or unique_email("golfer"),
                                                       "password": "correct-horse", "full_name": "Golfer"})
    assert r.status_code == 201, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def poll_until_finished(http: httpx.AsyncClient, analysis_id: int, headers: dict[str, str],
                              timeout: float = 120.0) -> list[dict[str, Any]]:
    seen = []
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        r = await http.get(f"/api/v1/video-analysis/{analysis_id}/status", headers=headers)
        assert r.status_code == 200, r.text
        seen.append(r.json())
        if seen[-1]["status"] in ("completed", "failed"):
            return seen
        assert asyncio.get_running_loop().time() < deadline, seen[-1]
        await asyncio.sleep(0.5)
