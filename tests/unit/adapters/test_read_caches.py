"""The in-process read caches: what they reuse, for how long, and what they never serve."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from adapters.security.tokens import JwtTokenService
from adapters.sqla.community.cache import TtlPages
from adapters.storage.link_cache import DownloadLinkCache
from adapters.storage.local import LocalBlobStore
from domain.errors import Unauthenticated
from domain.storage.keys import BlobKey


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 12, 1, 12, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


async def test_a_page_is_computed_once_while_fresh_and_again_once_stale():
    pages: TtlPages[str, int] = TtlPages(ttl=0.2)
    calls = []

    async def compute() -> int:
        calls.append(1)
        await asyncio.sleep(0.05)
        return len(calls)

    assert await asyncio.gather(*(pages.get("k", compute) for _ in range(10))) == [1] * 10  # one query for all
    assert await pages.get("k", compute) == 1
    await asyncio.sleep(0.25)
    assert await pages.get("k", compute) == 2


async def test_a_page_computed_across_a_clear_is_not_kept():
    """Rows read before a write, stored after the write dropped the cache, would be served stale: never."""
    pages: TtlPages[str, str] = TtlPages(ttl=60)
    started = asyncio.Event()
    release = asyncio.Event()

    async def slow() -> str:
        started.set()
        await release.wait()
        return "before the write"

    reading = asyncio.create_task(pages.get("k", slow))
    await started.wait()
    pages.clear()  # a write committed meanwhile
    release.set()
    assert await reading == "before the write"  # its own caller gets what it read ...

    async def fresh() -> str:
        return "after the write"

    assert await pages.get("k", fresh) == "after the write"  # ... but nobody else does


async def test_a_cleared_page_is_gone_not_stale():
    pages: TtlPages[str, str] = TtlPages(ttl=60)

    async def first() -> str:
        return "old"

    await pages.get("k", first)
    pages.clear(keep=lambda k: k != "k")
    assert pages.fresh("k") is None


async def test_download_links_are_reused_for_a_tenth_of_their_life_and_say_how_long_they_last(tmp_path):
    store = LocalBlobStore(tmp_path, secret="s" * 32, public_base_url="http://127.0.0.1:8000")
    key = BlobKey.parse("uploads/u1/clip.mp4")
    first = await store.presign_download(key, timedelta(hours=1))
    again = await store.presign_download(key, timedelta(hours=1))
    assert again.url == first.url and 3590 <= again.expires_in <= 3600
    assert (await store.presign_download(key, timedelta(minutes=5))).url != first.url  # another lifetime
    assert (await store.presign_download(BlobKey.parse("uploads/u1/other.mp4"), timedelta(hours=1))).url != first.url


async def test_a_reused_link_is_never_handed_out_past_its_reuse_window():
    cache = DownloadLinkCache()
    key = BlobKey.parse("uploads/u1/clip.mp4")
    signed = []

    async def sign():
        from application.ports.storage import PresignedUrl

        signed.append(1)
        return PresignedUrl(url=f"link-{len(signed)}", method="GET", expires_in=2, headers={})

    assert (await cache.get(key, timedelta(seconds=2), sign)).url == "link-1"
    assert (await cache.get(key, timedelta(seconds=2), sign)).url == "link-1"  # within 0.2 s
    await asyncio.sleep(0.25)
    assert (await cache.get(key, timedelta(seconds=2), sign)).url == "link-2"
    cache.forget(key)  # the file was deleted
    assert (await cache.get(key, timedelta(seconds=2), sign)).url == "link-3"


def test_a_verified_token_still_expires_and_a_forged_one_is_still_refused():
    clock = Clock()
    tokens = JwtTokenService("k" * 48, clock, access_ttl=timedelta(minutes=10))
    pair = tokens.issue("u" * 24, "user")
    assert tokens.decode(pair.access).user_id == "u" * 24
    assert tokens.decode(pair.access).user_id == "u" * 24  # remembered
    with pytest.raises(Unauthenticated, match="Expected a refresh token"):
        tokens.decode(pair.access, "refresh")
    forged = jwt.encode({**jwt.decode(pair.access, options={"verify_signature": False}), "sub": "x" * 24},
                        "another-secret-of-enough-length-000000", algorithm="HS256")
    with pytest.raises(Unauthenticated, match="Could not validate"):
        tokens.decode(forged)
    clock.at += timedelta(minutes=11)
    with pytest.raises(Unauthenticated, match="expired"):
        tokens.decode(pair.access)
