"""Difficulty of a step and of a routine from speed, complexity and tempo.

    score = 0.4 * min(mean speed / 1.5, 1) + 0.4 * complexity + 0.2 * clip((bpm - 70) / 90, 0, 1)

Speed is mean joint speed (torso lengths/s; 1.5 is brisk dancing on the shared clips). Complexity is the share of
the six body parts that move noticeably (half of it) plus the share of distinctive events: a half turn, a jump, a
kick, a level change, more than one weight shift (the other half). Tempo spans 70-160 BPM, the range of most dance
music. Levels: < 0.35 Beginner, < 0.6 Intermediate, else Advanced. A routine scores the mean of its steps, plus
0.05 when it has more than one distinct move name (variety is harder to learn).
"""

from __future__ import annotations

from typing import Final

import numpy as np

from domain.breakdown.features import StepFeatures
from domain.breakdown.vocabulary import HALF_TURN_DEG, JUMP, KICK, LEVEL

BEGINNER_BELOW: Final = 0.35
INTERMEDIATE_BELOW: Final = 0.6


def active_parts(f: StepFeatures) -> list[str]:
    parts = []
    if f.head.bob >= 0.1 or abs(f.head.turn_deg) >= 15:
        parts.append("head")
    if max(f.arms.left.travel, f.arms.right.travel) >= 0.5:
        parts.append("arms")
    if f.shoulders.tilt_range_deg >= 8 or f.shoulders.lift_range >= 0.1:
        parts.append("shoulders")
    if f.torso.lean_range_deg >= 8 or f.torso.hip_sway >= 0.08:
        parts.append("torso")
    if f.legs.steps_left + f.legs.steps_right >= 1 or f.legs.level_range >= 0.2:
        parts.append("legs")
    if abs(f.body_angle.turn_deg) >= 45:
        parts.append("body angle")
    return parts


def complexity(f: StepFeatures) -> float:
    events = [abs(f.body_angle.turn_deg) >= HALF_TURN_DEG, f.legs.jump_height >= JUMP,
              max(f.legs.lift_left, f.legs.lift_right) >= KICK, f.legs.level_range >= LEVEL, f.weight.shifts > 1]
    return 0.5 * len(active_parts(f)) / 6 + 0.5 * sum(events) / len(events)


def step_score(f: StepFeatures, bpm: float) -> float:
    tempo = float(np.clip((bpm - 70.0) / 90.0, 0.0, 1.0))
    return 0.4 * min(f.speed_mean / 1.5, 1.0) + 0.4 * complexity(f) + 0.2 * tempo


def level(score: float) -> str:
    return "Beginner" if score < BEGINNER_BELOW else "Intermediate" if score < INTERMEDIATE_BELOW else "Advanced"


def routine_score(step_scores: list[float], distinct_names: int) -> float:
    return float(np.mean(step_scores)) + (0.05 if distinct_names > 1 else 0.0)
