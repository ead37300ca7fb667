"""GolfDB's eight swing events, the golfer's handedness and the camera view, from the hands' path.

Events (McNally, Vats, Wong & McPhee (2019) "GolfDB: A Video Database for Golf Swing Sequencing", CVPR
Workshops, section 3): address, toe-up (shaft parallel to the ground in the backswing), mid-backswing (lead arm
parallel to the ground), top (the club changes direction), mid-downswing (lead arm parallel to the ground),
impact (club head meets the ball), mid-follow-through (shaft parallel to the ground), finish (the moment before
the golfer relaxes the final pose).

A 2D pose track sees the hands, not the club, so each event is read from the hands' height h (above the
mid-shoulder, torso lengths) and speed:

- a swing is a significant rise of h (>= ``MIN_RISE``) to a maximum above ``MIN_TOP_HEIGHT`` (top), a drop of
  >= ``MIN_DROP`` to a minimum below ``MAX_IMPACT_HEIGHT`` and a rise of >= ``MIN_FINISH_RISE`` after it (the
  finish);
- impact: the last frame of the hands' low point (h within ``IMPACT_BAND`` of its minimum): the club head lags
  the hands and reaches the bottom of its arc, the ball, as the hands leave their lowest point;
- top: the middle of the plateau where h stays within ``PLATEAU`` of its maximum (the hands pause while the
  club turns round);
- address: the last frame before the takeaway at which h is still within ``PLATEAU`` of its lowest value;
- toe-up: h has covered ``TOE_UP_FRACTION`` of the rise from address to top (hands at hip height as the
  shaft reaches horizontal);
- mid-backswing, mid-downswing and mid-follow-through: h crosses the halfway height between address and top (a
  lead arm parallel to the ground, or a level shaft with the arms extended after impact, puts the hands about
  half way up their arc, at chest height);
- finish: the last frame of the longest still stretch (hand speed below ``STILL_SPEED``) after the
  follow-through: the held pose ends when the golfer relaxes.

The fractions were checked against hand labels of the shared GolfDB clip (tests/integration/coaching).
View: at address a face-on camera sees both shoulders apart (horizontal gap >= ``FACE_ON_SHOULDER_GAP`` torso
lengths), a down-the-line camera sees them overlap. Handedness: at the top the hands are on the golfer's trail
side, which is the image's left for a right-handed golfer in both views (face-on: his right; down-the-line:
behind his head as he faces the ball on the image's right).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np
from scipy.ndimage import gaussian_filter1d
from scipy.signal import find_peaks

from domain.analysis.pose import FloatArray, Landmark
from domain.coaching.errors import NoSwingFound
from domain.coaching.trajectory import BodyTrajectory

MIN_RISE: Final = 0.9  # torso lengths
MIN_DROP: Final = 0.9
MIN_FINISH_RISE: Final = 0.7
MIN_TOP_HEIGHT: Final = -0.3
MAX_IMPACT_HEIGHT: Final = -0.5
PROMINENCE: Final = 0.5
PLATEAU: Final = 0.02
IMPACT_BAND: Final = 0.03
TOE_UP_FRACTION: Final = 0.1
STILL_SPEED: Final = 0.6  # torso lengths per second
STILL_SMOOTH_S: Final = 0.1
FACE_ON_SHOULDER_GAP: Final = 0.45

EVENT_NAMES: Final = ("address", "toe_up", "mid_backswing", "top", "mid_downswing", "impact",
                      "mid_follow_through", "finish")


class Handedness(StrEnum):
    RIGHT = "right"
    LEFT = "left"


class View(StrEnum):
    FACE_ON = "face_on"
    DOWN_THE_LINE = "down_the_line"


@dataclass(frozen=True, slots=True)
class SwingEvents:
    """Frame indices (into the pose track) of GolfDB's events, plus where the finish's held pose begins."""

    address: int
    toe_up: int
    mid_backswing: int
    top: int
    mid_downswing: int
    impact: int
    mid_follow_through: int
    finish: int
    finish_hold_start: int

    def as_dict(self) -> dict[str, int]:
        return {name: int(getattr(self, name)) for name in EVENT_NAMES}


@dataclass(frozen=True, slots=True)
class SwingReading:
    events: SwingEvents
    handedness: Handedness
    view: View
    shoulder_gap: float  # torso lengths, at address
    top_shift: float  # hands' horizontal move address -> top, torso lengths (negative: to the image's left)


def _first_crossing(h: FloatArray, start: int, stop: int, level: float, rising: bool) -> int:
    """First frame in [start, stop] where h reaches ``level`` going up (or down)."""
    seg = h[start:stop + 1]
    hit = np.nonzero(seg >= level if rising else seg <= level)[0]
    return start + int(hit[0]) if hit.size else stop


def _plateau_middle(h: FloatArray, peak: int, lo: int, hi: int, high: bool) -> int:
    """Middle of the contiguous run around ``peak`` where h stays within PLATEAU of h[peak]."""
    near = (h >= h[peak] - PLATEAU) if high else (h <= h[peak] + PLATEAU)
    a = b = peak
    while a - 1 >= lo and near[a - 1]:
        a -= 1
    while b + 1 <= hi and near[b + 1]:
        b += 1
    return (a + b) // 2


def _low_end(h: FloatArray, low: int, hi: int) -> int:
    """Last frame of the contiguous run after ``low`` where h stays within IMPACT_BAND of h[low]."""
    b = low
    while b + 1 <= hi and h[b + 1] <= h[low] + IMPACT_BAND:
        b += 1
    return b


def _candidates(h: FloatArray) -> list[tuple[float, int, int, int]]:
    """(drop, top, impact, finish_high) of every swing-shaped excursion of the hands."""
    maxima, _ = find_peaks(h, prominence=PROMINENCE)
    minima, _ = find_peaks(-h, prominence=PROMINENCE)
    found: list[tuple[float, int, int, int]] = []
    for top in maxima:
        later_min = minima[minima > top]
        if later_min.size == 0 or h[top] < MIN_TOP_HEIGHT:
            continue
        impact = int(later_min[0])
        if h[impact] > MAX_IMPACT_HEIGHT or h[top] - h[impact] < MIN_DROP:
            continue
        before = h[:top]
        if before.size == 0 or h[top] - float(before.min()) < MIN_RISE:
            continue
        next_min = minima[minima > impact]
        end = int(next_min[0]) if next_min.size else h.shape[0] - 1
        high = impact + int(np.argmax(h[impact:end + 1]))
        if h[high] - h[impact] < MIN_FINISH_RISE:
            continue
        found.append((float(h[top] - h[impact]), int(top), impact, high))
    return found


def _reason(h: FloatArray) -> str:
    top = float(h.max())
    if top < MIN_TOP_HEIGHT:
        return (f"no golf swing found: the hands rose at most {top:+.2f} torso lengths relative to the shoulders; "
                f"a backswing takes them to at least {MIN_TOP_HEIGHT:+.1f}")
    return ("no golf swing found: the hands never went up to a top, down through a low point at least "
            f"{MIN_DROP:g} torso lengths lower and up again into a finish")


def read_swing(body: BodyTrajectory) -> SwingReading:
    """The biggest swing in the clip; NoSwingFound with the reason when there is none."""
    h = body.hand_height()
    found = _candidates(h)
    if not found:
        raise NoSwingFound(_reason(h))
    _, peak, low, high = max(found)
    n = h.shape[0]
    top = _plateau_middle(h, peak, 0, low, high=True)
    impact = _low_end(h, low, high)

    start = 0
    earlier, _ = find_peaks(h[:peak], prominence=PROMINENCE)
    if earlier.size:
        start = int(earlier[-1])
    floor = float(h[start:peak].min())
    address = start + int(np.nonzero(h[start:peak] <= floor + PLATEAU)[0][-1])

    h_a, h_t = float(h[address]), float(h[top])
    toe_up = _first_crossing(h, address, top, h_a + TOE_UP_FRACTION * (h_t - h_a), rising=True)
    mid_back = _first_crossing(h, address, top, 0.5 * (h_a + h_t), rising=True)
    mid_down = _first_crossing(h, top, impact, 0.5 * (h_a + h_t), rising=False)
    mid_follow = _first_crossing(h, impact, high, 0.5 * (h_a + h_t), rising=True)

    speed = np.asarray(gaussian_filter1d(body.hand_speed(), max(0.5, STILL_SMOOTH_S * body.fps)), dtype=np.float64)
    hold_start, finish = _longest_still(speed, mid_follow, n - 1)
    if finish < 0:
        hold_start = finish = high

    gap = _shoulder_gap(body, address)
    shift = float((body.hands[top, 0] - body.hands[address, 0]) / body.torso)
    return SwingReading(
        events=SwingEvents(address=address, toe_up=toe_up, mid_backswing=mid_back, top=top,
                           mid_downswing=mid_down, impact=impact, mid_follow_through=mid_follow,
                           finish=finish, finish_hold_start=hold_start),
        handedness=Handedness.RIGHT if shift < 0 else Handedness.LEFT,
        view=View.FACE_ON if gap >= FACE_ON_SHOULDER_GAP else View.DOWN_THE_LINE,
        shoulder_gap=gap,
        top_shift=shift,
    )


def _longest_still(speed: FloatArray, lo: int, hi: int) -> tuple[int, int]:
    """(first, last) frame of the longest run in [lo, hi] with speed below STILL_SPEED; (-1, -1) if none."""
    best = (-1, -1)
    run_start = -1
    for k in range(lo, hi + 2):
        still = k <= hi and speed[k] < STILL_SPEED
        if still and run_start < 0:
            run_start = k
        elif not still and run_start >= 0:
            if k - 1 - run_start > best[1] - best[0]:
                best = (run_start, k - 1)
            run_start = -1
    return best


def _shoulder_gap(body: BodyTrajectory, address: int) -> float:
    lo = max(0, address - round(0.3 * body.fps))
    xy = body.xy[lo:address + 1]
    gap = np.abs(xy[:, Landmark.LEFT_SHOULDER, 0] - xy[:, Landmark.RIGHT_SHOULDER, 0])
    return float(np.median(gap) / body.torso)
