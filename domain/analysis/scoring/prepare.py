"""From a raw pose track to clean, body-normalised trajectories on a uniform time grid.

Steps and constants:

0. One dancer is followed (:mod:`domain.analysis.identity`): frames where the tracker was on another
   person are excluded, not spliced in; the people seen and the switches are reported.
1. A frame holds a dancer when ``presence >= 0.5`` and its coordinates are finite. The analysis
   needs ``coverage >= 50 %`` of frames and ``>= 2 s`` of detected pose, and a sample rate of at
   least 8 frames/s (beats 0.3-0.6 s apart cannot be timed more coarsely); otherwise it fails.
2. The track is resampled onto a uniform grid at its mean frame rate, frames over the seconds they
   span by the decoder's timestamps (phones record at a variable frame rate; the median gap of 15
   frames/s taken from a 24 frames/s source says 12). Seconds of detected pose are the seconds each
   detected frame stands for (half the gap to each neighbour), so they never exceed the video.
   Gaps of up to ``MAX_GAP_S = 0.2 s`` (about 6 frames at 30 fps; a blink of
   the detector) are bridged by linear interpolation; longer gaps stay missing and split the track
   into segments that are analysed separately.
3. Coordinates are shifted by the median hip centre and divided by the median torso length
   (see :mod:`domain.analysis.geometry`), so every score is invariant to where and how large the
   dancer appears.
4. Each segment is low-pass filtered with a zero-phase 4th-order Butterworth filter (applied
   forward and backward, scipy ``sosfiltfilt``) at ``fc = min(6 Hz, 0.4 * fs)``. 6 Hz is the
   cut-off Winter recommends for human limb kinematics (Winter, D.A. (2009) "Biomechanics and Motor
   Control of Human Movement", 4th ed., ch. 3); it removes detector jitter while keeping dance
   movement (mostly below 4 Hz).
5. Confidence = coverage * mean visibility of the body joints in detected frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
from scipy.signal import butter, sosfiltfilt

from domain.analysis.errors import AnalysisFailed
from domain.analysis.geometry import BODY_JOINTS, hip_centre, torso_lengths
from domain.analysis.identity import follow_main_person
from domain.analysis.pose import FloatArray, PoseTrack
from domain.analysis.scoring._util import runs

MIN_COVERAGE: Final = 0.5
MIN_DETECTED_S: Final = 2.0
MIN_SAMPLE_RATE: Final = 8.0
MAX_GAP_S: Final = 0.2
CUTOFF_HZ: Final = 6.0
MIN_SEGMENT_S: Final = 0.5  # shorter runs of frames are too short to filter or time


@dataclass(frozen=True, slots=True)
class PreparedTrack:
    times: FloatArray  # (N,) uniform grid, seconds
    fs: float  # grid rate, frames per second
    xy: FloatArray  # (N, 33, 2) filtered, normalised (torso lengths, y down); NaN where missing
    valid: npt.NDArray[np.bool_]  # (N,)
    segments: tuple[tuple[int, int], ...]  # [start, stop) index runs of valid frames
    scale_px: float  # torso length in pixels
    coverage: float  # share of the original frames with a dancer
    visibility: float  # mean visibility of the body joints in detected frames
    detected_s: float
    duration_s: float = 0.0  # span of the track's timestamps
    people_detected: int = 1
    switches: tuple[float, ...] = ()  # times the tracker moved to another person
    excluded_s: float = 0.0  # seconds of another person's pose left out
    frame_height_px: float = 0.0

    @property
    def confidence(self) -> float:
        return float(np.clip(self.coverage * self.visibility, 0.0, 1.0))


def _resample(times: FloatArray, values: FloatArray, grid: FloatArray, fs: float) -> FloatArray:
    """Linear interpolation of (T, K) values onto the grid, NaN across gaps longer than MAX_GAP_S."""
    out = np.full((grid.shape[0], values.shape[1]), np.nan)
    right = np.searchsorted(times, grid, side="left")
    right = np.clip(right, 0, times.shape[0] - 1)
    left = np.clip(right - 1, 0, times.shape[0] - 1)
    exact = np.isclose(times[right], grid, rtol=0.0, atol=1e-9)
    left = np.where(exact, right, left)
    span = times[right] - times[left]
    # A gap of g missing frames leaves (g + 1) frame periods between the surrounding detections.
    ok = exact | ((span > 0) & (span <= MAX_GAP_S + 1.5 / fs) & (times[left] <= grid) & (grid <= times[right]))
    w = np.where(span > 0, (grid - times[left]) / np.where(span > 0, span, 1.0), 0.0)[:, None]
    interp = values[left] * (1.0 - w) + values[right] * w
    out[ok] = interp[ok]
    return out


def lowpass_sos(fs: float) -> FloatArray:
    """Second-order sections of the 4th-order Butterworth low-pass used at sample rate ``fs``."""
    return np.asarray(butter(4, min(CUTOFF_HZ, 0.4 * fs), btype="low", fs=fs, output="sos"), dtype=np.float64)


def lowpass(x: FloatArray, fs: float) -> FloatArray:
    """Zero-phase Butterworth low-pass along axis 0 of one contiguous segment."""
    sos = lowpass_sos(fs)
    n = x.shape[0]
    padlen = min(3 * (2 * sos.shape[0] + 1), n - 1)
    return np.asarray(sosfiltfilt(sos, x, axis=0, padlen=padlen), dtype=np.float64)


def prepare_track(track: PoseTrack) -> PreparedTrack:
    followed = follow_main_person(track)
    track = followed.track
    n = track.frame_count
    if n < 2:
        raise AnalysisFailed(f"The video gave only {n} pose frame(s); at least {MIN_DETECTED_S:.0f} s are needed.")
    fs = track.sample_rate
    if not np.isfinite(fs) or fs < MIN_SAMPLE_RATE:
        raise AnalysisFailed(
            f"Poses were sampled at {fs:.1f} frames/s; at least {MIN_SAMPLE_RATE:.0f} frames/s are needed "
            "to time movements against the beat."
        )
    lm = track.landmarks
    detected = track.detected() & np.all(np.isfinite(lm[:, :, :2]), axis=(1, 2))
    coverage = float(detected.mean())
    detected_s = float(np.sum(track.frame_seconds()[detected]))
    if coverage < MIN_COVERAGE or detected_s < MIN_DETECTED_S:
        raise AnalysisFailed(
            f"A dancer was visible in only {coverage:.0%} of the frames ({detected_s:.1f} s of "
            f"{track.duration:.1f} s); at least {MIN_COVERAGE:.0%} and {MIN_DETECTED_S:.0f} s are needed. "
            "Keep your whole body in the picture."
        )
    xy_px = lm[detected, :, :2]
    scale = float(np.median(torso_lengths(xy_px)))
    if not np.isfinite(scale) or scale <= 1e-9:
        raise AnalysisFailed("The dancer's torso could not be measured (shoulders and hips overlap).")
    visibility = float(np.clip(np.nanmean(lm[detected][:, BODY_JOINTS, 3]), 0.0, 1.0))
    origin = np.median(hip_centre(xy_px), axis=0)
    norm = (xy_px - origin) / scale

    t_det = track.timestamps[detected].astype(np.float64)
    order = np.argsort(t_det, kind="stable")
    t_det, norm = t_det[order], norm[order]
    keep = np.concatenate(([True], np.diff(t_det) > 1e-9))  # drop duplicate timestamps
    t_det, norm = t_det[keep], norm[keep]
    count = int(np.floor((t_det[-1] - t_det[0]) * fs + 1e-6)) + 1
    grid = t_det[0] + np.arange(count) / fs
    flat = _resample(t_det, norm.reshape(norm.shape[0], -1), grid, fs)
    resampled_valid = np.all(np.isfinite(flat), axis=1)
    min_len = max(4, int(np.ceil(MIN_SEGMENT_S * fs)))
    segments = tuple(r for r in runs(resampled_valid) if r[1] - r[0] >= min_len)
    valid = np.zeros_like(resampled_valid)
    xy = np.full((count, lm.shape[1], 2), np.nan)
    for a, b in segments:
        valid[a:b] = True
        xy[a:b] = lowpass(flat[a:b], fs).reshape(b - a, lm.shape[1], 2)
    if not segments or (valid.sum() / fs) < MIN_DETECTED_S:
        longest = max((b - a for a, b in runs(resampled_valid)), default=0)
        raise AnalysisFailed(
            f"The dancer was detected only in short pieces (longest {longest / fs:.1f} s); "
            f"at least {MIN_DETECTED_S:.0f} s of continuous pose are needed."
        )
    return PreparedTrack(
        times=grid,
        fs=fs,
        xy=xy,
        valid=valid,
        segments=segments,
        scale_px=scale,
        coverage=coverage,
        visibility=visibility,
        detected_s=detected_s,
        duration_s=track.duration,
        people_detected=followed.people_detected,
        switches=followed.switches,
        excluded_s=followed.excluded_seconds,
        frame_height_px=float(track.height),
    )
