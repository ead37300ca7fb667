"""One place maps errors to status codes and the clients' error shapes.

iDance and the swing coach speak FastAPI's shape: ``{"detail": "..."}`` and, for validation,
``{"detail": [{"type", "loc", "msg", "input"}]}`` with 422 (``SEED_ERRORS``, the app's default). Bachata Buddy
speaks Django REST framework's: ``{"field": ["message"]}`` with 400 (``DRF_ERRORS``, declared on each Bachata
router). A router picks its shape where it is made; nothing here looks at URLs.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotFoundException, SerializationException, ValidationException
from litestar.exceptions.http_exceptions import MethodNotAllowedException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from adapters.outages import is_disk_full, unavailable_dependency
from domain.analysis.errors import AnalysisFailed
from domain.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound, TooLarge, Unauthenticated
from domain.identity.throttle import TooManyAttempts
from entrypoints.http.auth import NOT_AUTHENTICATED

log = logging.getLogger(__name__)

def _detail(detail: Any, status: int, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response({"detail": detail}, status_code=status, media_type=MediaType.JSON, headers=headers)


STATUS = {NotFound: 404, Conflict: 400, Forbidden: 403, Unauthenticated: 401, InvalidInput: 400, TooLarge: 413}


def _domain_error(exc: DomainError, drf: bool) -> Response[Any]:
    if isinstance(exc, TooManyAttempts):  # the sign-in throttle: both shapes say it as {"detail"}
        return _detail(exc.message, 429, {"Retry-After": str(exc.retry_after)})
    status = next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 400)
    if isinstance(exc, Unauthenticated):
        message = exc.message
        if drf and message == NOT_AUTHENTICATED:
            message = "Authentication credentials were not provided."
        return _detail(message, 401, {"WWW-Authenticate": "Bearer"})
    if drf and isinstance(exc, InvalidInput) and exc.field:
        return Response({exc.field: [exc.message]}, status_code=400)
    return _detail(exc.message, status)


def analysis_failed(_: Request[Any, Any, Any], exc: AnalysisFailed) -> Response[Any]:
    return _detail(exc.reason, 422)


_MISSING = re.compile(r"missing required field `(?P<field>[^`]+)`")
_TYPE = re.compile(r"Expected `(?P<expected>[^`]+)`, got `(?P<got>[^`]+)`(?: - at `\$\.(?P<path>[^`]+)`)?")
_AT = re.compile(r"at `\$\.?(?P<path>[^`]*)`")


def _loc(source: str | None, key: str | None) -> list[Any]:
    loc: list[Any] = [source or "body"]
    if key:
        loc.extend(int(p) if p.isdigit() else p for p in re.split(r"[.\[\]]+", key) if p)
    return loc


def _entry(item: dict[str, Any], body: Any) -> dict[str, Any]:
    message = str(item.get("message", "Invalid value"))
    source = item.get("source")
    key = item.get("key")
    missing = _MISSING.search(message)
    if missing:
        field = missing.group("field")
        at = _AT.search(message)
        prefix = f"{at.group('path')}." if at and at.group("path") else ""
        return {"type": "missing", "loc": _loc(source or "body", prefix + field), "msg": "Field required",
                "input": None}
    if "malformed" in message.lower() or "json is malformed" in message.lower() or "decode" in message.lower():
        return {"type": "json_invalid", "loc": ["body"], "msg": "JSON decode error", "input": {}}
    typed = _TYPE.search(message)
    if typed:
        path = typed.group("path") or key
        value: Any = body
        for part in re.split(r"[.\[\]]+", path or ""):
            if not part:
                continue
            try:
                value = value[int(part)] if part.isdigit() else value[part]
            except (KeyError, IndexError, TypeError, ValueError):
                value = None
                break
        kind = typed.group("expected").split(" ")[0]
        return {"type": f"{kind}_type", "loc": _loc(source or "body", path), "msg": message.split(" - at")[0],
                "input": value}
    at = _AT.search(message)
    path = at.group("path") if at else key
    return {"type": "value_error", "loc": _loc(source or "body", path), "msg": message.split(" - at")[0],
            "input": None}


def _received_json(request: Request[Any, Any, Any]) -> Any:
    """The body as sent, when it was JSON, so an error can echo the offending value (as the seeds' do)."""
    raw = getattr(getattr(request, "_connection_state", None), "body", None)
    if not isinstance(raw, bytes | bytearray) or not raw:
        return None
    try:
        return msgspec.json.decode(raw)
    except msgspec.DecodeError:
        return None


def _validation_error(request: Request[Any, Any, Any], exc: ValidationException, drf: bool) -> Response[Any]:
    extra = exc.extra if isinstance(exc.extra, list) else ([exc.extra] if exc.extra else [])
    body = _received_json(request)
    if not extra:
        extra = [{"message": exc.detail or "Invalid request", "source": "body"}]
    entries = [_entry(item if isinstance(item, dict) else {"message": str(item)}, body) for item in extra]
    if drf:
        errors: dict[str, list[str]] = {}
        for entry in entries:
            field = str(entry["loc"][-1]) if len(entry["loc"]) > 1 else "non_field_errors"
            text = "This field is required." if entry["type"] == "missing" else entry["msg"]
            errors.setdefault(field, []).append(text)
        return Response(errors, status_code=400)
    return _detail(entries, 422)


def _http_error(exc: HTTPException, drf: bool) -> Response[Any]:
    if isinstance(exc.__cause__, SerializationException):  # a body that is not valid JSON
        if drf:
            return Response({"detail": f"JSON parse error - {exc.__cause__.detail}"}, status_code=400)
        entry = {"type": "json_invalid", "loc": ["body"], "msg": f"JSON decode error: {exc.__cause__.detail}",
                 "input": {}}
        return _detail([entry], 422)
    if isinstance(exc, NotFoundException):
        return _detail(exc.detail if exc.detail != "Not Found" else "Not Found", 404)
    if isinstance(exc, MethodNotAllowedException):
        return _detail("Method Not Allowed", 405)
    return _detail(exc.detail, exc.status_code, exc.headers)


RETRY_AFTER_OUTAGE = 5  # seconds; a restarted database or queue is usually back within this


def internal_error(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A dependency that does not answer is an outage (503, try again), a full disk is 507; anything else is a
    bug (500). Nothing of the exception reaches the client but its kind."""
    dependency = unavailable_dependency(exc)
    if dependency is not None:
        log.warning("%s unavailable: %s: %s", dependency, type(exc).__name__, exc)
        return _detail(f"Service temporarily unavailable: the {dependency} cannot be reached. Please retry.", 503,
                       {"Retry-After": str(RETRY_AFTER_OUTAGE)})
    if is_disk_full(exc):
        log.error("storage full: %s", exc)
        return _detail("Insufficient storage: the file could not be stored. Nothing was saved.", 507)
    log.exception("unhandled error", exc_info=exc)
    return _detail("Internal server error", HTTP_500_INTERNAL_SERVER_ERROR)


def _handlers(drf: bool) -> dict[Any, Any]:
    def domain_error(_: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
        return _domain_error(exc, drf)

    def validation_error(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
        return _validation_error(request, exc, drf)

    def http_error(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
        return _http_error(exc, drf)

    def too_deep(_: Request[Any, Any, Any], exc: RecursionError) -> Response[Any]:
        # A body nested thousands deep exhausts the decoder's recursion: it is a malformed body, not a crash.
        if drf:
            return Response({"detail": "JSON parse error - nested too deeply."}, status_code=400)
        return _detail([{"type": "json_invalid", "loc": ["body"], "msg": "JSON decode error: nested too deeply",
                         "input": {}}], 422)

    return {
        DomainError: domain_error,
        AnalysisFailed: analysis_failed,
        ValidationException: validation_error,
        HTTPException: http_error,
        RecursionError: too_deep,
        Exception: internal_error,
    }


SEED_ERRORS: dict[Any, Any] = _handlers(drf=False)  # iDance and the swing coach (FastAPI's shape)
DRF_ERRORS: dict[Any, Any] = _handlers(drf=True)  # Bachata Buddy (Django REST framework's shape)


async def json_not_found(response: Response[Any]) -> Response[Any]:
    """Every 404 under /api/ is JSON in the clients' shape, also where a built-in route would render HTML."""
    declared = getattr(response, "media_type", None)  # file responses carry none
    media = str(getattr(declared, "value", declared))
    if response.status_code == 404 and "html" in media:
        return _detail("Not Found", 404)
    return response
