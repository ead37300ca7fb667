from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True, slots=True)
class UserStats:
    total_sessions: int
    total_duration: int  # seconds
    average_session_duration: int
    favorite_dance_style: str | None
    week_sessions: int
    week_duration: int


class UserStatsReader(Protocol):
    @abstractmethod
    async def stats(self, user_id: str, week_start: datetime) -> UserStats: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class GetUserStats:
    reader: UserStatsReader

    async def __call__(self, user_id: str, now: datetime) -> UserStats:
        # "This week" is the last seven days, so the figure never drops to zero on a Monday.
        return await self.reader.stats(user_id, now - timedelta(days=7))
