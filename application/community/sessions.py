"""Dance sessions: start, complete (with owned video/thumbnail keys), read."""

from __future__ import annotations

from dataclasses import dataclass

from application.community.ports import CommunityReader, SessionRepository
from application.community.views import Page, check_paging
from application.ports.persistence import TransactionManager
from application.ports.storage import BlobStore
from application.ports.system import Clock
from domain.community.session import DanceSession, SessionStatus, check_duration
from domain.errors import InvalidInput, NotFound
from domain.identity.user import User
from domain.ids import new_id
from domain.storage.keys import BlobKey


@dataclass(frozen=True, slots=True, kw_only=True)
class StartSessionCommand:
    user: User
    title: str | None = None
    description: str | None = None
    dance_style: str | None = None
    location: str | None = None
    duration: int | None = None
    tags: tuple[str, ...] = ()
    is_public: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class StartSession:
    sessions: SessionRepository
    tx: TransactionManager
    clock: Clock

    async def __call__(self, cmd: StartSessionCommand) -> DanceSession:
        now = self.clock.now()
        session = DanceSession(
            id=new_id(now.timestamp()), user_id=cmd.user.id, title=(cmd.title or "Dance Session").strip(),
            description=cmd.description or "", dance_style=cmd.dance_style, location=cmd.location,
            duration=check_duration(cmd.duration), tags=cmd.tags, is_public=cmd.is_public,
            started_at=now, created_at=now,
        )
        await self.sessions.add(session)
        await self.tx.commit()
        return session


def owned_key(raw: str | None, user: User) -> str | None:
    if not raw:
        return None
    key = BlobKey.parse(raw)
    key.check_access(user.id, is_admin=user.is_admin)
    return key.value


@dataclass(frozen=True, slots=True, kw_only=True)
class CompleteSessionCommand:
    user: User
    session_id: str
    video_key: str | None = None
    thumbnail_key: str | None = None
    duration: int | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CompleteSession:
    sessions: SessionRepository
    blobs: BlobStore
    tx: TransactionManager
    clock: Clock

    async def __call__(self, cmd: CompleteSessionCommand) -> DanceSession:
        session = await self.sessions.get(cmd.session_id)
        if session is None:
            raise NotFound("Session not found")
        session.check_visible_to(cmd.user.id, is_admin=cmd.user.is_admin)
        video_key = owned_key(cmd.video_key, cmd.user)
        thumbnail_key = owned_key(cmd.thumbnail_key, cmd.user)
        # Files before rows: a key whose upload failed (a full disk, an outage) must not be recorded as stored.
        for key, name in ((video_key, "videoFileKey"), (thumbnail_key, "thumbnailFileKey")):
            if key is not None and await self.blobs.info(BlobKey.parse(key)) is None:
                raise InvalidInput(f"{name} names no stored file; upload it first.", field=name)
        done = session.complete(user_id=cmd.user.id, now=self.clock.now(), video_key=video_key,
                                thumbnail_key=thumbnail_key, duration=cmd.duration, notes=cmd.notes)
        await self.sessions.save(done)
        await self.tx.commit()
        return done


@dataclass(frozen=True, slots=True, kw_only=True)
class GetSession:
    sessions: SessionRepository

    async def __call__(self, user: User, session_id: str) -> DanceSession:
        session = await self.sessions.get(session_id)
        if session is None:
            raise NotFound("Session not found")
        session.check_visible_to(user.id, is_admin=user.is_admin)
        return session


@dataclass(frozen=True, slots=True, kw_only=True)
class ListSessions:
    reader: CommunityReader

    async def __call__(self, user: User, status: str | None, page: int, limit: int) -> Page[DanceSession]:
        check_paging(page, limit)
        if status is not None and status not in {s.value for s in SessionStatus}:
            raise InvalidInput("status must be 'active' or 'completed'.", field="status")
        return await self.reader.sessions(user.id, status, page, limit)
