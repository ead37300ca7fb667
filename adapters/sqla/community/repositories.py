"""Write-side repositories of the community features; they translate rows to domain objects and back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sqla.community.tables import (
    challenge_labels,
    challenge_submissions,
    challenges,
    job_runs,
    submission_comments,
    submission_likes,
)
from adapters.sqla.repositories import aware, must
from adapters.sqla.tables import analyses, dance_sessions
from application.community.ports import (
    ChallengeRepository,
    JobRunRepository,
    SessionRepository,
    SocialRepository,
    SubmissionRepository,
)
from application.community.submissions import ALREADY_SUBMITTED
from domain.community.challenge import Challenge, ScoringCriteria
from domain.community.session import DanceSession, SessionStatus
from domain.community.submission import Submission, SubmissionMetadata, SubmissionStatus
from domain.errors import Conflict, NotFound

# --- sessions -----------------------------------------------------------------------------------------------------


def session_row(s: DanceSession) -> dict[str, Any]:
    return {
        "id": s.id, "user_id": s.user_id, "title": s.title, "description": s.description,
        "dance_style": s.dance_style, "location": s.location, "duration": s.duration, "tags": list(s.tags),
        "status": s.status.value, "video_key": s.video_key, "thumbnail_key": s.thumbnail_key, "notes": s.notes,
        "is_public": s.is_public, "started_at": s.started_at, "completed_at": s.completed_at,
        "created_at": s.created_at,
    }


def to_session(row: Any) -> DanceSession:
    return DanceSession(
        id=row.id, user_id=row.user_id, title=row.title, description=row.description or "",
        dance_style=row.dance_style, location=row.location, duration=row.duration, tags=tuple(row.tags or ()),
        status=SessionStatus(row.status), video_key=row.video_key, thumbnail_key=row.thumbnail_key,
        notes=row.notes, is_public=bool(row.is_public), started_at=must(row.started_at),
        completed_at=aware(row.completed_at), created_at=must(row.created_at),
    )


class SqlaSessionRepository(SessionRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, session: DanceSession) -> None:
        await self.session.execute(insert(dance_sessions).values(**session_row(session)))

    async def save(self, session: DanceSession) -> None:
        row = session_row(session)
        del row["id"], row["created_at"]
        await self.session.execute(update(dance_sessions).where(dance_sessions.c.id == session.id).values(**row))

    async def get(self, session_id: str) -> DanceSession | None:
        row = (await self.session.execute(select(dance_sessions).where(dance_sessions.c.id == session_id))).first()
        return to_session(row) if row else None


# --- challenges ---------------------------------------------------------------------------------------------------


def challenge_row(c: Challenge) -> dict[str, Any]:
    return {
        "id": c.id, "title": c.title, "description": c.description, "type": c.type, "difficulty": c.difficulty,
        "start_time": c.start_time, "end_time": c.end_time, "demo_video_key": c.demo_video_key,
        "demo_video_url": c.demo_video_url, "thumbnail_url": c.thumbnail_url, "points": c.points,
        "badge_name": c.badge_name, "badge_icon_url": c.badge_icon_url, "category": c.category,
        "categories": list(c.categories), "tags": list(c.tags), "scoring_criteria": c.criteria.as_dict(),
        "is_active": c.is_active, "created_by": c.created_by, "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


def to_challenge(row: Any) -> Challenge:
    return Challenge(
        id=row.id, title=row.title, description=row.description or "", type=row.type, difficulty=row.difficulty,
        start_time=must(row.start_time), end_time=must(row.end_time), demo_video_key=row.demo_video_key,
        demo_video_url=row.demo_video_url, thumbnail_url=row.thumbnail_url, points=row.points,
        badge_name=row.badge_name, badge_icon_url=row.badge_icon_url, category=row.category,
        categories=tuple(row.categories or ()), tags=tuple(row.tags or ()),
        criteria=ScoringCriteria(**row.scoring_criteria) if row.scoring_criteria else ScoringCriteria(),
        is_active=bool(row.is_active), created_by=row.created_by, created_at=must(row.created_at),
        updated_at=must(row.updated_at),
    )


def _labels(c: Challenge) -> list[dict[str, str]]:
    rows = {("category", v.strip().lower()) for v in c.all_categories() if v.strip()}
    rows |= {("tag", v.strip().lower()) for v in c.tags if v.strip()}
    return [{"challenge_id": c.id, "kind": k, "value": v[:64]} for k, v in sorted(rows)]


class SqlaChallengeRepository(ChallengeRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _write_labels(self, challenge: Challenge) -> None:
        await self.session.execute(delete(challenge_labels).where(challenge_labels.c.challenge_id == challenge.id))
        labels = _labels(challenge)
        if labels:
            await self.session.execute(insert(challenge_labels), labels)

    async def add(self, challenge: Challenge) -> None:
        await self.session.execute(insert(challenges).values(**challenge_row(challenge)))
        await self._write_labels(challenge)

    async def save(self, challenge: Challenge) -> None:
        row = challenge_row(challenge)
        del row["id"], row["created_at"]
        await self.session.execute(update(challenges).where(challenges.c.id == challenge.id).values(**row))
        await self._write_labels(challenge)

    async def get(self, challenge_id: str) -> Challenge | None:
        row = (await self.session.execute(select(challenges).where(challenges.c.id == challenge_id))).first()
        return to_challenge(row) if row else None

    async def delete(self, challenge_id: str) -> None:
        sub = challenge_submissions.c
        ids = select(sub.id).where(sub.challenge_id == challenge_id)
        await self.session.execute(delete(analyses).where(analyses.c.submission_id.in_(ids)))
        # Children first: SQLite enforces cascades only with foreign_keys=ON, so do not rely on it.
        sub_ids = select(sub.id).where(sub.challenge_id == challenge_id).scalar_subquery()
        await self.session.execute(delete(submission_likes).where(submission_likes.c.submission_id.in_(sub_ids)))
        await self.session.execute(delete(submission_comments).where(
            submission_comments.c.submission_id.in_(sub_ids)))
        await self.session.execute(delete(challenge_submissions).where(sub.challenge_id == challenge_id))
        await self.session.execute(delete(challenge_labels).where(challenge_labels.c.challenge_id == challenge_id))
        await self.session.execute(delete(challenges).where(challenges.c.id == challenge_id))

    async def _many(self, *where: Any) -> list[Challenge]:
        rows = await self.session.execute(select(challenges).where(*where).order_by(challenges.c.start_time))
        return [to_challenge(r) for r in rows]

    async def open_at(self, now: datetime) -> list[Challenge]:
        return await self._many(challenges.c.start_time <= now, challenges.c.end_time > now)

    async def out_of_sync(self, now: datetime) -> list[Challenge]:
        ch = challenges.c
        is_open = and_(ch.start_time <= now, ch.end_time > now)
        return await self._many(or_(and_(ch.is_active.is_(True), ~is_open), and_(ch.is_active.is_(False), is_open)))

    async def set_active(self, ids: tuple[str, ...], active: bool, now: datetime) -> int:
        if not ids:
            return 0
        result = await self.session.execute(
            update(challenges).where(challenges.c.id.in_(ids)).values(is_active=active, updated_at=now))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def ended_before(self, before: datetime) -> list[tuple[Challenge, int]]:
        count = (select(func.count()).select_from(challenge_submissions)
                 .where(challenge_submissions.c.challenge_id == challenges.c.id).scalar_subquery())
        rows = await self.session.execute(select(challenges, count.label("submission_count"))
                                          .where(challenges.c.end_time < before).order_by(challenges.c.start_time))
        return [(to_challenge(r), int(r.submission_count)) for r in rows]

    async def by_title(self, title: str) -> Challenge | None:
        row = (await self.session.execute(select(challenges).where(challenges.c.title == title).limit(1))).first()
        return to_challenge(row) if row else None


# --- submissions --------------------------------------------------------------------------------------------------


def submission_row(s: Submission) -> dict[str, Any]:
    m = s.metadata
    return {
        "id": s.id, "challenge_id": s.challenge_id, "user_id": s.user_id, "session_id": s.session_id,
        "video_key": s.video_key, "video_size": s.video_size,
        "video_duration": s.video_duration, "caption": m.caption, "tags": list(m.tags),
        "location": m.location, "is_public": m.is_public, "shared_to_feed": m.shared_to_feed,
        "highlight_text": m.highlight_text, "status": s.status.value, "total_score": s.total_score,
        "breakdown": s.breakdown, "feedback": s.feedback, "confidence": s.confidence,
        "pose_data_key": s.pose_data_key, "badge": s.badge, "analysis_error": s.analysis_error,
        "submitted_at": s.submitted_at, "processed_at": s.processed_at, "updated_at": s.updated_at,
    }


def to_submission(row: Any) -> Submission:
    return Submission(
        id=row.id, challenge_id=row.challenge_id, user_id=row.user_id, session_id=row.session_id,
        video_key=row.video_key, video_size=row.video_size, video_duration=row.video_duration,
        metadata=SubmissionMetadata(caption=row.caption or "", tags=tuple(row.tags or ()), location=row.location,
                                    is_public=bool(row.is_public), shared_to_feed=bool(row.shared_to_feed),
                                    highlight_text=row.highlight_text),
        status=SubmissionStatus(row.status), total_score=row.total_score, breakdown=row.breakdown,
        feedback=row.feedback, confidence=row.confidence, pose_data_key=row.pose_data_key, badge=row.badge,
        analysis_error=row.analysis_error, submitted_at=must(row.submitted_at),
        processed_at=aware(row.processed_at), updated_at=must(row.updated_at),
    )


class SqlaSubmissionRepository(SubmissionRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, submission: Submission) -> None:
        try:
            async with self.session.begin_nested():
                await self.session.execute(insert(challenge_submissions).values(**submission_row(submission)))
        except IntegrityError as exc:
            raise Conflict(ALREADY_SUBMITTED) from exc

    async def save(self, submission: Submission) -> None:
        row = submission_row(submission)
        for name in ("id", "challenge_id", "user_id", "submitted_at"):
            del row[name]
        await self.session.execute(
            update(challenge_submissions).where(challenge_submissions.c.id == submission.id).values(**row))

    async def get(self, submission_id: str) -> Submission | None:
        row = (await self.session.execute(
            select(challenge_submissions).where(challenge_submissions.c.id == submission_id))).first()
        return to_submission(row) if row else None

    async def failed_before(self, before: datetime) -> list[Submission]:
        sub = challenge_submissions.c
        rows = await self.session.execute(select(challenge_submissions).where(
            sub.status == SubmissionStatus.FAILED.value, sub.submitted_at < before))
        return [to_submission(r) for r in rows]

    async def delete(self, submission_ids: list[str]) -> int:
        if not submission_ids:
            return 0
        await self.session.execute(delete(submission_likes).where(submission_likes.c.submission_id.in_(submission_ids)))
        await self.session.execute(delete(submission_comments).where(
            submission_comments.c.submission_id.in_(submission_ids)))
        await self.session.execute(delete(analyses).where(analyses.c.submission_id.in_(submission_ids)))
        result = await self.session.execute(
            delete(challenge_submissions).where(challenge_submissions.c.id.in_(submission_ids)))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def challenge_ids_with_scores(self) -> list[str]:
        sub = challenge_submissions.c
        rows = await self.session.execute(select(sub.challenge_id).where(sub.total_score.is_not(None)).distinct())
        return [r[0] for r in rows]


# --- social -------------------------------------------------------------------------------------------------------


class SqlaSocialRepository(SocialRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _bump(self, submission_id: str, column: str, delta: int) -> None:
        col = challenge_submissions.c[column]
        await self.session.execute(update(challenge_submissions).where(
            challenge_submissions.c.id == submission_id).values({column: col + delta}))

    async def like(self, submission_id: str, user_id: str, now: datetime) -> bool:
        try:
            async with self.session.begin_nested():
                await self.session.execute(insert(submission_likes).values(
                    submission_id=submission_id, user_id=user_id, created_at=now))
        except IntegrityError:
            return False  # liked already: a like is idempotent
        await self._bump(submission_id, "likes_count", 1)
        return True

    async def unlike(self, submission_id: str, user_id: str) -> bool:
        result = await self.session.execute(delete(submission_likes).where(
            submission_likes.c.submission_id == submission_id, submission_likes.c.user_id == user_id))
        if not result.rowcount:  # type: ignore[attr-defined]
            return False
        await self._bump(submission_id, "likes_count", -1)
        return True

    async def comment(self, comment_id: str, submission_id: str, user_id: str, text: str, now: datetime) -> None:
        await self.session.execute(insert(submission_comments).values(
            id=comment_id, submission_id=submission_id, user_id=user_id, text=text, created_at=now))
        await self._bump(submission_id, "comments_count", 1)

    async def share(self, submission_id: str) -> int:
        await self._bump(submission_id, "shares", 1)
        value = (await self.session.execute(select(challenge_submissions.c.shares).where(
            challenge_submissions.c.id == submission_id))).scalar_one_or_none()
        if value is None:
            raise NotFound("Submission not found")
        return int(value)

    async def likes_count(self, submission_id: str) -> int:
        value = (await self.session.execute(select(func.count()).select_from(submission_likes).where(
            submission_likes.c.submission_id == submission_id))).scalar_one()
        return int(value)


class SqlaJobRunRepository(JobRunRepository):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, run_id: str, kind: str, started_at: datetime, finished_at: datetime,
                     details: dict[str, Any]) -> None:
        await self.session.execute(insert(job_runs).values(id=run_id, kind=kind, started_at=started_at,
                                                           finished_at=finished_at, details=details))

    async def last(self, kind: str) -> datetime | None:
        value = (await self.session.execute(select(func.max(job_runs.c.finished_at)).where(
            job_runs.c.kind == kind))).scalar_one_or_none()
        return aware(value)
