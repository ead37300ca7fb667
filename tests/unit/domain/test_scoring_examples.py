"""Constructed dancers that reach both ends of every range, bases, gaps and refusals."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from domain.analysis.errors import AnalysisFailed
from domain.analysis.pose import BeatGrid
from domain.analysis.scoring import score_performance
from tests.unit.domain.scoring_synth import Motion, beat_grid, dance_track, still_track, to_track, varied_dance

M = Motion(duration=10.0)
BEATS = beat_grid(M.bpm, M.duration)


def test_balance_reaches_both_ends() -> None:
    still = score_performance(still_track(M), BEATS)
    wild = score_performance(dance_track(replace(M, sway=1.2, sway_hz=0.7)), BEATS)
    assert still.balance >= 24.5
    assert wild.balance <= 1.0
    assert wild.metrics["com_sway"] > 0.5
    assert any("torso lengths from your feet" in s and " s and " in s for s in wild.feedback_items)


def test_rhythm_reaches_both_ends() -> None:
    on = score_performance(dance_track(M), BEATS)
    half = score_performance(dance_track(replace(M, shift=0.25)), BEATS)  # half a beat off
    still = score_performance(still_track(M), BEATS)
    assert on.rhythm >= 29.0
    assert half.rhythm <= 2.0
    assert still.rhythm == 0.0


def test_smoothness_reaches_both_ends() -> None:
    smooth = score_performance(dance_track(replace(M, sway=0.3, bpm=90)), beat_grid(90, 10))
    jittery = score_performance(dance_track(M, noise_px=40.0), BEATS)
    still = score_performance(still_track(M), BEATS)
    assert smooth.smoothness >= 24.0
    assert jittery.smoothness <= 1.0
    assert still.smoothness == 0.0


def test_creativity_reaches_both_ends() -> None:
    still = score_performance(still_track(M), BEATS)
    t, xy = varied_dance(1, replace(M, travel=4.0), poses_count=24)
    varied = score_performance(to_track(t, xy, M), BEATS)
    assert still.creativity <= 0.5
    assert varied.creativity >= 15.0  # was 19.0: 12 % of its random poses come back, which now costs
    assert varied.metrics["pose_repetition"] <= 0.15
    assert varied.metrics["n_pose_clusters"] >= 10


@pytest.mark.parametrize(("shift", "sign"), [(0.1, 1.0), (-0.1, -1.0)])
def test_timing_offset_says_late_or_early(shift: float, sign: float) -> None:
    r = score_performance(dance_track(replace(M, shift=shift)), BEATS)
    assert r.metrics["timing_offset_ms"] == pytest.approx(sign * 100.0, abs=15.0)
    word = "late" if sign > 0 else "early"
    assert any(f"ms {word} to the beat" in s for s in r.feedback_items)


def test_rhythm_bases() -> None:
    track = dance_track(M)
    assert score_performance(track, BEATS).rhythm_basis == "music_beats"
    by_bpm = score_performance(track, None, target_bpm=120.0)
    assert by_bpm.rhythm_basis == "target_bpm" and by_bpm.rhythm >= 29.0
    assert "phase" in by_bpm.feedback
    stated = BeatGrid(tempo_bpm=120.0, beat_times=np.arange(0.13, 10.0, 0.5), source="target_bpm")
    assert score_performance(track, stated).rhythm_basis == "target_bpm"
    regular = score_performance(track, None)  # no music, no target: no rhythm to dance to (was motion regularity)
    assert regular.rhythm_basis == "not_measurable" and regular.rhythm == 0.0
    assert regular.rhythm_reason is not None and "no target tempo" in regular.rhythm_reason
    assert regular.total_max == 70.0 and "out of 70" in regular.feedback
    assert by_bpm.total_max == 100.0 and by_bpm.rhythm_reason is None
    # A tempo far from the dance's own scores lower than the right one.
    assert score_performance(track, None, target_bpm=97.0).rhythm < by_bpm.rhythm - 5.0


def test_too_little_pose_is_refused_with_numbers() -> None:
    missing = np.zeros(300, dtype=bool)
    missing[::5] = True
    missing[100:] = True  # 80 of 300 frames detected
    with pytest.raises(AnalysisFailed, match=r"\d+%"):
        score_performance(dance_track(M, missing=missing), BEATS)
    with pytest.raises(AnalysisFailed, match=r"1\.5 s"):
        score_performance(dance_track(replace(M, duration=1.5)), None)


def test_short_gaps_are_bridged_and_long_gaps_left_out() -> None:
    full = score_performance(dance_track(M), BEATS)
    short = np.zeros(300, dtype=bool)
    for start in range(20, 280, 40):
        short[start : start + 3] = True  # 3-frame dropouts
    bridged = score_performance(dance_track(M, missing=short), BEATS)
    for a, b in zip(
        (full.balance, full.rhythm, full.creativity), (bridged.balance, bridged.rhythm, bridged.creativity), strict=True
    ):
        assert b == pytest.approx(a, abs=1.0)
    assert bridged.confidence < full.confidence
    long = np.zeros(300, dtype=bool)
    long[120:180] = True  # 2 s out of view
    gapped = score_performance(dance_track(M, missing=long), BEATS)
    assert gapped.metrics["coverage"] == pytest.approx(0.8)
    assert any("not detected in 20%" in s for s in gapped.feedback_items)
    assert gapped.rhythm >= 28.0  # beats in the gap are not held against the dancer


def test_breakdown_rounds_and_round_trips() -> None:
    r = score_performance(dance_track(M), BEATS)
    assert r.breakdown() == {k: round(getattr(r, k), 1) for k in ("balance", "rhythm", "smoothness", "creativity")}
    assert type(r).from_dict(r.to_dict()) == r
