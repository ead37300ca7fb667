"""Persistence ports: repositories for aggregates and the transaction boundary."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Protocol

from domain.identity.user import User
from domain.jobs.job import Job


class TransactionManager(Protocol):
    @abstractmethod
    async def commit(self) -> None:
        """Commit, then run the actions registered with ``after_commit`` (their failures are logged, not raised:
        what they announce is already durable, and the job reconciler repeats it)."""

    @abstractmethod
    async def rollback(self) -> None:
        """Roll back and forget the actions registered since the last commit."""

    @abstractmethod
    def after_commit(self, action: Callable[[], Awaitable[None]]) -> None:
        """Run ``action`` once the current transaction has committed (e.g. announce a job on the queue)."""


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
    async def claim(self, job_id: str, now: datetime, lease: timedelta) -> Job | None:
        """Atomically take a claimable job (queued and due, or processing with an expired lease) for this
        worker: one more attempt under a lease. None when another worker holds it, it waits, or it has ended."""

    @abstractmethod
    async def to_announce(self, now: datetime, announced_before: datetime, limit: int = 100) -> list[Job]:
        """Queued jobs that are due and were not announced on the queue since ``announced_before``."""

    @abstractmethod
    async def mark_announced(self, job: Job, now: datetime) -> bool:
        """Record an announcement, unless another process announced (or claimed) the job meanwhile."""

    @abstractmethod
    async def expired_leases(self, now: datetime, limit: int = 100) -> list[Job]: ...

    @abstractmethod
    async def replace_if_unchanged(self, old: Job, new: Job) -> bool:
        """Save ``new`` only if the stored job still has ``old``'s status and lease (compare and set)."""

    @abstractmethod
    async def unfinished(self, limit: int = 1000) -> list[Job]:
        """Queued or processing jobs, oldest first."""
