"""Naming a step from its measured features: a small move vocabulary, checked in order of how distinctive a move is.

Thresholds (torso lengths, degrees, counts within the step) are the smallest amounts that read as the move on the
shared clips; each name is given only when its measured indicator passes its threshold.
"""

from __future__ import annotations

from typing import Final

from domain.breakdown.features import StepFeatures

HALF_TURN_DEG: Final = 135.0
FULL_TURN_DEG: Final = 300.0
JUMP: Final = 0.25
KICK: Final = 0.5
LEVEL: Final = 0.45
BODY_ROLL_PITCH_DEG: Final = 40.0
WAVE_REVERSALS: Final = 2
SWAY_REVERSALS: Final = 2
SWAY: Final = 0.08
TRAVEL: Final = 0.6
ARM_RAISE: Final = 0.3


def _side(positive: bool) -> str:
    return "Left" if positive else "Right"


def step_name(f: StepFeatures) -> str:
    turn = f.body_angle.turn_deg
    if abs(turn) >= FULL_TURN_DEG:
        return f"Full Turn to the {_side(turn > 0)}"
    if abs(turn) >= HALF_TURN_DEG:
        return f"Half Turn to the {_side(turn > 0)}"
    if f.legs.jump_height >= JUMP:
        return "Jump"
    if max(f.legs.lift_left, f.legs.lift_right) >= KICK:
        return f"{_side(f.legs.lift_left >= f.legs.lift_right)} Kick"
    if f.legs.level_range >= LEVEL:
        return "Level Change Down" if f.legs.level_change > 0 else "Level Change Up" if f.legs.level_change < -0.2 \
            else "Dip and Rise"
    if f.torso.pitch_range_deg >= BODY_ROLL_PITCH_DEG:
        return "Body Roll"
    arms = f.arms
    waving = [s for s, a in (("Left", arms.left), ("Right", arms.right))
              if a.vertical_reversals >= WAVE_REVERSALS and a.raise_max > 0]
    if waving:
        return "Arm Waves" if len(waving) == 2 else f"{waving[0]} Arm Wave"
    if f.torso.sway_reversals >= SWAY_REVERSALS and f.torso.hip_sway >= SWAY:
        return "Hip Sway"
    if f.legs.steps_left + f.legs.steps_right >= 2 and f.weight.shifts >= 1:
        return "Step-Touch"
    if abs(f.legs.travel_x) >= TRAVEL:
        return f"Travelling Steps to Screen {'Right' if f.legs.travel_x > 0 else 'Left'}"
    raised = [s for s, a in (("Left", arms.left), ("Right", arms.right)) if a.raise_max >= ARM_RAISE]
    if raised:
        return "Arms Up" if len(raised) == 2 else f"{raised[0]} Arm Raise"
    if f.torso.sway_reversals >= 1 and f.torso.hip_sway >= SWAY:
        return "Hip Shift"
    if f.legs.steps_left + f.legs.steps_right >= 1:
        return "Step in Place"
    return "Groove in Place"
