"""The caller's address. ``X-Forwarded-For`` is believed only when the connection comes from one of our own
proxies (the TRUSTED_PROXIES setting, empty by default): anyone else can write any address into it."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from litestar import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class TrustedProxies:
    networks: tuple[Network, ...] = ()

    @staticmethod
    def parse(entries: tuple[str, ...]) -> TrustedProxies:
        return TrustedProxies(tuple(ipaddress.ip_network(e, strict=False) for e in entries))

    def trusts(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        return any(ip in net for net in self.networks)


@dataclass(frozen=True, slots=True)
class ClientAddress:
    value: str | None


def client_address(request: Request[Any, Any, Any], proxies: TrustedProxies) -> ClientAddress:
    peer = request.client.host if request.client else None
    if peer is None or not proxies.trusts(peer):
        return ClientAddress(peer)
    hops = [hop.strip() for line in request.headers.getall("x-forwarded-for", []) for hop in line.split(",")]
    current = peer
    # Walk back from our side: the first address not of our own proxies is the client.
    while hops and proxies.trusts(current):
        current = hops.pop() or current
    return ClientAddress(current)
