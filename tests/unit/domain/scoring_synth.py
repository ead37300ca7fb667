"""Synthetic but anatomically plausible pose tracks for the scoring tests.

A stick figure in body units (torso length = 1, y down, hips at the origin, facing the camera so
the subject's left is on the picture's right) is animated by joint angles and mapped to pixels with
a given scale and position.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from domain.analysis.pose import NUM_LANDMARKS, BeatGrid, FloatArray, Landmark, PoseTrack

L = Landmark


@dataclass(frozen=True)
class Motion:
    """Angles (radians) and offsets (torso lengths) as functions of time are built from these."""

    bpm: float = 120.0
    duration: float = 10.0
    fps: float = 30.0
    arm_amp: float = 0.8  # swing of the upper arms
    leg_amp: float = 0.25
    elbow_amp: float = 0.4
    sway: float = 0.0  # lateral sway of the body over fixed feet (torso lengths)
    sway_hz: float = 0.5
    bounce: float = 0.05  # knee bend bounce on each beat
    travel: float = 0.0  # total lateral travel of the whole body over the clip (torso lengths)
    shift: float = 0.0  # delay of the whole motion against the beat (s)
    scale_px: float = 150.0  # torso length in pixels
    origin_px: tuple[float, float] = (640.0, 400.0)  # hip centre at t=0
    width: int = 1280
    height: int = 960


def _limb(start: FloatArray, angle: FloatArray, length: float, side: float) -> FloatArray:
    """End of a segment hanging down from ``start`` rotated by ``angle`` outward on ``side``."""
    return np.asarray(start + length * np.stack([side * np.sin(angle), np.cos(angle)], axis=-1), dtype=np.float64)


def body_pose(
    t: FloatArray,
    arm_l: FloatArray,
    arm_r: FloatArray,
    elbow_l: FloatArray,
    elbow_r: FloatArray,
    leg_l: FloatArray,
    leg_r: FloatArray,
    knee: FloatArray,
    sway: FloatArray,
    lean: FloatArray | None = None,
) -> FloatArray:
    """(T, 33, 2) body-unit poses from per-frame angles; feet stay put while the body sways."""
    n = t.size
    xy = np.zeros((n, NUM_LANDMARKS, 2))
    lean = np.zeros(n) if lean is None else lean
    hip = np.stack([sway, 0.15 * (1 - np.cos(knee))], axis=-1)
    up = np.stack([np.sin(lean), -np.cos(lean)], axis=-1)  # unit vector hips -> shoulders
    across = np.stack([np.cos(lean), np.sin(lean)], axis=-1)
    mid_sh = hip + up
    for side, sh, el, wr, hp, kn, an, he, fi, pk, ix, th, arm, elb, leg in (
        (
            1.0,
            L.LEFT_SHOULDER,
            L.LEFT_ELBOW,
            L.LEFT_WRIST,
            L.LEFT_HIP,
            L.LEFT_KNEE,
            L.LEFT_ANKLE,
            L.LEFT_HEEL,
            L.LEFT_FOOT_INDEX,
            L.LEFT_PINKY,
            L.LEFT_INDEX,
            L.LEFT_THUMB,
            arm_l,
            elbow_l,
            leg_l,
        ),
        (
            -1.0,
            L.RIGHT_SHOULDER,
            L.RIGHT_ELBOW,
            L.RIGHT_WRIST,
            L.RIGHT_HIP,
            L.RIGHT_KNEE,
            L.RIGHT_ANKLE,
            L.RIGHT_HEEL,
            L.RIGHT_FOOT_INDEX,
            L.RIGHT_PINKY,
            L.RIGHT_INDEX,
            L.RIGHT_THUMB,
            arm_r,
            elbow_r,
            leg_r,
        ),
    ):
        xy[:, sh] = mid_sh + side * 0.35 * across
        xy[:, el] = _limb(xy[:, sh], arm + lean * side, 0.6, side)
        xy[:, wr] = _limb(xy[:, el], arm + elb + lean * side, 0.55, side)
        for k, off in ((pk, -0.05), (ix, 0.05), (th, 0.08)):
            xy[:, k] = _limb(xy[:, wr], arm + elb + off, 0.17, side)
        xy[:, hp] = hip + side * 0.2 * across
        # Feet are planted: the ankle stays at its stance position, the knee follows the leg angle.
        # Small leg angles slide the foot sideways; large ones (kicks) lift it.
        ankle = np.stack([side * 0.25 + 0.6 * side * np.sin(leg), 1.7 - 0.8 * (1 - np.cos(leg))], axis=-1)
        xy[:, an] = ankle
        xy[:, kn] = 0.5 * (xy[:, hp] + ankle) + np.stack([side * 0.1 * np.sin(knee), np.zeros(n)], axis=-1)
        xy[:, he] = ankle + np.array([-side * 0.02, 0.08])
        xy[:, fi] = ankle + np.array([side * 0.12, 0.12])
    head = mid_sh + 0.35 * up
    xy[:, L.NOSE] = head
    for i, dx, dy in (
        (1, 0.04, -0.04),
        (2, 0.06, -0.04),
        (3, 0.08, -0.04),
        (4, -0.04, -0.04),
        (5, -0.06, -0.04),
        (6, -0.08, -0.04),
        (7, 0.12, -0.02),
        (8, -0.12, -0.02),
        (9, 0.03, 0.06),
        (10, -0.03, 0.06),
    ):
        xy[:, i] = head + np.array([dx, dy])
    return xy


def dance(m: Motion) -> tuple[FloatArray, FloatArray]:
    """Timestamps and body-unit poses of a swing dance: limbs reverse direction on every beat."""
    t = np.arange(round(m.duration * m.fps)) / m.fps
    # cos(2 pi f (t - shift)) with f = bpm / 120 reaches an extreme (speed 0) on every beat.
    ph = 2 * np.pi * (m.bpm / 120.0) * (t - m.shift)
    swing = np.cos(ph)
    xy = body_pose(
        t,
        arm_l=0.9 + m.arm_amp * swing,
        arm_r=0.9 - m.arm_amp * swing,
        elbow_l=m.elbow_amp * (1 + swing),
        elbow_r=m.elbow_amp * (1 - swing),
        leg_l=m.leg_amp * swing,
        leg_r=-m.leg_amp * swing,
        knee=m.bounce * np.cos(2 * ph),
        sway=m.sway * np.sin(2 * np.pi * m.sway_hz * (t - m.shift)),
    )
    xy[..., 0] += m.travel * (t / max(m.duration, 1e-9))[:, None]
    return t, xy


def varied_dance(seed: int, m: Motion, poses_count: int = 16) -> tuple[FloatArray, FloatArray]:
    """A sequence of random distinct poses, one per beat, eased between (speed 0 on each beat)."""
    rng = np.random.default_rng(seed)
    t = np.arange(round(m.duration * m.fps)) / m.fps
    beat = 60.0 / m.bpm
    keys = {
        "arm_l": rng.uniform(0.0, 2.8, poses_count),
        "arm_r": rng.uniform(0.0, 2.8, poses_count),
        "elbow_l": rng.uniform(0.0, 1.8, poses_count),
        "elbow_r": rng.uniform(0.0, 1.8, poses_count),
        "leg_l": rng.uniform(-0.3, 1.4, poses_count),
        "leg_r": rng.uniform(-0.3, 1.4, poses_count),
        "knee": rng.uniform(0.0, 1.2, poses_count),
        "lean": rng.uniform(-0.35, 0.35, poses_count),
    }
    u = (t - m.shift) / beat
    k = np.floor(u).astype(int)
    frac = u - k
    ease = 0.5 - 0.5 * np.cos(np.pi * frac)  # cosine easing: zero speed at each key pose
    angles = {name: v[k % poses_count] * (1 - ease) + v[(k + 1) % poses_count] * ease for name, v in keys.items()}
    xy = body_pose(t, sway=np.zeros_like(t), **angles)
    xy[..., 0] += m.travel * np.sin(2 * np.pi * t / m.duration)[:, None] / 2
    return t, xy


def to_track(
    t: FloatArray,
    xy: FloatArray,
    m: Motion,
    *,
    noise_px: float = 0.0,
    seed: int = 0,
    missing: npt.NDArray[np.bool_] | None = None,
    visibility: float = 0.95,
) -> PoseTrack:
    """Pixels: body units times ``scale_px`` around ``origin_px``; optional noise and missing frames."""
    px = xy * m.scale_px + np.asarray(m.origin_px)
    if noise_px > 0:
        px = px + np.random.default_rng(seed).normal(0.0, noise_px, px.shape)
    n = t.size
    lm = np.zeros((n, NUM_LANDMARKS, 4))
    lm[..., :2] = px
    lm[..., 3] = visibility
    presence = np.ones(n)
    world = np.zeros((n, NUM_LANDMARKS, 3))
    if missing is not None:
        lm[missing, :, :3] = np.nan
        lm[missing, :, 3] = 0.0
        world[missing] = np.nan
        presence[missing] = 0.0
    return PoseTrack(timestamps=t.copy(), landmarks=lm, world=world, presence=presence, width=m.width, height=m.height)


def dance_track(m: Motion, **kwargs: object) -> PoseTrack:
    t, xy = dance(m)
    return to_track(t, xy, m, **kwargs)  # type: ignore[arg-type]


def still_track(m: Motion, **kwargs: object) -> PoseTrack:
    return dance_track(replace(m, arm_amp=0.0, leg_amp=0.0, elbow_amp=0.0, bounce=0.0, sway=0.0), **kwargs)


def transform(track: PoseTrack, scale: float, dx: float, dy: float) -> PoseTrack:
    """The same track seen larger/smaller and elsewhere in the picture."""
    lm = track.landmarks.copy()
    lm[..., :3] *= scale
    lm[..., 0] += dx
    lm[..., 1] += dy
    return replace(track, landmarks=lm)


def mirror_track(track: PoseTrack) -> PoseTrack:
    """The track of the same dance seen in a mirror: x flipped, sides relabelled."""
    from domain.analysis.pose import MIRROR_PAIRS

    lm = track.landmarks.copy()
    lm[..., 0] = track.width - lm[..., 0]
    for a, b in MIRROR_PAIRS:
        lm[:, [a, b]] = lm[:, [b, a]]
    return replace(track, landmarks=lm)


def beat_grid(bpm: float, duration: float, offset: float = 0.0) -> BeatGrid:
    period = 60.0 / bpm
    return BeatGrid(tempo_bpm=bpm, beat_times=np.arange(offset, duration, period), source="audio")
