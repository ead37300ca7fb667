"""Asking for a breakdown, waiting a while for it, and reading breakdowns back (the caller's, and everyone's
successful ones for the videos screen). Media links are signed at read time from the stored keys."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Final, cast

from application.analysis.requests import check_url
from application.breakdown.break_down import DANCE_BREAKDOWN
from application.breakdown.ports import BreakdownRepository
from application.breakdown.views import MediaUrls, StoredBreakdown, UserProfile, failure_answer
from application.jobs.runner import EnqueueJob
from application.ports.persistence import TransactionManager
from application.ports.storage import BlobStore
from application.ports.system import Clock
from domain.breakdown.model import Mode, TargetDifficulty
from domain.breakdown.record import BreakdownRecord, BreakdownStatus
from domain.errors import InvalidInput, NotFound
from domain.identity.user import User
from domain.ids import new_id
from domain.storage.keys import BlobKey
from domain.storage.links import MEDIA_LINK

MODES: Final = ("auto", "manual")
TARGETS: Final = ("beginner", "intermediate", "advanced")
MAX_URL_CHARS: Final = 2048
MAX_PAGE: Final = 100


@dataclass(frozen=True, slots=True, kw_only=True)
class BreakdownInput:
    user: User
    video_url: str | None = None
    file_key: str | None = None
    mode: str = "auto"
    target_difficulty: str = "intermediate"


def _checked(req: BreakdownInput) -> tuple[Mode, TargetDifficulty]:
    if req.mode not in MODES:
        raise InvalidInput("mode must be auto or manual.", field="mode")
    if req.target_difficulty not in TARGETS:
        raise InvalidInput("target_difficulty must be beginner, intermediate or advanced.", field="target_difficulty")
    if (req.video_url is None) == (req.file_key is None):
        raise InvalidInput("Give exactly one of video_url or file_key.", field="video_url")
    if req.video_url is not None:
        if len(req.video_url) > MAX_URL_CHARS:
            raise InvalidInput(f"video_url is over {MAX_URL_CHARS} characters.", field="video_url")
        check_url(req.video_url)
    if req.file_key is not None:
        BlobKey.parse(req.file_key).check_access(req.user.id, is_admin=False)  # only the caller's own uploads
    return cast(Mode, req.mode), cast(TargetDifficulty, req.target_difficulty)


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestBreakdown:
    """The breakdown's record and its job commit together (the queue message follows the commit)."""

    breakdowns: BreakdownRepository
    enqueue: EnqueueJob
    tx: TransactionManager
    clock: Clock

    async def __call__(self, req: BreakdownInput) -> BreakdownRecord:
        mode, target = _checked(req)
        now = self.clock.now()
        breakdown_id = new_id(now.timestamp())
        payload: dict[str, object] = {"breakdown_id": breakdown_id, "mode": mode, "target_difficulty": target}
        if req.video_url is not None:
            payload["video_url"] = req.video_url
        else:
            payload["file_key"] = req.file_key
        job = await self.enqueue.add(DANCE_BREAKDOWN, payload, req.user.id)
        record = BreakdownRecord(id=breakdown_id, user_id=req.user.id, mode=mode, target_difficulty=target,
                                 video_url=req.video_url, file_key=req.file_key, job_id=job.id, created_at=now,
                                 updated_at=now)
        await self.breakdowns.add(record)
        await self.tx.commit()
        return record


async def stored_view(record: BreakdownRecord, blobs: BlobStore, *, links: bool = True) -> StoredBreakdown:
    """The record as the views read it; ``links`` signs the media links (lists without media skip it)."""
    urls = MediaUrls(None, None, None)
    if links and record.media:
        signed: dict[str, str] = {}
        for name, key in record.media.items():
            signed[name] = (await blobs.presign_download(BlobKey.parse(key), MEDIA_LINK)).url
        urls = MediaUrls(signed.get("playable"), signed.get("outline"), signed.get("thumbnail"))
    if record.status is BreakdownStatus.COMPLETED and record.answer is not None:
        answer = record.answer | {"playable_video_url": urls.playable_video_url, "outline_url": urls.outline_url}
    else:
        answer = failure_answer(video_url=record.video_url, mode=record.mode, reason=record.error)
    return StoredBreakdown(id=record.id, user_id=record.user_id, answer=answer,
                           target_difficulty=record.target_difficulty, thumbnail_url=urls.thumbnail_url,
                           created_at=record.created_at, updated_at=record.updated_at, status=record.status.value,
                           job_id=record.job_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class GetBreakdown:
    """One of the caller's breakdowns; another user's is not found (404), as spec 001 says."""

    breakdowns: BreakdownRepository
    blobs: BlobStore

    async def __call__(self, breakdown_id: str, user: User) -> StoredBreakdown:
        record = await self.breakdowns.get(breakdown_id)
        if record is None or record.user_id != user.id:
            raise NotFound("Breakdown not found")
        return await stored_view(record, self.blobs)


@dataclass(frozen=True, slots=True, kw_only=True)
class AwaitBreakdown:
    """The breakdown once it has ended, or as it stands after ``wait_s``. Each look is its own short read, so no
    transaction stays open while the job writes."""

    breakdowns: BreakdownRepository
    blobs: BlobStore
    tx: TransactionManager
    wait_s: float = 60.0
    interval_s: float = 0.25

    async def __call__(self, record: BreakdownRecord) -> StoredBreakdown:
        deadline = time.monotonic() + self.wait_s
        current = record
        while current.status is BreakdownStatus.PROCESSING and time.monotonic() < deadline:
            await asyncio.sleep(min(self.interval_s, max(0.0, deadline - time.monotonic())))
            current = await self.breakdowns.get(record.id) or current
            await self.tx.rollback()
        return await stored_view(current, self.blobs)


def _page_args(skip: int, limit: int) -> None:
    if skip < 0:
        raise InvalidInput("skip must be 0 or more.", field="skip")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}.", field="limit")


@dataclass(frozen=True, slots=True)
class BreakdownHistory:
    items: list[StoredBreakdown]
    total: int
    skip: int
    limit: int

    @property
    def has_more(self) -> bool:
        return self.skip + len(self.items) < self.total


@dataclass(frozen=True, slots=True, kw_only=True)
class ListBreakdowns:
    """The caller's breakdowns, every status, newest first."""

    breakdowns: BreakdownRepository
    blobs: BlobStore

    async def __call__(self, user: User, *, skip: int = 0, limit: int = 20) -> BreakdownHistory:
        _page_args(skip, limit)
        page = await self.breakdowns.of_user(user.id, skip=skip, limit=limit)
        items = [await stored_view(r, self.blobs, links=False) for r in page.items]
        return BreakdownHistory(items=items, total=page.total, skip=skip, limit=limit)


@dataclass(frozen=True, slots=True)
class BreakdownVideos:
    items: list[tuple[StoredBreakdown, UserProfile]]
    total: int
    page: int
    limit: int

    @property
    def has_more(self) -> bool:
        return (self.page - 1) * self.limit + len(self.items) < self.total


@dataclass(frozen=True, slots=True, kw_only=True)
class ListBreakdownVideos:
    """Every user's successful breakdowns for the input screen, newest first, with who made them."""

    breakdowns: BreakdownRepository
    blobs: BlobStore

    async def __call__(self, *, page: int = 1, limit: int = 20) -> BreakdownVideos:
        if page < 1:
            raise InvalidInput("page must be 1 or more.", field="page")
        _page_args(0, limit)
        found = await self.breakdowns.succeeded(skip=(page - 1) * limit, limit=limit)
        items = [(await stored_view(s.record, self.blobs), s.profile) for s in found.items]
        return BreakdownVideos(items=items, total=found.total, page=page, limit=limit)
