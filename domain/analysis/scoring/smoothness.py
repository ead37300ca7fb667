"""Smoothness (0-25): log dimensionless jerk (LDLJ) of the joints' movement, on a fixed time unit.

Dimensionless jerk (Hogan & Sternad (2009) "Sensitivity of smoothness measures to movement
duration, amplitude, and arrests", J. Motor Behavior 41(6):529-534), in its velocity-based form
(Balasubramanian et al. (2015) "On the analysis of movement smoothness", J. NeuroEng. Rehabil.
12:112)::

    DJ = (T^3 / v_peak^2) * integral_0^T |d^2 v / dt^2|^2 dt ,      LDLJ = -ln(DJ)

is defined for one discrete movement of duration T. A dance is a chain of movements; here T is a
fixed unit of ``T = 0.5 s`` (one movement of a limb at a moderate pace), the integral over one unit is
``T * mean|jerk|^2`` over a window, and v_peak^2 is replaced by the mean square speed, which unlike a
peak does not jump with a single noisy frame::

    DJ = T^4 * mean_t |d^3 p / dt^3|^2 / mean_t |d p / dt|^2

T is not the beat period any more: with T taken from the declared tempo, the same clip scored 4.2 at
40 BPM and 15.0 at 120 BPM (the scale below stretches with T^4), so the score followed the tempo
asked for, not the movement. With a fixed T, smoothness is a property of the movement alone; the
windows are in seconds too. For a limb swinging sinusoidally once a second DJ = pi^4 (LDLJ = -4.6)
at any size; every sharper stop, tremor or jitter adds jerk power at higher frequencies (weighted by
f^4) and lowers LDLJ, and so does hurrying (a swing twice as fast has 16 times the jerk per speed).
It is computed per body joint on the low-pass filtered, body-normalised
landmarks (zero-phase 4th-order Butterworth at 6 Hz, see :mod:`.prepare`; derivatives by central
differences, 3 samples trimmed at each window edge) in windows of 4 s (hop 2 s) inside each
stretch of detected pose, and averaged with weights equal to each joint's RMS speed: a joint that
barely moves shows detector noise, not dance.

SPARC (spectral arc length, same paper) was tried first; it is scale free in frequency and so
barely tells detector jitter from dance once both are low-pass filtered, and adding jitter could
even raise it, so LDLJ is used.

Points. Two references are computed exactly for the track's sample rate ``fs`` and the unit T,
through the same filter and central differences (power gains ``G(f) = |H(f)|^4`` of the forward-
backward Butterworth, ``D(f) = (fs * sin(2 pi f / fs))^2`` of one central difference):

- ``L_sine``: a sinusoid at one cycle per two units, ``f0 = 1 / (2T) = 1 Hz``:
  ``L_sine = -ln(T^4 * D(f0)^2)`` (-4.6 at high frame rates);
- ``L_jitter``: white detector noise, ``-ln(T^4 * sum G D^3 / sum G D)`` (-9.9 at 30 frames/s,
  -7.7 at 15 frames/s for T = 0.5 s).

::

    top    = L_sine - 1.0            # a swing with a bounce and elbow bends still reaches ~23-25
    bottom = L_jitter + 0.5          # pure jitter (and anything as jerky) scores 0
    top    = max(top, bottom + 1.0)  # when fs is too low for the tempo, keep a 1.0 wide scale
    smoothness = 25 * clip((LDLJ - bottom) / (top - bottom), 0, 1)

So a still body with jitter scores 0 at any frame rate, adding jitter can only lower the score,
and neither the music's tempo nor ``target_bpm`` enters the score. A body with no measurable movement at all (RMS joint
speed below 0.02 torso lengths/s) scores 0 too.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from scipy.signal import sosfreqz

from domain.analysis.geometry import BODY_JOINTS, LIMB_WORDS, LIMBS
from domain.analysis.pose import FloatArray
from domain.analysis.scoring._util import when
from domain.analysis.scoring.model import SubScore
from domain.analysis.scoring.prepare import PreparedTrack, lowpass_sos

MAX_POINTS: Final = 25.0
TOP_BELOW_SINE: Final = 1.0
BOTTOM_ABOVE_JITTER: Final = 0.5
MIN_SCALE: Final = 1.0
UNIT_S: Final = 0.5  # T, seconds
WINDOW_S: Final = 4.0
HOP_S: Final = 2.0
TRIM: Final = 3
STILL_SPEED: Final = 0.02


def _diff_power(f: FloatArray, fs: float) -> FloatArray:
    """Power gain of one central difference (numpy.gradient) at frequencies f."""
    return np.asarray((fs * np.sin(2.0 * np.pi * f / fs)) ** 2, dtype=np.float64)


def calibration(fs: float, period: float) -> tuple[float, float]:
    """(bottom, top) of the LDLJ scale for sample rate fs and beat period (see the module docstring)."""
    f = np.linspace(0.0, fs / 2.0, 4097)[1:]
    _, h = sosfreqz(lowpass_sos(fs), worN=f, fs=fs)
    gain = np.abs(h) ** 4
    d = _diff_power(f, fs)
    jitter = -np.log(period**4 * float(np.sum(gain * d**3)) / float(np.sum(gain * d)))
    d0 = float(_diff_power(np.array([0.5 / period]), fs)[0])
    sine = -np.log(period**4 * d0**2)
    bottom = float(jitter) + BOTTOM_ABOVE_JITTER
    top = max(float(sine) - TOP_BELOW_SINE, bottom + MIN_SCALE)
    return bottom, top


def _windows(a: int, b: int, fs: float) -> list[tuple[int, int]]:
    w = round(WINDOW_S * fs)
    hop = round(HOP_S * fs)
    if b - a <= w:
        return [(a, b)]
    starts = list(range(a, b - w + 1, hop))
    if starts[-1] + w < b:  # cover the tail too
        starts.append(b - w)
    return [(s, s + w) for s in starts]


def score_smoothness(p: PreparedTrack) -> SubScore:
    period = UNIT_S
    joints = list(BODY_JOINTS)
    dt = 1.0 / p.fs
    # (LDLJ of the window, weight, start, stop, LDLJ per joint)
    windows: list[tuple[float, float, int, int, dict[int, float]]] = []
    total_ms, total_n = 0.0, 0
    for a, b in p.segments:
        for wa, wb in _windows(a, b, p.fs):
            if wb - wa <= 2 * TRIM + 2:
                continue
            x = p.xy[wa:wb][:, joints]
            vel = np.gradient(x, dt, axis=0)
            jerk = np.gradient(np.gradient(vel, dt, axis=0), dt, axis=0)
            inner = slice(TRIM, -TRIM)
            ms_v = np.sum(vel[inner] ** 2, axis=-1).mean(axis=0)  # (J,)
            ms_j = np.sum(jerk[inner] ** 2, axis=-1).mean(axis=0)
            total_ms += float(np.sum(ms_v)) * (wb - wa)
            total_n += len(joints) * (wb - wa)
            moving = ms_v > 1e-12
            if not np.any(moving):
                continue
            ldlj = -np.log(period**4 * ms_j[moving] / ms_v[moving] + 1e-300)
            weights = np.sqrt(ms_v[moving])
            per_joint = {j: float(v) for j, v in zip(np.asarray(joints)[moving], ldlj, strict=True)}
            windows.append((float(np.average(ldlj, weights=weights)), float(np.sum(weights)), wa, wb, per_joint))

    rms_speed = float(np.sqrt(total_ms / max(total_n, 1)))
    metrics: dict[str, float] = {
        "smoothness_windows": float(len(windows)),
        "rms_joint_speed": rms_speed,
        "jerk_unit_s": period,
    }
    if not windows or rms_speed < STILL_SPEED:
        return SubScore(0.0, metrics, ("There was too little movement to judge smoothness.",))

    # Windows count by their movement (weight * length), like the joints inside them.
    value = float(np.average([w[0] for w in windows], weights=[w[1] * (w[3] - w[2]) for w in windows]))
    bottom, top = calibration(p.fs, period)
    points = MAX_POINTS * float(np.clip((value - bottom) / (top - bottom), 0.0, 1.0))
    metrics.update(ldlj=value, ldlj_jitter_floor=bottom - BOTTOM_ABOVE_JITTER, ldlj_full_marks=top)

    feedback: list[str] = []
    worst = min(windows, key=lambda w: w[0])
    limb_values = {
        limb: float(np.mean([worst[4][j] for j in idx if j in worst[4]]))
        for limb, idx in LIMBS.items()
        if any(j in worst[4] for j in idx)
    }
    if len(windows) > 1 and worst[0] < value - 0.25 and limb_values:
        limb = min(limb_values, key=lambda k: limb_values[k])
        feedback.append(
            f"Your movement was least smooth {when(p.times[worst[2]], p.times[worst[3] - 1])}, "
            f"most of all your {LIMB_WORDS[limb]}."
        )
    if points >= 20.0:
        feedback.append(f"Your movement flowed smoothly (log dimensionless jerk {value:.1f}).")
    elif points >= 10.0:
        feedback.append(f"Your movement was fairly smooth (log dimensionless jerk {value:.1f}); aim for fewer jolts.")
    else:
        feedback.append(
            f"Your movement was jerky (log dimensionless jerk {value:.1f}); connect the moves into continuous paths."
        )
    return SubScore(points, metrics, tuple(feedback))
