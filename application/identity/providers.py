"""Which identity providers (Google, Microsoft, LinkedIn) a user has signed in with."""

from __future__ import annotations

from dataclasses import dataclass

from application.ports.persistence import UserRepository


@dataclass(frozen=True, slots=True, kw_only=True)
class ListLinkedProviders:
    users: UserRepository

    async def __call__(self, user_id: str) -> list[str]:
        return await self.users.identities(user_id)
