"""Persistence ports: repositories for aggregates and the transaction boundary."""

from __future__ import annotations

from abc import abstractmethod
from datetime import datetime
from typing import Protocol

from domain.identity.user import User
from domain.jobs.job import Job


class TransactionManager(Protocol):
    @abstractmethod
    async def commit(self) -> None: ...

    @abstractmethod
    async def rollback(self) -> None: ...


class UserRepository(Protocol):
    @abstractmethod
    async def add(self, user: User) -> None:
        """Raises Conflict when the email or username is taken (enforced by unique constraints)."""

    @abstractmethod
    async def save(self, user: User) -> None: ...

    @abstractmethod
    async def get(self, user_id: str) -> User | None: ...

    @abstractmethod
    async def for_token(self, user_id: str, token_id: str) -> tuple[User | None, bool]:
        """The token's user and whether the token was revoked, in one round trip (every request asks)."""

    @abstractmethod
    async def by_email(self, email: str) -> User | None: ...

    @abstractmethod
    async def by_username(self, username: str) -> User | None: ...

    @abstractmethod
    async def lookalike_of(self, email: str) -> User | None:
        """Another user whose email a reader could not tell from this one (full-width, Cyrillic twins...)."""

    @abstractmethod
    async def by_identity(self, provider: str, subject: str) -> User | None: ...

    @abstractmethod
    async def link_identity(self, user_id: str, provider: str, subject: str, now: datetime) -> None: ...

    @abstractmethod
    async def identities(self, user_id: str) -> list[str]:
        """Names of the OpenID providers linked to the user."""


class RevokedTokenRepository(Protocol):
    @abstractmethod
    async def revoke(self, token_id: str, expires_at: datetime) -> None: ...

    @abstractmethod
    async def is_revoked(self, token_id: str) -> bool: ...

    @abstractmethod
    async def purge_expired(self, now: datetime) -> int: ...


class JobRepository(Protocol):
    @abstractmethod
    async def add(self, job: Job) -> None: ...

    @abstractmethod
    async def save(self, job: Job) -> None: ...

    @abstractmethod
    async def get(self, job_id: str) -> Job | None: ...

    @abstractmethod
    async def count_active(self, kind: str | None = None) -> int: ...

    @abstractmethod
    async def unfinished(self, limit: int = 1000) -> list[Job]:
        """Queued or processing jobs, oldest first."""
