"""Comparison with a demo track: alignment, mirror tolerance, per-limb scores and the DTW itself."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.analysis.pose import FloatArray
from domain.analysis.scoring import Comparison, compare_tracks, score_performance
from domain.analysis.scoring.comparison import dtw_path
from tests.unit.domain.scoring_synth import (
    Motion,
    beat_grid,
    dance_track,
    mirror_track,
    still_track,
    to_track,
    transform,
    varied_dance,
)

M = Motion(duration=8.0)


def _varied(seed: int, m: Motion = M):  # type: ignore[no-untyped-def]
    t, xy = varied_dance(seed, m)
    return to_track(t, xy, m)


def test_a_track_against_itself_scores_100() -> None:
    demo = _varied(4)
    c = compare_tracks(demo, demo)
    assert c.similarity >= 99.0
    assert all(v >= 99.0 for v in c.per_limb.values())
    assert set(c.per_limb) == {"left_arm", "right_arm", "left_leg", "right_leg", "torso", "head"}
    assert c.worst_ranges == () and not c.mirrored and abs(c.offset_seconds) < 0.05


def test_resized_moved_and_mirrored_copies_still_match() -> None:
    demo = _varied(4)
    assert compare_tracks(transform(demo, 0.4, 300, -120), demo).similarity >= 99.0
    mirrored = compare_tracks(mirror_track(demo), demo)
    assert mirrored.similarity >= 95.0 and mirrored.mirrored


def test_a_late_start_is_found_as_an_offset() -> None:
    demo = _varied(4, replace(M, duration=10.0))
    t, xy = varied_dance(4, replace(M, duration=10.0, shift=-1.0))  # the performer is 1 s ahead
    c = compare_tracks(to_track(t, xy, M), demo)
    assert c.similarity >= 95.0
    assert abs(abs(c.offset_seconds) - 1.0) < 0.15


def test_different_motion_scores_clearly_lower_and_names_ranges() -> None:
    demo = _varied(4)
    other = compare_tracks(_varied(9), demo)
    still = compare_tracks(still_track(M), demo)
    assert other.similarity <= 60.0
    assert still.similarity <= 60.0
    assert still.worst_ranges and all(r.end > r.start for r in still.worst_ranges)
    assert min(still.per_limb.values()) < 50.0


def test_score_performance_attaches_the_comparison() -> None:
    demo = _varied(4)
    r = score_performance(dance_track(M), beat_grid(M.bpm, M.duration), reference=demo)
    assert isinstance(r.comparison, Comparison)
    assert r.metrics["similarity"] == r.comparison.similarity
    assert any("demo" in s for s in r.feedback_items)
    assert type(r).from_dict(r.to_dict()) == r


def _dtw_reference(c: FloatArray) -> float:
    n, m = c.shape
    d = np.full((n + 1, m + 1), np.inf)
    d[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i, j] = c[i - 1, j - 1] + min(d[i - 1, j - 1], d[i - 1, j], d[i, j - 1])
    return float(d[n, m])


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 12), seed=st.integers(0, 10_000))
def test_dtw_matches_the_textbook_recursion(n: int, seed: int) -> None:
    c = np.random.default_rng(seed).uniform(0, 1, (n, n))
    pi, pj = dtw_path(c, radius=n)
    assert pi[0] == 0 and pj[0] == 0 and pi[-1] == n - 1 and pj[-1] == n - 1
    assert np.all(np.diff(pi) >= 0) and np.all(np.diff(pj) >= 0)
    assert float(np.sum(c[pi, pj])) == np.float64(_dtw_reference(c)) or np.isclose(np.sum(c[pi, pj]), _dtw_reference(c))
