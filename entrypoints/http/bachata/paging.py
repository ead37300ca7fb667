"""DRF-style pages (``count``, ``next``, ``previous``, ``results``) and the query values Bachata's clients send."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request

from domain.errors import InvalidInput

MAX_PAGE_SIZE = 100


def public_base(request: Request[Any, Any, Any]) -> str:
    """The address the caller reached us at (a proxy's X-Forwarded-Proto/Host honoured, so an https page gets
    https links)."""
    proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip() or request.url.scheme
    host = request.headers.get("x-forwarded-host", "").split(",")[0].strip() or request.headers.get("host", "")
    return f"{proto}://{host}" if host else str(request.base_url).rstrip("/")


def text(request: Request[Any, Any, Any], name: str) -> str | None:
    """A query value; empty means "not given" (the web client sends ``search=&difficulty=``)."""
    value = request.query_params.get(name)
    return value.strip() if value and value.strip() else None


def number(request: Request[Any, Any, Any], *names: str) -> float | None:
    for name in names:
        value = text(request, name)
        if value is not None:
            try:
                return float(value)
            except ValueError as exc:
                raise InvalidInput("A valid number is required.", field=name) from exc
    return None


def integer(request: Request[Any, Any, Any], name: str, default: int, minimum: int = 1,
            maximum: int | None = None) -> int:
    value = text(request, name)
    if value is None:
        return default
    try:
        n = int(value)
    except ValueError as exc:
        raise InvalidInput("A valid integer is required.", field=name) from exc
    if n < minimum:
        raise InvalidInput(f"Ensure this value is greater than or equal to {minimum}.", field=name)
    if maximum is not None and n > maximum:
        raise InvalidInput(f"Ensure this value is less than or equal to {maximum}.", field=name)
    return n


def paging(request: Request[Any, Any, Any], default_size: int = 20) -> tuple[int, int]:
    return integer(request, "page", 1), integer(request, "page_size", default_size, maximum=MAX_PAGE_SIZE)


def page_body(request: Request[Any, Any, Any], page: int, size: int, total: int, results: list[Any]) -> dict[str, Any]:
    def link(n: int) -> str:
        params = dict(request.query_params.items())
        params["page"] = str(n)
        return f"{public_base(request)}{request.url.path}?{urlencode(params)}"

    last = max(1, -(-total // size))
    return {"count": total, "next": link(page + 1) if page < last else None,
            "previous": link(page - 1) if page > 1 else None, "results": results}
