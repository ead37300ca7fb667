"""Body-normalised trajectories of one dancer for describing steps.

- Frames without a dancer (presence < 0.5 or NaN) are filled by linear interpolation from their neighbours; the
  share that was filled is kept so a step seen mostly through gaps can say so.
- Image coordinates are divided by the median torso length (mid-shoulder to mid-hip, see
  :mod:`domain.analysis.geometry`), so every figure is in torso lengths and independent of camera distance.
- Trajectories are low-passed at 6 Hz (4th-order zero-phase Butterworth; Winter, D.A. (2009) "Biomechanics and Motor
  Control of Human Movement", 4th ed., ch. 3: the usual cut-off for limb kinematics) to remove detector jitter.
- Joint speed: the mean over the body joints of |d position / dt|, torso lengths per second.
- Facing (yaw) comes from the shoulder line in the estimator's metric world frame (x right, z away from the camera):
  ``yaw = atan2(z_L - z_R, x_L - x_R)``; 0 deg faces the camera, +90 deg shows the dancer's left side turned away
  (the dancer turned to their left). Unwrapped over time, its change is the amount of turning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
from scipy.signal import butter, sosfiltfilt

from domain.analysis.geometry import BODY_JOINTS, torso_lengths
from domain.analysis.pose import FloatArray, Landmark, PoseTrack
from domain.breakdown.errors import BreakdownFailed

L = Landmark
CUTOFF_HZ: Final = 6.0
MIN_COVERAGE: Final = 0.5


@dataclass(frozen=True, slots=True)
class Body:
    times: FloatArray  # (T,) seconds
    fs: float
    xy: FloatArray  # (T, 33, 2) torso lengths, image axes (x right, y down), not centred
    world: FloatArray  # (T, 33, 3) metres, hip-centred
    filled: npt.NDArray[np.bool_]  # (T,) frames interpolated (no dancer detected there)
    scale_px: float
    speed: FloatArray  # (T,) mean body-joint speed, torso lengths / s
    yaw_deg: FloatArray  # (T,) unwrapped facing angle

    @property
    def coverage(self) -> float:
        return float(1.0 - self.filled.mean()) if self.filled.size else 0.0


def _fill(values: FloatArray, good: npt.NDArray[np.bool_]) -> FloatArray:
    """Linear interpolation over the frames that are not good, per column of (T, K)."""
    idx = np.arange(values.shape[0])
    out = values.copy()
    for k in range(values.shape[1]):
        col = values[:, k]
        ok = good & np.isfinite(col)
        out[:, k] = np.interp(idx, idx[ok], col[ok]) if ok.any() else 0.0
    return out


def _lowpass(values: FloatArray, fs: float) -> FloatArray:
    fc = min(CUTOFF_HZ, 0.4 * fs)
    if values.shape[0] < 16:
        return values
    sos = butter(4, fc, btype="low", fs=fs, output="sos")
    return np.asarray(sosfiltfilt(sos, values, axis=0), dtype=np.float64)


def prepare(track: PoseTrack) -> Body:
    if track.frame_count < 8:
        raise BreakdownFailed("the video is too short to see any movement")
    good = track.detected()
    if good.mean() < MIN_COVERAGE:
        raise BreakdownFailed(
            f"a dancer is visible in only {100 * good.mean():.0f} % of the video; at least "
            f"{100 * MIN_COVERAGE:.0f} % is needed"
        )
    t = track.timestamps.astype(np.float64)
    fs = track.sample_rate
    raw = track.landmarks[:, :, :2].reshape(t.shape[0], -1)
    scale = float(np.median(torso_lengths(track.landmarks[good, :, :2])))
    if not np.isfinite(scale) or scale <= 1.0:
        raise BreakdownFailed("the dancer's body is too small in the picture to measure")
    xy = _lowpass(_fill(raw, good), fs).reshape(-1, 33, 2) / scale
    world = _lowpass(_fill(track.world.reshape(t.shape[0], -1), good), fs).reshape(-1, 33, 3)
    joints = xy[:, list(BODY_JOINTS), :]
    vel = np.gradient(joints, t, axis=0)
    speed = np.asarray(np.linalg.norm(vel, axis=2).mean(axis=1), dtype=np.float64)
    shoulder = world[:, L.LEFT_SHOULDER] - world[:, L.RIGHT_SHOULDER]
    yaw = np.degrees(np.unwrap(np.arctan2(shoulder[:, 2], shoulder[:, 0])))
    return Body(times=t, fs=fs, xy=xy, world=world, filled=~good, scale_px=scale, speed=speed,
                yaw_deg=np.asarray(yaw, dtype=np.float64))
