"""Properties of the scoring engine on synthetic dancers (hypothesis)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.analysis.scoring import PerformanceReport, score_performance
from tests.unit.domain.scoring_synth import (
    Motion,
    beat_grid,
    dance_track,
    to_track,
    transform,
    varied_dance,
)

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])

motions = st.builds(
    Motion,
    bpm=st.floats(80, 160),
    duration=st.floats(6.0, 9.0),
    fps=st.sampled_from([15.0, 24.0, 30.0]),
    arm_amp=st.floats(0.0, 1.5),
    leg_amp=st.floats(0.0, 0.6),
    elbow_amp=st.floats(0.0, 1.0),
    sway=st.floats(0.0, 1.5),
    sway_hz=st.floats(0.2, 2.0),
    bounce=st.floats(0.0, 0.6),
    travel=st.floats(0.0, 4.0),
    shift=st.floats(0.0, 0.5),
    scale_px=st.floats(40.0, 400.0),
)


def _scores(r: PerformanceReport) -> tuple[float, float, float, float]:
    return r.balance, r.rhythm, r.smoothness, r.creativity


def _track(m: Motion, kind: int, noise: float, seed: int):  # type: ignore[no-untyped-def]
    if kind == 0:
        return dance_track(m, noise_px=noise, seed=seed)
    t, xy = varied_dance(seed, m)
    return to_track(t, xy, m, noise_px=noise, seed=seed)


@SETTINGS
@given(
    m=motions,
    kind=st.integers(0, 1),
    noise=st.floats(0.0, 20.0),
    seed=st.integers(0, 1000),
    basis=st.sampled_from(["audio", "bpm", "none"]),
)
def test_every_subscore_stays_in_its_range(m: Motion, kind: int, noise: float, seed: int, basis: str) -> None:
    track = _track(m, kind, noise, seed)
    beats = beat_grid(m.bpm, m.duration) if basis == "audio" else None
    r = score_performance(track, beats, target_bpm=m.bpm if basis == "bpm" else None)
    assert 0.0 <= r.balance <= 25.0
    assert 0.0 <= r.rhythm <= 30.0
    assert 0.0 <= r.smoothness <= 25.0
    assert 0.0 <= r.creativity <= 20.0
    assert r.total == pytest.approx(sum(_scores(r)))
    assert 0.0 <= r.confidence <= 1.0
    assert r.rhythm_basis == {"audio": "music_beats", "bpm": "target_bpm", "none": "not_measurable"}[basis]
    assert (r.rhythm_reason is None) == (basis != "none") and r.total_max == (70.0 if basis == "none" else 100.0)
    assert r.feedback == " ".join(r.feedback_items) and r.feedback_items
    assert set(r.breakdown()) == {"balance", "rhythm", "smoothness", "creativity"}
    assert all(np.isfinite(v) for v in r.metrics.values())
    assert PerformanceReport.from_dict(r.to_dict()) == r


@SETTINGS
@given(
    m=motions,
    kind=st.integers(0, 1),
    seed=st.integers(0, 1000),
    scale=st.floats(0.25, 4.0),
    dx=st.floats(-800, 800),
    dy=st.floats(-800, 800),
)
def test_translating_or_scaling_leaves_scores_unchanged(
    m: Motion, kind: int, seed: int, scale: float, dx: float, dy: float
) -> None:
    track = _track(m, kind, 1.0, seed)
    beats = beat_grid(m.bpm, m.duration)
    a = score_performance(track, beats)
    b = score_performance(transform(track, scale, dx, dy), beats)
    assert _scores(b) == pytest.approx(_scores(a), abs=1e-6)


@SETTINGS
@given(m=motions, kind=st.integers(0, 1), seed=st.integers(0, 1000), noise=st.floats(0.3, 15.0))
def test_adding_noise_never_raises_smoothness(m: Motion, kind: int, seed: int, noise: float) -> None:
    clean = score_performance(_track(m, kind, 0.0, seed), None, target_bpm=m.bpm)
    noisy = score_performance(_track(m, kind, noise, seed), None, target_bpm=m.bpm)
    assert noisy.smoothness <= clean.smoothness + 1e-9
    more = score_performance(_track(m, kind, 2.0 * noise, seed), None, target_bpm=m.bpm)
    assert more.smoothness <= noisy.smoothness + 1e-9


@SETTINGS
@given(bpm=st.floats(80, 150), frac=st.floats(0.2, 0.5), arm=st.floats(0.4, 1.2), noise=st.floats(0.0, 2.0))
def test_shifting_motion_against_the_beats_lowers_rhythm(bpm: float, frac: float, arm: float, noise: float) -> None:
    m = Motion(bpm=bpm, duration=8.0, arm_amp=arm)
    beats = beat_grid(bpm, m.duration)
    on = score_performance(dance_track(m, noise_px=noise), beats)
    off = score_performance(dance_track(replace(m, shift=frac * 60.0 / bpm), noise_px=noise), beats)
    assert off.rhythm < on.rhythm - 1.0
    assert on.metrics["beat_align_score"] > off.metrics["beat_align_score"]
