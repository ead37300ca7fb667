"""What the fault scenarios do through the API: users, uploads, analyses, and a steady background load whose every
answer is recorded (time, route, status, whether the body was JSON)."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

FINISHED = ("completed", "failed")


@dataclass(frozen=True)
class Answer:
    at: float  # time.monotonic()
    route: str
    status: int  # 0: no answer (connection error or client timeout)
    json: bool
    detail: str = ""


@dataclass
class Recorder:
    answers: list[Answer] = field(default_factory=list)

    def add(self, route: str, response: httpx.Response | None, error: str = "") -> None:
        if response is None:
            self.answers.append(Answer(time.monotonic(), route, 0, False, error))
            return
        is_json = response.headers.get("content-type", "").startswith("application/json")
        detail = ""
        if response.status_code >= 400:
            with contextlib.suppress(Exception):
                detail = str(response.json().get("detail", ""))[:120]
        self.answers.append(Answer(time.monotonic(), route, response.status_code, is_json, detail))

    def between(self, start: float, end: float) -> list[Answer]:
        return [a for a in self.answers if start <= a.at < end]


def bad(answer: Answer) -> bool:
    """What a fault may never produce: a 5xx other than 503/507, a non-JSON error, or no answer at all."""
    if answer.status == 0:
        return True
    if answer.status >= 400 and not answer.json:
        return True
    return answer.status >= 500 and answer.status not in (503, 507)


def failed(answer: Answer) -> bool:
    return answer.status == 0 or answer.status >= 500


def codes(answers: list[Answer]) -> str:
    """E.g. ``200x1050,503x14 (503: profile x9, feed x5)``: every status, and which routes the errors came from."""
    counted = Counter(a.status for a in answers)
    text = ",".join(f"{code}x{n}" for code, n in sorted(counted.items())) or "none"
    errors = Counter((a.status, a.route) for a in answers if a.status >= 400 or a.status == 0)
    if errors:
        text += " (" + ", ".join(f"{code}: {route} x{n}" for (code, route), n in errors.most_common(6)) + ")"
    return text


class Api:
    def __init__(self, base_url: str, recorder: Recorder | None = None) -> None:
        self.http = httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(30.0, connect=5.0))
        self.recorder = recorder or Recorder()

    async def close(self) -> None:
        await self.http.aclose()

    async def call(self, method: str, url: str, route: str | None = None, **kwargs: Any) -> httpx.Response | None:
        try:
            response = await self.http.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            self.recorder.add(route or url, None, f"{type(exc).__name__}: {exc}")
            return None
        self.recorder.add(route or url, response)
        return response

    async def user(self) -> dict[str, str]:
        email = f"fault-{secrets.token_hex(5)}@example.com"
        for _ in range(60):  # start-up, or a scenario's outage: keep trying
            r = await self.call("POST", "/auth/register", json={"email": email, "password": "correct-horse-9",
                                                               "displayName": "Fault"})
            if r is not None and r.status_code == 201:
                token = r.json()["access_token"]
                return {"Authorization": f"Bearer {token}", "email": email}
            await asyncio.sleep(1)
        raise RuntimeError("could not register a user")

    async def upload(self, headers: dict[str, str], video: Path) -> httpx.Response | None:
        files = {"file": (video.name, video.read_bytes(), "video/mp4")}
        return await self.call("POST", "/api/s3/upload", "upload", headers=_auth(headers), files=files)

    async def analyze(self, headers: dict[str, str], file_key: str) -> tuple[str, httpx.Response | None]:
        sid = f"f{secrets.token_hex(6)}"
        r = await self.call("POST", "/api/ai/analyze-pose", "analyze", headers=_auth(headers),
                            json={"submission_id": sid, "file_key": file_key})
        return sid, r

    async def status(self, headers: dict[str, str], sid: str) -> dict[str, Any] | None:
        r = await self.call("GET", f"/api/ai/analysis-status/{sid}", "status", headers=_auth(headers))
        return r.json() if r is not None and r.status_code == 200 else None

    async def wait_all(self, headers: dict[str, str], sids: list[str], timeout: float) -> dict[str, dict[str, Any]]:
        """Poll until every analysis has ended or ``timeout`` passed; the last state seen of each."""
        seen: dict[str, dict[str, Any]] = {}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for sid in sids:
                if seen.get(sid, {}).get("status") in FINISHED:
                    continue
                state = await self.status(headers, sid)
                if state is not None:
                    seen[sid] = state | {"seen_at": time.monotonic()}
            if all(seen.get(s, {}).get("status") in FINISHED for s in sids):
                break
            await asyncio.sleep(2)
        return seen


def _auth(headers: dict[str, str]) -> dict[str, str]:
    return {"Authorization": headers["Authorization"]}


class Load:
    """``concurrency`` clients in a loop over reads and sign-ins, with a pause between requests (the machine is
    small and shared): profile (database), feed (database), login (database + password hash), status (none)."""

    def __init__(self, api: Api, headers: dict[str, str], concurrency: int = 3, pause: float = 0.05) -> None:
        self.api, self.headers, self.concurrency, self.pause = api, headers, concurrency, pause
        self._tasks: list[asyncio.Task[None]] = []

    async def _client(self, n: int) -> None:
        routes = [("GET", "/api/users/profile"), ("GET", "/api/feed"), ("GET", "/api/v1/status"),
                  ("GET", "/api/users/profile")]
        i = n
        while True:
            method, url = routes[i % len(routes)]
            i += 1
            if i % 25 == 0:
                await self.api.call("POST", "/auth/login", "login",
                                    json={"email": self.headers["email"], "password": "correct-horse-9"})
            else:
                await self.api.call(method, url, headers=_auth(self.headers))
            await asyncio.sleep(self.pause)

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._client(n)) for n in range(self.concurrency)]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
