"""Every per-body-part sentence quotes its measurements: change one measured feature and the sentence changes."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from domain.breakdown import wording
from domain.breakdown.features import Arm, Arms, BodyAngle, Head, Legs, Shoulders, Torso, Weight

HEAD = Head(tilt_deg=8.0, turn_deg=20.0, bob=0.2, nods=3)
ARM_L = Arm(raise_max=0.4, raised_share=0.5, reach_max=1.1, travel=2.0, vertical_reversals=2)
ARM_R = Arm(raise_max=-0.6, raised_share=0.0, reach_max=0.9, travel=0.8, vertical_reversals=1)
SHOULDERS = Shoulders(tilt_mean_deg=6.0, tilt_range_deg=12.0, lift_range=0.12)
TORSO = Torso(lean_mean_deg=7.0, lean_range_deg=14.0, pitch_range_deg=20.0, hip_sway=0.15, sway_reversals=2)
LEGS = Legs(steps_left=2, steps_right=1, knee_bend_max_deg=30.0, lift_left=0.4, lift_right=0.1, jump_height=0.2,
            travel_x=0.5, level_range=0.3, level_change=0.25)
WEIGHT = Weight(shifts=2, start_side="left", end_side="right")
ANGLE = BodyAngle(facing_start_deg=10.0, facing_end_deg=100.0, turn_deg=90.0)


def _changed(value: object) -> object:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 3
    if isinstance(value, float):
        return value * 1.7 + (0.35 if abs(value) < 1 else 9.0)
    if value == "left":
        return "right"
    return "left"


CASES = [
    ("head", HEAD, lambda h: wording.head_sentence(h)),
    ("left arm", ARM_L, lambda a: wording.arms_sentence(Arms(left=a, right=ARM_R))),
    ("right arm", ARM_R, lambda a: wording.arms_sentence(Arms(left=ARM_L, right=a))),
    ("shoulders", SHOULDERS, lambda s: wording.shoulders_sentence(s)),
    ("torso", TORSO, lambda t: wording.torso_sentence(t)),
    ("legs", LEGS, lambda g: wording.legs_sentence(g, WEIGHT)),
    ("weight", WEIGHT, lambda w: wording.legs_sentence(LEGS, w)),
    ("body angle", ANGLE, lambda b: wording.body_angle_sentence(b)),
]


@pytest.mark.parametrize(("part", "base", "sentence"), CASES, ids=[c[0] for c in CASES])
def test_each_sentence_changes_with_each_feature_it_quotes(part, base, sentence):
    before = sentence(base)
    for f in fields(base):
        after = sentence(replace(base, **{f.name: _changed(getattr(base, f.name))}))
        assert after != before, f"{part}: the sentence ignores {f.name}"


def test_sides_follow_the_measured_sign():
    # + tilt: the left ear is higher, so the head leans to the dancer's right
    assert "8° to your right" in wording.head_sentence(HEAD)
    assert "8° to your left" in wording.head_sentence(replace(HEAD, tilt_deg=-8.0))
    assert "to your left" in wording.body_angle_sentence(ANGLE)
    assert "to your right" in wording.body_angle_sentence(replace(ANGLE, turn_deg=-90.0))
    assert "screen right" in wording.legs_sentence(LEGS, WEIGHT)
