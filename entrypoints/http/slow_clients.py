"""Body read timeouts: a client that stops sending its body, or dribbles it, is answered 408 and its connection
closed, instead of holding a request (and its memory) open for ever.

Two rules on each request body: no more than ``idle_s`` seconds without a byte, and once ``idle_s`` seconds have
passed, at least ``min_rate`` bytes per second on average (a 1-byte-per-second dribbler passes the first rule).
Headers are the server's job: uvicorn bounds their size (``--h11-max-incomplete-event-size``, 16 KiB), not their
time; see the README's Durability section.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from litestar.exceptions import HTTPException
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send


class BodyReadTimeout(HTTPException):
    status_code = 408

    def __init__(self, detail: str) -> None:
        super().__init__(detail=detail, headers={"Connection": "close"})  # the rest of the body is never read


def make_body_timeout_middleware(idle_s: float, min_rate: float) -> Any:
    def middleware(app: ASGIApp) -> ASGIApp:
        async def handle(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or idle_s <= 0:  # type: ignore[comparison-overlap]
                await app(scope, receive, send)
                return
            started = time.monotonic()
            received = 0
            finished = False

            async def timed_receive() -> ReceiveMessage:
                nonlocal received, finished
                if finished:  # after the body, receive() waits for a disconnect: not ours to time
                    return await receive()
                try:
                    message = await asyncio.wait_for(receive(), idle_s)
                except TimeoutError:
                    raise BodyReadTimeout(detail=f"The request body stopped arriving for {idle_s:.0f} s.") from None
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    finished = not message.get("more_body", False)
                    elapsed = time.monotonic() - started
                    if not finished and elapsed > idle_s and received / elapsed < min_rate:
                        raise BodyReadTimeout(detail=f"The request body arrives too slowly ({received / elapsed:.0f}"
                                                     f" bytes/s; at least {min_rate:.0f} expected).")
                return message

            await app(scope, timed_receive, send)

        return handle

    return middleware
