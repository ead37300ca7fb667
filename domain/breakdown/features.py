"""What each body part measurably does during one step.

All lengths are in torso lengths (see :mod:`domain.breakdown.kinematics`), angles in degrees, times in seconds.
Sides are the dancer's own (BlazePose labels the subject's left and right); travel across the picture is "screen
left/right". Image y points down, so "higher" means smaller y.

- Head tilt: angle of the ear line against the shoulder line; positive when the left ear is higher (the head leans
  to the dancer's right). Head turn: nose offset from the ear midpoint over half the ear distance, as
  ``asin`` of that ratio (positive toward screen right).
- Arm raise: shoulder height minus wrist height; reach: wrist-to-shoulder distance; travel: path length of the
  wrist relative to the hips.
- Shoulder tilt: shoulder line against the horizontal, positive when the left shoulder is higher.
- Torso lean: hip-midpoint -> shoulder-midpoint against the vertical, positive toward screen right; pitch from the
  world frame (forward/back bend), whose range marks a body roll.
- Hip sway: horizontal hip-midpoint offset from the midpoint of the feet; its reversals count side-to-side sways.
- Steps: separate peaks of one ankle's speed above ``STEP_SPEED`` torso lengths/s. Foot lift: how far an ankle rises
  above its own median height during the step; a jump lifts both feet and the hips at once.
- Weight: the centre of mass (de Leva 1996, :func:`domain.analysis.geometry.centre_of_mass`) between the feet,
  -1 over the right foot and +1 over the left (with the feet's screen order); crossings of +-0.3 count weight shifts.
- Smoothness: log dimensionless jerk of the joint-speed profile, ``-ln(T^3 / v_peak^2 * integral (d2v/dt2)^2 dt)``
  (Hogan, N. & Sternad, D. (2009) "Sensitivity of smoothness measures to movement duration, amplitude, and
  arrests", J. Motor Behavior 41(6)); higher is smoother.
- Symmetry: the smaller over the larger of left and right limb travel (1 = both sides alike).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from domain.analysis.geometry import centre_of_mass
from domain.analysis.pose import FloatArray, Landmark
from domain.breakdown.kinematics import Body
from domain.breakdown.rhythm import Grid

L = Landmark
STEP_SPEED: Final = 1.2
REVERSAL_MIN: Final = 0.08  # a reversal counts only after this much travel (torso lengths) in one direction
WEIGHT_HYSTERESIS: Final = 0.3


@dataclass(frozen=True, slots=True)
class Head:
    tilt_deg: float
    turn_deg: float
    bob: float  # vertical range of the nose relative to the shoulders
    nods: int


@dataclass(frozen=True, slots=True)
class Arm:
    raise_max: float  # > 0: the wrist went above the shoulder by this much
    raised_share: float  # share of the step with the wrist above the shoulder
    reach_max: float
    travel: float
    vertical_reversals: int


@dataclass(frozen=True, slots=True)
class Arms:
    left: Arm
    right: Arm

    @property
    def lead(self) -> str:
        lt, rt = self.left.travel, self.right.travel
        if max(lt, rt) < 0.3:
            return "none"
        if min(lt, rt) >= 0.7 * max(lt, rt):
            return "both"
        return "left" if lt > rt else "right"


@dataclass(frozen=True, slots=True)
class Shoulders:
    tilt_mean_deg: float
    tilt_range_deg: float
    lift_range: float  # range of the shoulder line's height relative to the hips (shrugs, bounces)


@dataclass(frozen=True, slots=True)
class Torso:
    lean_mean_deg: float
    lean_range_deg: float
    pitch_range_deg: float
    hip_sway: float  # half the range of the hip offset from the feet
    sway_reversals: int


@dataclass(frozen=True, slots=True)
class Legs:
    steps_left: int
    steps_right: int
    knee_bend_max_deg: float  # 180 - the smallest knee angle
    lift_left: float
    lift_right: float
    jump_height: float  # the smallest of both feet's lift at the same time, where the hips also rose
    travel_x: float  # net horizontal hip travel, + toward screen right
    level_range: float  # range of hip height
    level_change: float  # hip height at the end minus at the start, + = lower


@dataclass(frozen=True, slots=True)
class BodyAngle:
    facing_start_deg: float
    facing_end_deg: float
    turn_deg: float  # + turning to the dancer's left


@dataclass(frozen=True, slots=True)
class Weight:
    shifts: int
    start_side: str  # "left", "right", "centre"
    end_side: str


@dataclass(frozen=True, slots=True)
class Timing:
    start_count: int
    end_count: int  # count of the last beat inside the step
    beats: float
    stop_counts: tuple[int, ...]  # counts on which the movement pauses
    stop_offset_ms: float | None  # median distance of those pauses from their beat


@dataclass(frozen=True, slots=True)
class StepFeatures:
    start: float
    end: float
    head: Head
    arms: Arms
    shoulders: Shoulders
    torso: Torso
    legs: Legs
    body_angle: BodyAngle
    weight: Weight
    timing: Timing
    speed_mean: float
    speed_peak: float
    extent_w: float
    extent_h: float
    symmetry: float
    smoothness: float
    stability: float  # share of frames with the centre of mass between the feet (+ a quarter torso margin)
    coverage: float
    hip_y_start: float  # hip height in the picture at the step's first and last frames (torso lengths, y down)
    hip_y_end: float


def _angle(v: FloatArray) -> FloatArray:
    """Angle of image vectors (x right, y down) against the horizontal, + counter-clockwise as seen."""
    return np.asarray(np.degrees(np.arctan2(-v[..., 1], v[..., 0])), dtype=np.float64)


def reversals(x: FloatArray, min_travel: float = REVERSAL_MIN) -> int:
    """Direction reversals of a 1-D trajectory, ignoring wiggles smaller than ``min_travel``."""
    if x.shape[0] < 3:
        return 0
    count, direction, anchor = 0, 0, float(x[0])
    for v in x[1:]:
        d = float(v) - anchor
        if direction >= 0 and d <= -min_travel:
            count += direction > 0
            direction, anchor = -1, float(v)
        elif direction <= 0 and d >= min_travel:
            count += direction < 0
            direction, anchor = 1, float(v)
        elif (direction > 0 and v > anchor) or (direction < 0 and v < anchor):
            anchor = float(v)
    return int(count)


def _peaks_above(x: FloatArray, level: float) -> int:
    above = x > level
    return int(np.sum(above[1:] & ~above[:-1]) + (1 if above.size and above[0] else 0))


def _path(p: FloatArray) -> float:
    return float(np.sum(np.linalg.norm(np.diff(p, axis=0), axis=1))) if p.shape[0] > 1 else 0.0


def _arm(xy: FloatArray, shoulder: int, wrist: int, hips: FloatArray) -> Arm:
    rise = xy[:, shoulder, 1] - xy[:, wrist, 1]
    reach = np.linalg.norm(xy[:, wrist] - xy[:, shoulder], axis=1)
    rel = xy[:, wrist] - hips
    return Arm(raise_max=float(rise.max()), raised_share=float((rise > 0).mean()), reach_max=float(reach.max()),
               travel=_path(rel), vertical_reversals=reversals(rel[:, 1], 0.15))


def _side(w: float) -> str:
    return "left" if w > WEIGHT_HYSTERESIS else "right" if w < -WEIGHT_HYSTERESIS else "centre"


def _weight(xy: FloatArray) -> tuple[FloatArray, Weight]:
    com = centre_of_mass(xy)
    lf = xy[:, [L.LEFT_ANKLE, L.LEFT_HEEL, L.LEFT_FOOT_INDEX], 0].mean(axis=1)
    rf = xy[:, [L.RIGHT_ANKLE, L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX], 0].mean(axis=1)
    half = np.maximum(np.abs(lf - rf) / 2.0, 0.15)
    w = np.clip((com[:, 0] - (lf + rf) / 2.0) / half * np.sign(lf - rf + 1e-9), -2.0, 2.0)
    shifts, state = 0, 0
    for v in w:
        s = 1 if v > WEIGHT_HYSTERESIS else -1 if v < -WEIGHT_HYSTERESIS else 0
        if s != 0 and state != 0 and s != state:
            shifts += 1
        state = s or state
    inside = (com[:, 0] >= np.minimum(lf, rf) - 0.25) & (com[:, 0] <= np.maximum(lf, rf) + 0.25)
    return inside.astype(np.float64), Weight(shifts=shifts, start_side=_side(float(np.median(w[:3]))),
                                             end_side=_side(float(np.median(w[-3:]))))


def _ldlj(speed: FloatArray, fs: float) -> float:
    duration = speed.shape[0] / fs
    peak = float(speed.max())
    if speed.shape[0] < 5 or peak < 1e-6:
        return 0.0
    acc2 = np.gradient(np.gradient(speed, 1.0 / fs), 1.0 / fs)
    dlj = duration**3 / peak**2 * float(np.sum(acc2**2) / fs)
    return float(-np.log(max(dlj, 1e-12)))


def _timing(body: Body, m: npt.NDArray[np.bool_], grid: Grid, start_beat: float, end_beat: float) -> Timing:
    t, v = body.times[m], body.speed[m]
    stops: list[int] = []
    offsets: list[float] = []
    median = float(np.median(body.speed))
    for i in range(1, v.shape[0] - 1):
        if v[i] < v[i - 1] and v[i] <= v[i + 1] and v[i] < 0.6 * median:
            beat = grid.nearest_beat(float(t[i]))
            count = grid.count_of(beat)
            if not stops or stops[-1] != count:
                stops.append(count)
                offsets.append(abs(float(t[i]) - grid.time(beat)) * 1000.0)
    last = int(np.ceil(end_beat)) - 1
    return Timing(start_count=grid.count_of(int(np.floor(start_beat))), end_count=grid.count_of(max(last, 0)),
                  beats=end_beat - start_beat, stop_counts=tuple(stops),
                  stop_offset_ms=float(np.median(offsets)) if offsets else None)


def measure(body: Body, grid: Grid, start_beat: float, end_beat: float) -> StepFeatures:
    """Features of the step between two (fractional) beat positions of the grid."""
    t0, t1 = grid.time(start_beat), grid.time(end_beat)
    m = (body.times >= t0) & (body.times < t1)
    if m.sum() < 3:
        m = np.abs(body.times - 0.5 * (t0 + t1)) <= max(0.5 * (t1 - t0), 1.5 / body.fs)
    xy, world = body.xy[m], body.world[m]
    hips = 0.5 * (xy[:, L.LEFT_HIP] + xy[:, L.RIGHT_HIP])
    sh_mid = 0.5 * (xy[:, L.LEFT_SHOULDER] + xy[:, L.RIGHT_SHOULDER])
    shoulder_line = _angle(xy[:, L.LEFT_SHOULDER] - xy[:, L.RIGHT_SHOULDER])
    # A dancer facing the camera has the left shoulder on screen right; flip the sign convention when seen from behind
    # so "left shoulder higher" stays positive.
    shoulder_tilt = np.where(np.abs(shoulder_line) > 90, shoulder_line - np.sign(shoulder_line) * 180, shoulder_line)
    ear_line = _angle(xy[:, L.LEFT_EAR] - xy[:, L.RIGHT_EAR])
    ear_tilt = np.where(np.abs(ear_line) > 90, ear_line - np.sign(ear_line) * 180, ear_line)
    ear_mid = 0.5 * (xy[:, L.LEFT_EAR] + xy[:, L.RIGHT_EAR])
    half_ears = np.maximum(0.5 * np.linalg.norm(xy[:, L.LEFT_EAR] - xy[:, L.RIGHT_EAR], axis=1), 1e-3)
    head_turn = np.degrees(np.arcsin(np.clip((xy[:, L.NOSE, 0] - ear_mid[:, 0]) / half_ears, -1, 1)))
    nose_rel = xy[:, L.NOSE, 1] - sh_mid[:, 1]
    head = Head(tilt_deg=float(np.mean(ear_tilt - shoulder_tilt)), turn_deg=float(np.mean(head_turn)),
                bob=float(np.ptp(nose_rel)), nods=reversals(nose_rel, 0.06))
    arms = Arms(left=_arm(xy, L.LEFT_SHOULDER, L.LEFT_WRIST, hips), right=_arm(xy, L.RIGHT_SHOULDER, L.RIGHT_WRIST,
                                                                                 hips))
    shoulders = Shoulders(tilt_mean_deg=float(np.mean(shoulder_tilt)), tilt_range_deg=float(np.ptp(shoulder_tilt)),
                          lift_range=float(np.ptp(hips[:, 1] - sh_mid[:, 1])))
    lean = np.degrees(np.arctan2(sh_mid[:, 0] - hips[:, 0], hips[:, 1] - sh_mid[:, 1]))
    w_sh = 0.5 * (world[:, L.LEFT_SHOULDER] + world[:, L.RIGHT_SHOULDER])
    w_hip = 0.5 * (world[:, L.LEFT_HIP] + world[:, L.RIGHT_HIP])
    pitch = np.degrees(np.arctan2(w_sh[:, 2] - w_hip[:, 2], w_hip[:, 1] - w_sh[:, 1]))
    feet_mid = 0.5 * (xy[:, L.LEFT_ANKLE] + xy[:, L.RIGHT_ANKLE])
    sway = hips[:, 0] - feet_mid[:, 0]
    torso = Torso(lean_mean_deg=float(np.mean(lean)), lean_range_deg=float(np.ptp(lean)),
                  pitch_range_deg=float(np.ptp(pitch)), hip_sway=float(0.5 * np.ptp(sway)),
                  sway_reversals=reversals(sway, 0.06))
    legs = _legs(body, m, xy, hips)
    yaw = body.yaw_deg[m]
    angle = BodyAngle(facing_start_deg=float(np.mean(yaw[:3])), facing_end_deg=float(np.mean(yaw[-3:])),
                      turn_deg=float(np.mean(yaw[-3:]) - np.mean(yaw[:3])))
    inside, weight = _weight(xy)
    speed = body.speed[m]
    joints = xy[:, [L.NOSE, L.LEFT_WRIST, L.RIGHT_WRIST, L.LEFT_ANKLE, L.RIGHT_ANKLE]]
    left_travel = arms.left.travel + _path(xy[:, L.LEFT_ANKLE])
    right_travel = arms.right.travel + _path(xy[:, L.RIGHT_ANKLE])
    return StepFeatures(
        start=t0, end=t1, head=head, arms=arms, shoulders=shoulders, torso=torso, legs=legs, body_angle=angle,
        weight=weight, timing=_timing(body, m, grid, start_beat, end_beat),
        speed_mean=float(speed.mean()), speed_peak=float(speed.max()),
        extent_w=float(np.ptp(joints[..., 0])), extent_h=float(np.ptp(joints[..., 1])),
        symmetry=float(min(left_travel, right_travel) / max(left_travel, right_travel, 1e-9)),
        smoothness=_ldlj(speed, body.fs), stability=float(inside.mean()),
        coverage=float(1.0 - body.filled[m].mean()),
        hip_y_start=float(np.mean(hips[:3, 1])), hip_y_end=float(np.mean(hips[-3:, 1])),
    )


def _knee_angle(xy: FloatArray, hip: int, knee: int, ankle: int) -> FloatArray:
    a, b = xy[:, hip] - xy[:, knee], xy[:, ankle] - xy[:, knee]
    cos = np.sum(a * b, axis=1) / np.maximum(np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1), 1e-9)
    return np.asarray(np.degrees(np.arccos(np.clip(cos, -1, 1))), dtype=np.float64)


def _legs(body: Body, m: npt.NDArray[np.bool_], xy: FloatArray, hips: FloatArray) -> Legs:
    t = body.times[m]
    lifts = []
    steps = []
    for ankle in (L.LEFT_ANKLE, L.RIGHT_ANKLE):
        y = xy[:, ankle, 1]
        lifts.append(np.median(y) - y)  # + = above its usual height
        v = np.linalg.norm(np.gradient(xy[:, ankle], t, axis=0), axis=1) if t.shape[0] > 1 else np.zeros(1)
        steps.append(_peaks_above(v, STEP_SPEED))
    hip_rise = np.median(hips[:, 1]) - hips[:, 1]
    both = np.minimum(np.minimum(lifts[0], lifts[1]), hip_rise)
    bend = 180.0 - min(float(_knee_angle(xy, L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE).min()),
                       float(_knee_angle(xy, L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE).min()))
    return Legs(steps_left=steps[0], steps_right=steps[1], knee_bend_max_deg=bend,
                lift_left=float(lifts[0].max()), lift_right=float(lifts[1].max()), jump_height=float(both.max()),
                travel_x=float(hips[-1, 0] - hips[0, 0]), level_range=float(np.ptp(hips[:, 1])),
                level_change=float(np.mean(hips[-3:, 1]) - np.mean(hips[:3, 1])))
