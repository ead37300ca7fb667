from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.breakdown.rhythm import grid_from_audio, movement_tempo


@settings(max_examples=60, deadline=None)
@given(st.floats(70, 170), st.floats(0.0, 1.0), st.integers(0, 2**31 - 1))
def test_fitted_grid_recovers_tempo_and_phase_of_jittered_beats(bpm, first, seed):
    rng = np.random.default_rng(seed)
    period = 60.0 / bpm
    beats = first + period * np.arange(40) + rng.normal(0, 0.008, 40)
    grid = grid_from_audio(beats, duration=first + 41 * period)
    assert abs(grid.bpm - bpm) < 0.01 * bpm
    truth = first + period * np.arange(40)
    nearest = np.min(np.abs(truth[:, None] - grid.beats[None, :]), axis=1)
    assert nearest[truth >= grid.first_beat].max() < 0.05  # a beat before 0 s may move to the next period
    assert grid.first_beat >= 0.0


def test_movement_tempo_from_periodic_joint_speed():
    t = np.arange(0, 12, 1 / 15)
    speed = 1.0 + np.cos(2 * np.pi * 2.0 * (t - 0.3) + np.pi)  # stops (minima) every 0.5 s, first at 0.3 s
    bpm, first = movement_tempo(t, speed)
    assert abs(bpm - 120.0) < 1.5
    assert abs(((first - 0.3 + 0.25) % 0.5) - 0.25) < 0.04


def test_counts_run_1_to_8_from_the_downbeat():
    grid = grid_from_audio(0.5 * np.arange(20) + 0.25, duration=10.0)
    assert [grid.count_of(b) for b in range(grid.downbeat_phase, grid.downbeat_phase + 9)] == [1, 2, 3, 4, 5, 6, 7,
                                                                                                8, 1]
