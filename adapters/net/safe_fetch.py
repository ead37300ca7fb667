"""Fetching a video by URL without letting the URL reach inside the network (SSRF).

On every hop (the first request and each of at most ``MAX_REDIRECTS`` redirects):

- only ``http``/``https``, no credentials in the URL;
- the host is resolved (numeric forms such as ``2130706433``, ``127.1`` and ``0x7f000001`` resolve like any name)
  and every address it resolves to must be public: not loopback, private, link-local, shared (100.64/10),
  multicast, unspecified or reserved, IPv4 or IPv6, IPv4-mapped/compatible, 6to4 and Teredo forms unwrapped;
- the connection goes to the checked address itself (the URL's host is replaced by that IP, the original host is
  kept in ``Host`` and as TLS SNI, and certificates are verified against it), so a second DNS answer cannot
  redirect it (DNS rebinding);
- an overall deadline, a per-read stall limit and a minimum average rate after a short grace period, and a size limit.

Every failure raises ``FetchFailed`` with one generic text (``GENERIC_ERROR``), so error texts do not map the
internal network; the precise reason is in ``detail`` for logs. ``allow_private`` (a setting, off by default) lets a
deployment fetch from private addresses, and ``allowed_networks`` names particular ones.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from urllib.parse import urljoin

import httpx

from application.ports.analysis import MediaError
from application.ports.analysis_records import VideoFetcher

log = logging.getLogger(__name__)

GENERIC_ERROR: Final = "the video could not be downloaded from that URL"
MAX_REDIRECTS: Final = 3
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]


class FetchFailed(MediaError):
    def __init__(self, detail: str) -> None:
        super().__init__(GENERIC_ERROR)
        self.detail = detail


def _unwrap(ip: IPAddress) -> IPAddress:
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
        if ip.teredo is not None:
            return ip.teredo[1]
        packed = ip.packed
        if packed[:12] == b"\x00" * 12 and packed[12:] not in (b"\x00\x00\x00\x00", b"\x00\x00\x00\x01"):
            return ipaddress.IPv4Address(packed[12:])  # deprecated IPv4-compatible ::a.b.c.d
    return ip


def address_refusal(ip: IPAddress, *, allow_private: bool = False,
                    allowed: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network] = ()) -> str | None:
    """Why a connection to ``ip`` is refused, or None when it is allowed."""
    inner = _unwrap(ip)
    if any(inner in net or ip in net for net in allowed):
        return None
    for candidate in {ip, inner}:
        if candidate.is_unspecified:
            return f"{ip} is unspecified"
        if candidate.is_multicast:
            return f"{ip} is multicast"
        if allow_private:
            continue
        if candidate.is_loopback:
            return f"{ip} is loopback"
        if candidate.is_link_local:
            return f"{ip} is link-local"
        if candidate.is_private:
            return f"{ip} is private"
        if candidate.is_reserved:
            return f"{ip} is reserved"
        if not candidate.is_global:
            return f"{ip} is not a public address"
    return None


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


@dataclass(frozen=True, slots=True)
class _Hop:
    url: httpx.URL
    pinned: httpx.URL
    host_header: str
    sni: str


class SafeVideoFetcher(VideoFetcher):
    def __init__(self, *, allow_private: bool = False, allowed_networks: Sequence[str] = (),
                 resolver: Resolver = system_resolver, min_rate_bytes_s: float = 32 * 1024,
                 rate_grace_s: float = 3.0, stall_s: float = 3.0) -> None:
        self._allow_private = allow_private
        self._allowed = tuple(ipaddress.ip_network(n, strict=False) for n in allowed_networks)
        self._resolve = resolver
        self._min_rate = min_rate_bytes_s
        self._grace = rate_grace_s
        self._stall = stall_s

    async def fetch(self, url: str, target: Path, *, max_bytes: int, timeout: float) -> int:
        try:
            async with asyncio.timeout(timeout):
                return await self._fetch(url, target, max_bytes)
        except FetchFailed as exc:
            log.info("fetch of a video URL refused or failed: %s", exc.detail)
            target.unlink(missing_ok=True)
            raise
        except TimeoutError as exc:
            target.unlink(missing_ok=True)
            log.info("fetch of a video URL passed its %.0f s deadline", timeout)
            raise FetchFailed(f"deadline of {timeout:.0f} s passed") from exc
        except (httpx.HTTPError, OSError, ValueError) as exc:
            target.unlink(missing_ok=True)
            log.info("fetch of a video URL failed: %s", type(exc).__name__)
            raise FetchFailed(type(exc).__name__) from exc

    async def _hop(self, raw: str) -> _Hop:
        try:
            url = httpx.URL(raw)
        except (httpx.InvalidURL, ValueError, TypeError) as exc:
            raise FetchFailed(f"invalid URL ({exc})") from exc
        if url.scheme not in ("http", "https"):
            raise FetchFailed(f"scheme {url.scheme!r} is not http(s)")
        if url.userinfo:
            raise FetchFailed("credentials in the URL")
        host = url.host
        if not host:
            raise FetchFailed("no host")
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            addresses = await self._resolve(host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchFailed(f"{host} does not resolve") from exc
        if not addresses:
            raise FetchFailed(f"{host} does not resolve")
        ips = [ipaddress.ip_address(a.split("%", 1)[0]) for a in addresses]
        for ip in ips:  # every answer must be public, or a second connection attempt could pick a bad one
            reason = address_refusal(ip, allow_private=self._allow_private, allowed=self._allowed)
            if reason:
                raise FetchFailed(f"{host}: {reason}")
        ip = ips[0]
        pinned_host = f"[{ip}]" if ip.version == 6 else str(ip)
        default_port = (url.scheme == "https" and port == 443) or (url.scheme == "http" and port == 80)
        host_header = host if default_port else f"{host}:{port}"
        if ":" in host and not host.startswith("["):
            host_header = f"[{host}]" if default_port else f"[{host}]:{port}"
        pinned = url.copy_with(host=pinned_host.strip("[]"), port=port)
        return _Hop(url=url, pinned=pinned, host_header=host_header, sni=host)

    async def _fetch(self, url: str, target: Path, max_bytes: int) -> int:
        current = url
        async with httpx.AsyncClient(follow_redirects=False, trust_env=False,
                                     timeout=httpx.Timeout(self._stall)) as client:
            for _ in range(MAX_REDIRECTS + 1):
                hop = await self._hop(current)
                request = client.build_request("GET", hop.pinned, headers={"Host": hop.host_header},
                                               extensions={"sni_hostname": hop.sni})
                response = await client.send(request, stream=True)
                try:
                    if response.status_code in (301, 302, 303, 307, 308):
                        location = response.headers.get("location")
                        if not location:
                            raise FetchFailed("redirect without a location")
                        current = urljoin(str(hop.url), location)
                        continue
                    if response.status_code != 200:
                        raise FetchFailed(f"HTTP {response.status_code}")
                    return await self._save(response, target, max_bytes)
                finally:
                    await response.aclose()
        raise FetchFailed(f"more than {MAX_REDIRECTS} redirects")

    async def _save(self, response: httpx.Response, target: Path, max_bytes: int) -> int:
        declared = response.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            raise FetchFailed(f"declared {declared} bytes, over the {max_bytes} limit")
        received = 0
        started = time.monotonic()
        chunks = response.aiter_raw(1 << 16)
        with target.open("wb") as out:
            while True:
                try:
                    chunk = await asyncio.wait_for(anext(chunks), timeout=self._stall)
                except StopAsyncIteration:
                    break
                except TimeoutError as exc:
                    raise FetchFailed(f"no data for {self._stall:.0f} s") from exc
                received += len(chunk)
                if received > max_bytes:
                    raise FetchFailed(f"over the {max_bytes} byte limit")
                out.write(chunk)
                elapsed = time.monotonic() - started
                if elapsed > self._grace and received < self._min_rate * elapsed:
                    raise FetchFailed(f"{received / elapsed:.0f} bytes/s is under the minimum rate")
        if received == 0:
            raise FetchFailed("empty body")
        return received
