"""The app-facing summary (FutureGolf's ``ai_analysis``): an integer score, times, balance, highlights.

score = round(100 * mean score of all scored checks); balanceScore = round(100 * finish_balance's score);
backswingTime = address -> top, downswingTime = top -> impact, in the clip's seconds. Highlights are the checks
judged good, improvements the others, each a sentence quoting the value and its range. Nothing is estimated that
was not measured: club-head speed needs the club, which a pose track does not see, so it is absent.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.coaching.checks import Check
from domain.coaching.events import SwingEvents

WORDS = {
    "knee_flex": "knee flex at address",
    "spine_tilt": "spine tilt at address",
    "head_movement_backswing": "head movement in the backswing",
    "head_movement_downswing": "head movement in the downswing",
    "lead_arm_at_top": "lead arm at the top",
    "shoulder_turn": "shoulder turn (2D proxy)",
    "hip_turn": "hip turn (2D proxy)",
    "spine_angle_retention": "spine angle change from address to impact",
    "tempo": "tempo (backswing : downswing)",
    "finish_height": "hands' height in the finish",
    "weight_shift": "weight on the lead side at the finish",
    "finish_balance": "centre-of-mass sway in the finish",
}


def sentence(c: Check) -> str:
    value = f"{c.value:.1f}:1" if c.unit == ":1" else f"{c.value:.2f} {c.unit}"
    return f"{WORDS.get(c.name, c.name)}: {value} (good {c.range_text}, {c.verdict})"


@dataclass(frozen=True, slots=True)
class SwingSummary:
    score: int
    backswing_time: float
    downswing_time: float
    balance_score: int
    tempo_ratio: float
    highlights: tuple[str, ...]
    improvements: tuple[str, ...]


def summarise(events: SwingEvents, checks: list[Check], times: list[float]) -> SwingSummary:
    scored = [c for c in checks if c.scored]
    by = {c.name: c for c in checks}
    return SwingSummary(
        score=round(100 * sum(c.score for c in scored) / len(scored)),
        backswing_time=round(times[events.top] - times[events.address], 3),
        downswing_time=round(times[events.impact] - times[events.top], 3),
        balance_score=round(100 * by["finish_balance"].score),
        tempo_ratio=round(by["tempo"].value, 2),
        highlights=tuple(sentence(c) for c in scored if c.verdict == "good"),
        improvements=tuple(sentence(c) for c in scored if c.verdict != "good"),
    )
