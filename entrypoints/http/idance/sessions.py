"""iDance sessions: /api/sessions/start, /{id}/complete, /api/sessions, /api/sessions/me, /api/sessions/{id}.

Spec 001 names `GET /api/sessions/me` but its text is cut off; it answers like `GET /api/sessions`."""

from __future__ import annotations

from typing import Annotated

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Router, get, post, put

from application.community.sessions import (
    CompleteSession,
    CompleteSessionCommand,
    GetSession,
    ListSessions,
    StartSession,
    StartSessionCommand,
)
from application.ports.storage import BlobStore
from domain.community.session import DanceSession
from entrypoints.http.auth import Caller
from entrypoints.http.common.schemas import Camel, iso
from entrypoints.http.idance.present import Pagination, pagination, url_of


class StartBody(Camel):
    title: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    description: Annotated[str, msgspec.Meta(max_length=5000)] | None = None
    dance_style: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    location: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    duration: int | None = None
    tags: list[Annotated[str, msgspec.Meta(max_length=50)]] = []
    is_public: bool = True


class StartedSession(Camel):
    id: str
    title: str
    status: str
    start_time: str | None
    dance_style: str | None


class StartOut(Camel):
    session_id: str
    message: str
    session: StartedSession


@post("/start", status_code=200)
@inject
async def start(data: StartBody, caller: FromDishka[Caller], use_case: FromDishka[StartSession]) -> StartOut:
    s = await use_case(StartSessionCommand(user=caller.user, title=data.title, description=data.description,
                                           dance_style=data.dance_style, location=data.location,
                                           duration=data.duration, tags=tuple(data.tags), is_public=data.is_public))
    return StartOut(session_id=s.id, message="Session started successfully",
                    session=StartedSession(id=s.id, title=s.title, status=s.status.value,
                                           start_time=iso(s.started_at), dance_style=s.dance_style))


class CompleteBody(Camel):
    video_file_key: str | None = None
    thumbnail_file_key: str | None = None
    duration: int | None = None
    notes: Annotated[str, msgspec.Meta(max_length=5000)] | None = None


class CompletedSession(Camel):
    id: str
    status: str
    video_url: str | None
    thumbnail_url: str | None
    duration: int


class CompleteOut(Camel):
    message: str
    session: CompletedSession


@put("/{session_id:str}/complete")
@inject
async def complete(session_id: str, data: CompleteBody, caller: FromDishka[Caller],
                   use_case: FromDishka[CompleteSession], blobs: FromDishka[BlobStore]) -> CompleteOut:
    s = await use_case(CompleteSessionCommand(user=caller.user, session_id=session_id,
                                              video_key=data.video_file_key, thumbnail_key=data.thumbnail_file_key,
                                              duration=data.duration, notes=data.notes))
    return CompleteOut(message="Session completed successfully", session=CompletedSession(
        id=s.id, status=s.status.value, video_url=await url_of(blobs, s.video_key),
        thumbnail_url=await url_of(blobs, s.thumbnail_key), duration=s.duration))


class SessionOut(Camel):
    id: str
    title: str
    description: str
    status: str
    dance_style: str | None
    location: str | None
    duration: int
    video_url: str | None
    thumbnail_url: str | None
    notes: str | None
    tags: list[str]
    is_public: bool
    start_time: str | None
    created_at: str | None
    completed_at: str | None


async def session_out(s: DanceSession, blobs: BlobStore) -> SessionOut:
    return SessionOut(id=s.id, title=s.title, description=s.description, status=s.status.value,
                      dance_style=s.dance_style, location=s.location, duration=s.duration,
                      video_url=await url_of(blobs, s.video_key), thumbnail_url=await url_of(blobs, s.thumbnail_key),
                      notes=s.notes, tags=list(s.tags), is_public=s.is_public, start_time=iso(s.started_at),
                      created_at=iso(s.created_at), completed_at=iso(s.completed_at))


class SessionList(msgspec.Struct):
    sessions: list[SessionOut]
    pagination: Pagination


async def _list(caller: Caller, use_case: ListSessions, blobs: BlobStore, page: int, limit: int,
                status: str | None) -> SessionList:
    found = await use_case(caller.user, status, page, limit)
    return SessionList(sessions=[await session_out(s, blobs) for s in found.items], pagination=pagination(found))


@get("/")
@inject
async def list_sessions(caller: FromDishka[Caller], use_case: FromDishka[ListSessions], blobs: FromDishka[BlobStore],
                        page: int = 1, limit: int = 20, status: str | None = None) -> SessionList:
    return await _list(caller, use_case, blobs, page, limit, status)


@get("/me")
@inject
async def my_sessions(caller: FromDishka[Caller], use_case: FromDishka[ListSessions], blobs: FromDishka[BlobStore],
                      page: int = 1, limit: int = 20, status: str | None = None) -> SessionList:
    return await _list(caller, use_case, blobs, page, limit, status)


@get("/{session_id:str}")
@inject
async def get_session(session_id: str, caller: FromDishka[Caller], use_case: FromDishka[GetSession],
                      blobs: FromDishka[BlobStore]) -> SessionOut:
    return await session_out(await use_case(caller.user, session_id), blobs)


router = Router(path="/api/sessions", route_handlers=[start, complete, list_sessions, my_sessions, get_session],
                tags=["iDance: sessions"])
