"""Per-caller rate limits from the iDance contract: 100/min standard, 10/min uploads, 5/min AI.

The key is the caller's user id (from the bearer token's subject) or, without a token, the client
address. In redis mode the counters live in Redis, so every API process shares them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from litestar.types import ASGIApp, Receive, Scope, Send

from application.ports.system import RateLimiter, TokenService
from domain.errors import Unauthenticated

WINDOW_SECONDS = 60
EXEMPT = re.compile(r"^/(health|ai/health|api/v1/status|api/schema.*|api/docs.*|api/v1/tts/health)?/?$")
AI = re.compile(
    r"^/api/(ai/(analyze-pose|score-submission|dance-breakdown)|background/jobs/pose-analysis"
    r"|choreography/generate-(from-song|with-ai)|v1/video-analysis/[^/]+)/?$"
)
UPLOADS = re.compile(
    r"^/api/(s3/(upload|presigned-url|upload/challenge-video)|v1/videos/upload"
    r"|challenges/[^/]+/submit(-unified)?|blobs/.+)/?$"
)


@dataclass(frozen=True, slots=True)
class Limits:
    standard: int = 100
    uploads: int = 10
    ai: int = 5


def bucket_for(method: str, path: str, limits: Limits) -> tuple[str, int] | None:
    if EXEMPT.match(path) or method in ("OPTIONS", "HEAD"):
        return None
    if method == "POST" and AI.match(path):
        return "ai", limits.ai
    if method in ("POST", "PUT") and UPLOADS.match(path):
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


def make_rate_limit_middleware(limits: Limits) -> Any:
    def middleware(app: ASGIApp) -> ASGIApp:
        async def handle(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":  # type: ignore[comparison-overlap]
                await app(scope, receive, send)
                return
            state = scope["app"].state
            limiter: RateLimiter | None = state.get("rate_limiter")
            tokens: TokenService | None = state.get("token_service")
            bucket = bucket_for(scope["method"], scope["path"], limits)  # type: ignore[typeddict-item]
            if limiter is None or tokens is None or bucket is None:
                await app(scope, receive, send)
                return
            name, limit = bucket
            decision = await limiter.hit(f"{name}:{caller_key(scope, tokens)}", limit, WINDOW_SECONDS)
            if decision.allowed:
                await app(scope, receive, send)
                return
            body = json.dumps(
                {"detail": f"Rate limit exceeded: {limit} {name} requests per minute. "
                           f"Retry after {decision.retry_after} s."}
            ).encode()
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
