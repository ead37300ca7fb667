"""Shared pieces of the identity use cases."""

from __future__ import annotations

from dataclasses import dataclass

from application.ports.persistence import UserRepository
from application.ports.system import TokenPair
from domain.identity.user import Role, User, username_from_email


@dataclass(frozen=True, slots=True)
class IdentityPolicy:
    """Emails listed here are administrators (the ADMIN_EMAILS setting)."""

    admin_emails: frozenset[str] = frozenset()

    def role_for(self, email: str) -> Role:
        return Role.ADMIN if email in self.admin_emails else Role.USER


@dataclass(frozen=True, slots=True)
class DecoyPasswordHash:
    """A hash of a random secret, made once at start-up by the real hasher: checked when the account is
    unknown, so a login takes the same time whether or not the email exists."""

    value: str


@dataclass(frozen=True, slots=True)
class AuthResult:
    user: User
    tokens: TokenPair


async def free_username(users: UserRepository, wanted: str) -> str:
    """The wanted username, or the first free one with a numeric suffix."""
    base = wanted
    candidate = base
    suffix = 1
    while await users.by_username(candidate) is not None:
        suffix += 1
        candidate = f"{base[:140]}{suffix}"
    return candidate


async def username_for_email(users: UserRepository, email: str) -> str:
    return await free_username(users, username_from_email(email))
