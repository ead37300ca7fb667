from __future__ import annotations

import asyncio

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError

from application.ports.system import PasswordHasher


class Argon2PasswordHasher(PasswordHasher):
    """Argon2id (RFC 9106) with argon2-cffi's defaults; hashing runs off the event loop."""

    def __init__(self, *, time_cost: int = 2, memory_cost: int = 19456, parallelism: int = 1) -> None:
        # 19 MiB, t=2, p=1 is OWASP's minimum recommendation for Argon2id.
        self._hasher = _Argon2(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        def check() -> bool:
            try:
                return self._hasher.verify(password_hash, password)
            except (VerificationError, InvalidHashError):
                return False

        return await asyncio.to_thread(check)
