"""The swing coach's error shapes: FastAPI's ``{"detail"}`` with a machine-readable ``code`` (spec 004's
"structured errors with codes"), and for the FutureGolf app's calls the same with ``success: false`` added, since
its decoder requires ``success`` in every answer, errors included."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException

from application.coaching.ports import SpeechError
from domain.coaching.records import Coded, DailyLimitReached
from domain.errors import DomainError
from entrypoints.http.errors import SEED_ERRORS

CODES_BY_STATUS = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
                   405: "method_not_allowed", 413: "file_too_large", 422: "validation_error", 429: "rate_limited",
                   500: "internal_error", 503: "service_unavailable", 507: "insufficient_storage"}


def _code(exc: Exception, status: int) -> str:
    if isinstance(exc, Coded):
        return exc.code
    if status == 422 and isinstance(exc, DomainError):
        return "analysis_failed"
    return CODES_BY_STATUS.get(status, "error")


def _shaped(app: bool) -> dict[Any, Any]:
    def reshape(base: Any) -> Any:
        def handle(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
            original: Response[Any] = base(request, exc)
            content = original.content if isinstance(original.content, dict) else {"detail": original.content}
            body = {"success": False, **content} if app else dict(content)
            body["code"] = _code(exc, original.status_code or 500)
            return Response(body, status_code=original.status_code, headers=dict(original.headers),
                            media_type=MediaType.JSON)
        return handle

    def limit(_: Request[Any, Any, Any], exc: DailyLimitReached) -> Response[Any]:
        body: dict[str, Any] = {"detail": exc.message, "code": exc.code}
        return Response({"success": False, **body} if app else body, status_code=429,
                        headers={"Retry-After": str(exc.retry_after)}, media_type=MediaType.JSON)

    def speech(_: Request[Any, Any, Any], exc: SpeechError) -> Response[Any]:
        body = {"detail": f"Speech could not be produced: {exc}", "code": "speech_unavailable"}
        return Response({"success": False, **body} if app else body, status_code=503, media_type=MediaType.JSON)

    handlers = {kind: reshape(handler) for kind, handler in SEED_ERRORS.items()}
    handlers[HTTPException] = reshape(SEED_ERRORS[HTTPException])
    handlers[DailyLimitReached] = limit
    handlers[SpeechError] = speech
    return handlers


SWING_ERRORS: dict[Any, Any] = _shaped(app=False)  # spec 004's calls
APP_ERRORS: dict[Any, Any] = _shaped(app=True)  # the FutureGolf app's calls: {"success": false, ...}
