"""Per-caller rate limits from the iDance contract: 100/min standard, 10/min uploads, 5/min AI.

Each route declares its bucket where it is made: ``opt={"rate_limit": "ai" | "uploads" | "exempt"}`` on the
handler or its router (Litestar merges ``opt`` down the layers); anything undeclared is "standard". The key is the
caller's user id (from the bearer token's subject) or, without a token, the client address. In redis mode the
counters live in Redis, so every API process shares them.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from litestar.types import ASGIApp, Receive, Scope, Send

from adapters.outages import unavailable_dependency
from application.ports.system import RateLimiter, TokenService
from domain.errors import Unauthenticated

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60
RATE_LIMIT = "rate_limit"  # the route option naming a handler's bucket
AI, UPLOADS, EXEMPT = {RATE_LIMIT: "ai"}, {RATE_LIMIT: "uploads"}, {RATE_LIMIT: "exempt"}
SUCCESS_ENVELOPE = "success_envelope"  # route option: refusals carry {"success": false} (the FutureGolf app)


@dataclass(frozen=True, slots=True)
class Limits:
    standard: int = 100
    uploads: int = 10
    ai: int = 5


def bucket_for(method: str, route_opt: dict[str, Any], limits: Limits) -> tuple[str, int] | None:
    declared = route_opt.get(RATE_LIMIT, "standard")
    if declared == "exempt" or method in ("OPTIONS", "HEAD"):
        return None
    if declared == "ai":
        return "ai", limits.ai
    if declared == "uploads":
        return "uploads", limits.uploads
    return "standard", limits.standard


def caller_key(scope: Scope, tokens: TokenService) -> str:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer":
                try:
                    return "user:" + tokens.decode(token.strip(), "access").user_id
                except Unauthenticated:
                    break
    client = scope.get("client")
    return "ip:" + (client[0] if client else "unknown")


_last_warning = 0.0


def _warn_open(exc: BaseException) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 10:  # once per 10 s, not per request
        _last_warning = now
        log.warning("rate limits are off while their store is unreachable (fail open): %s", exc)


def make_rate_limit_middleware(limits: Limits) -> Any:
    def middleware(app: ASGIApp) -> ASGIApp:
        async def handle(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":  # type: ignore[comparison-overlap]
                await app(scope, receive, send)
                return
            state = scope["app"].state
            limiter: RateLimiter | None = state.get("rate_limiter")
            tokens: TokenService | None = state.get("token_service")
            handler = scope.get("route_handler")
            opt = getattr(handler, "opt", None) or {}
            bucket = bucket_for(scope["method"], opt, limits)  # type: ignore[typeddict-item]
            if limiter is None or tokens is None or bucket is None:
                await app(scope, receive, send)
                return
            name, limit = bucket
            try:
                decision = await limiter.hit(f"{name}:{caller_key(scope, tokens)}", limit, WINDOW_SECONDS)
            except Exception as exc:  # the counters' store (Redis) is down: serve unlimited rather than not at all
                if unavailable_dependency(exc) is None:
                    raise
                _warn_open(exc)
                decision = None
            if decision is None:  # outside the except: the request's own errors must not chain to Redis's
                await app(scope, receive, send)
                return
            if decision.allowed:
                await app(scope, receive, send)
                return
            refusal: dict[str, Any] = {"detail": f"Rate limit exceeded: {limit} {name} requests per minute. "
                                                  f"Retry after {decision.retry_after} s."}
            if opt.get(SUCCESS_ENVELOPE):  # a client whose decoder needs {"success": false} on every answer
                refusal = {"success": False, "code": "rate_limited", **refusal}
            body = json.dumps(refusal).encode()
            headers = [
                (b"content-type", b"application/json"),
                (b"retry-after", str(decision.retry_after).encode()),
                (b"content-length", str(len(body)).encode()),
            ]
            start: Any = {"type": "http.response.start", "status": 429, "headers": headers}
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})

        return handle

    return middleware
