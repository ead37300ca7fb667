"""Rhythm (0-30): do the movement's accents land on the beat?

Motion beats (Li et al. 2022, "Bailando: 3D Dance Generation by Actor-Critic GPT with
Choreographic Memory", CVPR, and the AIST++ evaluation, Li et al. 2021, "AI Choreographer", ICCV):
the kinetic speed ``v(t) = mean_j |d p_j / dt|`` over the body joints (torso lengths / s), smoothed
with a Gaussian of ``sigma = 5/60 s`` (Bailando's 5 frames at 60 fps); its local minima are the
motion beats (the body "stops" on the accent). A minimum counts when its prominence is at least
``max(0.1 torso/s, 0.15 * P95(v))`` so that detector jitter on a still body makes no beats; its time
is refined to sub-frame precision by a parabola through the three samples around it.

Beat Align Score (Bailando's ``BA``; recall of music beats)::

    BAS = (1 / |B|) * sum_{b in B} exp(-min_m (m - b)^2 / (2 * SIGMA^2)),   SIGMA = 0.10 s

Bailando uses SIGMA = 3 frames at 60 fps (0.05 s) on motion capture; video poses at 20-30 fps
carry one frame (33-50 ms) of quantisation plus detector timing jitter, so SIGMA = 0.10 s here.
BAS alone rewards a jittery body that stops everywhere (noted by Tseng et al. 2023, "EDGE", CVPR),
so its mirror image, the share of motion beats that land on a beat, is measured too::

    precision = (1 / |M|) * sum_{m in M} exp(-min_b (m - b)^2 / (2 * SIGMA^2))
    rhythm    = 30 * sqrt(BAS * precision)

Dancing in half time (an accent every second beat) gives about 30 * sqrt(0.5) = 21.

Timing offset: for each music beat, the signed distance to the nearest motion beat (within half
a beat period), ``motion - beat``; the median in milliseconds (negative = early, positive = late).

Basis (``rhythm_basis``):

- ``music_beats``: the beats measured in the sound track (``BeatGrid.source == "audio"``).
- ``target_bpm``: a tempo without a measured phase (``BeatGrid.source == "target_bpm"`` or only
  ``target_bpm`` given). The grid ``phi + k * 60 / bpm`` uses the phase ``phi`` (5 ms steps) that
  maximises the score above, so rhythm measures keeping that tempo; no timing offset is reported.
- ``not_measurable``: neither (or the music's beats fall too rarely while the dancer is in view).
  There is then no rhythm to dance to, and none is invented: rhythm gets 0 points and is reported
  as not measurable with the reason, and the total is formed from the other three parts (out of 70;
  see :mod:`domain.analysis.scoring`). An earlier version scored "motion regularity" here (how evenly
  the accents were spaced), which rated a walk's gait 19/30 and said nothing about dancing.

Music beats closer than half a period (at most 0.5 s) to the start or end of a stretch of detected
pose are skipped: a motion beat cannot be found there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from scipy.ndimage import gaussian_filter1d
from scipy.signal import find_peaks

from domain.analysis.errors import AnalysisFailed
from domain.analysis.geometry import BODY_JOINTS
from domain.analysis.pose import BeatGrid, FloatArray
from domain.analysis.scoring._util import when
from domain.analysis.scoring.model import SubScore
from domain.analysis.scoring.prepare import PreparedTrack

MAX_POINTS: Final = 30.0
SIGMA_S: Final = 0.10
KINETIC_SMOOTH_S: Final = 5.0 / 60.0
PROMINENCE_FLOOR: Final = 0.1
PROMINENCE_REL: Final = 0.15
MIN_BEATS: Final = 3
PERIOD_RANGE_S: Final = (0.25, 1.5)
PHASE_STEP_S: Final = 0.005
MIN_BPM, MAX_BPM = 30.0, 300.0


def kinetic_speed(p: PreparedTrack) -> FloatArray:
    """Smoothed mean joint speed (torso lengths / s) on p's grid, NaN outside the segments."""
    speed = np.full(p.times.shape[0], np.nan)
    sigma = KINETIC_SMOOTH_S * p.fs
    for a, b in p.segments:
        vel = np.gradient(p.xy[a:b][:, BODY_JOINTS], 1.0 / p.fs, axis=0)
        s = np.hypot(vel[..., 0], vel[..., 1]).mean(axis=1)
        speed[a:b] = gaussian_filter1d(s, sigma, mode="nearest")
    return speed


def motion_beats(p: PreparedTrack, speed: FloatArray) -> FloatArray:
    """Times of the prominent local minima of the kinetic speed."""
    finite = speed[np.isfinite(speed)]
    prominence = max(PROMINENCE_FLOOR, PROMINENCE_REL * float(np.percentile(finite, 95)))
    out: list[float] = []
    for a, b in p.segments:
        s = speed[a:b]
        idx, _ = find_peaks(-s, prominence=prominence)
        for k in idx:
            y0, y1, y2 = s[k - 1], s[k], s[k + 1]
            den = y0 - 2.0 * y1 + y2
            delta = 0.0 if den <= 0 else float(np.clip(0.5 * (y0 - y2) / den, -0.5, 0.5))
            out.append(float(p.times[a + k]) + delta / p.fs)
    return np.asarray(out, dtype=np.float64)


def _nearest(x: FloatArray, ref: FloatArray) -> FloatArray:
    """Signed x - nearest(ref) for each x (ref sorted, non-empty)."""
    i = np.clip(np.searchsorted(ref, x), 1, ref.size - 1) if ref.size > 1 else np.zeros(x.size, dtype=int)
    left = ref[np.maximum(i - 1, 0)]
    right = ref[i]
    dl, dr = x - left, x - right
    return np.asarray(np.where(np.abs(dl) <= np.abs(dr), dl, dr), dtype=np.float64)


def _in_spans(x: FloatArray, spans: list[tuple[float, float]]) -> FloatArray:
    keep = np.zeros(x.size, dtype=bool)
    for lo, hi in spans:
        keep |= (x >= lo) & (x <= hi)
    return np.asarray(x[keep], dtype=np.float64)


@dataclass(frozen=True, slots=True)
class _Alignment:
    recall: float  # Bailando's beat align score
    precision: float
    beats: FloatArray  # music beats considered
    per_beat: FloatArray  # exp(-d^2 / 2 sigma^2) for each considered beat
    offsets: FloatArray  # motion - beat for each considered beat (NaN when none near)
    n_motion: int

    @property
    def score(self) -> float:
        return float(np.sqrt(self.recall * self.precision))


def _align(grid: FloatArray, motion: FloatArray, spans: list[tuple[float, float]]) -> _Alignment:
    beats = _in_spans(grid, spans)
    moves = _in_spans(motion, spans)
    if moves.size == 0 or grid.size == 0:
        empty = np.zeros(beats.size)
        return _Alignment(0.0, 0.0, beats, empty, np.full(beats.size, np.nan), 0)
    d_beat = _nearest(beats, moves)  # beat - nearest motion beat
    per_beat = np.exp(-(d_beat**2) / (2.0 * SIGMA_S**2))
    d_move = _nearest(moves, grid)
    precision = float(np.mean(np.exp(-(d_move**2) / (2.0 * SIGMA_S**2))))
    half = 0.5 * float(np.median(np.diff(grid))) if grid.size > 1 else np.inf
    offsets = np.where(np.abs(d_beat) <= half, -d_beat, np.nan)
    recall = float(np.mean(per_beat)) if beats.size else 0.0
    return _Alignment(recall, precision, beats, per_beat, offsets, int(moves.size))


def _spans(p: PreparedTrack, period: float) -> list[tuple[float, float]]:
    margin = min(0.5, 0.5 * period)
    return [(float(p.times[a]) + margin, float(p.times[b - 1]) - margin) for a, b in p.segments]


def _fit_phase(period: float, motion: FloatArray, p: PreparedTrack) -> tuple[float, FloatArray, _Alignment]:
    spans = _spans(p, period)
    t0, t1 = float(p.times[0]) - period, float(p.times[-1]) + period
    best: tuple[float, FloatArray, _Alignment] | None = None
    for phi in np.arange(0.0, period, PHASE_STEP_S):
        grid = t0 + phi + np.arange(int(np.ceil((t1 - t0) / period)) + 1) * period
        al = _align(grid, motion, spans)
        if best is None or al.score > best[2].score:
            best = (float((t0 + phi) % period), grid, al)
    assert best is not None
    return best


def _worst_stretch(al: _Alignment) -> tuple[float, float] | None:
    """The 4 consecutive considered beats with the poorest alignment."""
    n = al.per_beat.size
    if n < 4:
        return None
    rolling = np.convolve(al.per_beat, np.ones(4) / 4.0, mode="valid")
    i = int(np.argmin(rolling))
    return float(al.beats[i]), float(al.beats[i + 3])


NOT_MEASURABLE: Final = "not_measurable"


def score_rhythm(
    p: PreparedTrack, beats: BeatGrid | None, target_bpm: float | None
) -> tuple[SubScore, str, str | None]:
    """Rhythm points, metrics and feedback, the basis used and, when not measurable, the reason."""
    speed = kinetic_speed(p)
    motion = motion_beats(p, speed)
    notes: list[str] = []
    metrics: dict[str, float] = {"motion_beats": float(motion.size)}

    music = None if beats is None or beats.source != "audio" else np.sort(np.asarray(beats.beat_times, float))
    tempo = target_bpm
    if beats is not None and beats.source != "audio":
        tempo = beats.tempo_bpm
    reason = "the video has no music with a beat and no target tempo was given"
    if music is not None:
        period = float(np.median(np.diff(music))) if music.size > 1 else 0.5
        al = _align(music, motion, _spans(p, period))
        if al.beats.size >= MIN_BEATS:
            return _music_result(al, metrics, notes), "music_beats", None
        reason = (f"the music's beats covered only {al.beats.size} beat(s) while you were in view, "
                  "too few to time against")
    if tempo is not None:
        if not (MIN_BPM <= tempo <= MAX_BPM):
            raise AnalysisFailed(f"The target tempo {tempo:.0f} BPM is outside {MIN_BPM:.0f}-{MAX_BPM:.0f} BPM.")
        period = 60.0 / tempo
        phase, _grid, al = _fit_phase(period, motion, p)
        if al.beats.size < MIN_BEATS:
            raise AnalysisFailed(
                f"Only {al.beats.size} beats at {tempo:.0f} BPM fall in the {p.detected_s:.1f} s of visible "
                f"dancing; at least {MIN_BEATS} are needed to judge rhythm."
            )
        metrics.update(tempo_bpm=float(tempo), beat_phase_s=phase)
        notes.append(
            f"Rhythm was judged against {tempo:.0f} BPM; with no measured beat, the beat's phase was "
            "fitted to your movement."
        )
        return _grid_result(al, metrics, notes, f"{tempo:.0f} BPM"), "target_bpm", None

    notes.append(f"Rhythm was not measured: {reason}; the total is out of 70 (balance, smoothness, creativity).")
    return SubScore(0.0, metrics, tuple(notes)), NOT_MEASURABLE, reason


def _common(al: _Alignment, metrics: dict[str, float]) -> float:
    hits = int(np.sum(al.per_beat >= np.exp(-0.5)))  # within one SIGMA
    metrics.update(
        beat_align_score=al.recall,
        beat_precision=al.precision,
        beats_considered=float(al.beats.size),
        beats_hit=float(hits),
    )
    return float(np.clip(MAX_POINTS * al.score, 0.0, MAX_POINTS))


def _stretch_note(al: _Alignment) -> list[str]:
    stretch = _worst_stretch(al)
    if stretch is None or al.recall >= 0.9:
        return []
    return [f"You lost the beat most {when(stretch[0], stretch[1])}."]


def _music_result(al: _Alignment, metrics: dict[str, float], notes: list[str]) -> SubScore:
    points = _common(al, metrics)
    hits = int(metrics["beats_hit"])
    notes.append(f"Your movement accents matched {hits} of {al.beats.size} music beats within {SIGMA_S * 1000:.0f} ms.")
    offsets = al.offsets[np.isfinite(al.offsets)]
    if offsets.size:
        offset_ms = 1000.0 * float(np.median(offsets))
        metrics["timing_offset_ms"] = offset_ms
        if abs(offset_ms) >= 40.0:
            word = "late" if offset_ms > 0 else "early"
            notes.append(f"You were on average {abs(offset_ms):.0f} ms {word} to the beat.")
        else:
            notes.append(f"Your timing was on the beat (median offset {offset_ms:+.0f} ms).")
    notes.extend(_stretch_note(al))
    if al.precision < 0.5 and al.n_motion > al.beats.size:
        notes.append("Many of your accents fell between the beats; try to stop or hit on the beat.")
    return SubScore(points, metrics, tuple(notes))


def _grid_result(al: _Alignment, metrics: dict[str, float], notes: list[str], name: str) -> SubScore:
    points = _common(al, metrics)
    notes.append(
        f"Your movement accents matched {int(metrics['beats_hit'])} of {al.beats.size} beats of {name} "
        f"within {SIGMA_S * 1000:.0f} ms."
    )
    notes.extend(_stretch_note(al))
    return SubScore(points, metrics, tuple(notes))
