"""An instructor's class plan: an ordered list of saved choreographies (sequences) with notes.

Rules: a choreography appears at most once per plan; orders are 1..n without gaps, whatever was inserted, moved or
removed (an insert at k shifts k.. down by one; a removal closes the gap); the summary adds up the sequences' own
measured durations and counts their moves by label and their difficulties.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from domain.errors import InvalidInput

DIFFICULTIES = ("beginner", "intermediate", "advanced")


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanSequence:
    choreography_id: str  # the task id of the saved choreography
    order: int
    title: str
    duration: float
    difficulty: str
    num_moves: int
    move_labels: tuple[str, ...] = ()
    video_key: str | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ClassPlan:
    id: str
    instructor_id: str
    title: str
    difficulty_level: str
    description: str
    created_at: datetime
    updated_at: datetime
    sequences: tuple[PlanSequence, ...] = field(default_factory=tuple)

    def with_sequence(self, item: PlanSequence, order: int | None, now: datetime) -> ClassPlan:
        if any(s.choreography_id == item.choreography_id for s in self.sequences):
            raise InvalidInput("This choreography is already in the plan.", field="choreography_id")
        items = list(self.sequences)
        at = len(items) if order is None else min(max(order, 1), len(items) + 1) - 1
        items.insert(at, item)
        return replace(self, sequences=_renumbered(items), updated_at=now)

    def without_sequence(self, choreography_id: str, now: datetime) -> ClassPlan:
        items = [s for s in self.sequences if s.choreography_id != choreography_id]
        if len(items) == len(self.sequences):
            raise InvalidInput("This choreography is not in the plan.", field="choreography_id")
        return replace(self, sequences=_renumbered(items), updated_at=now)

    def moved(self, choreography_id: str, order: int, now: datetime) -> ClassPlan:
        item = next((s for s in self.sequences if s.choreography_id == choreography_id), None)
        if item is None:
            raise InvalidInput("This choreography is not in the plan.", field="choreography_id")
        rest = [s for s in self.sequences if s.choreography_id != choreography_id]
        rest.insert(min(max(order, 1), len(rest) + 1) - 1, item)
        return replace(self, sequences=_renumbered(rest), updated_at=now)

    def edited(self, now: datetime, *, title: str | None = None, difficulty_level: str | None = None,
               description: str | None = None) -> ClassPlan:
        return replace(self, title=self.title if title is None else title,
                       difficulty_level=self.difficulty_level if difficulty_level is None else difficulty_level,
                       description=self.description if description is None else description, updated_at=now)


def _renumbered(items: Sequence[PlanSequence]) -> tuple[PlanSequence, ...]:
    return tuple(replace(s, order=k) for k, s in enumerate(items, start=1))


@dataclass(frozen=True, slots=True)
class PlanSummary:
    total_duration: float
    total_moves: int
    move_mix: dict[str, int]
    difficulty_mix: dict[str, int]
    outline: str


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def summarise(plan: ClassPlan) -> PlanSummary:
    total = sum(s.duration for s in plan.sequences)
    moves = Counter(label for s in plan.sequences for label in s.move_labels)
    levels = dict.fromkeys(DIFFICULTIES, 0)
    for s in plan.sequences:
        levels[s.difficulty] = levels.get(s.difficulty, 0) + 1
    lines = [f"{plan.title} ({plan.difficulty_level})"]
    if plan.description:
        lines.append(plan.description)
    lines.append(f"{len(plan.sequences)} sequences, {_clock(total)} in all")
    start = 0.0
    for s in plan.sequences:
        lines.append(f"{s.order}. [{_clock(start)}] {s.title} - {s.difficulty}, {_clock(s.duration)}, "
                     f"{s.num_moves} moves" + (f" - {s.notes}" if s.notes else ""))
        start += s.duration
    return PlanSummary(total_duration=round(total, 2), total_moves=sum(s.num_moves for s in plan.sequences),
                       move_mix=dict(sorted(moves.items(), key=lambda kv: (-kv[1], kv[0]))),
                       difficulty_mix=levels, outline="\n".join(lines))
