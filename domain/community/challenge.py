"""Challenges: a time window, scoring criteria, badge tiers, which one is "today's", and rotation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from domain.errors import InvalidInput

CRITERIA = ("balance", "rhythm", "smoothness", "creativity")
# The analysis scores each part out of these maxima (balance 0-25, rhythm 0-30, smoothness 0-25, creativity 0-20).
DEFAULT_CRITERIA = {"balance": 25, "rhythm": 30, "smoothness": 25, "creativity": 20}
SCORE_BUCKETS = ((0, 20, "0-20"), (21, 40, "21-40"), (41, 60, "41-60"), (61, 80, "61-80"), (81, 100, "81-100"))
DIFFICULTIES = ("beginner", "intermediate", "advanced")


@dataclass(frozen=True, slots=True)
class ScoringCriteria:
    """Weights of the four analysis parts; they must sum to 100."""

    balance: int = 25
    rhythm: int = 30
    smoothness: int = 25
    creativity: int = 20

    def __post_init__(self) -> None:
        values = (self.balance, self.rhythm, self.smoothness, self.creativity)
        if any(v < 0 for v in values):
            raise InvalidInput("Scoring criteria must not be negative.", field="scoringCriteria")
        if sum(values) != 100:
            raise InvalidInput(f"Scoring criteria must sum to 100 (got {sum(values)}).", field="scoringCriteria")

    @staticmethod
    def of(raw: dict[str, float] | None) -> ScoringCriteria:
        if not raw:
            return ScoringCriteria()
        unknown = set(raw) - set(CRITERIA)
        if unknown:
            raise InvalidInput(f"Unknown scoring criteria: {', '.join(sorted(unknown))}.", field="scoringCriteria")
        values = {name: raw.get(name, 0) for name in CRITERIA}
        if any(float(v) != int(v) for v in values.values()):
            raise InvalidInput("Scoring criteria must be whole numbers.", field="scoringCriteria")
        return ScoringCriteria(**{k: int(v) for k, v in values.items()})

    def as_dict(self) -> dict[str, int]:
        return {"balance": self.balance, "rhythm": self.rhythm, "smoothness": self.smoothness,
                "creativity": self.creativity}


@dataclass(frozen=True, slots=True)
class BadgeRule:
    """Badge tiers on the 0-100 analysis score: gold >= 90, silver >= 75, bronze >= 60, else none."""

    gold: float = 90.0
    silver: float = 75.0
    bronze: float = 60.0

    def __post_init__(self) -> None:
        if not 0 <= self.bronze <= self.silver <= self.gold <= 100:
            raise InvalidInput("Badge thresholds must satisfy 0 <= bronze <= silver <= gold <= 100.", field="badge")

    def badge_for(self, score: float | None) -> str | None:
        if score is None:
            return None
        if score >= self.gold:
            return "gold"
        if score >= self.silver:
            return "silver"
        if score >= self.bronze:
            return "bronze"
        return None


def check_window(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("startTime and endTime must carry a time zone (e.g. 2025-01-28T00:00:00Z).",
                           field="startTime")
    if not start < end:
        raise InvalidInput("startTime must be before endTime.", field="endTime")


def score_bucket(score: float) -> str:
    """The seed's buckets; a score is rounded to a whole point first (20.4 -> "0-20", 20.6 -> "21-40")."""
    points = min(100, max(0, round(score)))
    for low, high, name in SCORE_BUCKETS:
        if low <= points <= high:
            return name
    raise AssertionError(points)  # pragma: no cover


def time_remaining(end: datetime, now: datetime) -> str:
    """'HH:MM:SS' until ``end`` (hours may pass 24; never negative)."""
    seconds = max(0, int((end - now).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Challenge:
    id: str
    title: str
    description: str = ""
    type: str = "freestyle"
    difficulty: str = "beginner"
    start_time: datetime
    end_time: datetime
    demo_video_key: str | None = None
    demo_video_url: str | None = None
    thumbnail_url: str | None = None
    points: int = 100
    badge_name: str | None = None
    badge_icon_url: str | None = None
    category: str | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    criteria: ScoringCriteria = field(default_factory=ScoringCriteria)
    is_active: bool = False
    created_by: str | None = None
    created_at: datetime
    updated_at: datetime

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise InvalidInput("Title is required.", field="title")
        if len(self.title) > 200:
            raise InvalidInput("Title is at most 200 characters.", field="title")
        if self.difficulty not in DIFFICULTIES:
            raise InvalidInput(f"difficulty must be one of: {', '.join(DIFFICULTIES)}.", field="difficulty")
        if self.points < 0:
            raise InvalidInput("points must not be negative.", field="points")
        check_window(self.start_time, self.end_time)

    @property
    def badge_rule(self) -> BadgeRule:
        return BadgeRule()

    def is_open(self, now: datetime) -> bool:
        """The window is half-open: [start, end)."""
        return self.start_time <= now < self.end_time

    def all_categories(self) -> tuple[str, ...]:
        seen = ([self.category] if self.category else []) + list(self.categories)
        return tuple(dict.fromkeys(seen))

    def check_accepts_submissions(self, now: datetime) -> None:
        if not self.is_open(now):
            when = "has not started yet" if now < self.start_time else "has ended"
            raise InvalidInput(f"This challenge is not active: it {when}.", field="challenge_id")

    def synced(self, now: datetime) -> Challenge:
        """The stored active flag brought in line with the window."""
        active = self.is_open(now)
        return self if active == self.is_active else replace(self, is_active=active, updated_at=now)


def todays_challenge(challenges: Iterable[Challenge], now: datetime) -> Challenge | None:
    """The challenge whose window contains now; if several, the most recently started (then the latest id)."""
    open_now = [c for c in challenges if c.is_open(now)]
    if not open_now:
        return None
    return max(open_now, key=lambda c: (c.start_time, c.id))


@dataclass(frozen=True, slots=True)
class RotationPlan:
    deactivate: tuple[str, ...]  # active but their window has closed (or not yet opened)
    activate: tuple[str, ...]  # inactive but their window is open


def plan_rotation(challenges: Sequence[Challenge], now: datetime) -> RotationPlan:
    deactivate = tuple(c.id for c in challenges if c.is_active and not c.is_open(now))
    activate = tuple(c.id for c in challenges if not c.is_active and c.is_open(now))
    return RotationPlan(deactivate=deactivate, activate=activate)


def upcoming_window(now: datetime, days: int) -> tuple[datetime, datetime]:
    if not 1 <= days <= 365:
        raise InvalidInput("days must be between 1 and 365.", field="days")
    return now, now + timedelta(days=days)
