"""Ports of the identity context."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import Protocol

from domain.identity.throttle import AttemptRecord


class LoginThrottle(Protocol):
    """Counts attempts per key (an address, an account, a sign-up source), shared by every API process
    in Redis mode. Keys are built by the use cases; the store never sees a bearer token."""

    @abstractmethod
    async def records(self, keys: Sequence[str]) -> list[AttemptRecord | None]:
        """The current record of each key, in order (None: no attempt remembered)."""

    @abstractmethod
    async def count(self, keys: Sequence[str], now: float, forget_after: float) -> None:
        """One more attempt on each key, at ``now``; each record expires ``forget_after`` s after it."""

    @abstractmethod
    async def clear(self, keys: Sequence[str]) -> None: ...
