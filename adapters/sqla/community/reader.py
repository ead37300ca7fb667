"""Read-side queries: lists, feed, leaderboard and stats straight from SQL (indexes named in migration 0003)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, literal_column, or_, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sqla.community.repositories import to_challenge, to_session, to_submission
from adapters.sqla.community.tables import (
    challenge_labels,
    challenge_submissions,
    challenges,
    submission_comments,
    submission_likes,
)
from adapters.sqla.repositories import must
from adapters.sqla.tables import analyses, dance_sessions, users
from application.community.ports import CommunityReader
from application.community.views import (
    Activity,
    ActivityCounts,
    ChallengeQuery,
    ChallengeRow,
    ChallengeStats,
    ChallengeTotals,
    CommentView,
    FeedItem,
    Leaderboard,
    LeaderboardEntry,
    Page,
    Profile,
    SubmissionView,
)
from domain.analysis.record import AnalysisStatus
from domain.community.challenge import SCORE_BUCKETS, Challenge
from domain.community.session import DanceSession, SessionStatus
from domain.community.submission import SubmissionStatus

S = challenge_submissions.c
D = dance_sessions.c
C = challenges.c
U = users.c

SESSION = "session"
SUBMISSION = "challenge_submission"


def profile(row: Any, prefix: str = "") -> Profile:
    return Profile(user_id=getattr(row, prefix + "user_id"), display_name=getattr(row, prefix + "display_name"),
                   avatar_url=getattr(row, prefix + "avatar_url"), level=getattr(row, prefix + "level"))


PROFILE_COLUMNS = (U.display_name, U.avatar_url, U.level)


class SqlaCommunityReader(CommunityReader):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _count(self, stmt: Select[Any]) -> int:
        return int((await self.session.execute(stmt)).scalar_one())

    # --- sessions ----------------------------------------------------------------------------------------------

    async def sessions(self, user_id: str, status: str | None, page: int, limit: int) -> Page[DanceSession]:
        where = [D.user_id == user_id] + ([D.status == status] if status else [])
        total = await self._count(select(func.count()).select_from(dance_sessions).where(*where))
        rows = await self.session.execute(select(dance_sessions).where(*where)
                                          .order_by(D.created_at.desc(), D.id.desc())
                                          .limit(limit).offset((page - 1) * limit))
        return Page([to_session(r) for r in rows], total, page, limit)

    # --- challenges --------------------------------------------------------------------------------------------

    async def _totals(self, ids: list[str]) -> dict[str, ChallengeTotals]:
        if not ids:
            return {}
        rows = await self.session.execute(
            select(S.challenge_id, func.count(), func.count(func.distinct(S.user_id)), func.avg(S.total_score),
                   func.max(S.total_score)).where(S.challenge_id.in_(ids)).group_by(S.challenge_id))
        return {r[0]: ChallengeTotals(int(r[1]), int(r[2]), None if r[3] is None else round(float(r[3]), 1),
                                      None if r[4] is None else float(r[4])) for r in rows}

    async def _rows(self, found: list[Challenge]) -> list[ChallengeRow]:
        totals = await self._totals([c.id for c in found])
        return [ChallengeRow(c, totals.get(c.id, ChallengeTotals())) for c in found]

    async def challenges(self, q: ChallengeQuery, now: datetime) -> Page[ChallengeRow]:
        where: list[Any] = []
        if q.active_only:
            where += [C.start_time <= now, C.end_time > now]
        if q.query:
            pattern = "%" + q.query.strip().lower().replace("\\", "").replace("%", "").replace("_", "") + "%"
            where.append(or_(func.lower(C.title).like(pattern), func.lower(C.description).like(pattern)))
        if q.type:
            where.append(func.lower(C.type) == q.type.strip().lower())
        if q.difficulty:
            where.append(C.difficulty == q.difficulty.strip().lower())
        if q.category:
            where.append(C.id.in_(select(challenge_labels.c.challenge_id).where(
                challenge_labels.c.kind == "category", challenge_labels.c.value == q.category.strip().lower())))
        if q.tags:
            where.append(C.id.in_(select(challenge_labels.c.challenge_id).where(
                challenge_labels.c.kind == "tag", challenge_labels.c.value.in_([t.strip().lower() for t in q.tags]))))
        total = await self._count(select(func.count()).select_from(challenges).where(*where))
        rows = await self.session.execute(select(challenges).where(*where)
                                          .order_by(C.start_time.desc(), C.id.desc())
                                          .limit(q.limit).offset((q.page - 1) * q.limit))
        return Page(await self._rows([to_challenge(r) for r in rows]), total, q.page, q.limit)

    async def challenge(self, challenge_id: str) -> ChallengeRow | None:
        row = (await self.session.execute(select(challenges).where(C.id == challenge_id))).first()
        if row is None:
            return None
        return (await self._rows([to_challenge(row)]))[0]

    async def upcoming(self, start: datetime, until: datetime) -> list[Challenge]:
        rows = await self.session.execute(select(challenges).where(C.start_time > start, C.start_time <= until)
                                          .order_by(C.start_time, C.id))
        return [to_challenge(r) for r in rows]

    async def _labels(self, kind: str) -> list[str]:
        rows = await self.session.execute(select(challenge_labels.c.value).where(challenge_labels.c.kind == kind)
                                          .distinct().order_by(challenge_labels.c.value))
        return [r[0] for r in rows]

    async def categories(self) -> list[str]:
        return await self._labels("category")

    async def tags(self) -> list[str]:
        return await self._labels("tag")

    async def challenge_stats(self, challenge_id: str) -> ChallengeStats:
        """Counts cover every entry; score figures (average, top, distribution) only public ones, so a private
        entry's score is never revealed through them."""
        scored = and_(S.total_score.is_not(None), S.is_public)
        public_score = case((S.is_public, S.total_score), else_=None)
        bucket_columns = []
        for low, high, _name in SCORE_BUCKETS:
            # A score is rounded to whole points before bucketing (the buckets have gaps at 20-21 etc.).
            lower = -1e9 if low == 0 else low - 0.5
            upper = 1e9 if high == 100 else high + 0.5
            bucket_columns.append(func.sum(case((and_(scored, S.total_score >= lower, S.total_score < upper), 1),
                                                else_=0)))
        row = (await self.session.execute(
            select(func.count(), func.count(func.distinct(S.user_id)), func.count(S.total_score),
                   func.avg(public_score), func.max(public_score), *bucket_columns)
            .where(S.challenge_id == challenge_id))).one()
        users_total = await self._count(select(func.count()).select_from(users))
        total, participants, analysed = int(row[0]), int(row[1]), int(row[2])
        distribution = {name: int(row[5 + i] or 0) for i, (_l, _h, name) in enumerate(SCORE_BUCKETS)}
        return ChallengeStats(
            challenge_id=challenge_id, total_submissions=total, analysed_submissions=analysed,
            average_score=None if row[3] is None else round(float(row[3]), 1),
            top_score=None if row[4] is None else float(row[4]), distribution=distribution,
            participation_rate=round(participants / users_total, 4) if users_total else 0.0,
            completion_rate=round(analysed / total, 4) if total else 0.0,
        )

    # --- submissions -------------------------------------------------------------------------------------------

    async def _views(self, rows: list[Any]) -> list[SubmissionView]:
        ids = [r.id for r in rows]
        likes: dict[str, list[str]] = defaultdict(list)
        comments: dict[str, list[CommentView]] = defaultdict(list)
        if ids:
            for lr in await self.session.execute(
                    select(submission_likes.c.submission_id, submission_likes.c.user_id)
                    .where(submission_likes.c.submission_id.in_(ids)).order_by(submission_likes.c.created_at)):
                likes[lr[0]].append(lr[1])
            comment = submission_comments.c
            for r in await self.session.execute(
                    select(comment.id, comment.submission_id, comment.user_id, comment.text, comment.created_at,
                           *PROFILE_COLUMNS)
                    .join(users, U.id == comment.user_id).where(comment.submission_id.in_(ids))
                    .order_by(comment.created_at, comment.id)):
                comments[r.submission_id].append(CommentView(id=r.id, user=profile(r), text=r.text,
                                                             created_at=must(r.created_at)))
        return [SubmissionView(submission=to_submission(r), user=profile(r), challenge_title=r.challenge_title,
                               challenge_type=r.challenge_type, likes=likes[r.id], comments=comments[r.id],
                               shares=int(r.shares)) for r in rows]

    @staticmethod
    def _select() -> Select[Any]:
        return (select(challenge_submissions, *PROFILE_COLUMNS, C.title.label("challenge_title"),
                       C.type.label("challenge_type"))
                .join(users, U.id == S.user_id).join(challenges, C.id == S.challenge_id))

    async def submission(self, submission_id: str) -> SubmissionView | None:
        rows = list(await self.session.execute(self._select().where(S.id == submission_id)))
        return (await self._views(rows))[0] if rows else None

    async def submissions(self, *, challenge_id: str | None, user_id: str | None, viewer_id: str,
                          public_only: bool, page: int, limit: int) -> Page[SubmissionView]:
        where: list[Any] = []
        if challenge_id is not None:
            where.append(S.challenge_id == challenge_id)
        if user_id is not None:
            where.append(S.user_id == user_id)
        where.append(S.is_public == true() if public_only else or_(S.is_public == true(), S.user_id == viewer_id))
        total = await self._count(select(func.count()).select_from(challenge_submissions).where(*where))
        rows = list(await self.session.execute(self._select().where(*where)
                                               .order_by(S.submitted_at.desc(), S.id.desc())
                                               .limit(limit).offset((page - 1) * limit)))
        return Page(await self._views(rows), total, page, limit)

    # --- leaderboard -------------------------------------------------------------------------------------------

    @staticmethod
    def _ranked(challenge_id: str) -> list[Any]:
        return [S.challenge_id == challenge_id, S.total_score.is_not(None), S.is_public == true()]

    async def leaderboard(self, challenge_id: str, viewer_id: str, page: int, limit: int) -> Leaderboard | None:
        title = (await self.session.execute(select(challenges.c.title).where(challenges.c.id == challenge_id))
                 ).scalar_one_or_none()
        if title is None:
            return None
        order = (S.total_score.desc(), S.submitted_at, S.id)
        ranked = (select(S.id, S.user_id, S.total_score, S.breakdown, S.submitted_at,
                         func.row_number().over(order_by=order).label("rank"))
                  .where(*self._ranked(challenge_id)).order_by(*order)
                  .limit(limit).offset((page - 1) * limit).subquery())
        rows = await self.session.execute(
            select(ranked, *PROFILE_COLUMNS).join(users, U.id == ranked.c.user_id).order_by(ranked.c.rank))
        entries = [LeaderboardEntry(rank=int(r.rank), user=profile(r), submission_id=r.id,
                                    score=float(r.total_score), breakdown=r.breakdown,
                                    submitted_at=must(r.submitted_at)) for r in rows]
        total, rank = await self._total_and_rank(challenge_id, viewer_id)
        return Leaderboard(challenge_id=challenge_id, challenge_title=title, entries=entries, total=total,
                           user_rank=rank, page=page, limit=limit)

    async def _total_and_rank(self, challenge_id: str, viewer_id: str) -> tuple[int, int | None]:
        """The ranked total and the viewer's rank from one pass over the challenge's ranked rows (a refresh of a
        hot page then costs the database one scan, not three counts)."""
        mine = await self._mine(challenge_id, viewer_id)
        counted = select(func.count()).select_from(challenge_submissions).where(*self._ranked(challenge_id))
        if mine is None:
            return await self._count(counted), None
        row = (await self.session.execute(counted.add_columns(
            func.count().filter(S.total_score > mine.total_score),
            func.count().filter(S.total_score == mine.total_score, self._earlier(mine))))).one()
        return int(row[0]), 1 + int(row[1]) + int(row[2])

    async def _mine(self, challenge_id: str, user_id: str) -> Any:
        return (await self.session.execute(select(S.id, S.total_score, S.submitted_at)
                                           .where(*self._ranked(challenge_id), S.user_id == user_id))).first()

    @staticmethod
    def _earlier(mine: Any) -> Any:
        """Submitted before ``mine`` (ties on time broken by id, as in the page's row_number())."""
        return or_(S.submitted_at < mine.submitted_at, and_(S.submitted_at == mine.submitted_at, S.id < mine.id))

    async def user_rank(self, challenge_id: str, user_id: str) -> int | None:
        """The caller's row_number in the same order: 1 + the ranked rows ahead of theirs (an index range count)."""
        mine = await self._mine(challenge_id, user_id)
        if mine is None:
            return None
        # Two index range counts (a mixed-direction OR would defeat the index): higher scores, then equal
        # scores submitted earlier.
        higher = await self._count(select(func.count()).select_from(challenge_submissions)
                                   .where(*self._ranked(challenge_id), S.total_score > mine.total_score))
        tied_earlier = await self._count(
            select(func.count()).select_from(challenge_submissions).where(
                *self._ranked(challenge_id), S.total_score == mine.total_score, self._earlier(mine)))
        return 1 + higher + tied_earlier

    # --- feed --------------------------------------------------------------------------------------------------

    @staticmethod
    def _feed_branches(kind: str | None) -> list[Select[Any]]:
        branches = []
        if kind in (None, SESSION):
            branches.append(select(literal_column(f"'{SESSION}'").label("kind"), D.id.label("id"),
                                   D.created_at.label("at"))
                            .where(D.is_public == true(), D.status == SessionStatus.COMPLETED.value))
        if kind in (None, SUBMISSION):
            branches.append(select(literal_column(f"'{SUBMISSION}'").label("kind"), S.id.label("id"),
                                   S.submitted_at.label("at"))
                            .where(S.is_public == true(), S.shared_to_feed == true()))
        return branches

    async def feed(self, kind: str | None, page: int, limit: int, known_total: int | None = None) -> Page[FeedItem]:
        branches = self._feed_branches(kind)
        total = known_total or 0
        for branch in branches if known_total is None else []:
            total += await self._count(select(func.count()).select_from(branch.subquery()))
        keys = await self._newest(branches, page, limit)
        items = await self._feed_items(keys)
        return Page(items, total, page, limit)

    async def _newest(self, branches: list[Select[Any]], page: int, limit: int) -> list[tuple[str, str]]:
        """Top-N per branch straight off its index (newest first), then a merge of the few rows that can make
        the page: the database reads at most page*limit rows per branch, never the whole tables."""
        depth = page * limit
        tops = []
        for i, branch in enumerate(branches):
            cols = branch.selected_columns
            top = branch.order_by(cols.at.desc(), cols.id.desc()).limit(depth).subquery(f"top{i}")
            tops.append(select(top.c.kind, top.c.id, top.c.at))
        merged = (union_all(*tops) if len(tops) > 1 else tops[0]).subquery("merged")
        rows = await self.session.execute(select(merged).order_by(merged.c.at.desc(), merged.c.id.desc())
                                          .limit(limit).offset((page - 1) * limit))
        return [(r.kind, r.id) for r in rows]

    async def _feed_items(self, keys: list[tuple[str, str]]) -> list[FeedItem]:
        found: dict[tuple[str, str], FeedItem] = {}
        session_ids = [i for k, i in keys if k == SESSION]
        submission_ids = [i for k, i in keys if k == SUBMISSION]
        if session_ids:
            for sr in await self.session.execute(select(dance_sessions, *PROFILE_COLUMNS)
                                                 .join(users, U.id == D.user_id).where(D.id.in_(session_ids))):
                found[(SESSION, sr.id)] = FeedItem(
                    kind=SESSION, id=sr.id, user=profile(sr), created_at=must(sr.created_at), title=sr.title,
                    dance_style=sr.dance_style, duration=sr.duration, video_key=sr.video_key,
                    thumbnail_key=sr.thumbnail_key)
        if submission_ids:
            for r in await self.session.execute(self._select().where(S.id.in_(submission_ids))):
                found[(SUBMISSION, r.id)] = FeedItem(
                    kind=SUBMISSION, id=r.id, user=profile(r), created_at=must(r.submitted_at),
                    title=r.challenge_title, dance_style=r.challenge_type, video_key=r.video_key,
                    challenge_id=r.challenge_id, challenge_title=r.challenge_title, total_score=r.total_score,
                    badge=r.badge, caption=r.caption, likes=int(r.likes_count), comments=int(r.comments_count),
                    shares=int(r.shares))
        return [found[k] for k in keys if k in found]

    # --- activities --------------------------------------------------------------------------------------------

    async def activities(self, user_id: str, kind: str | None, page: int, limit: int) -> Page[Activity]:
        branches = []
        if kind in (None, "sessions"):
            branches.append(select(literal_column(f"'{SESSION}'").label("kind"), D.id.label("id"),
                                   D.created_at.label("at")).where(D.user_id == user_id))
        if kind in (None, "challenges"):
            branches.append(select(literal_column(f"'{SUBMISSION}'").label("kind"), S.id.label("id"),
                                   S.submitted_at.label("at")).where(S.user_id == user_id))
        if not branches:  # breakdowns: none are stored yet
            return Page([], 0, page, limit)
        total = 0
        for branch in branches:
            total += await self._count(select(func.count()).select_from(branch.subquery()))
        keys = await self._newest(branches, page, limit)
        found: dict[tuple[str, str], Activity] = {}
        ids = [i for k, i in keys if k == SESSION]
        if ids:
            for r in await self.session.execute(select(dance_sessions).where(D.id.in_(ids))):
                s = to_session(r)
                found[(SESSION, s.id)] = Activity(
                    kind="session", id=s.id, at=s.created_at, title=s.title, duration_seconds=s.duration,
                    style=s.dance_style, is_public=s.is_public, video_key=s.video_key,
                    thumbnail_key=s.thumbnail_key, status=s.status.value, started_at=s.started_at,
                    ended_at=s.completed_at)
        ids = [i for k, i in keys if k == SUBMISSION]
        if ids:
            for r in await self.session.execute(self._select().where(S.id.in_(ids))):
                found[(SUBMISSION, r.id)] = Activity(
                    kind="challenge", id=r.id, at=must(r.submitted_at), title=r.challenge_title,
                    style=r.challenge_type, score=r.total_score, is_public=bool(r.is_public), video_key=r.video_key,
                    duration_seconds=None if r.video_duration is None else round(r.video_duration),
                    status=r.status, likes=int(r.likes_count), comments=int(r.comments_count))
        return Page([found[k] for k in keys if k in found], total, page, limit)

    async def activity_counts(self, user_id: str) -> ActivityCounts:
        sessions = await self._count(select(func.count()).select_from(dance_sessions).where(D.user_id == user_id))
        subs = await self._count(select(func.count()).select_from(challenge_submissions).where(S.user_id == user_id))
        return ActivityCounts(sessions=sessions, challenges=subs, breakdowns=0)

    async def active_analyses(self) -> int:
        return await self._count(select(func.count()).select_from(analyses)
                                 .where(analyses.c.status == AnalysisStatus.PROCESSING.value))


__all__ = ["SqlaCommunityReader", "SubmissionStatus"]
