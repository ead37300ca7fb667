"""Download links reused while most of their life is left.

A feed page carries up to 40 signed links; signing each anew on every read costs more than the rest of a cached
page's answer. A link is reused for at most a tenth of its lifetime (five minutes at most), so a reused link is
still valid for at least nine tenths of what was asked, and its ``expires_in`` says exactly how long. The same
link for the same file also lets clients' HTTP caches hit.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from application.ports.storage import PresignedUrl
from domain.storage.keys import BlobKey

REUSE_FRACTION = 0.1
MAX_REUSE_SECONDS = 300.0
MAX_ENTRIES = 20_000


class DownloadLinkCache:
    def __init__(self) -> None:
        # (key, lifetime) -> (reuse until, monotonic; link expiry, wall clock; link)
        self._links: dict[tuple[str, float], tuple[float, float, PresignedUrl]] = {}

    async def get(self, key: BlobKey, expires: timedelta,
                  sign: Callable[[], Awaitable[PresignedUrl]]) -> PresignedUrl:
        lifetime = expires.total_seconds()
        slot = (key.value, lifetime)
        hit = self._links.get(slot)
        now = time.monotonic()
        if hit is not None and hit[0] > now:
            link = hit[2]
            return PresignedUrl(url=link.url, method=link.method, expires_in=max(0, int(hit[1] - time.time())),
                                headers=link.headers)
        link = await sign()
        if len(self._links) >= MAX_ENTRIES:
            self._links = {k: v for k, v in self._links.items() if v[0] > now}
            if len(self._links) >= MAX_ENTRIES:
                self._links.clear()
        self._links[slot] = (now + min(MAX_REUSE_SECONDS, REUSE_FRACTION * lifetime), time.time() + link.expires_in,
                             link)
        return link

    def forget(self, key: BlobKey) -> None:
        """A deleted or replaced file's links are not handed out again."""
        self._links = {k: v for k, v in self._links.items() if k[0] != key.value}
