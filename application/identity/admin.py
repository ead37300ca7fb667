"""Operator accounts: create a user (or promote an existing one) from the command line, by the usual rules."""

from __future__ import annotations

from dataclasses import dataclass, replace

from application.identity.common import username_for_email
from application.ports.persistence import TransactionManager, UserRepository
from application.ports.system import Clock, PasswordHasher
from domain.identity.user import Role, User, normalise_email
from domain.ids import new_id


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountCommand:
    email: str
    display_name: str
    role: Role
    password: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EnsureAccount:
    users: UserRepository
    hasher: PasswordHasher
    tx: TransactionManager
    clock: Clock

    async def __call__(self, cmd: AccountCommand) -> bool:
        """True when the account was created; an existing one is only promoted to admin when asked."""
        email = normalise_email(cmd.email)
        existing = await self.users.by_email(email)
        now = self.clock.now()
        if existing is not None:
            if cmd.role is Role.ADMIN and not existing.is_admin:
                await self.users.save(replace(existing, role=Role.ADMIN, updated_at=now))
                await self.tx.commit()
            return False
        await self.users.add(User(
            id=new_id(now.timestamp()), email=email, username=await username_for_email(self.users, email),
            display_name=cmd.display_name, password_hash=await self.hasher.hash(cmd.password), role=cmd.role,
            created_at=now, updated_at=now,
        ))
        await self.tx.commit()
        return True
