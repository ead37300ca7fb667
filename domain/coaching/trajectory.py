"""The golfer's body as the swing detector and the checks read it: hands, shoulders, hips, head, in torso lengths.

Every length is divided by the torso length (mid-shoulder to mid-hip, median over the detected frames; see
``domain.analysis.geometry``), so nothing depends on how large the golfer appears. Heights are measured upwards
(image y points down). Gaps where no person was detected are filled by linear interpolation and the series are
smoothed with a Gaussian of ``SMOOTH_S`` seconds: pose jitter at 30 fps is a few pixels per frame, which would
otherwise create false reversals of the hands' path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from scipy.ndimage import gaussian_filter1d

from domain.analysis.geometry import midpoint, torso_lengths
from domain.analysis.pose import FloatArray, Landmark, PoseTrack
from domain.coaching.errors import NoSwingFound

L = Landmark
SMOOTH_S: Final = 0.04  # Gaussian sigma in seconds (1.2 frames at 30 fps)
MIN_DETECTED_SHARE: Final = 0.6


@dataclass(frozen=True, slots=True)
class BodyTrajectory:
    """Smoothed (T, 2) paths in image pixels, plus the frame rate and body scale they were measured at."""

    times: FloatArray
    fps: float
    torso: float  # pixels
    hands: FloatArray  # mean of both wrists: they hold the same club
    shoulders: FloatArray  # mid-shoulder
    hips: FloatArray  # mid-hip
    head: FloatArray  # nose
    xy: FloatArray  # (T, 33, 2) gap-filled, smoothed landmarks

    @property
    def frame_count(self) -> int:
        return int(self.times.shape[0])

    def hand_height(self) -> FloatArray:
        """Hands above the mid-shoulder, in torso lengths (negative: below the shoulders)."""
        return np.asarray((self.shoulders[:, 1] - self.hands[:, 1]) / self.torso, dtype=np.float64)

    def hand_speed(self) -> FloatArray:
        """Speed of the hands in torso lengths per second (central differences)."""
        v = np.gradient(self.hands, self.times, axis=0) / self.torso
        return np.asarray(np.hypot(v[:, 0], v[:, 1]), dtype=np.float64)


def _fill_gaps(values: FloatArray) -> FloatArray:
    """Linear interpolation over NaN frames, per column; edges hold the nearest value."""
    out = values.reshape(values.shape[0], -1).copy()
    idx = np.arange(out.shape[0])
    for c in range(out.shape[1]):
        col = out[:, c]
        ok = np.isfinite(col)
        if ok.any() and not ok.all():
            out[:, c] = np.interp(idx, idx[ok], col[ok])
    return out.reshape(values.shape)


def body_trajectory(track: PoseTrack) -> BodyTrajectory:
    """Paths of the body parts the swing is read from; NoSwingFound when the golfer is rarely seen."""
    if track.frame_count < 10:
        raise NoSwingFound(f"the clip holds {track.frame_count} frames; a swing needs at least 10")
    detected = track.detected()
    share = float(detected.mean())
    if share < MIN_DETECTED_SHARE:
        raise NoSwingFound(f"a golfer was seen in {share:.0%} of the frames; at least "
                           f"{MIN_DETECTED_SHARE:.0%} are needed to follow a swing")
    xy = track.landmarks[:, :, :2].copy()
    xy[~detected] = np.nan
    xy = _fill_gaps(xy)
    fps = track.sample_rate
    sigma = max(0.5, SMOOTH_S * fps)
    xy = np.asarray(gaussian_filter1d(xy, sigma, axis=0, mode="nearest"), dtype=np.float64)
    torso = float(np.median(torso_lengths(xy[detected])))
    if not np.isfinite(torso) or torso <= 1.0:
        raise NoSwingFound("the golfer's torso could not be measured in the pose track")
    return BodyTrajectory(
        times=track.timestamps.astype(np.float64),
        fps=fps,
        torso=torso,
        hands=midpoint(xy, L.LEFT_WRIST, L.RIGHT_WRIST),
        shoulders=midpoint(xy, L.LEFT_SHOULDER, L.RIGHT_SHOULDER),
        hips=midpoint(xy, L.LEFT_HIP, L.RIGHT_HIP),
        head=xy[:, L.NOSE, :],
        xy=xy,
    )
