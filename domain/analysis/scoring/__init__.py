"""Scoring of a dance performance from its pose track (pure domain: numpy and scipy only).

``score_performance`` answers "did I dance well to this music?" with four subscores that add up to 100:

- balance 0-25 (:mod:`.balance`): centre of mass (de Leva 1996) over the base of support;
- rhythm 0-30 (:mod:`.rhythm`): motion beats against music beats (Bailando's Beat Align Score), or
  against ``target_bpm``; with neither there is no rhythm to dance to: rhythm is not measurable
  (0 points, ``rhythm_basis = "not_measurable"`` and ``rhythm_reason``), and the total is the sum of
  the other three, out of 70 (``total_max``), never rescaled to look like a score out of 100;
- smoothness 0-25 (:mod:`.smoothness`): log dimensionless jerk on a fixed 0.5 s unit (Hogan & Sternad 2009);
- creativity 0-20 (:mod:`.creativity`): a vocabulary of poses that keeps growing, little periodic repetition,
  body parts used and spatial range;

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
from domain.analysis.scoring.model import MAX_POINTS, Comparison, PerformanceReport, TimeRange
from domain.analysis.scoring.prepare import PreparedTrack, prepare_track
from domain.analysis.scoring.rhythm import score_rhythm
from domain.analysis.scoring.smoothness import score_smoothness

SMALL_TORSO_SHARE = 0.05  # a torso under 5 % of the frame height is about 15 px at 640 px: joints blur together

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
    rhythm, basis, rhythm_reason = score_rhythm(p, beats, target_bpm)
    smoothness = score_smoothness(p)
    creativity = score_creativity(p)
    comparison = None if reference is None else compare_prepared(p, _prepare_reference(reference))

    items: list[str] = []
    warnings = _warnings(p)
    items.extend(warnings)
    if p.coverage < 0.9:
        missed = 1.0 - p.coverage - p.excluded_s / max(p.duration_s, 1e-9)
        if missed >= 0.05:
            items.append(f"You were not detected in {missed:.0%} of the video (out of view, hidden, or too small "
                         "to see); those parts were not scored.")
    if p.frame_height_px > 0 and p.scale_px < SMALL_TORSO_SHARE * p.frame_height_px:
        items.append(f"You appear small in the picture (torso {p.scale_px:.0f} px of {p.frame_height_px:.0f} px); "
                     "come closer so every joint can be seen.")
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
        "people_detected": float(p.people_detected),
        "identity_switches": float(len(p.switches)),
        "excluded_seconds": p.excluded_s,
    }
    for part in (balance, rhythm, smoothness, creativity):
        metrics.update(part.metrics)
    if comparison is not None:
        metrics["similarity"] = comparison.similarity

    total = balance.points + rhythm.points + smoothness.points + creativity.points
    total_max = 100.0 if rhythm_reason is None else 100.0 - MAX_POINTS["rhythm"]
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
        rhythm_reason=rhythm_reason,
        total_max=total_max,
        warnings=tuple(warnings),
    )


def _warnings(p: PreparedTrack) -> list[str]:
    out: list[str] = []
    if p.people_detected >= 2:
        out.append(f"{p.people_detected} people were in the picture; one dancer was followed and scored.")
    if p.switches:
        times = ", ".join(f"{t:.1f} s" for t in p.switches[:4])
        out.append(f"The pose tracker jumped to another person at {times}; those {p.excluded_s:.1f} s were "
                   "left out of the scores.")
    return out
