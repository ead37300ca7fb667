"""Generated demo moves: an animated figure dancing bachata figures, for a fresh install without real clips.

There are no couple clips we may ship, so a fresh install builds a small demo library from a figure whose motion
is written down here, step by step, and says so: every clip id starts with ``demo_`` and the README names them.
Its pose is known by construction (BlazePose's 33 landmarks in pixels), so the library's records are measured on
that track by the same code that measures a captured clip (counts on the figure's own steps, energy, embedding,
cut poses); only the camera and the pose estimator are left out. A studio replaces it with its own clips
(``ingest-moves``).

The steps follow how bachata's basic is taught: three weight changes and a tap per half phrase (counts 1-2-3,
tap on 4; 5-6-7, tap on 8), travelling to one side and back. Every movement eases in and out within its count
(smoothstep), so the figure's joints stop on each count, where the rhythm measure's motion beats fall.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

WIDTH, HEIGHT = 640, 360
LEAD_IN_S = 0.25  # the figure stands still this long before count 1
# Body proportions in pixels at 360 px height (about a person filling 85 % of the frame).
_TORSO, _THIGH, _SHIN, _UPPER_ARM, _FOREARM, _NECK = 78.0, 62.0, 60.0, 44.0, 40.0, 30.0
_SHOULDER_HALF, _HIP_HALF = 26.0, 16.0
_STEP = 22.0  # sideways travel per weight change


@dataclass(frozen=True, slots=True)
class DemoMove:
    clip_id: str
    move_label: str
    tempo_bpm: float
    counts: int
    energy_level: str  # low | medium | high
    difficulty: str  # low | medium | high
    step_scale: float = 1.0  # how far each weight change travels
    arms: str = "frame"  # frame | open | circles | high
    turn_counts: tuple[int, ...] = ()  # counts (0-based) that hold a full turn, spread over them
    hip_roll: float = 0.0  # hip circle radius (px) per half phrase
    body_wave: float = 0.0  # chest sway (px) rolling through each half phrase
    kicks: float = 0.0  # foot flick height (px) on each step: footwork


DEMO_MOVES: tuple[DemoMove, ...] = (
    DemoMove("demo_intro", "intros", 124.0, 16, "low", "low", step_scale=0.3, arms="open"),
    DemoMove("demo_side_basic", "basic", 126.0, 16, "medium", "low"),
    DemoMove("demo_small_basic", "basic", 120.0, 16, "low", "low", step_scale=0.5),
    DemoMove("demo_spin", "spin", 128.0, 16, "medium", "medium", turn_counts=(12, 13, 14, 15)),
    DemoMove("demo_lady_turn", "ladyturn", 126.0, 16, "medium", "medium", arms="high", turn_counts=(4, 5, 6)),
    DemoMove("demo_arm_circles", "arm_styling", 122.0, 16, "medium", "medium", arms="circles"),
    DemoMove("demo_footwork", "footwork", 132.0, 16, "high", "high", kicks=28.0),
    DemoMove("demo_body_wave", "bodywaves", 118.0, 16, "low", "medium", step_scale=0.4, body_wave=14.0),
    DemoMove("demo_hip_roll", "hiprolls", 120.0, 16, "low", "medium", step_scale=0.4, hip_roll=8.0),
    DemoMove("demo_golpes", "golpes", 130.0, 16, "high", "medium", step_scale=0.7, kicks=14.0, arms="open"),
    DemoMove("demo_outro", "outro", 118.0, 16, "low", "low", step_scale=0.3, arms="open"),
)


def _smooth(x: FloatArray) -> FloatArray:
    """Smoothstep on 0..1: zero speed at both ends."""
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def duration_of(move: DemoMove) -> float:
    return LEAD_IN_S + (move.counts + 1) * 60.0 / move.tempo_bpm


def demo_track(move: DemoMove, fps: float) -> tuple[FloatArray, FloatArray]:
    """(times, (T, 33, 4) landmarks: x, y in pixels of a WIDTH x HEIGHT frame, z 0, visibility 0.99)."""
    period = 60.0 / move.tempo_bpm
    times = np.arange(0.0, duration_of(move), 1.0 / fps)
    c = np.maximum(times - LEAD_IN_S, 0.0) / period  # counts since count 1
    n = np.minimum(np.floor(c), move.counts).astype(int)  # which count (0-based)
    frac = np.where(c >= move.counts, 1.0, c - np.floor(c))
    ease = _smooth(frac)
    ce = np.minimum(n + ease, move.counts)  # counts eased: every movement below stops on each count
    pulse = np.sin(np.pi * frac) ** 2 * (n < move.counts)  # 0 -> 1 -> 0 within a count, still at both ends
    beat_in_half = n % 4  # 0, 1, 2: weight changes; 3: tap
    direction = np.where((n // 4) % 2 == 0, -1.0, 1.0)  # the first half phrase travels left, the next right
    travelling = (beat_in_half < 3) & (n < move.counts)
    # the hip's side position: steps completed in this half phrase plus the eased part of the current one
    done = np.minimum(beat_in_half, 3) + np.where(travelling, ease, 0.0)
    start_x = np.where(direction < 0, 1.5, -1.5) * _STEP * move.step_scale
    hip_x = WIDTH / 2 + start_x + direction * done * _STEP * move.step_scale
    hip_y = np.full(times.size, 200.0) + 3.0 * pulse  # a bounce on each step
    # the tap lifts the free foot; footwork and golpes flick on every count
    lift = np.where(~travelling, 12.0, move.kicks) * pulse
    theta = np.zeros(times.size)  # facing angle: 0 faces the camera
    if move.turn_counts:
        first, last = min(move.turn_counts), max(move.turn_counts) + 1
        theta = 2.0 * np.pi * np.clip((ce - first) / (last - first), 0.0, 1.0)
    hip_x = hip_x + move.hip_roll * np.sin(2.0 * np.pi * ce / 4.0)
    hip_y = hip_y + move.hip_roll * 0.5 * np.cos(2.0 * np.pi * ce / 4.0)
    chest_dx = move.body_wave * np.sin(2.0 * np.pi * ce / 4.0)
    chest_dy = 0.4 * move.body_wave * np.sin(2.0 * np.pi * ce / 4.0 + np.pi / 2.0)
    width = np.cos(theta)  # a turning body's width foreshortens in a front view

    lm = np.zeros((times.size, 33, 4))
    lm[:, :, 3] = 0.99
    sh_y = hip_y - _TORSO + chest_dy
    sh_x = hip_x + chest_dx
    lm[:, 11, 0], lm[:, 12, 0] = sh_x + _SHOULDER_HALF * width, sh_x - _SHOULDER_HALF * width
    lm[:, 11, 1] = lm[:, 12, 1] = sh_y
    lm[:, 23, 0], lm[:, 24, 0] = hip_x + _HIP_HALF * width, hip_x - _HIP_HALF * width
    lm[:, 23, 1] = lm[:, 24, 1] = hip_y
    # feet: the left foot leads leftward travel and the right foot rightward; the free foot is lifted
    free_left = direction > 0  # travelling right, the left foot trails and taps
    for side, hip_j, knee_j, ankle_j, heel_j, toe_j in ((1.0, 23, 25, 27, 29, 31), (-1.0, 24, 26, 28, 30, 32)):
        foot_x = lm[:, hip_j, 0] + side * 4.0 * width
        is_free = free_left if side > 0 else ~free_left
        foot_y = np.full(times.size, 200.0 + _THIGH + _SHIN) - np.where(is_free, lift, 0.0)
        knee_x = 0.5 * (lm[:, hip_j, 0] + foot_x) + side * 5.0 * width
        knee_y = 0.5 * (lm[:, hip_j, 1] + foot_y) - np.where(is_free, 0.3 * lift, 0.0)
        lm[:, knee_j, 0], lm[:, knee_j, 1] = knee_x, knee_y
        lm[:, ankle_j, 0], lm[:, ankle_j, 1] = foot_x, foot_y
        lm[:, heel_j, 0], lm[:, heel_j, 1] = foot_x - side * 3.0 * width, foot_y + 5.0
        lm[:, toe_j, 0], lm[:, toe_j, 1] = foot_x + side * 8.0 * width, foot_y + 8.0
    # arms
    for side, sh_j, el_j, wr_j, hand in ((1.0, 11, 13, 15, (17, 19, 21)), (-1.0, 12, 14, 16, (18, 20, 22))):
        sx, sy = lm[:, sh_j, 0], lm[:, sh_j, 1]
        if move.arms == "open":
            angle = np.full(times.size, 0.9) + 0.1 * np.sin(2.0 * np.pi * ce / 8.0)  # radians from straight down
            ex, ey = sx + side * _UPPER_ARM * np.sin(angle) * width, sy + _UPPER_ARM * np.cos(angle)
            wx, wy = ex + side * _FOREARM * np.sin(angle + 0.3) * width, ey + _FOREARM * np.cos(angle + 0.3)
        elif move.arms == "high" or (move.arms == "circles" and side > 0):
            phase = 2.0 * np.pi * ce / 4.0 if move.arms == "circles" else np.full(times.size, 0.0)
            ex, ey = sx + side * 18.0 * width, sy - 30.0
            wx = ex + side * 6.0 * width + 18.0 * np.sin(phase)
            wy = ey - 32.0 + 10.0 * np.cos(phase)
        else:  # the closed hold: elbows down, forearms forward towards the partner
            ex, ey = sx + side * 10.0 * width, sy + _UPPER_ARM
            wx, wy = ex + side * 14.0 * width, ey - 12.0 + 4.0 * np.sin(2.0 * np.pi * ce / 4.0)
        lm[:, el_j, 0], lm[:, el_j, 1] = ex, ey
        lm[:, wr_j, 0], lm[:, wr_j, 1] = wx, wy
        for k, j in enumerate(hand):
            lm[:, j, 0], lm[:, j, 1] = wx + side * (3.0 + 2.0 * k) * width, wy + 6.0 + 2.0 * k
    # head and face around a point above the shoulders
    head_x, head_y = sh_x, sh_y - _NECK
    face = np.sin(theta)  # the face turns with the body
    offsets = {0: (0.0, 0.0), 1: (3.0, -4.0), 2: (5.0, -4.0), 3: (7.0, -4.0), 4: (-3.0, -4.0), 5: (-5.0, -4.0),
               6: (-7.0, -4.0), 7: (11.0, -2.0), 8: (-11.0, -2.0), 9: (3.0, 6.0), 10: (-3.0, 6.0)}
    for j, (dx, dy) in offsets.items():
        lm[:, j, 0] = head_x + dx * width + 8.0 * face
        lm[:, j, 1] = head_y + dy
    return times, lm
