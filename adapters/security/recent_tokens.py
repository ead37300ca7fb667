"""Tokens verified in the last few seconds, so a hot read needs no database round trip to know its caller.

A revocation or profile change in this process drops the entry at once; another process may accept a just
revoked token for at most ``ttl`` seconds (the AUTH_CACHE_SECONDS setting; 0 turns the cache off).
"""

from __future__ import annotations

import asyncio
import time

from domain.identity.user import User


class RecentTokens:
    def __init__(self, ttl: float = 2.0, max_entries: int = 50_000) -> None:
        self.ttl = ttl
        self._max = max_entries
        self._entries: dict[str, tuple[float, User]] = {}
        self._looking_up: dict[str, asyncio.Lock] = {}

    def lookup_lock(self, token_id: str) -> asyncio.Lock:
        """One database lookup per token at a time: when an entry expires under load, the requests carrying that
        token wait for one query instead of each taking a connection for the same row."""
        lock = self._looking_up.get(token_id)
        if lock is None:
            if len(self._looking_up) >= self._max:
                self._looking_up = {k: v for k, v in self._looking_up.items() if v.locked()}
            lock = self._looking_up[token_id] = asyncio.Lock()
        return lock

    def get(self, token_id: str, user_id: str) -> User | None:
        hit = self._entries.get(token_id)
        if hit is None or hit[0] < time.monotonic() or hit[1].id != user_id:
            return None
        return hit[1]

    def put(self, token_id: str, user: User) -> None:
        if self.ttl <= 0:
            return
        if len(self._entries) >= self._max:
            now = time.monotonic()
            self._entries = {k: v for k, v in self._entries.items() if v[0] >= now}
            if len(self._entries) >= self._max:
                self._entries.clear()
        self._entries[token_id] = (time.monotonic() + self.ttl, user)

    def forget(self, token_id: str) -> None:
        self._entries.pop(token_id, None)

    def forget_user(self, user_id: str) -> None:
        self._entries = {k: v for k, v in self._entries.items() if v[1].id != user_id}
