"""Outages answer 503 with Retry-After (507 for a full disk), never a 500 with a traceback; a rate limiter whose
store is down lets requests through; unknown /api/ paths answer JSON."""

from __future__ import annotations

import errno
from typing import Any

import pytest
from dishka import Provider, Scope, provide

from application.health.check import CheckHealth
from application.ports.system import RateDecision, RateLimiter
from entrypoints.http.errors import internal_error
from tests.e2e.conftest import idance_user, unique_email
from tests.support.app import make_settings, running_app


def _status(exc: Exception) -> tuple[int, dict[str, Any], dict[str, str]]:
    response = internal_error(None, exc)  # type: ignore[arg-type]
    return response.status_code, response.content, dict(response.headers)


def test_dependency_failures_are_outages_and_anything_else_is_a_bug():
    import redis.exceptions
    from sqlalchemy.exc import OperationalError

    db_down = OperationalError("SELECT 1", {}, ConnectionRefusedError(111, "Connection refused"))
    for exc, dependency in ((db_down, "database"), (redis.exceptions.ConnectionError("gone"), "queue"),
                            (ConnectionResetError("reset"), "network")):
        status, body, headers = _status(exc)
        assert status == 503 and headers["Retry-After"] == "5", exc
        assert dependency in body["detail"] and "gone" not in body["detail"]
    status, body, _ = _status(OSError(errno.ENOSPC, "No space left on device"))
    assert status == 507 and "Nothing was saved" in body["detail"]
    status, body, _ = _status(RuntimeError("a bug"))
    assert status == 500 and body == {"detail": "Internal server error"}


class BrokenLimiter(RateLimiter):
    async def hit(self, key: str, limit: int, window_seconds: int) -> RateDecision:
        import redis.exceptions

        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


class BrokenLimiterProvider(Provider):
    @provide(scope=Scope.APP)
    def limiter(self) -> RateLimiter:
        return BrokenLimiter()


async def test_a_rate_limiter_that_cannot_reach_its_store_fails_open(tmp_path):
    settings = make_settings(tmp_path, rate_limit_standard=1)
    async with running_app(settings, BrokenLimiterProvider()) as client:
        user = await idance_user(client, email=unique_email())
        codes = [(await client.get("/api/users/profile", headers=user["headers"])).status_code for _ in range(3)]
        assert codes == [200, 200, 200]


@pytest.mark.parametrize("path", ["/api/collections/a/b/c/", "/api/nothing", "/api/choreography/no/such/path/",
                                  "/api/v1/nothing"])
async def test_unknown_api_paths_answer_json_404(client, path):
    response = await client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"detail": "Not Found"}


class DownDatabaseProbe:
    name, required = "database", True

    async def check(self) -> None:
        raise ConnectionRefusedError(111, "Connection refused")


class DownDatabaseHealthProvider(Provider):
    @provide(scope=Scope.APP)
    def health(self) -> CheckHealth:
        return CheckHealth(probes=[DownDatabaseProbe()])


async def test_health_is_measured_and_says_unknown_rather_than_zero(tmp_path):
    settings = make_settings(tmp_path)
    async with running_app(settings) as client:
        healthy = (await client.get("/ai/health")).json()
        assert healthy["status"] == "healthy" and healthy["dependencies"]["database"] == "ok"
        assert healthy["model_loaded"] is False and healthy["features"]["pose_detection"] is False  # not warmed
        assert isinstance(healthy["active_analyses"], int)
    async with running_app(settings, DownDatabaseHealthProvider()) as client:
        down = await client.get("/ai/health")
        assert down.status_code == 503
        body = down.json()
        assert body["status"] == "unhealthy" and body["active_analyses"] is None
        assert body["dependencies"]["database"].startswith("unreachable")
        general = await client.get("/health")
        assert general.status_code == 503 and general.json()["status"] == "error"
