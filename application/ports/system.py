"""Ports for time, secrets and the small services every use case leans on."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    @abstractmethod
    def now(self) -> datetime:
        """Aware UTC time."""


class PasswordHasher(Protocol):
    @abstractmethod
    async def hash(self, password: str) -> str: ...

    @abstractmethod
    async def verify(self, password_hash: str, password: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class TokenClaims:
    user_id: str
    token_id: str
    kind: str  # "access" | "refresh"
    expires_at: datetime
    session_id: str  # shared by every token of one login; revoking it ends that login
    session_expires_at: datetime  # when the login's refresh token expires


@dataclass(frozen=True, slots=True)
class TokenPair:
    access: str
    refresh: str
    access_expires_in: int  # seconds


class TokenService(Protocol):
    @abstractmethod
    def issue(self, user_id: str, role: str, session: TokenClaims | None = None) -> TokenPair:
        """A new login's tokens, or with ``session`` new tokens inside that login (never outliving it)."""

    @abstractmethod
    def decode(self, token: str, kind: str = "access") -> TokenClaims:
        """Raises Unauthenticated for a bad signature, a wrong kind or an expired token."""


@dataclass(frozen=True, slots=True)
class ExternalIdentity:
    provider: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None


class IdentityProviderVerifier(Protocol):
    @abstractmethod
    async def verify(self, provider: str, id_token: str) -> ExternalIdentity:
        """Checks an OpenID Connect ID token against the provider's keys; raises Unauthenticated."""


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    remaining: int
    retry_after: int  # seconds


class RateLimiter(Protocol):
    @abstractmethod
    async def hit(self, key: str, limit: int, window_seconds: int) -> RateDecision: ...
