from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, Router, get

from application.health.check import CheckHealth
from entrypoints.http.ratelimit import EXEMPT

VERSION = "1.0.0"


@get("/", summary="API root")
async def root() -> dict[str, str]:
    return {"message": "Welcome to iDance API Gateway"}


@get("/health", summary="Liveness, with every dependency probed")
@inject
async def health(use_case: FromDishka[CheckHealth]) -> Response[dict[str, Any]]:
    """200 ``{"status": "ok"}`` when everything answers; otherwise each dependency's state, with 503 when the
    database (without which nothing is served) is down and 200 "degraded" when only the queue or storage is."""
    report = await use_case()
    if report.healthy:
        return Response({"status": "ok"}, status_code=200)
    body: dict[str, Any] = {"status": "degraded" if report.serving else "error", **report.states}
    return Response(body, status_code=200 if report.serving else 503)


@get("/api/v1/status", summary="API status and version")
@inject
async def status(use_case: FromDishka[CheckHealth]) -> dict[str, Any]:
    """Each dependency's state; which technology backs it is not told to anonymous callers."""
    report = await use_case()
    return {"status": "ok" if report.healthy else "degraded", "version": VERSION, **report.states}


router = Router(path="/", route_handlers=[root, health, status], tags=["Health"], opt=EXEMPT)


@get("/api/schema", include_in_schema=False, opt=EXEMPT)
async def openapi_schema(request: Request) -> dict[str, Any]:  # type: ignore[type-arg]
    """The OpenAPI document (also at /api/openapi.json); interactive docs live at /api/docs."""
    return request.app.openapi_schema.to_schema()
