"""Shapes of the iDance community contracts (specs 000, 001, 002), built from read models.

Where two documents give one object different fields, the object carries the union of them (a client ignores
the fields it does not know); see the module docstrings of the routers for the collisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from application.community.views import (
    ChallengeRow,
    CommentView,
    Page,
    Profile,
    SubmissionView,
)
from application.ports.storage import BlobStore
from domain.community.challenge import time_remaining
from domain.community.submission import SubmissionStatus
from domain.storage.keys import BlobKey
from domain.storage.links import MEDIA_LINK
from entrypoints.http.common.schemas import iso

URL_EXPIRY = MEDIA_LINK


async def url_of(blobs: BlobStore, key: str | None) -> str | None:
    if not key:
        return None
    return (await blobs.presign_download(BlobKey.parse(key), URL_EXPIRY)).url


class Pagination(msgspec.Struct, rename="camel"):
    page: int
    total_pages: int
    total_count: int


def pagination(page: Page[Any]) -> Pagination:
    return Pagination(page=page.page, total_pages=page.total_pages, total_count=page.total)


class UserProfileOut(msgspec.Struct, rename="camel"):
    display_name: str
    avatar_url: str | None
    level: int


def profile_out(p: Profile) -> UserProfileOut:
    return UserProfileOut(display_name=p.display_name, avatar_url=p.avatar_url, level=p.level)


class ScoringCriteriaOut(msgspec.Struct):
    balance: int
    rhythm: int
    smoothness: int
    creativity: int


class ChallengeOut(msgspec.Struct, rename="camel", omit_defaults=False):
    """One challenge with every field any of the documents shows for it (detail, today, upcoming, lists)."""

    id: str
    title: str
    description: str
    type: str
    difficulty: str
    start_time: str | None
    end_time: str | None
    demo_video_url: str | None = msgspec.field(name="demoVideoURL")
    thumbnail_url: str | None = msgspec.field(name="thumbnailURL")
    points: int
    badge_name: str | None
    badge_icon_url: str | None = msgspec.field(name="badgeIconURL")
    category: str | None
    categories: list[str]
    tags: list[str]
    scoring_criteria: ScoringCriteriaOut
    is_active: bool
    total_submissions: int
    participant_count: int
    average_score: float | None
    top_score: float | None
    time_remaining: str | None = None


async def challenge_out(row: ChallengeRow, blobs: BlobStore, now: datetime) -> ChallengeOut:
    c = row.challenge
    demo = await url_of(blobs, c.demo_video_key) if c.demo_video_key else c.demo_video_url
    crit = c.criteria
    return ChallengeOut(
        id=c.id, title=c.title, description=c.description, type=c.type, difficulty=c.difficulty,
        start_time=iso(c.start_time), end_time=iso(c.end_time), demo_video_url=demo, thumbnail_url=c.thumbnail_url,
        points=c.points, badge_name=c.badge_name, badge_icon_url=c.badge_icon_url, category=c.category,
        categories=list(c.all_categories()), tags=list(c.tags),
        scoring_criteria=ScoringCriteriaOut(crit.balance, crit.rhythm, crit.smoothness, crit.creativity),
        is_active=c.is_open(now), total_submissions=row.totals.total_submissions,
        participant_count=row.totals.participant_count, average_score=row.totals.average_score,
        top_score=row.totals.top_score, time_remaining=time_remaining(c.end_time, now) if c.is_open(now) else None,
    )


class CommentOut(msgspec.Struct, rename="camel"):
    """Spec 002's comment (id, userId, userProfile, content, createdAt) with spec 001's (text, timestamp)."""

    id: str
    user_id: str
    user_profile: UserProfileOut
    content: str
    text: str
    created_at: str | None
    timestamp: str | None


def comment_out(c: CommentView) -> CommentOut:
    at = iso(c.created_at)
    return CommentOut(id=c.id, user_id=c.user.user_id, user_profile=profile_out(c.user), content=c.text,
                      text=c.text, created_at=at, timestamp=at)


class VideoOut(msgspec.Struct):
    url: str | None
    file_key: str
    duration: float | None
    size_mb: float | None


class AnalysisOut(msgspec.Struct):
    status: str
    score: float | None
    breakdown: dict[str, float] | None
    feedback: str | None
    pose_data_url: str | None
    confidence: float | None
    error: str | None


class MetadataOut(msgspec.Struct, rename="camel"):
    caption: str
    tags: list[str]
    location: str | None
    is_public: bool
    shared_to_feed: bool
    highlight_text: str | None


class TimestampsOut(msgspec.Struct, rename="camel"):
    submitted_at: str | None
    processed_at: str | None
    analyzed_at: str | None


class SubmissionOut(msgspec.Struct, rename="camel"):
    """A submission: spec 000's list/detail fields, 000's unified-submit objects, 001's public-list fields."""

    id: str
    user_id: str
    challenge_id: str
    challenge_title: str
    session_id: str | None
    total_score: float | None
    score_breakdown: dict[str, float] | None
    badge_awarded: str | None
    pose_data_url: str | None = msgspec.field(name="poseDataURL")
    analysis_complete: bool
    likes: list[str]
    comments: list[CommentOut]
    shares: int
    submitted_at: str | None
    processed_at: str | None
    user_profile: UserProfileOut
    video: VideoOut
    analysis: AnalysisOut
    metadata: MetadataOut
    timestamps: TimestampsOut
    status: str


async def submission_out(v: SubmissionView, blobs: BlobStore) -> SubmissionOut:
    s = v.submission
    m = s.metadata
    done = s.status is SubmissionStatus.COMPLETED
    pose_url = await url_of(blobs, s.pose_data_key) if done else None
    processed = iso(s.processed_at)
    return SubmissionOut(
        id=s.id, user_id=s.user_id, challenge_id=s.challenge_id, challenge_title=v.challenge_title,
        session_id=s.session_id, total_score=s.total_score, score_breakdown=s.breakdown, badge_awarded=s.badge,
        pose_data_url=pose_url, analysis_complete=done, likes=list(v.likes),
        comments=[comment_out(c) for c in v.comments], shares=v.shares, submitted_at=iso(s.submitted_at),
        processed_at=processed, user_profile=profile_out(v.user),
        video=VideoOut(url=await url_of(blobs, s.video_key), file_key=s.video_key,
                       duration=None if s.video_duration is None else round(s.video_duration, 1),
                       size_mb=None if s.video_size is None else round(s.video_size / (1024 * 1024), 2)),
        analysis=AnalysisOut(status=s.status.value, score=s.total_score, breakdown=s.breakdown, feedback=s.feedback,
                             pose_data_url=pose_url, confidence=s.confidence, error=s.analysis_error),
        metadata=MetadataOut(caption=m.caption, tags=list(m.tags), location=m.location, is_public=m.is_public,
                             shared_to_feed=m.shared_to_feed, highlight_text=m.highlight_text),
        timestamps=TimestampsOut(submitted_at=iso(s.submitted_at), processed_at=processed,
                                 analyzed_at=processed if done else None),
        status=s.status.value,
    )


class SubmissionList(msgspec.Struct):
    submissions: list[SubmissionOut]
    total: int
    page: int
    limit: int
    pagination: Pagination


async def submission_list(page: Page[SubmissionView], blobs: BlobStore) -> SubmissionList:
    return SubmissionList(submissions=[await submission_out(v, blobs) for v in page.items], total=page.total,
                          page=page.page, limit=page.limit, pagination=pagination(page))
