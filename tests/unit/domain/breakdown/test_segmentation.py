from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.breakdown.errors import BreakdownFailed
from domain.breakdown.segmentation import MAX_BEATS, MIN_BEATS, auto_boundaries, manual_boundaries

novelties = st.integers(min_value=2, max_value=90).flatmap(
    lambda n: st.lists(st.floats(-5, 5, allow_nan=False), min_size=n + 1, max_size=n + 1))


@settings(max_examples=150, deadline=None)
@given(novelties, st.sampled_from([1, 2]), st.sampled_from(["beginner", "intermediate", "advanced"]))
def test_auto_boundaries_lie_on_the_grid_with_lengths_in_the_prior(values, units, difficulty):
    nov = np.asarray(values)
    n = nov.shape[0] - 1
    if n < MIN_BEATS * units:
        with pytest.raises(BreakdownFailed):
            auto_boundaries(nov, units, difficulty)
        return
    cuts = auto_boundaries(nov, units, difficulty)
    assert cuts[0] == 0 and cuts[-1] == n
    assert all(isinstance(c, int) for c in cuts)  # grid units: whole beats, or half-beats when units == 2
    lengths = np.diff(cuts)
    assert lengths.min() >= MIN_BEATS * units and lengths.max() <= MAX_BEATS * units


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 200), st.integers(0, 7))
def test_manual_cuts_one_step_per_8_count_from_the_first_downbeat(beats, phase):
    cuts = manual_boundaries(beats, phase)
    lengths = np.diff(cuts)
    assert lengths.min() >= MIN_BEATS and lengths.max() <= MAX_BEATS
    assert cuts[0] >= 0 and cuts[-1] <= beats
    start = phase if phase < beats else 0
    inner = [c for c in cuts if c >= start]
    assert all((c - start) % 8 == 0 for c in inner[:-1])


def test_a_strong_novelty_peak_becomes_a_boundary():
    nov = np.zeros(17)
    nov[6] = 10.0
    assert 6 in auto_boundaries(nov)
