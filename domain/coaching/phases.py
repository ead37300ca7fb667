"""The spec's swing phases between GolfDB's events, each with a quality score from its measured checks.

setup: first frame -> address; backswing: address -> top; downswing: top -> impact; follow_through: impact ->
the start of the held finish; finish: the held finish -> the finish event. A phase's ``quality_score`` is the
mean score of its scored checks (``checks.Check.score``, 0-1).
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.coaching.checks import PHASES, Check
from domain.coaching.events import SwingEvents


@dataclass(frozen=True, slots=True)
class SwingPhase:
    phase: str
    start_frame: int
    end_frame: int
    start_time: float
    end_time: float
    quality_score: float
    checks: tuple[Check, ...]


def phase_bounds(events: SwingEvents) -> dict[str, tuple[int, int]]:
    return {
        "setup": (0, events.address),
        "backswing": (events.address, events.top),
        "downswing": (events.top, events.impact),
        "follow_through": (events.impact, events.finish_hold_start),
        "finish": (events.finish_hold_start, events.finish),
    }


def build_phases(events: SwingEvents, checks: list[Check], times: list[float]) -> list[SwingPhase]:
    out = []
    for name, (a, b) in phase_bounds(events).items():
        mine = tuple(c for c in checks if c.phase == name)
        scored = [c.score for c in mine if c.scored]
        quality = sum(scored) / len(scored) if scored else 0.0
        out.append(SwingPhase(name, a, b, times[a], times[b], round(quality, 3), mine))
    assert [p.phase for p in out] == list(PHASES)
    return out
