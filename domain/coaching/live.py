"""Live swing detection on the FutureGolf app's frame stream: small grey frames (about 192x108) every ~0.3 s.

Motion energy of the picture: the share of pixels whose grey level changed by more than ``PIXEL_DELTA`` since
the previous frame (measured on 2x2 block means, which keeps JPEG noise at quality 0.4 below the threshold). A
golf swing is stillness at address, one burst of motion that stays in place, and stillness in the held finish:

- armed: at least ``STILL_S`` of stillness (energy below ``STILL_ENERGY``);
- burst: energy above ``MOVE_ENERGY``, lasting ``MIN_BURST_S`` to ``MAX_BURST_S``, peaking at or above
  ``MIN_PEAK_ENERGY``, with the moving pixels' centre staying within ``MAX_DRIFT`` of the frame's width (a walker
  crosses the picture; a golfer turns on the spot);
- then the held finish: energy below ``SETTLE_FRACTION`` of the burst's peak for ``SETTLE_S`` (the club still
  drifts a little in a held finish, so "still" here is relative to the swing's own motion): one positive, then
  ``COOLDOWN_S`` in which nothing counts.

Only timestamp differences are used (the app sends epoch seconds). The thresholds were set on the shared GolfDB
clip turned into the app's stream; see tests/integration/coaching/test_live_detection.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt

PIXEL_DELTA: Final = 14
STILL_ENERGY: Final = 0.012
MOVE_ENERGY: Final = 0.03
MIN_PEAK_ENERGY: Final = 0.06
STILL_S: Final = 0.5
MIN_BURST_S: Final = 0.9  # takeaway to finish takes over a second even for fast swingers
MAX_BURST_S: Final = 8.0
MAX_DRIFT: Final = 0.3
COOLDOWN_S: Final = 2.0
SETTLE_FRACTION: Final = 0.35
SETTLE_S: Final = 0.3
_EPS: Final = 0.05  # timestamps jitter; a frame 0.299 s later counts as 0.3 s

GreyImage = npt.NDArray[np.uint8]


@dataclass(frozen=True, slots=True)
class DetectionMessage:
    """One reply per frame; field names as the app decodes them."""

    status: str  # awaiting_more_data | watching | ready | motion | evaluated | cooldown
    swing_detected: bool = False
    confidence: float = 0.0
    timestamp: float = 0.0  # the frame's own timestamp, echoed
    energy: float = 0.0
    cooldown_remaining: float = 0.0
    total_swings: int = 0


def _blocks(img: GreyImage) -> npt.NDArray[np.float32]:
    h, w = (img.shape[0] // 2) * 2, (img.shape[1] // 2) * 2
    a = img[:h, :w].astype(np.float32)
    return np.asarray(0.25 * (a[0::2, 0::2] + a[1::2, 0::2] + a[0::2, 1::2] + a[1::2, 1::2]), dtype=np.float32)


@dataclass
class SwingDetector:
    """State machine over the frames of one WebSocket session; ``feed`` is pure CPU work (~0.1 ms a frame)."""

    total_swings: int = 0
    _prev: npt.NDArray[np.float32] | None = None
    _last_t: float | None = None
    _still_since: float | None = None
    _armed: bool = False
    _burst_start: float | None = None
    _burst_end: float | None = None
    _peak: float = 0.0
    _xs: list[float] = field(default_factory=list)
    _cooldown_until: float | None = None

    def _reset_burst(self) -> None:
        self._burst_start = self._burst_end = None
        self._peak = 0.0
        self._xs = []

    def feed(self, grey: GreyImage, timestamp: float) -> DetectionMessage:
        cur = _blocks(grey)
        prev, self._prev = self._prev, cur
        if prev is None or prev.shape != cur.shape or self._last_t is None or timestamp <= self._last_t:
            self._last_t = timestamp if self._last_t is None or timestamp > self._last_t else self._last_t
            self._still_since = None
            return DetectionMessage("awaiting_more_data", timestamp=timestamp, total_swings=self.total_swings)
        self._last_t = timestamp
        moving = np.abs(cur - prev) > PIXEL_DELTA
        energy = float(moving.mean())
        msg = self._step(timestamp, energy, moving)
        return msg

    def _step(self, t: float, energy: float, moving: npt.NDArray[np.bool_]) -> DetectionMessage:
        if self._cooldown_until is not None and t < self._cooldown_until:
            self._prev_still(t, energy)
            return DetectionMessage("cooldown", timestamp=t, energy=energy,
                                    cooldown_remaining=round(self._cooldown_until - t, 3),
                                    total_swings=self.total_swings)
        self._cooldown_until = None
        in_burst = self._burst_start is not None
        still = energy < (max(STILL_ENERGY, SETTLE_FRACTION * self._peak) if in_burst else STILL_ENERGY)
        if still:
            if self._still_since is None:
                self._still_since = t
                if self._burst_start is not None and self._burst_end is None:
                    self._burst_end = t
            held = t - self._still_since
            if self._burst_start is not None and self._burst_end is not None and held + _EPS >= SETTLE_S:
                confidence = self._judge()
                self._reset_burst()
                self._armed = True
                if confidence is not None:
                    self.total_swings += 1
                    self._cooldown_until = t + COOLDOWN_S
                    return DetectionMessage("evaluated", swing_detected=True, confidence=confidence, timestamp=t,
                                            energy=energy, total_swings=self.total_swings)
            if held + _EPS >= STILL_S and self._burst_start is None:
                self._armed = True
            return DetectionMessage("ready" if self._armed else "watching", timestamp=t, energy=energy,
                                    total_swings=self.total_swings)
        self._still_since = None
        if energy >= MOVE_ENERGY or self._burst_start is not None:
            if self._burst_start is None:
                if not self._armed:
                    return DetectionMessage("watching", timestamp=t, energy=energy, total_swings=self.total_swings)
                self._burst_start = t
            self._burst_end = None
            self._peak = max(self._peak, energy)
            _ys, xs = np.nonzero(moving)
            if xs.size:
                self._xs.append(float(xs.mean() / moving.shape[1]))
            if t - self._burst_start > MAX_BURST_S:  # continuous movement: not a swing; wait for stillness
                self._reset_burst()
                self._armed = False
            return DetectionMessage("motion", timestamp=t, energy=energy, total_swings=self.total_swings)
        return DetectionMessage("ready" if self._armed else "watching", timestamp=t, energy=energy,
                                total_swings=self.total_swings)

    def _prev_still(self, t: float, energy: float) -> None:
        if energy < STILL_ENERGY:
            if self._still_since is None:
                self._still_since = t
        else:
            self._still_since = None
        self._armed = self._still_since is not None and t - self._still_since + _EPS >= STILL_S

    def _judge(self) -> float | None:
        """Confidence 0.70-0.99 when the burst looks like a swing, else None."""
        assert self._burst_start is not None and self._burst_end is not None
        duration = self._burst_end - self._burst_start
        drift = (max(self._xs) - min(self._xs)) if self._xs else 1.0
        if not (MIN_BURST_S <= duration <= MAX_BURST_S) or self._peak < MIN_PEAK_ENERGY or drift > MAX_DRIFT:
            return None
        # how clearly each criterion is met, 0..1: a strong peak, a compact (in place) motion
        peak = min(1.0, (self._peak - MIN_PEAK_ENERGY) / MIN_PEAK_ENERGY)
        compact = 1.0 - drift / MAX_DRIFT
        return round(0.70 + 0.29 * (0.5 * peak + 0.5 * compact), 3)
