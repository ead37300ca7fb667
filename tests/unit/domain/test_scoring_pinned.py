"""Pinned reports: constructed dancers, each scored in full (points, every metric, every feedback sentence), must give
the report stored in ``tests/golden/synthetic_reports.json``; each refusal must give its stored reason.

The tracks are built from formulas (``scoring_synth``), so the figures are exact up to floating point: a change of
any constant, comparison or formula in the scoring moves at least one of them far beyond the tolerance. The file is
written by this test with ``--update-golden``; changing it is a deliberate act, reviewed in the diff.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from domain.analysis.errors import AnalysisFailed
from domain.analysis.pose import BeatGrid, PoseTrack
from domain.analysis.scoring import compare_tracks, score_performance
from domain.analysis.scoring.model import Comparison, PerformanceReport, TimeRange
from tests.unit.domain.scoring_synth import (
    Motion,
    beat_grid,
    dance_track,
    mirror_track,
    still_track,
    to_track,
    varied_dance,
)

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "synthetic_reports.json"
REL_TOLERANCE = 1e-6  # floating-point noise only: the inputs are exact
M = Motion(duration=10.0)
BEATS = beat_grid(M.bpm, M.duration)


def _varied(seed: int, m: Motion = M, **kwargs: Any) -> PoseTrack:
    return to_track(*varied_dance(seed, m, **kwargs), m)


def _missing(*spans: tuple[int, int], step: int = 0) -> np.ndarray:
    mask = np.zeros(300, dtype=bool)
    for a, b in spans:
        mask[a:b] = True
    if step:
        mask[::step] = True
    return mask


def _another_person(track: PoseTrack, start: int, stop: int, dx: float) -> PoseTrack:
    lm = track.landmarks.copy()
    lm[start:stop, :, 0] += dx
    return replace(track, landmarks=lm, people_seen=2)


def _later(track: PoseTrack, seconds: float) -> PoseTrack:
    """The same track cut from later in a video: its clock starts at ``seconds``."""
    return replace(track, timestamps=track.timestamps + seconds)


def _jerky_stretch(track: PoseTrack, start: int, stop: int, noise_px: float) -> PoseTrack:
    lm = track.landmarks.copy()
    lm[start:stop, :, :2] += np.random.default_rng(7).normal(0.0, noise_px, lm[start:stop, :, :2].shape)
    return replace(track, landmarks=lm)


def _dropouts() -> np.ndarray:
    mask = np.zeros(300, dtype=bool)
    for start in range(20, 280, 40):
        mask[start : start + 3] = True
    return mask


CASES: dict[str, Callable[[], PerformanceReport]] = {
    "on_beat": lambda: score_performance(dance_track(M), BEATS),
    "still": lambda: score_performance(still_track(M), BEATS),
    "swaying": lambda: score_performance(dance_track(replace(M, sway=1.2, sway_hz=0.7)), BEATS),
    "leaning_out": lambda: score_performance(dance_track(replace(M, sway=0.35, sway_hz=0.2)), BEATS),
    "late": lambda: score_performance(dance_track(replace(M, shift=0.1)), BEATS),
    "early": lambda: score_performance(dance_track(replace(M, shift=-0.1)), BEATS),
    "slightly_late": lambda: score_performance(dance_track(replace(M, shift=0.02)), BEATS),
    "half_a_beat_off": lambda: score_performance(dance_track(replace(M, shift=0.25)), BEATS),
    "half_time": lambda: score_performance(dance_track(replace(M, bpm=60)), BEATS),
    "double_time_music": lambda: score_performance(dance_track(M), beat_grid(240, 10)),
    "jittery": lambda: score_performance(dance_track(M, noise_px=40.0), BEATS),
    "a_little_noise": lambda: score_performance(dance_track(M, noise_px=3.0, seed=4), BEATS),
    "smooth_and_slow": lambda: score_performance(dance_track(replace(M, sway=0.3, bpm=90)), beat_grid(90, 10)),
    "varied_travelling": lambda: score_performance(_varied(1, replace(M, travel=4.0), poses_count=24), BEATS),
    "varied_few_poses": lambda: score_performance(_varied(3, poses_count=4), BEATS),
    "target_bpm": lambda: score_performance(dance_track(M), None, target_bpm=120.0),
    "wrong_target_bpm": lambda: score_performance(dance_track(M), None, target_bpm=97.0),
    "stated_tempo": lambda: score_performance(
        dance_track(M), BeatGrid(tempo_bpm=120.0, beat_times=np.arange(0.13, 10.0, 0.5), source="target_bpm")),
    "no_music": lambda: score_performance(dance_track(M), None),
    "music_beats_too_rare": lambda: score_performance(
        dance_track(M), BeatGrid(tempo_bpm=20.0, beat_times=np.array([0.2, 3.2, 9.9]), source="audio")),
    "two_second_gap": lambda: score_performance(dance_track(M, missing=_missing((120, 180))), BEATS),
    "short_dropouts": lambda: score_performance(dance_track(M, missing=_dropouts()), BEATS),
    "small_in_the_picture": lambda: score_performance(dance_track(replace(M, scale_px=30.0)), BEATS),
    "low_visibility": lambda: score_performance(dance_track(M, visibility=0.4), BEATS),
    "another_person": lambda: score_performance(_another_person(dance_track(M), 150, 180, 600.0), BEATS),
    "starting_at_five_seconds": lambda: score_performance(_later(dance_track(M), 5.0), beat_grid(120, 15, 5.0)),
    "one_jerky_stretch": lambda: score_performance(_jerky_stretch(dance_track(M), 150, 210, 12.0), BEATS),
    "against_a_demo": lambda: score_performance(_varied(1), BEATS, reference=_varied(2)),
    "against_itself_late": lambda: score_performance(
        dance_track(replace(M, shift=0.3)), BEATS, reference=dance_track(M)),
    "against_a_mirror": lambda: score_performance(_varied(5), BEATS, reference=mirror_track(_varied(5))),
}

REFUSALS: dict[str, Callable[[], object]] = {
    "one_frame": lambda: score_performance(dance_track(replace(M, duration=1 / 30)), BEATS),
    "too_short": lambda: score_performance(dance_track(replace(M, duration=1.5)), None),
    "mostly_missing": lambda: score_performance(dance_track(M, missing=_missing((100, 300), step=5)), BEATS),
    "under_half_visible": lambda: score_performance(dance_track(M, missing=_missing((145, 300))), BEATS),
    "in_short_pieces": lambda: score_performance(dance_track(M, missing=(np.arange(300) % 17) >= 9), BEATS),
    "five_frames_a_second": lambda: score_performance(dance_track(replace(M, fps=5.0)), BEATS),
    "no_torso": lambda: score_performance(dance_track(replace(M, scale_px=0.0)), BEATS),
    "tempo_too_slow": lambda: score_performance(dance_track(M), None, target_bpm=20.0),
    "tempo_too_fast": lambda: score_performance(dance_track(M), None, target_bpm=310.0),
    "too_few_target_beats": lambda: score_performance(dance_track(replace(M, duration=2.2)), None, target_bpm=31.0),
    "unusable_demo": lambda: compare_tracks(dance_track(M), dance_track(replace(M, duration=1.0))),
}


def _figures(report: PerformanceReport) -> dict[str, Any]:
    return report.to_dict()


def _diff(path: str, got: Any, want: Any) -> list[str]:
    if isinstance(want, dict) and isinstance(got, dict):
        problems = [f"{path}.{k}: missing" for k in want if k not in got]
        problems += [f"{path}.{k}: unexpected" for k in got if k not in want]
        for k in want:
            if k in got:
                problems += _diff(f"{path}.{k}", got[k], want[k])
        return problems
    if isinstance(want, list) and isinstance(got, list):
        if len(got) != len(want):
            return [f"{path}: {got!r} != {want!r}"]
        return [p for i, (g, w) in enumerate(zip(got, want, strict=True)) for p in _diff(f"{path}[{i}]", g, w)]
    if isinstance(want, float) and isinstance(got, float | int) and not isinstance(got, bool):
        same = (math.isnan(want) and math.isnan(got)) or math.isclose(got, want, rel_tol=REL_TOLERANCE, abs_tol=1e-9)
        return [] if same else [f"{path}: {got!r} != {want!r}"]
    return [] if got == want and type(got) is type(want) else [f"{path}: {got!r} != {want!r}"]


def _refusal(make: Callable[[], object]) -> str:
    try:
        make()
    except AnalysisFailed as exc:
        return exc.reason
    return "accepted"


def _golden() -> dict[str, Any]:
    return json.loads(GOLDEN.read_text()) if GOLDEN.is_file() else {"reports": {}, "refusals": {}}


def test_reports_and_refusals_match_the_pinned_figures(request: pytest.FixtureRequest) -> None:
    got = {"reports": {name: _figures(make()) for name, make in CASES.items()},
           "refusals": {name: _refusal(make) for name, make in REFUSALS.items()}}
    if request.config.getoption("--update-golden"):
        GOLDEN.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
        return
    problems = _diff("", got, _golden())
    assert not problems, "\n".join(problems[:40])


def test_each_case_reaches_what_it_is_named_for() -> None:
    """The pinned file holds what each case is for, so that a case cannot silently stop exercising its branch."""
    golden = _golden()
    reports, refusals = golden["reports"], golden["refusals"]
    assert all(reason != "accepted" for reason in refusals.values()), refusals
    assert reports["late"]["metrics"]["timing_offset_ms"] > 40 > -40 > reports["early"]["metrics"]["timing_offset_ms"]
    assert abs(reports["slightly_late"]["metrics"]["timing_offset_ms"]) < 40
    assert reports["no_music"]["rhythm_basis"] == "not_measurable" and reports["no_music"]["total_max"] == 70.0
    assert reports["music_beats_too_rare"]["rhythm_reason"].startswith("the music's beats covered only")
    assert reports["target_bpm"]["rhythm_basis"] == reports["stated_tempo"]["rhythm_basis"] == "target_bpm"
    assert reports["another_person"]["metrics"]["identity_switches"] >= 1
    assert reports["against_a_mirror"]["comparison"]["mirrored"] is True
    assert reports["against_itself_late"]["comparison"]["offset_seconds"] != 0.0
    assert any("small in the picture" in s for s in reports["small_in_the_picture"]["feedback_items"])
    assert any("not detected in" in s for s in reports["two_second_gap"]["feedback_items"])


def test_reports_stored_before_the_optional_fields_read_back_with_their_defaults() -> None:
    stored = {"balance": 20.0, "rhythm": 25.0, "smoothness": 15.0, "creativity": 10.0, "total": 70.0,
              "feedback": "Good.", "confidence": 0.9, "rhythm_basis": "motion_regularity"}
    report = PerformanceReport.from_dict(stored)
    assert (report.feedback_items, report.metrics, report.comparison, report.rhythm_reason, report.total_max,
            report.warnings, report.rhythm_measured) == ((), {}, None, None, 100.0, (), True)
    assert report.breakdown() == {"balance": 20.0, "rhythm": 25.0, "smoothness": 15.0, "creativity": 10.0}
    old = Comparison.from_dict({"similarity": 42.0})
    assert (old.per_limb, old.worst_ranges, old.offset_seconds, old.mirrored) == ({}, (), 0.0, False)


def test_every_field_round_trips() -> None:
    comparison = Comparison(similarity=61.5, per_limb={"left_arm": 40.25}, worst_ranges=(TimeRange(1.5, 3.0, "torso"),),
                            offset_seconds=-0.4, mirrored=True)
    report = PerformanceReport(balance=20.04, rhythm=0.0, smoothness=12.35, creativity=7.25, total=39.64,
                               feedback="a b", feedback_items=("a", "b"), confidence=0.5, rhythm_basis="not_measurable",
                               metrics={"coverage": 0.75}, comparison=comparison, rhythm_reason="no beat",
                               total_max=70.0, warnings=("w",))
    back = PerformanceReport.from_dict(report.to_dict())
    assert back == report and back.rhythm_reason == "no beat" and not back.rhythm_measured
    assert back.breakdown() == {"balance": 20.0, "rhythm": 0.0, "smoothness": 12.3, "creativity": 7.2}
