"""Difficulty follows speed, complexity and tempo: each term pinned, and each moves the level the way it should."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.breakdown import difficulty
from domain.breakdown.features import Arms, StepFeatures, Timing
from tests.unit.domain.breakdown.test_wording import ANGLE, ARM_L, ARM_R, HEAD, LEGS, SHOULDERS, TORSO, WEIGHT

STEP = StepFeatures(start=0.0, end=2.0, head=HEAD, arms=Arms(left=ARM_L, right=ARM_R), shoulders=SHOULDERS,
                    torso=TORSO, legs=LEGS, body_angle=ANGLE, weight=WEIGHT,
                    timing=Timing(start_count=1, end_count=4, beats=4.0, stop_counts=(), stop_offset_ms=None),
                    speed_mean=0.75, speed_peak=2.0, extent_w=1.0, extent_h=2.0, symmetry=0.5, smoothness=0.5,
                    stability=0.9, coverage=1.0, hip_y_start=0.0, hip_y_end=0.0)
STILL = replace(STEP, head=replace(HEAD, bob=0.0, turn_deg=0.0), arms=Arms(left=replace(ARM_L, travel=0.0),
                                                                           right=replace(ARM_R, travel=0.0)),
                shoulders=replace(SHOULDERS, tilt_range_deg=0.0, lift_range=0.0),
                torso=replace(TORSO, lean_range_deg=0.0, hip_sway=0.0),
                legs=replace(LEGS, steps_left=0, steps_right=0, level_range=0.0, lift_left=0.0, lift_right=0.0,
                             jump_height=0.0),
                body_angle=replace(ANGLE, turn_deg=0.0), weight=replace(WEIGHT, shifts=0))


def test_each_term_is_pinned():
    # every part moves (6/6); events: no half turn (90 deg), no jump (0.2 < 0.25), no kick (0.4 < 0.5),
    # no level change (0.3 < 0.45), two weight shifts: 1 of 5
    assert difficulty.active_parts(STEP) == ["head", "arms", "shoulders", "torso", "legs", "body angle"]
    assert difficulty.complexity(STEP) == pytest.approx(0.5 + 0.5 * 1 / 5)
    assert difficulty.complexity(STILL) == 0.0
    # 0.4 * 0.75/1.5 + 0.4 * 0.6 + 0.2 * (115 - 70) / 90
    assert difficulty.step_score(STEP, 115.0) == pytest.approx(0.2 + 0.24 + 0.1)
    assert difficulty.step_score(STILL, 60.0) == pytest.approx(0.2)
    assert difficulty.routine_score([0.2, 0.4], 1) == pytest.approx(0.3)
    assert difficulty.routine_score([0.2, 0.4], 2) == pytest.approx(0.35)


def test_faster_busier_and_quicker_music_are_harder():
    assert difficulty.level(difficulty.step_score(STILL, 90.0)) == "Beginner"
    assert difficulty.level(difficulty.step_score(STEP, 115.0)) == "Intermediate"
    fast = replace(STEP, speed_mean=1.5, legs=replace(LEGS, jump_height=0.3, level_range=0.5),
                   body_angle=replace(ANGLE, turn_deg=180.0))
    assert difficulty.level(difficulty.step_score(fast, 160.0)) == "Advanced"
    for slower, quicker in ((STEP, replace(STEP, speed_mean=1.2)), (STILL, STEP)):
        assert difficulty.step_score(quicker, 100.0) > difficulty.step_score(slower, 100.0)
    assert difficulty.step_score(STEP, 150.0) > difficulty.step_score(STEP, 100.0)
    assert difficulty.step_score(STEP, 200.0) == difficulty.step_score(STEP, 160.0)  # tempo term saturates
    assert difficulty.level(difficulty.BEGINNER_BELOW) == "Intermediate"  # the bounds belong to the level above
    assert difficulty.level(difficulty.INTERMEDIATE_BELOW) == "Advanced"
