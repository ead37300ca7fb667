"""The FutureGolf app sends no credentials: its calls are served as one anonymous account for the app.

Never the form's ``user_id`` (the app hard-codes 1) and never a real user: the account is made on first use with
no password (nobody can sign in as it) and an address under ``.invalid`` (RFC 2606: never deliverable).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from application.ports.persistence import TransactionManager, UserRepository
from application.ports.system import Clock
from domain.errors import Conflict
from domain.identity.user import User
from domain.ids import new_id

APP_ACCOUNT_EMAIL = "futuregolf-app@anonymous.invalid"
APP_ACCOUNT_USERNAME = "futuregolf-app"


@dataclass
class AppAccountCache:
    """APP-scoped: the account's id once known, so later calls skip the look-up by email."""

    user: User | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AnonymousAppAccount:
    users: UserRepository
    tx: TransactionManager
    clock: Clock
    cache: AppAccountCache = field(default_factory=AppAccountCache)

    async def __call__(self) -> User:
        if self.cache.user is not None:
            return self.cache.user
        user = await self.users.by_email(APP_ACCOUNT_EMAIL)
        if user is None:
            now = self.clock.now()
            user = User(id=new_id(now.timestamp()), email=APP_ACCOUNT_EMAIL, username=APP_ACCOUNT_USERNAME,
                        display_name="FutureGolf app (anonymous)", password_hash=None, created_at=now,
                        updated_at=now)
            try:
                await self.users.add(user)
                await self.tx.commit()
            except Conflict:  # made by a concurrent first call
                await self.tx.rollback()
                user = await self.users.by_email(APP_ACCOUNT_EMAIL)
                if user is None:
                    raise
        self.cache.user = user
        return user
