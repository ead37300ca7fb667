"""The encoded answer of a cached read page, reused while the read cache still serves that same page object.

The read caches (adapters/sqla/community/cache.py) hand out one page object for up to FEED_CACHE_SECONDS; its
answer is the same for every caller (nothing in it depends on who asks), so it is presented and encoded once
instead of on every request. Identity, not equality, decides: a page recomputed or dropped by a write is a new
object, and its answer is rendered anew. Links inside come from the download-link cache either way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable

from litestar import Response

MAX_ENTRIES = 512


class RenderedPages:
    def __init__(self) -> None:
        self._last: dict[Hashable, tuple[object, bytes]] = {}

    async def answer(self, key: Hashable, page: object, render: Callable[[], Awaitable[bytes]]) -> Response[bytes]:
        hit = self._last.get(key)
        if hit is not None and hit[0] is page:
            body = hit[1]
        else:
            body = await render()
            if len(self._last) >= MAX_ENTRIES:
                self._last.clear()
            self._last[key] = (page, body)  # holding the page keeps its identity from being reused
        return Response(content=body, media_type="application/json")
