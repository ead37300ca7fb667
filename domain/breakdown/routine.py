"""A whole breakdown from a pose track and the music's beats: grid, cut, measure, name, describe, rate.

Pure: the application hands in the capture's arrays; nothing here touches files or the network.
"""

from __future__ import annotations

import itertools
from typing import Final

import numpy as np

from domain.analysis.pose import FloatArray, PoseTrack
from domain.breakdown import difficulty as diff
from domain.breakdown import wording
from domain.breakdown.errors import BreakdownFailed
from domain.breakdown.features import StepFeatures, measure
from domain.breakdown.kinematics import Body, prepare
from domain.breakdown.model import Breakdown, Mode, RoutineAnalysis, Step, StepText, TargetDifficulty
from domain.breakdown.novelty import novelty
from domain.breakdown.rhythm import Grid, grid_from_audio, grid_from_movement
from domain.breakdown.segmentation import auto_boundaries, manual_boundaries
from domain.breakdown.vocabulary import step_name

MOVEMENT_TEMPO_NOTE: Final = "No music: the tempo was estimated from the periodicity of the dancer's movement."


def make_grid(body: Body, duration: float, beat_times: FloatArray | None, onset_strength: FloatArray | None,
              onset_rate: float) -> Grid:
    if beat_times is not None and beat_times.shape[0] >= 4:
        return grid_from_audio(beat_times, duration, onset_strength, onset_rate)
    grid = grid_from_movement(body.times, body.speed, duration)
    nov = novelty(body, grid.beats) if grid.count >= 2 else None
    return grid_from_movement(body.times, body.speed, duration, nov[:-1] if nov is not None else None)


def _span(body: Body, grid: Grid) -> tuple[int, int]:
    """Beat indices [first, last] inside the stretch where the dancer is seen."""
    seen = np.flatnonzero(~body.filled)
    t0, t1 = body.times[seen[0]], body.times[seen[-1]]
    beats = grid.beats
    inside = np.flatnonzero((beats >= t0 - 1e-6) & (beats <= t1 + 1e-6))
    if inside.shape[0] < 3:
        raise BreakdownFailed(f"the dancing covers {inside.shape[0]} beats of the music; at least 3 are needed")
    return int(inside[0]), int(inside[-1])


def cut(body: Body, grid: Grid, mode: Mode, target: TargetDifficulty, units_per_beat: int = 1) -> list[float]:
    """Step boundaries as beat positions of the grid (whole beats, or halves with units_per_beat=2)."""
    first, last = _span(body, grid)
    if mode == "manual":
        phase = (grid.downbeat_phase - first) % 8
        units = manual_boundaries(last - first, phase, 1)
        return [first + u for u in units]
    edges = np.array([grid.time(first + u / units_per_beat) for u in range((last - first) * units_per_beat + 1)])
    units = auto_boundaries(novelty(body, edges), units_per_beat, target)
    return [first + u / units_per_beat for u in units]


def _text(f: StepFeatures, nxt: StepFeatures | None, grid: Grid, target: TargetDifficulty) -> StepText:
    name = step_name(f)
    parts = diff.active_parts(f)
    return StepText(
        step_name=name, global_description=wording.global_sentence(name, f, parts, target),
        description=wording.describe(f), style_and_history=wording.style_sentence(f, parts),
        spice_it_up=wording.spice_sentence(f, grid), connection_to_next=wording.connection_sentence(f, nxt),
        technical_notes=wording.technical_notes(f), quality_metrics=wording.quality_metrics(f),
    )


def _word(x: float, high: float, low: float) -> str:
    return "High" if x >= high else "Medium" if x >= low else "Low"


def _routine(steps: list[Step], grid: Grid, level: str) -> RoutineAnalysis:
    feats = [s.features for s in steps]
    offsets = [f.timing.stop_offset_ms for f in feats if f.timing.stop_offset_ms is not None]
    on_beat = float(np.mean([o <= 100.0 for o in offsets])) if offsets else None
    smooth = float(np.median([f.smoothness for f in feats]))
    sym = float(np.mean([f.symmetry for f in feats]))
    left = sum(f.arms.left.travel for f in feats)
    right = sum(f.arms.right.travel for f in feats)
    speed = float(np.mean([f.speed_mean for f in feats]))
    energy = "Low" if speed < 0.5 else "Medium" if speed < 1.0 else "High"
    symmetry = "Balanced" if sym >= 0.75 else ("Left-led" if left > right else "Right-led")
    rhythm = _word(on_beat, 0.75, 0.5) if on_beat is not None else "Not measured"
    flow = _word(smooth, -8.5, -11.0)
    source = "measured from the sound track" if grid.source == "audio" else "estimated from the movement (no music)"
    return RoutineAnalysis(
        style_indicators={"rhythm_consistency": rhythm, "flow_smoothness": flow, "symmetry": symmetry},
        energy_level=energy,
        characteristics={
            "tempo": f"The routine is set to {grid.bpm:.1f} BPM, {source}",
            "rhythm_consistency": (f"{100 * on_beat:.0f} % of the movement's pauses fall within 100 ms of a beat"
                                   if on_beat is not None else "The movement never pauses, so its timing against the "
                                   "beat was not measured"),
            "flow_smoothness": f"Median smoothness (log dimensionless jerk) {smooth:.1f} across {len(steps)} steps",
            "symmetry": f"Left and right sides move alike to {100 * sym:.0f} % (arm travel left {left:.1f} TL, "
                        f"right {right:.1f} TL)",
            "difficulty_level": f"{level}, from speed, complexity and a tempo of {grid.bpm:.0f} BPM",
            "energy_level": f"Mean joint speed {speed:.1f} TL/s",
        },
    )


def break_down(track: PoseTrack, duration: float, *, beat_times: FloatArray | None,
               onset_strength: FloatArray | None = None, onset_rate: float = 0.0, mode: Mode = "auto",
               target: TargetDifficulty = "intermediate") -> Breakdown:
    body = prepare(track)
    grid = make_grid(body, duration, beat_times, onset_strength, onset_rate)
    bounds = cut(body, grid, mode, target)
    feats = [measure(body, grid, a, b) for a, b in itertools.pairwise(bounds)]
    steps: list[Step] = []
    for i, f in enumerate(feats):
        score = diff.step_score(f, grid.bpm)
        steps.append(Step(number=i + 1, start_beat=bounds[i], end_beat=bounds[i + 1], start=grid.time(bounds[i]),
                          end=grid.time(bounds[i + 1]), features=f,
                          text=_text(f, feats[i + 1] if i + 1 < len(feats) else None, grid, target),
                          difficulty_score=score, difficulty=diff.level(score)))
    score = diff.routine_score([s.difficulty_score for s in steps], len({s.text.step_name for s in steps}))
    level = diff.level(score)
    notes = (MOVEMENT_TEMPO_NOTE,) if grid.source == "movement" else ()
    return Breakdown(duration=duration, grid=grid, mode=mode, target_difficulty=target, steps=tuple(steps),
                     difficulty_score=score, difficulty_level=level, routine=_routine(steps, grid, level), notes=notes)
