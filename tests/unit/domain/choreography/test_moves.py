"""The count grid from the dancer's steps (synthetic pose tracks and step times, no media)."""

from __future__ import annotations

import numpy as np
import pytest

from domain.choreography import moves as mv

PERIOD = 60.0 / 120.0


def test_counts_land_on_steps_that_drift_off_a_steady_grid() -> None:
    # a dancer who rushes then drags: each interval 0.9-1.1 of the music's beat period
    intervals = PERIOD * (1.0 + 0.1 * np.sin(np.arange(24) / 3.0))
    steps = 0.37 + np.concatenate([[0.0], np.cumsum(intervals)])
    counts = mv.track_steps(steps, 0.2, float(steps[-1]) + 0.1, PERIOD)
    assert counts.size == steps.size
    assert np.max(np.abs(counts - steps)) < 0.011  # the DP's 10 ms resolution


def test_without_steps_the_counts_keep_the_tempo_and_between_steps_they_stay_even() -> None:
    still = mv.track_steps(np.zeros(0), 0.0, 8.0, PERIOD)
    assert np.allclose(np.diff(still), PERIOD, atol=0.011)
    # steps only on every other count (a dancer marking half time): the counts between them are kept, not dropped
    half = 0.25 + 2 * PERIOD * np.arange(8)
    counts = mv.track_steps(half, 0.0, float(half[-1]) + 0.2, PERIOD)
    assert np.allclose(np.diff(counts), PERIOD, atol=0.011)
    assert np.min(np.abs(counts[:, None] - half[None]), axis=0).max() < 0.011


def _dancer(step_times: np.ndarray, fps: float = 15.0, duration: float = 10.0) -> tuple[np.ndarray, np.ndarray]:
    """A standing figure whose limbs swing between stops at ``step_times`` (their speed is zero there)."""
    t = np.arange(0.0, duration, 1.0 / fps)
    base = np.zeros((33, 4))
    base[:, 0] = 320.0 + 20.0 * np.cos(np.arange(33))
    base[:, 1] = np.linspace(100.0, 400.0, 33)
    base[[11, 12], 1], base[[23, 24], 1] = 200.0, 300.0
    base[[11, 23], 0], base[[12, 24], 0] = 300.0, 340.0
    base[:, 3] = 0.99
    # phase runs from 0 to 1 between consecutive stops; cos(pi * phase) swings with zero speed at each stop
    seg = np.clip(np.searchsorted(step_times, t) - 1, 0, step_times.size - 2)
    phase = (t - step_times[seg]) / (step_times[seg + 1] - step_times[seg])
    swing = 25.0 * np.cos(np.pi * (seg + phase))
    lm = np.repeat(base[None], t.size, axis=0)
    for j in (13, 14, 15, 16, 25, 26, 27, 28):
        lm[:, j, 0] += swing * (1.0 if j % 2 else -1.0)
    return t, lm


def test_a_move_is_counted_on_its_dancers_steps_not_on_its_sound() -> None:
    steps = 0.31 + np.cumsum(np.r_[0.0, np.full(17, 0.52)])  # 115.4 BPM danced
    t, lm = _dancer(steps)
    music = 0.05 + np.arange(20) * 0.52  # the sound laid on half a beat off
    labels = mv.ClipLabels("c", "basic__c.mp4", "basic", "medium", "medium")
    rec = mv.build_move(labels, t, lm, 640, 10.0, music, 115.4, height=480)
    assert rec.count_source == "steps" and rec.counts == 16
    grid = np.asarray(rec.count_times)
    assert np.min(np.abs(grid[:, None] - steps[None]), axis=1).max() < 0.04  # on the steps (15 fps track)
    assert np.min(np.abs(grid[:, None] - music[None]), axis=1).min() > 0.2  # not on the sound
    assert mv.MoveRecord.from_dict(rec.to_dict()).count_source == "steps"


def test_a_dancer_out_of_view_has_no_steps_to_count() -> None:
    t, lm = _dancer(0.3 + 0.5 * np.arange(20))
    lm[:, :, :2] = np.nan
    with pytest.raises(mv.MoveError):
        mv.dancer_steps(t, lm, 640, 480)
