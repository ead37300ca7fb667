from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sqla.tables import dance_sessions
from application.identity.stats import UserStats, UserStatsReader


class SqlaUserStatsReader(UserStatsReader):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def stats(self, user_id: str, week_start: datetime) -> UserStats:
        sess = dance_sessions.c
        total = (
            await self.session.execute(
                select(func.count(), func.coalesce(func.sum(sess.duration), 0)).where(sess.user_id == user_id)
            )
        ).one()
        week = (
            await self.session.execute(
                select(func.count(), func.coalesce(func.sum(sess.duration), 0)).where(
                    sess.user_id == user_id, sess.created_at >= week_start
                )
            )
        ).one()
        favourite = (
            await self.session.execute(
                select(sess.dance_style)
                .where(sess.user_id == user_id, sess.dance_style.is_not(None))
                .group_by(sess.dance_style)
                .order_by(func.count().desc(), sess.dance_style)
                .limit(1)
            )
        ).scalar_one_or_none()
        count, duration = int(total[0]), int(total[1])
        return UserStats(
            total_sessions=count,
            total_duration=duration,
            average_session_duration=round(duration / count) if count else 0,
            favorite_dance_style=favourite,
            week_sessions=int(week[0]),
            week_duration=int(week[1]),
        )
