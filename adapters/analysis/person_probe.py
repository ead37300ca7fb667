"""Looking for other people beside the one a single-person pose tracker follows.

Both pose adapters follow one person from frame to frame (MediaPipe's tracker, and the ONNX adapter cropping
each frame from the previous pose), so a second person standing beside the followed one is never seen; only a
hop of the tracker from one to the other shows (:mod:`domain.analysis.identity`). So about once a second
(``PROBE_EVERY_S`` of video) the adapter blanks out the followed person's box (the bounding box of their
landmarks, widened by ``MARGIN`` of its size on each side, so outstretched hands and hair stay inside) and looks
at the rest of the frame with its own model: MediaPipe runs its person detector and landmark model on the blanked
frame, the ONNX adapter runs the landmark model on the strips left and right of the box. What it finds is another
person when it is a confident pose (presence >= 0.5, mean visibility of the body joints >= ``MIN_VISIBILITY``)
whose hip centre lies outside the followed box and whose own box lies mostly outside it (at most
``MAX_OVERLAP`` of its area inside), and when it is not tiny next to the followed person (torso at least
``MIN_TORSO_SHARE`` of theirs: a face on a poster or a detector glitch in a corner is no dancer beside you).
Found people are counted by :func:`domain.analysis.identity.people_seen_by_probes`, which asks for the same
number in consecutive probes before counting them.

The probe never changes what is tracked: the followed person's landmarks are those the tracker gave.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from domain.analysis.geometry import BODY_JOINTS, hip_centre, torso_lengths

PROBE_EVERY_S: Final = 1.0
MARGIN: Final = 0.15
MIN_VISIBILITY: Final = 0.5
MAX_OVERLAP: Final = 0.5
MIN_TORSO_SHARE: Final = 0.3
MAX_OTHERS: Final = 2  # people looked for per probe besides the followed one

F64 = npt.NDArray[np.float64]
U8 = npt.NDArray[np.uint8]


@dataclass(frozen=True, slots=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @staticmethod
    def around(points: F64) -> Box | None:
        """Bounding box of the finite (x, y) points, or None when there are none."""
        ok = np.all(np.isfinite(points[:, :2]), axis=1)
        if not np.any(ok):
            return None
        p = points[ok, :2]
        return Box(float(p[:, 0].min()), float(p[:, 1].min()), float(p[:, 0].max()), float(p[:, 1].max()))

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def widened(self, share: float, width: int, height: int) -> Box:
        dx, dy = share * self.width, share * self.height
        return Box(
            max(0.0, self.x0 - dx),
            max(0.0, self.y0 - dy),
            min(float(width), self.x1 + dx),
            min(float(height), self.y1 + dy),
        )

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def share_inside(self, other: Box) -> float:
        """Share of this box's area that lies inside ``other``."""
        w = max(0.0, min(self.x1, other.x1) - max(self.x0, other.x0))
        h = max(0.0, min(self.y1, other.y1) - max(self.y0, other.y0))
        area = max(self.width, 1e-9) * max(self.height, 1e-9)
        return float(w * h / area)


def blank(rgb: U8, box: Box) -> U8:
    """A copy of the frame with the box painted black."""
    out = rgb.copy()
    out[int(box.y0) : int(np.ceil(box.y1)), int(box.x0) : int(np.ceil(box.x1))] = 0
    return out


@dataclass(frozen=True, slots=True)
class Followed:
    """The followed person in one frame: their box (widened) and torso length, in the frame's pixels."""

    box: Box
    torso: float

    @staticmethod
    def of(landmarks: F64, width: int, height: int) -> Followed | None:
        """From (33, >=2) landmarks in the frame's pixels; None when the pose cannot be measured."""
        box = Box.around(landmarks)
        torso = float(torso_lengths(landmarks[None, :, :2])[0])
        if box is None or not np.isfinite(torso) or torso <= 1.0:
            return None
        return Followed(box.widened(MARGIN, width, height), torso)


def is_other_person(landmarks: F64, followed: Followed) -> bool:
    """Whether a pose (33, 4: x, y, z, visibility in the frame's pixels) found beside the followed person is
    another person (see the module docstring)."""
    if not np.all(np.isfinite(landmarks[BODY_JOINTS, :2])):
        return False
    if float(np.mean(landmarks[BODY_JOINTS, 3])) < MIN_VISIBILITY:
        return False
    own = Box.around(landmarks[list(BODY_JOINTS)])
    if own is None:
        return False
    cx, cy = hip_centre(landmarks[None, :, :2])[0]
    torso = float(torso_lengths(landmarks[None, :, :2])[0])
    return (
        not followed.box.contains(float(cx), float(cy))
        and own.share_inside(followed.box) <= MAX_OVERLAP
        and torso >= MIN_TORSO_SHARE * followed.torso
    )


class ProbeClock:
    """When the next probe is due, from the frames' timestamps: the first frame with a followed pose at least
    ``PROBE_EVERY_S`` after the last probe (the first probe at the first such frame)."""

    def __init__(self, every_s: float = PROBE_EVERY_S) -> None:
        self._every = every_s
        self._last: float | None = None
        self.found: list[int] = []  # people found besides the followed one, per probe, in time order

    def due(self, t: float) -> bool:
        return self._every > 0 and (self._last is None or t >= self._last + self._every - 1e-6)

    def record(self, t: float, others: int) -> None:
        self._last = t
        self.found.append(others)
