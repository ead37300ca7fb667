"""SQLAlchemy repositories for users, tokens and jobs; the same code runs on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.security.confusables import skeleton
from adapters.security.recent_tokens import RecentTokens
from adapters.sqla.tables import jobs, oauth_identities, revoked_tokens, users
from application.ports.persistence import (
    JobRepository,
    RevokedTokenRepository,
    TransactionManager,
    UserRepository,
)
from domain.errors import Conflict
from domain.identity.user import Preferences, Role, User
from domain.jobs.job import Job, JobStatus


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def must(value: datetime | None) -> datetime:
    result = aware(value)
    assert result is not None
    return result


log = logging.getLogger(__name__)


class SqlaTransactionManager(TransactionManager):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._after: list[Callable[[], Awaitable[None]]] = []

    async def commit(self) -> None:
        await self.session.commit()
        actions, self._after = self._after, []
        for action in actions:
            try:
                await action()
            except Exception:  # durable already; the reconciler repeats what did not happen
                log.warning("an action after commit failed; it will be repeated", exc_info=True)

    async def rollback(self) -> None:
        self._after = []
        await self.session.rollback()

    def after_commit(self, action: Callable[[], Awaitable[None]]) -> None:
        self._after.append(action)


def _user_row(user: User) -> dict[str, Any]:
    p = user.preferences
    return {
        "id": user.id,
        "email": user.email,
        "username": user.username,
        "password_hash": user.password_hash,
        "display_name": user.display_name,
        "role": user.role.value,
        "avatar_url": user.avatar_url,
        "bio": user.bio,
        "level": user.level,
        "is_instructor": user.is_instructor,
        "preferences": {
            "difficulty": p.difficulty, "energy_level": p.energy_level, "style": p.style,
            "notifications": p.notifications,
        },
        "auto_save_choreographies": p.auto_save_choreographies,
        "default_difficulty": p.default_difficulty,
        "email_notifications": p.email_notifications,
        "email_skeleton": skeleton(user.email),
        "created_at": user.created_at,
        "updated_at": user.updated_at,
    }


def _user(row: Any) -> User:
    prefs = dict(row.preferences or {}) | {
        "auto_save_choreographies": bool(row.auto_save_choreographies),
        "default_difficulty": row.default_difficulty,
        "email_notifications": bool(row.email_notifications),
    }
    return User(
        id=row.id,
        email=row.email,
        username=row.username,
        password_hash=row.password_hash,
        display_name=row.display_name,
        role=Role(row.role),
        avatar_url=row.avatar_url,
        bio=row.bio or "",
        level=row.level,
        is_instructor=bool(row.is_instructor),
        preferences=Preferences(**prefs),
        created_at=must(row.created_at),
        updated_at=must(row.updated_at),
    )


class SqlaUserRepository(UserRepository):
    def __init__(self, session: AsyncSession, recent: RecentTokens | None = None) -> None:
        self.session = session
        self.recent = recent

    async def add(self, user: User) -> None:
        try:
            async with self.session.begin_nested():
                await self.session.execute(insert(users).values(**_user_row(user)))
        except IntegrityError as exc:
            raise Conflict("A user with this email or username already exists.") from exc

    async def save(self, user: User) -> None:
        row = _user_row(user)
        del row["id"], row["created_at"]
        await self.session.execute(update(users).where(users.c.id == user.id).values(**row))
        if self.recent is not None:
            self.recent.forget_user(user.id)

    async def _one(self, *where: Any) -> User | None:
        row = (await self.session.execute(select(users).where(*where))).first()
        return _user(row) if row else None

    async def get(self, user_id: str) -> User | None:
        return await self._one(users.c.id == user_id)

    async def for_token(self, user_id: str, token_id: str) -> tuple[User | None, bool]:
        if self.recent is None:
            return await self._for_token(user_id, token_id)
        if (known := self.recent.get(token_id, user_id)) is not None:
            return known, False
        async with self.recent.lookup_lock(token_id):
            if (known := self.recent.get(token_id, user_id)) is not None:  # looked up while this one waited
                return known, False
            return await self._for_token(user_id, token_id)

    async def _for_token(self, user_id: str, token_id: str) -> tuple[User | None, bool]:
        revoked = select(revoked_tokens.c.jti).where(revoked_tokens.c.jti == token_id).exists()
        row = (await self.session.execute(select(users, revoked.label("revoked")).where(users.c.id == user_id))).first()
        if row is None:
            return None, bool((await self.session.execute(select(revoked))).scalar())
        user = _user(row)
        if self.recent is not None and not row.revoked:
            self.recent.put(token_id, user)
        return user, bool(row.revoked)

    async def by_email(self, email: str) -> User | None:
        return await self._one(users.c.email == email)

    async def by_username(self, username: str) -> User | None:
        return await self._one(users.c.username == username)

    async def lookalike_of(self, email: str) -> User | None:
        return await self._one(users.c.email_skeleton == skeleton(email), users.c.email != email)

    async def by_identity(self, provider: str, subject: str) -> User | None:
        row = (
            await self.session.execute(
                select(users)
                .join(oauth_identities, oauth_identities.c.user_id == users.c.id)
                .where(oauth_identities.c.provider == provider, oauth_identities.c.subject == subject)
            )
        ).first()
        return _user(row) if row else None

    async def link_identity(self, user_id: str, provider: str, subject: str, now: datetime) -> None:
        try:
            async with self.session.begin_nested():
                await self.session.execute(
                    insert(oauth_identities).values(
                        provider=provider, subject=subject, user_id=user_id, created_at=now
                    )
                )
        except IntegrityError as exc:
            raise Conflict("This account is already linked to another user.") from exc

    async def identities(self, user_id: str) -> list[str]:
        rows = await self.session.execute(
            select(oauth_identities.c.provider).where(oauth_identities.c.user_id == user_id)
        )
        return sorted({r[0] for r in rows})


class SqlaRevokedTokenRepository(RevokedTokenRepository):
    def __init__(self, session: AsyncSession, recent: RecentTokens | None = None) -> None:
        self.session = session
        self.recent = recent

    async def revoke(self, token_id: str, expires_at: datetime) -> None:
        if self.recent is not None:
            self.recent.forget(token_id)
        if await self.is_revoked(token_id):
            return
        await self.session.execute(insert(revoked_tokens).values(jti=token_id, expires_at=expires_at))

    async def is_revoked(self, token_id: str) -> bool:
        row = await self.session.execute(select(revoked_tokens.c.jti).where(revoked_tokens.c.jti == token_id))
        return row.first() is not None

    async def purge_expired(self, now: datetime) -> int:
        result = await self.session.execute(delete(revoked_tokens).where(revoked_tokens.c.expires_at < now))
        return int(getattr(result, "rowcount", 0) or 0)


def _job_row(job: Job) -> dict[str, Any]:
    return {
        "id": job.id, "kind": job.kind, "user_id": job.user_id, "status": job.status.value,
        "progress": job.progress, "stage": job.stage, "message": job.message, "payload": job.payload,
        "result": job.result, "error": job.error,
        "created_at": job.created_at, "updated_at": job.updated_at, "started_at": job.started_at,
        "finished_at": job.finished_at, "attempts": job.attempts, "max_attempts": job.max_attempts,
        "lease_until": job.lease_until, "run_after": job.run_after, "published_at": job.published_at,
    }


def _job(row: Any) -> Job:
    return Job(
        id=row.id, kind=row.kind, user_id=row.user_id, status=JobStatus(row.status), progress=row.progress,
        stage=row.stage, message=row.message, payload=dict(row.payload or {}), result=row.result, error=row.error,
        created_at=must(row.created_at), updated_at=must(row.updated_at),
        started_at=aware(row.started_at), finished_at=aware(row.finished_at), attempts=row.attempts,
        max_attempts=row.max_attempts, lease_until=aware(row.lease_until), run_after=aware(row.run_after),
        published_at=aware(row.published_at),
    )


class SqlaJobRepository(JobRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, job: Job) -> None:
        await self.session.execute(insert(jobs).values(**_job_row(job)))

    async def save(self, job: Job) -> None:
        row = _job_row(job)
        del row["id"], row["created_at"]
        await self.session.execute(update(jobs).where(jobs.c.id == job.id).values(**row))

    async def get(self, job_id: str) -> Job | None:
        row = (await self.session.execute(select(jobs).where(jobs.c.id == job_id))).first()
        return _job(row) if row else None

    async def claim(self, job_id: str, now: datetime, lease: timedelta) -> Job | None:
        c = jobs.c
        due = or_(
            and_(c.status == JobStatus.QUEUED.value, or_(c.run_after.is_(None), c.run_after <= now)),
            and_(c.status == JobStatus.PROCESSING.value, or_(c.lease_until.is_(None), c.lease_until < now)),
        )
        result = await self.session.execute(
            update(jobs).where(c.id == job_id, due).values(
                status=JobStatus.PROCESSING.value, attempts=c.attempts + 1, lease_until=now + lease,
                started_at=func.coalesce(c.started_at, now), run_after=None, updated_at=now))
        if getattr(result, "rowcount", 0) != 1:
            return None
        return await self.get(job_id)

    async def to_announce(self, now: datetime, announced_before: datetime, limit: int = 100) -> list[Job]:
        c = jobs.c
        rows = await self.session.execute(
            select(jobs).where(c.status == JobStatus.QUEUED.value, or_(c.run_after.is_(None), c.run_after <= now),
                               or_(c.published_at.is_(None), c.published_at < announced_before))
            .order_by(c.created_at, c.id).limit(limit))
        return [_job(r) for r in rows]

    async def mark_announced(self, job: Job, now: datetime) -> bool:
        c = jobs.c
        same = c.published_at.is_(None) if job.published_at is None else c.published_at == job.published_at
        result = await self.session.execute(
            update(jobs).where(c.id == job.id, c.status == JobStatus.QUEUED.value, same).values(published_at=now))
        return getattr(result, "rowcount", 0) == 1

    async def expired_leases(self, now: datetime, limit: int = 100) -> list[Job]:
        c = jobs.c
        rows = await self.session.execute(
            select(jobs).where(c.status == JobStatus.PROCESSING.value,
                               or_(c.lease_until.is_(None), c.lease_until < now))
            .order_by(c.created_at, c.id).limit(limit))
        return [_job(r) for r in rows]

    async def replace_if_unchanged(self, old: Job, new: Job) -> bool:
        c = jobs.c
        same_lease = c.lease_until.is_(None) if old.lease_until is None else c.lease_until == old.lease_until
        row = _job_row(new)
        del row["id"], row["created_at"]
        result = await self.session.execute(
            update(jobs).where(c.id == old.id, c.status == old.status.value, same_lease).values(**row))
        return getattr(result, "rowcount", 0) == 1

    async def unfinished(self, limit: int = 1000) -> list[Job]:
        rows = await self.session.execute(
            select(jobs).where(jobs.c.status.in_((JobStatus.QUEUED.value, JobStatus.PROCESSING.value)))
            .order_by(jobs.c.created_at, jobs.c.id).limit(limit))
        return [_job(r) for r in rows]

    async def count_active(self, kind: str | None = None) -> int:
        stmt = select(func.count()).select_from(jobs).where(
            jobs.c.status.in_((JobStatus.QUEUED.value, JobStatus.PROCESSING.value))
        )
        if kind is not None:
            stmt = stmt.where(jobs.c.kind == kind)
        return int((await self.session.execute(stmt)).scalar_one())
