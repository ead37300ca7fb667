"""Scoring of a dance performance from its pose track (pure domain: numpy and scipy only).

``score_performance`` gives four subscores that add up to 100:

- balance 0-25 (:mod:`.balance`): centre of mass (de Leva 1996) over the base of support;
- rhythm 0-30 (:mod:`.rhythm`): motion beats against music beats (Bailando's Beat Align Score);
- smoothness 0-25 (:mod:`.smoothness`): log dimensionless jerk per beat (Hogan & Sternad 2009);
- creativity 0-20 (:mod:`.creativity`): pose variety, body parts used, spatial range;

each formula with its source and calibration is written in its module. The track is first
cleaned and normalised by body size (:mod:`.prepare`), so every score is invariant to where and how
large the dancer appears. ``compare_tracks`` (:mod:`.comparison`) measures how closely a
performance follows a demo. Whatever cannot be measured raises
:class:`~domain.analysis.errors.AnalysisFailed` with the reason; no score is ever made up.
"""

from __future__ import annotations

from domain.analysis.errors import AnalysisFailed
from domain.analysis.pose import BeatGrid, PoseTrack
from domain.analysis.scoring.balance import score_balance
from domain.analysis.scoring.comparison import compare_prepared, comparison_feedback
from domain.analysis.scoring.creativity import score_creativity
from domain.analysis.scoring.model import Comparison, PerformanceReport, TimeRange
from domain.analysis.scoring.prepare import PreparedTrack, prepare_track
from domain.analysis.scoring.rhythm import score_rhythm
from domain.analysis.scoring.smoothness import score_smoothness

__all__ = ["Comparison", "PerformanceReport", "TimeRange", "compare_tracks", "score_performance"]


def _prepare_reference(reference: PoseTrack) -> PreparedTrack:
    try:
        return prepare_track(reference)
    except AnalysisFailed as exc:
        raise AnalysisFailed(f"The demo video cannot be used for comparison: {exc.reason}") from exc


def compare_tracks(performance: PoseTrack, reference: PoseTrack) -> Comparison:
    """How closely ``performance`` follows ``reference`` (size, position and mirror tolerant)."""
    return compare_prepared(prepare_track(performance), _prepare_reference(reference))


def score_performance(
    track: PoseTrack,
    beats: BeatGrid | None,
    *,
    target_bpm: float | None = None,
    reference: PoseTrack | None = None,
) -> PerformanceReport:
    """Score one dancer's pose track; ``beats`` is None when the video has no usable audio."""
    p = prepare_track(track)
    balance = score_balance(p)
    rhythm, basis, period = score_rhythm(p, beats, target_bpm)
    smoothness = score_smoothness(p, period)
    creativity = score_creativity(p)
    comparison = None if reference is None else compare_prepared(p, _prepare_reference(reference))

    items: list[str] = []
    if p.coverage < 0.9:
        items.append(f"You were out of view in {1.0 - p.coverage:.0%} of the video; those parts were not scored.")
    for part in (balance, rhythm, smoothness, creativity):
        items.extend(part.feedback)
    if comparison is not None:
        items.extend(comparison_feedback(comparison))

    metrics: dict[str, float] = {
        "coverage": p.coverage,
        "mean_visibility": p.visibility,
        "detected_seconds": p.detected_s,
        "body_scale_px": p.scale_px,
        "sample_rate": p.fs,
    }
    for part in (balance, rhythm, smoothness, creativity):
        metrics.update(part.metrics)
    if comparison is not None:
        metrics["similarity"] = comparison.similarity

    total = balance.points + rhythm.points + smoothness.points + creativity.points
    return PerformanceReport(
        balance=balance.points,
        rhythm=rhythm.points,
        smoothness=smoothness.points,
        creativity=creativity.points,
        total=total,
        feedback=" ".join(items),
        feedback_items=tuple(items),
        confidence=p.confidence,
        rhythm_basis=basis,
        metrics=metrics,
        comparison=comparison,
    )
