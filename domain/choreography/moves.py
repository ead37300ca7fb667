"""Moves learnt from real clips: the count grid, length in counts, entry/exit poses, energy, difficulty, embedding.

Measures and their sources:
- Pose normalisation: hip-centred, divided by the torso length (mid-shoulder to mid-hip), the usual scale-free
  pose representation of action recognition (e.g. Yan et al. 2018, ST-GCN; Chen et al. 2021, "ChoreoMaster"
  normalise by a body length the same way).
- The count grid: the dancers' own steps, not the clip's sound (on the 58 shared clips the motion beats fall at a
  uniform phase of the music's beats, phase locking R = 0.02: the sound was laid on afterwards). The steps are the
  motion beats of the followed dancer as the project's rhythm measure defines them (minima of the smoothed joint
  speed, :mod:`domain.analysis.scoring.rhythm`), and the counts are tracked through them by dynamic programming
  at the music's tempo (the beat tracker of Ellis 2007, "Beat tracking by dynamic programming", J. New Music
  Research 36(1), with the motion beats as its onset strength): each count maximises the step strength at it
  minus ``STEP_TIGHTNESS * log(interval / period)^2``, so counts follow the steps where the dancer marks them and
  keep the tempo where they do not. A move lasts a whole number of 8-counts, the unit social bachata is taught
  and phrased in, from the first count with the dancer in view (which of the 8 counts is the dancer's 1 is not
  identified).
- Motion embedding: features sampled on the counts, not on seconds, so a move danced at 108 or 129 BPM gives the
  same profile: per-count speed of arms, legs and torso folded over the 8-count (the "music-motion rhythm"
  signature used by ChoreoMaster, Chen et al. 2021, and by Aristidou et al. 2022 "Rhythm is a dancer" for motion
  motifs), compared by its circular autocorrelation since the dancer's count 1 is not identified (leave-one-out
  top-1 on the shared clips 10 of 58 with it, 7 with the raw profile on the step grid), the mean and spread of
  the normalised pose, and the turn signature (how far and how often the shoulder line's apparent width shrinks:
  a dancer turning away from the camera foreshortens it).
  Each block is standardised over the library (z-scores) and weighted; search uses the cosine of the result.
- Energy: mean joint speed in torso lengths per second, mapped to 0..1 between the library's observed extremes and
  averaged with the annotator's level; difficulty likewise from the annotation and the measured speed/turns.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import numpy.typing as npt

from domain.analysis.errors import AnalysisFailed
from domain.analysis.pose import NUM_LANDMARKS, PoseTrack
from domain.analysis.scoring.prepare import prepare_track
from domain.analysis.scoring.rhythm import SIGMA_S, kinetic_speed, motion_beats

FloatArray = npt.NDArray[np.float64]

COUNTS_PER_PHRASE = 8
HALF_PHRASE = 4  # bachata's half phrase (three steps and a tap): a move may start on any half phrase of its clip
SAMPLES_PER_COUNT = 4
# shoulders, elbows, wrists, hips, knees, ankles (BlazePose indices)
BODY = (11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28)
_GROUPS = {"arms": (2, 3, 4, 5), "torso": (0, 1, 6, 7), "legs": (8, 9, 10, 11)}  # positions within BODY
LEVELS = {"low": 0.0, "medium": 0.5, "high": 1.0}
DESCRIPTOR = ("energy", "difficulty", "tempo")  # the first three features; a slot's query sets only these
MIN_COVERAGE = 0.5
# Speeds (torso lengths per second, averaged over the body's 12 joints) that map to energy 0 and 1: the 5th and
# 95th percentiles over the 58 shared couple clips as captured at 15 fps (see tests/integration/choreography).
SPEED_LOW, SPEED_HIGH = 0.72, 2.23
TEMPO_REF = 150.0
# Step tracking (see the module docstring): the tightness keeps counts within about +-30 % of the music's beat
# period (measured on the shared clips: interval spread 7 % of the period, 0.93 of the motion beats on a count;
# a tightness of 30 keeps 0.79 on a count, 100 is a steady grid); steps are spread over STEP_SMOOTH_S and the DP
# runs at STEP_RATE_HZ.
STEP_TIGHTNESS = 10.0
STEP_SMOOTH_S = 0.05
STEP_RATE_HZ = 100.0
# Half the crossfade at a cut (blueprint.CROSSFADE_S): the frames either side of it are the last and first that
# show one move alone.
CUT_MARGIN_S = 0.06


class MoveError(ValueError):
    """A clip that cannot become a move; the message says why."""


@dataclass(frozen=True, slots=True)
class ClipLabels:
    clip_id: str
    video_path: str  # relative to the library's clip folder
    move_label: str
    energy_level: str  # low | medium | high
    difficulty: str  # low | medium | high
    estimated_tempo: float | None = None


@dataclass(frozen=True, slots=True)
class Tracking:
    """Which dancer the single-person estimator followed, and how steadily."""

    followed_side: str  # "left" or "right" of the frame (mean hip position)
    mean_x: float  # mean hip x as a fraction of the frame width
    coverage: float  # fraction of frames with a pose
    jumps: int  # frame-to-frame hip moves of over 0.75 torso lengths: likely switches to the other dancer


@dataclass(frozen=True, slots=True)
class MoveRecord:
    labels: ClipLabels
    tempo_bpm: float
    tempo_source: str  # "audio" (the clip's music) or "annotation"
    count_times: tuple[float, ...]  # counts + 1 times: count 1 of the move ... the count after its last
    counts: int
    entry_pose: tuple[float, ...]  # normalised BODY pose (x, y interleaved) over the first count
    exit_pose: tuple[float, ...]  # over the last count
    speed: float  # torso lengths per second
    turn_depth: float  # 1 - min/median shoulder width ratio (0: never turns)
    energy: float  # 0..1
    difficulty: float  # 0..1
    features: tuple[float, ...]  # raw features, DESCRIPTOR first; standardised by the index
    tracking: Tracking
    duration: float
    # the instantaneous normalised BODY pose at count 1 of every 8-count and at the count after the last one:
    # boundary_poses[k] is what shows at a cut after the move's first k 8-counts (empty in libraries from before)
    boundary_poses: tuple[tuple[float, ...], ...] = ()
    # the followed dancer's hip x at the same instants, in torso lengths from the frame's centre: a cut between
    # clips that show the dancer at different places is a visible jump, and a tracker that follows the dancer
    # from frame to frame may pick up the partner instead
    boundary_hips: tuple[float, ...] = ()
    # where the count grid comes from: "steps" (the dancers' motion beats tracked at the tempo) or "music"
    # (the clip's beats; libraries from before)
    count_source: str = "music"
    # the same at every 4th count (count 1, 5, 9, ... and the count after the last): a move may also be played
    # from a later 4-count of its clip, so these are its other entry and cut poses (empty in libraries from before)
    half_phrase_poses: tuple[tuple[float, ...], ...] = ()
    half_phrase_hips: tuple[float, ...] = ()
    # how well the dancer marks the counts: the move's Beat Align Score on its own counts (the share of counts
    # with a step on them, each weighted exp(-d^2 / 2 sigma^2), sigma 0.1 s; domain.analysis.scoring.rhythm);
    # NaN in libraries from before
    step_alignment: float = float("nan")
    # What the viewer (and our own analysis of the rendered video) sees on either side of a cut, which the
    # crossfade centres on the count: the last frame of the outgoing move CUT_MARGIN_S before it, the first of the
    # incoming one CUT_MARGIN_S after it. Each is read twice: on the clip's whole track, and on the clip tracked
    # afresh from the half phrase the move starts on (a move played on its own from there: the estimator may pick
    # the other partner or see the pose differently). ``cut_entries[i]``: readings after half phrase i;
    # ``cut_exits[i][j - i - 1]``: readings before half phrase j of a move started on half phrase i.
    # Empty in libraries from before.
    cut_entries: tuple[tuple[tuple[float, ...], ...], ...] = ()
    cut_exits: tuple[tuple[tuple[tuple[float, ...], ...], ...], ...] = ()

    def entry_readings(self, count: int) -> tuple[tuple[float, ...], ...]:
        """The incoming move's pose just after the cut when it starts on ``count`` (a multiple of 4)."""
        i = count // HALF_PHRASE
        return self.cut_entries[i] if len(self.cut_entries) > i else (self.pose_at_count(count),)

    def exit_readings(self, first_count: int, count: int) -> tuple[tuple[float, ...], ...]:
        """The outgoing move's pose just before the cut on ``count`` when it started on ``first_count``."""
        i, j = first_count // HALF_PHRASE, count // HALF_PHRASE
        if len(self.cut_exits) > i and 0 <= j - i - 1 < len(self.cut_exits[i]):
            return self.cut_exits[i][j - i - 1]
        return (self.pose_at_count(count),)

    def pose_at_count(self, count: int) -> tuple[float, ...]:
        """The pose on the clip's count ``count`` (a multiple of 4; 0 is count 1)."""
        if len(self.half_phrase_poses) > count // HALF_PHRASE:
            return self.half_phrase_poses[count // HALF_PHRASE]
        return self.entry_at_cut() if count == 0 else self.exit_at_cut(count // COUNTS_PER_PHRASE)

    def hip_at_count(self, count: int) -> float | None:
        if len(self.half_phrase_hips) > count // HALF_PHRASE:
            return self.half_phrase_hips[count // HALF_PHRASE]
        return self.hip_at_cut(count // COUNTS_PER_PHRASE)

    def hip_at_cut(self, phrases: int) -> float | None:
        return self.boundary_hips[phrases] if len(self.boundary_hips) > phrases else None

    def entry_at_cut(self) -> tuple[float, ...]:
        return self.boundary_poses[0] if self.boundary_poses else self.entry_pose

    def exit_at_cut(self, phrases: int) -> tuple[float, ...]:
        """The pose on the cut after the first ``phrases`` 8-counts (the trimmed move's exit, not the clip's)."""
        return self.boundary_poses[phrases] if len(self.boundary_poses) > phrases else self.exit_pose

    @property
    def clip_id(self) -> str:
        return self.labels.clip_id

    @property
    def move_label(self) -> str:
        return self.labels.move_label

    @property
    def start(self) -> float:
        return self.count_times[0]

    @property
    def end(self) -> float:
        return self.count_times[-1]

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["features"] = [round(v, 6) for v in self.features]
        data["entry_pose"] = [round(v, 5) for v in self.entry_pose]
        data["exit_pose"] = [round(v, 5) for v in self.exit_pose]
        data["count_times"] = [round(v, 4) for v in self.count_times]
        data["boundary_poses"] = [[round(v, 5) for v in pose] for pose in self.boundary_poses]
        data["boundary_hips"] = [round(v, 4) for v in self.boundary_hips]
        data["half_phrase_poses"] = [[round(v, 5) for v in pose] for pose in self.half_phrase_poses]
        data["half_phrase_hips"] = [round(v, 4) for v in self.half_phrase_hips]
        data["cut_entries"] = [[[round(v, 5) for v in pose] for pose in reads] for reads in self.cut_entries]
        data["cut_exits"] = [[[[round(v, 5) for v in pose] for pose in reads] for reads in ends]
                             for ends in self.cut_exits]
        return data

    @staticmethod
    def from_dict(data: Mapping[str, object]) -> MoveRecord:
        labels = data["labels"]
        tracking = data["tracking"]
        assert isinstance(labels, Mapping) and isinstance(tracking, Mapping)

        def floats(key: str) -> tuple[float, ...]:
            value = data[key]
            assert isinstance(value, list)
            return tuple(float(v) for v in value)

        def num(key: str) -> float:
            value = data[key]
            assert isinstance(value, int | float)
            return float(value)

        return MoveRecord(
            labels=ClipLabels(**labels), tracking=Tracking(**tracking),
            tempo_bpm=num("tempo_bpm"), tempo_source=str(data["tempo_source"]), count_times=floats("count_times"),
            counts=int(num("counts")), entry_pose=floats("entry_pose"), exit_pose=floats("exit_pose"),
            speed=num("speed"), turn_depth=num("turn_depth"), energy=num("energy"), difficulty=num("difficulty"),
            features=floats("features"), duration=num("duration"),
            boundary_poses=tuple(tuple(float(v) for v in pose) for pose in data.get("boundary_poses", ())),  # type: ignore[attr-defined]
            boundary_hips=tuple(float(v) for v in data.get("boundary_hips", ())),  # type: ignore[attr-defined]
            count_source=str(data.get("count_source", "music")),
            half_phrase_poses=tuple(tuple(float(v) for v in pose)
                                    for pose in data.get("half_phrase_poses", ())),  # type: ignore[attr-defined]
            half_phrase_hips=tuple(float(v) for v in data.get("half_phrase_hips", ())),  # type: ignore[attr-defined]
            step_alignment=float(data.get("step_alignment", float("nan"))),  # type: ignore[arg-type]
            cut_entries=tuple(tuple(tuple(float(v) for v in pose) for pose in reads)
                              for reads in data.get("cut_entries", ())),  # type: ignore[attr-defined]
            cut_exits=tuple(tuple(tuple(tuple(float(v) for v in pose) for pose in reads) for reads in ends)
                            for ends in data.get("cut_exits", ())),  # type: ignore[attr-defined]
        )


def normalised_body(landmarks: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(T, 12, 2) hip-centred poses in torso lengths (NaN where no pose), and (T,) torso lengths in pixels."""
    xy = landmarks[:, :, :2]
    hip = 0.5 * (xy[:, 23] + xy[:, 24])
    shoulder = 0.5 * (xy[:, 11] + xy[:, 12])
    torso = np.linalg.norm(shoulder - hip, axis=1)
    scale = float(np.nanmedian(torso)) if np.any(np.isfinite(torso)) else np.nan
    # One scale per clip: per-frame torso lengths jitter with the estimate and would make the pose breathe.
    body = (xy[:, BODY] - hip[:, None, :]) / scale
    return body, torso


def fill_gaps(times: FloatArray, values: FloatArray) -> FloatArray:
    """Linear interpolation over frames with NaN (each column on its own); raises when almost nothing is left."""
    flat = values.reshape(values.shape[0], -1).copy()
    ok = np.all(np.isfinite(flat), axis=1)
    if ok.sum() < 2:
        raise MoveError("the dancer is visible in fewer than two frames")
    for j in range(flat.shape[1]):
        flat[:, j] = np.interp(times, times[ok], flat[ok, j])
    return flat.reshape(values.shape)


def tracking_of(landmarks: FloatArray, width: int) -> Tracking:
    hip = 0.5 * (landmarks[:, 23, :2] + landmarks[:, 24, :2])
    ok = np.all(np.isfinite(hip), axis=1)
    coverage = float(ok.mean()) if ok.size else 0.0
    if not np.any(ok):
        return Tracking("none", float("nan"), 0.0, 0)
    _, torso = normalised_body(landmarks)
    scale = float(np.nanmedian(torso))
    steps = np.linalg.norm(np.diff(hip[ok], axis=0), axis=1) / scale
    mean_x = float(np.mean(hip[ok, 0]) / width)
    return Tracking("left" if mean_x < 0.5 else "right", mean_x, coverage, int(np.sum(steps > 0.75)))


def count_grid(beat_times: FloatArray, first_visible: float, last_time: float) -> FloatArray:
    """Count times from the first beat with the dancer in view, cut to whole 8-counts that end inside the clip."""
    beats = beat_times[(beat_times >= first_visible - 1e-6) & (beat_times <= last_time + 1e-6)]
    usable = (beats.size - 1) // COUNTS_PER_PHRASE * COUNTS_PER_PHRASE
    if usable < COUNTS_PER_PHRASE:
        raise MoveError(f"the clip holds {max(beats.size - 1, 0)} counts with the dancer in view; a move needs 8")
    return np.asarray(beats[: usable + 1], dtype=np.float64)


def dancer_steps(times: FloatArray, landmarks: FloatArray, width: int, height: int
                 ) -> tuple[FloatArray, float, float]:
    """The followed dancer's motion beats (the rhythm measure's definition) and the span they were sought in."""
    lm = np.full((times.size, NUM_LANDMARKS, 4), np.nan)
    lm[:, :, : landmarks.shape[2]] = landmarks[:, :NUM_LANDMARKS]
    if landmarks.shape[2] < 4:
        lm[:, :, 3] = 1.0
    presence = np.all(np.isfinite(lm[:, :, :2]), axis=(1, 2)).astype(np.float64)
    lm[presence == 0.0, :, 3] = 0.0
    track = PoseTrack(timestamps=np.asarray(times, dtype=np.float64), landmarks=lm,
                      world=np.full((times.size, NUM_LANDMARKS, 3), np.nan), presence=presence, width=width,
                      height=height)
    try:
        p = prepare_track(track)
    except AnalysisFailed as exc:
        raise MoveError(f"the dancer's steps cannot be timed: {exc}") from exc
    return motion_beats(p, kinetic_speed(p)), float(p.times[0]), float(p.times[-1])


def track_steps(steps: FloatArray, start: float, end: float, period: float,
                tightness: float = STEP_TIGHTNESS) -> FloatArray:
    """Counts from ``start`` to ``end`` tracked through the steps at ``period`` s (Ellis 2007's recursion)."""
    fs = STEP_RATE_HZ
    t = start + np.arange(int(np.floor((end - start) * fs)) + 1) / fs
    strength = np.zeros(t.size)
    for m in steps:
        strength += np.exp(-((t - m) ** 2) / (2.0 * STEP_SMOOTH_S**2))
    lo, hi = round(0.7 * period * fs), round(1.4 * period * fs)
    if t.size <= lo:
        return np.asarray([start], dtype=np.float64)
    lags = np.arange(lo, hi + 1)
    penalty = tightness * np.log(lags / (period * fs)) ** 2
    score = strength.copy()
    back = np.full(t.size, -1, dtype=np.int64)
    for i in range(lo, t.size):
        prev = i - lags
        ok = prev >= 0
        cand = score[prev[ok]] - penalty[ok]
        k = int(np.argmax(cand))
        score[i] = strength[i] + cand[k]
        back[i] = prev[ok][k]
    tail = np.arange(max(0, t.size - lo), t.size)  # the last count lies within the last 0.7 period
    i = int(tail[np.argmax(score[tail])])
    out = [i]
    while back[i] >= 0:
        i = int(back[i])
        out.append(i)
    return np.asarray(t[np.array(out[::-1])], dtype=np.float64)


def tempo_beats(tempo_bpm: float, start: float, end: float) -> FloatArray:
    """A steady grid at a stated tempo, for clips whose music gave no beats."""
    return np.arange(start, end + 1e-9, 60.0 / tempo_bpm)


def sample_on_counts(times: FloatArray, poses: FloatArray, counts: FloatArray) -> FloatArray:
    """(counts*S, 12, 2): the pose at S evenly spaced instants inside every count (linear in time within a count)."""
    inst = np.concatenate([
        np.linspace(a, b, SAMPLES_PER_COUNT, endpoint=False) for a, b in itertools.pairwise(counts)
    ])
    flat = poses.reshape(poses.shape[0], -1)
    out = np.stack([np.interp(inst, times, flat[:, j]) for j in range(flat.shape[1])], axis=1)
    return out.reshape(inst.size, poses.shape[1], 2)


def _unit(v: FloatArray) -> FloatArray:
    n = float(np.linalg.norm(v))
    return v / n if n > 1e-12 else v


def build_move(labels: ClipLabels, times: FloatArray, landmarks: FloatArray, width: int, duration: float,
               beat_times: FloatArray | None, tempo_bpm: float | None, height: int = 0) -> MoveRecord:
    """One move from a clip's pose track (T frames at ``times``, BlazePose landmarks x, y[, z, visibility] in
    pixels), counted on the dancer's steps at its music's tempo (or the annotated tempo)."""
    tracking = tracking_of(landmarks, width)
    if tracking.coverage < MIN_COVERAGE:
        raise MoveError(f"a dancer is visible in {tracking.coverage:.0%} of the frames; at least 50% is needed")
    body, torso = normalised_body(landmarks)
    ok = np.all(np.isfinite(body.reshape(body.shape[0], -1)), axis=1)
    body = fill_gaps(times, body)
    hip_x = (0.5 * (landmarks[:, 23, 0] + landmarks[:, 24, 0]) - 0.5 * width) / float(np.nanmedian(torso))
    first_visible = float(times[np.argmax(ok)])
    last_time = float(min(duration, times[-1] + (times[-1] - times[-2] if times.size > 1 else 0.0)))
    if beat_times is not None and beat_times.size >= COUNTS_PER_PHRASE + 1 and tempo_bpm:
        source, tempo = "audio", float(60.0 / np.median(np.diff(beat_times)))
    elif labels.estimated_tempo:
        source, tempo = "annotation", float(labels.estimated_tempo)
    else:
        raise MoveError("the clip's music has no beat and no tempo was annotated")
    steps, s0, s1 = dancer_steps(times, landmarks, width, height or width)
    beats = track_steps(steps, max(s0, first_visible), min(s1, last_time), 60.0 / tempo)
    grid = count_grid(beats, first_visible, last_time)
    counts = grid.size - 1
    if steps.size:
        d = np.min(np.abs(grid[:-1, None] - steps[None, :]), axis=1)
        step_alignment = float(np.mean(np.exp(-(d**2) / (2.0 * SIGMA_S**2))))
    else:
        step_alignment = 0.0
    sampled = sample_on_counts(times, body, grid)  # (counts*S, 12, 2)

    # speed in torso lengths per second, on the source frames inside the move
    inside = (times >= grid[0]) & (times <= grid[-1])
    seg, seg_t = body[inside], times[inside]
    vel = np.linalg.norm(np.diff(seg, axis=0), axis=2) / np.diff(seg_t)[:, None]  # (n-1, 12)
    speed = float(np.mean(vel))

    # per-count speed folded over the 8-count, per body group, shape only (divided by the mean)
    per_sample = np.linalg.norm(np.diff(sampled, axis=0, append=sampled[-1:]), axis=2)  # (counts*S, 12)
    per_count = per_sample.reshape(counts, SAMPLES_PER_COUNT, len(BODY)).sum(axis=1)  # (counts, 12)
    folded = per_count.reshape(counts // COUNTS_PER_PHRASE, COUNTS_PER_PHRASE, len(BODY)).mean(axis=0)
    profiles = [folded[:, list(ix)].mean(axis=1) for ix in _GROUPS.values()]
    profiles = [x / max(float(np.mean(x)), 1e-9) - 1.0 for x in profiles]
    # which of the 8 counts is the dancer's 1 is not known, so the profile is compared by its circular
    # autocorrelation, which no rotation of the 8-count changes
    rhythm = np.concatenate([[float(np.mean(x * np.roll(x, lag))) for lag in range(COUNTS_PER_PHRASE)]
                             for x in profiles])
    group_speed = np.array([per_count[:, list(ix)].mean() for ix in _GROUPS.values()])
    group_share = group_speed / max(float(group_speed.sum()), 1e-9)

    flat = sampled.reshape(sampled.shape[0], -1)
    mean_pose, spread = flat.mean(axis=0), flat.std(axis=0)
    shoulder_w = np.linalg.norm(sampled[:, 0] - sampled[:, 1], axis=1)
    med_w = max(float(np.median(shoulder_w)), 1e-6)
    ratio = shoulder_w / med_w
    turn_depth = float(np.clip(1.0 - np.percentile(ratio, 5), 0.0, 1.0))
    dips = float(np.sum((ratio[1:] < 0.5) & (ratio[:-1] >= 0.5)) / (counts / COUNTS_PER_PHRASE))
    turn = np.array([turn_depth, float(np.std(ratio)), dips])

    measured = float(np.clip((speed - SPEED_LOW) / (SPEED_HIGH - SPEED_LOW), 0.0, 1.0))
    energy = 0.5 * LEVELS.get(labels.energy_level, 0.5) + 0.5 * measured
    complexity = float(np.clip(0.6 * measured + 0.4 * turn_depth / 0.6, 0.0, 1.0))
    difficulty = 0.6 * LEVELS.get(labels.difficulty, 0.5) + 0.4 * complexity
    descriptor = np.array([energy, difficulty, tempo / TEMPO_REF])
    features = np.concatenate([descriptor, rhythm, group_share, mean_pose, spread, turn])
    entry = sampled[:SAMPLES_PER_COUNT].reshape(SAMPLES_PER_COUNT, -1).mean(axis=0)
    exit_ = sampled[-SAMPLES_PER_COUNT:].reshape(SAMPLES_PER_COUNT, -1).mean(axis=0)
    flat_body = body.reshape(body.shape[0], -1)
    halves = grid[::HALF_PHRASE]
    at_halves = np.stack([np.interp(halves, times, flat_body[:, j]) for j in range(flat_body.shape[1])], axis=1)
    seen = np.isfinite(hip_x)
    hips_at_halves = np.interp(halves, times[seen], hip_x[seen])
    at_cuts, hips_at_cuts = at_halves[::2], hips_at_halves[::2]
    return MoveRecord(
        labels=labels, tempo_bpm=tempo, tempo_source=source, count_times=tuple(float(t) for t in grid),
        counts=counts, entry_pose=tuple(float(v) for v in entry), exit_pose=tuple(float(v) for v in exit_),
        speed=speed, turn_depth=turn_depth, energy=float(energy), difficulty=float(difficulty),
        features=tuple(float(v) for v in features), tracking=tracking, duration=duration,
        boundary_poses=tuple(tuple(float(v) for v in pose) for pose in at_cuts),
        boundary_hips=tuple(float(v) for v in hips_at_cuts), count_source="steps",
        half_phrase_poses=tuple(tuple(float(v) for v in pose) for pose in at_halves),
        half_phrase_hips=tuple(float(v) for v in hips_at_halves), step_alignment=step_alignment,
    )


# Block layout of ``features`` and the weight each block gets after standardisation.
_BLOCKS: tuple[tuple[str, int, float], ...] = (
    ("descriptor", 3, 1.0), ("rhythm", 24, 0.8), ("share", 3, 1.0), ("mean_pose", 24, 1.0), ("spread", 24, 1.0),
    ("turn", 3, 1.2),
)


@dataclass(frozen=True, slots=True)
class Scaler:
    """Per-feature standardisation and block weights learnt from a library; turns features into unit vectors."""

    mean: tuple[float, ...]
    std: tuple[float, ...]
    weights: tuple[float, ...] = field(default=())

    @staticmethod
    def fit(records: Sequence[MoveRecord]) -> Scaler:
        if not records:
            raise MoveError("the move library is empty")
        x = np.array([r.features for r in records], dtype=np.float64)
        std = x.std(axis=0)
        weights: list[float] = []
        for _, size, w in _BLOCKS:
            weights.extend([w / np.sqrt(size)] * size)  # each block counts by its weight, not by its size
        if len(weights) != x.shape[1]:
            raise MoveError(f"features have {x.shape[1]} values; the layout expects {len(weights)}")
        return Scaler(mean=tuple(float(v) for v in x.mean(axis=0)),
                      std=tuple(float(v) if v > 1e-9 else 1.0 for v in std), weights=tuple(weights))

    def vector(self, features: Sequence[float] | FloatArray) -> FloatArray:
        z = (np.asarray(features, dtype=np.float64) - np.asarray(self.mean)) / np.asarray(self.std)
        return _unit(z * np.asarray(self.weights))

    def query(self, energy: float, difficulty: float, tempo_bpm: float) -> FloatArray:
        """A vector that asks only for a descriptor: every motion feature at the library's mean (z = 0)."""
        raw = np.asarray(self.mean, dtype=np.float64).copy()
        raw[: len(DESCRIPTOR)] = (energy, difficulty, tempo_bpm / TEMPO_REF)
        return self.vector(raw)


def cut_starts(record: MoveRecord) -> tuple[float, ...]:
    """Clip times a move may be played from (each half phrase but the last, plus the cut margin): where
    :func:`with_cut_readings` wants the clip tracked afresh."""
    return tuple(t + CUT_MARGIN_S for t in record.count_times[:-1:HALF_PHRASE])


def _poses_at(times: FloatArray, landmarks: FloatArray, at: FloatArray) -> FloatArray | None:
    """(len(at), 24) normalised BODY poses at the instants (gaps interpolated), None with under two poses."""
    body, _ = normalised_body(landmarks)
    ok = np.all(np.isfinite(body.reshape(body.shape[0], -1)), axis=1)
    if ok.sum() < 2:
        return None
    flat = body.reshape(body.shape[0], -1)[ok]
    return np.stack([np.interp(at, times[ok], flat[:, j]) for j in range(flat.shape[1])], axis=1)


def with_cut_readings(record: MoveRecord, times: FloatArray, landmarks: FloatArray,
                      restarts: Sequence[tuple[FloatArray, FloatArray]]) -> MoveRecord:
    """The record with its cut readings (see ``MoveRecord.cut_entries``): ``times``/``landmarks`` are the clip's
    whole track, ``restarts[i]`` the clip tracked afresh from ``cut_starts(record)[i]`` to the move's end."""
    halves = np.asarray(record.count_times[::HALF_PHRASE], dtype=np.float64)
    if len(restarts) != halves.size - 1:
        raise MoveError(f"{len(restarts)} fresh tracks for {halves.size - 1} half phrases")
    whole_after = _poses_at(times, landmarks, halves + CUT_MARGIN_S)
    whole_before = _poses_at(times, landmarks, halves - CUT_MARGIN_S)
    if whole_after is None or whole_before is None:
        raise MoveError("the dancer is visible in fewer than two frames")
    entries: list[tuple[tuple[float, ...], ...]] = []
    exits: list[tuple[tuple[tuple[float, ...], ...], ...]] = []
    for i, (r_times, r_landmarks) in enumerate(restarts):
        body, _ = normalised_body(r_landmarks)
        ok = np.nonzero(np.all(np.isfinite(body.reshape(body.shape[0], -1)), axis=1))[0]
        fresh_first = body[ok[0]].reshape(-1) if ok.size else None
        fresh_before = _poses_at(r_times, r_landmarks, halves[i + 1:] - CUT_MARGIN_S)
        entry = [whole_after[i]] + ([fresh_first] if fresh_first is not None else [])
        entries.append(tuple(tuple(float(v) for v in p) for p in entry))
        ends = []
        for n, j in enumerate(range(i + 1, halves.size)):
            reads = [whole_before[j]] + ([fresh_before[n]] if fresh_before is not None else [])
            ends.append(tuple(tuple(float(v) for v in p) for p in reads))
        exits.append(tuple(ends))
    return replace(record, cut_entries=tuple(entries), cut_exits=tuple(exits))


def pose_distance(a: Sequence[float], b: Sequence[float]) -> float:
    """Mean joint distance (torso lengths) between two normalised BODY poses."""
    pa = np.asarray(a, dtype=np.float64).reshape(-1, 2)
    pb = np.asarray(b, dtype=np.float64).reshape(-1, 2)
    return float(np.mean(np.linalg.norm(pa - pb, axis=1)))
