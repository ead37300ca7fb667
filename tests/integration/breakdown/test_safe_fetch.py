"""The safe fetcher against real local servers: every case of issue 8 item 1."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from adapters.net.safe_fetch import GENERIC_ERROR, FetchFailed, SafeVideoFetcher, address_refusal
from tests.integration.breakdown.servers import send, serve

BODY = b"\x00\x00\x00\x18ftypmp42" + b"x" * 200_000


def _media(h):
    send(h, 200, BODY, {"Content-Type": "video/mp4"})


@pytest.fixture
def target(tmp_path: Path) -> Path:
    return tmp_path / "video.mp4"


async def test_private_addresses_may_be_allowed_by_setting(target):
    with serve(_media) as (base, rec):
        n = await SafeVideoFetcher(allow_private=True).fetch(f"{base}/v.mp4", target, max_bytes=10**6, timeout=10)
    assert n == len(BODY) and target.read_bytes() == BODY
    assert rec.requests[0][2]["host"] == base.removeprefix("http://")


@pytest.mark.parametrize("host", ["127.0.0.1", "[::1]", "localhost", "2130706433", "127.1", "0x7f000001",
                                  "[::ffff:127.0.0.1]", "0.0.0.0", "[::]", "10.0.0.1", "169.254.169.254",
                                  "[fe80::1]", "224.0.0.1", "100.64.0.1", "[::ffff:7f00:1]", "[2002:7f00:1::]"])
async def test_internal_addresses_are_refused_with_one_generic_text(host, target):
    with serve(_media) as (base, rec):
        port = base.rsplit(":", 1)[1]
        with pytest.raises(FetchFailed) as err:
            await SafeVideoFetcher().fetch(f"http://{host}:{port}/v.mp4", target, max_bytes=10**6, timeout=5)
    assert str(err.value) == GENERIC_ERROR
    assert rec.requests == []  # nothing reached the server
    assert not target.exists()


async def test_credentials_in_the_url_are_refused_and_never_sent(target):
    with serve(_media) as (base, rec):
        url = base.replace("http://", "http://user:secret@")
        with pytest.raises(FetchFailed, match=GENERIC_ERROR):
            await SafeVideoFetcher(allow_private=True).fetch(url, target, max_bytes=10**6, timeout=5)
        with pytest.raises(FetchFailed, match=GENERIC_ERROR):
            await SafeVideoFetcher(allow_private=True).fetch(base.replace("http://", "http://user@"), target,
                                                             max_bytes=10**6, timeout=5)
    assert rec.requests == []


async def test_a_redirect_to_loopback_is_refused_on_its_hop(target):
    with serve(_media) as (inside, inside_rec):
        def redirect(h):
            send(h, 302, headers={"Location": f"{inside}/secret"})

        with serve(redirect, host="127.0.0.2") as (outside, outside_rec):
            fetcher = SafeVideoFetcher(allowed_networks=("127.0.0.2/32",))  # stands in for a public server
            with pytest.raises(FetchFailed, match=GENERIC_ERROR):
                await fetcher.fetch(f"{outside}/v.mp4", target, max_bytes=10**6, timeout=5)
    assert len(outside_rec.requests) == 1
    assert inside_rec.requests == []


async def test_at_most_three_redirects_each_rechecked(target):
    def chain(h):
        n = int(h.path.strip("/").split("/")[-1] or 0)
        if n < 10:
            send(h, 302, headers={"Location": f"/hop/{n + 1}"})
        else:
            _media(h)

    with serve(chain) as (base, rec):
        fetcher = SafeVideoFetcher(allow_private=True)
        await fetcher.fetch(f"{base}/hop/7", target, max_bytes=10**6, timeout=5)  # 3 redirects: fine
        with pytest.raises(FetchFailed, match=GENERIC_ERROR):
            await fetcher.fetch(f"{base}/hop/6", target, max_bytes=10**6, timeout=5)  # 4 redirects
    assert [r[1] for r in rec.requests][:4] == ["/hop/7", "/hop/8", "/hop/9", "/hop/10"]


async def test_a_dripping_server_fails_fast(target):
    def drip(h):
        h.send_response(200)
        h.send_header("Content-Length", "1000")
        h.end_headers()
        for _ in range(20):
            h.wfile.write(b"x")
            h.wfile.flush()
            time.sleep(5)

    with serve(drip) as (base, _rec):
        started = time.monotonic()
        with pytest.raises(FetchFailed, match=GENERIC_ERROR):
            await SafeVideoFetcher(allow_private=True).fetch(f"{base}/v.mp4", target, max_bytes=10**6, timeout=60)
        assert time.monotonic() - started < 4.5


async def test_a_slow_trickle_under_the_minimum_rate_fails(target):
    def trickle(h):
        h.send_response(200)
        h.send_header("Content-Length", "100000")
        h.end_headers()
        for _ in range(100):
            h.wfile.write(b"x" * 100)
            h.wfile.flush()
            time.sleep(0.5)

    with serve(trickle) as (base, _rec):
        started = time.monotonic()
        with pytest.raises(FetchFailed, match=GENERIC_ERROR):
            await SafeVideoFetcher(allow_private=True).fetch(f"{base}/v.mp4", target, max_bytes=10**6, timeout=60)
        assert time.monotonic() - started < 5.0


async def test_size_limit_and_deadline_and_errors_share_the_text(target):
    with serve(_media) as (base, _rec):
        with pytest.raises(FetchFailed, match=GENERIC_ERROR) as too_big:
            await SafeVideoFetcher(allow_private=True).fetch(f"{base}/v.mp4", target, max_bytes=1000, timeout=5)
        assert "limit" in too_big.value.detail
    with serve(lambda h: send(h, 404, b"no")) as (base, _rec), pytest.raises(FetchFailed, match=GENERIC_ERROR):
        await SafeVideoFetcher(allow_private=True).fetch(f"{base}/v.mp4", target, max_bytes=10**6, timeout=5)
    with pytest.raises(FetchFailed, match=GENERIC_ERROR):  # a closed port
        await SafeVideoFetcher(allow_private=True).fetch("http://127.0.0.1:9/v.mp4", target, max_bytes=10**6,
                                                         timeout=5)
    for bad in ("ftp://example.com/v.mp4", "http://[::1/", "file:///etc/passwd"):
        with pytest.raises(FetchFailed, match=GENERIC_ERROR):
            await SafeVideoFetcher().fetch(bad, target, max_bytes=10**6, timeout=5)


async def test_the_checked_address_is_the_one_connected_to(target):
    """DNS rebinding: a second lookup answering loopback is never made; Host keeps the name."""
    answers = iter([["127.0.0.2"], ["127.0.0.1"], ["127.0.0.1"]])

    async def rebinding(host: str, port: int) -> list[str]:
        return next(answers)

    with serve(_media) as (_inside, inside_rec), serve(_media, host="127.0.0.2") as (outside, outside_rec):
        port = outside.rsplit(":", 1)[1]
        fetcher = SafeVideoFetcher(allowed_networks=("127.0.0.2/32",), resolver=rebinding)
        await fetcher.fetch(f"http://media.example:{port}/v.mp4", target, max_bytes=10**6, timeout=5)
    assert inside_rec.requests == []
    assert outside_rec.requests[0][2]["host"] == f"media.example:{port}"


def test_address_rules():
    import ipaddress

    assert address_refusal(ipaddress.ip_address("93.184.216.34")) is None
    assert address_refusal(ipaddress.ip_address("2606:4700::1111")) is None
    for bad in ("127.0.0.1", "::1", "::ffff:10.0.0.1", "::127.0.0.1", "192.168.1.1", "fc00::1", "ff02::1", "240.0.0.1"):
        assert address_refusal(ipaddress.ip_address(bad)) is not None, bad
