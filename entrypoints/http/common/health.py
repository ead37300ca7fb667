from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, Router, get
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqla.database import ping
from entrypoints.http.ratelimit import EXEMPT
from entrypoints.settings import Settings

VERSION = "1.0.0"


@get("/", summary="API root")
async def root() -> dict[str, str]:
    return {"message": "Welcome to iDance API Gateway"}


@get("/health", summary="Liveness and database check")
@inject
async def health(engine: FromDishka[AsyncEngine]) -> Response[dict[str, Any]]:
    try:
        await ping(engine)
    except Exception as exc:  # the probe reports the outage instead of raising it
        return Response({"status": "error", "database": f"unreachable: {type(exc).__name__}"}, status_code=503)
    return Response({"status": "ok"}, status_code=200)


@get("/api/v1/status", summary="API status and version")
@inject
async def status(settings: FromDishka[Settings], engine: FromDishka[AsyncEngine]) -> dict[str, Any]:
    try:
        await ping(engine)
        database = "ok"
    except Exception as exc:
        database = f"unreachable: {type(exc).__name__}"
    return {
        "status": "ok" if database == "ok" else "degraded",
        "version": VERSION,
        "database": database,
        "database_backend": settings.database_url.split(":", 1)[0],
        "storage": settings.storage,
        "queue": settings.queue,
        "pose_backend": settings.pose_backend,
    }


router = Router(path="/", route_handlers=[root, health, status], tags=["Health"], opt=EXEMPT)


@get("/api/schema", include_in_schema=False, opt=EXEMPT)
async def openapi_schema(request: Request) -> dict[str, Any]:  # type: ignore[type-arg]
    """The OpenAPI document (also at /api/openapi.json); interactive docs live at /api/docs."""
    return request.app.openapi_schema.to_schema()
