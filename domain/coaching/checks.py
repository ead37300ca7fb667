"""Measured checks of a golf swing, each judged against a stated range with its source.

Every check is measured on the smoothed 2D track (``trajectory``) at the events (``events``); lengths are in
torso lengths, angles in degrees, times in the clip's own seconds. A check scores 1 inside its good range and
falls linearly to 0 at ``tolerance`` beyond it. Ranges and sources:

- ``knee_flex`` (setup): 180 - hip-knee-ankle angle at address, mean of both knees. Good 15-30 deg: the
  "athletic" address of coaching texts (a slight flex, well short of a squat); range ours, from that convention.
- ``spine_tilt`` (setup, down-the-line only): forward bend of the hip->shoulder line from vertical at address.
  Good 30-45 deg, the usual coached address tilt (range ours from that convention; the tilt is only seen side on).
- ``head_movement_backswing`` / ``head_movement_downswing``: the nose's largest distance from its address
  position, address->top and top->impact. Good <= 0.15 torso lengths (about 7 cm for a 50 cm torso): the coaching
  rule "keep the head within about a head's width" (~0.3 torso lengths) marks the poor end.
- ``lead_arm_at_top`` (backswing): the lead arm's shoulder-elbow-wrist angle at the top, as projected in the
  image. Good 160-180 deg: a straight lead arm at the top is the standard coaching model (range ours).
- ``shoulder_turn`` / ``hip_turn`` (backswing): rotation proxies from foreshortening. A segment of true breadth B
  shows a horizontal gap g = B*cos(theta) face-on (theta from the image plane) and g = B*sin(phi) down the line
  (phi from the camera's axis, signed); B is the largest |g| over the clip (every swing shows the segment
  broadside at some moment), and the turn is the change of that angle from address (median of the last 0.3 s)
  to the top. Good 75-105 deg (shoulders) and 30-60 deg (hips), around the coaching model of a 90 deg shoulder
  and 45 deg hip turn at the top. Down the line most of the turn runs along the camera's axis, where a 2D track
  (and the model's depth) sees little of it: there the proxies are reported but not scored (``scored=False``).
- ``spine_angle_retention`` (downswing): spine tilt at address minus at impact (positive: the golfer stood up,
  "early extension" in the Titleist Performance Institute's list of swing characteristics). Good -5..+5 deg
  (range ours).
- ``tempo`` (downswing): backswing time / downswing time (address->top over top->impact). Good 2.5-3.5: tour
  players swing near 3:1 (Novosel & Garrity (2004) "Tour Tempo"). A ratio, so slow motion does not change it.
- ``finish_height`` (follow_through): the hands' highest point after impact above the mid-shoulder. Good >= 0.3
  torso lengths: a full finish carries the hands above the shoulders (range ours).
- ``weight_shift`` (follow_through, face-on only): where the centre of mass (de Leva 1996, see
  ``domain.analysis.geometry``) sits between the trail foot (0) and the lead foot (1) in the held finish. Good
  0.7-1.1: weight moves onto the lead foot through the stroke (Ball & Best (2007) "Different centre of pressure
  patterns within the golf stroke", J. Sports Sci. 25(7)); range ours. Down the line this shift runs along the
  camera's axis, so it is not measured there (left out, not guessed).
- ``finish_balance`` (finish): sway of the centre of mass while the finish is held (range of its horizontal
  position, torso lengths). Good <= 0.05: a balanced finish is held still (range ours).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from domain.analysis.geometry import centre_of_mass, foot_centres
from domain.analysis.pose import FloatArray, Landmark
from domain.coaching.events import Handedness, SwingReading, View
from domain.coaching.trajectory import BodyTrajectory

L = Landmark
PHASES: Final = ("setup", "backswing", "downswing", "follow_through", "finish")


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    phase: str
    value: float
    unit: str
    good_min: float | None
    good_max: float | None
    tolerance: float
    frame: int  # where it is measured (or where its span ends)
    scored: bool = True  # False: reported for information, left out of the phase's quality score

    @property
    def score(self) -> float:
        """1 inside the good range, linearly down to 0 at ``tolerance`` beyond it."""
        below = 0.0 if self.good_min is None else max(0.0, self.good_min - self.value)
        above = 0.0 if self.good_max is None else max(0.0, self.value - self.good_max)
        return float(max(0.0, 1.0 - (below + above) / self.tolerance))

    @property
    def verdict(self) -> str:
        s = self.score
        return "good" if s >= 0.999 else ("fair" if s >= 0.5 else "poor")

    @property
    def range_text(self) -> str:
        if self.good_min is None:
            return f"<= {self.good_max:g} {self.unit}"
        if self.good_max is None:
            return f">= {self.good_min:g} {self.unit}"
        return f"{self.good_min:g} to {self.good_max:g} {self.unit}"


def _angle(a: FloatArray, b: FloatArray, c: FloatArray) -> float:
    """Angle ABC in degrees."""
    u, v = a - b, c - b
    cos = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-12))
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def spine_tilt(body: BodyTrajectory, frame: int) -> float:
    """Hip->shoulder line's angle from vertical, degrees."""
    d = body.shoulders[frame] - body.hips[frame]
    return float(np.degrees(np.arctan2(abs(d[0]), -d[1])))


def _turn(body: BodyTrajectory, view: View, left: int, right: int, address: int, top: int) -> float:
    gap = (body.xy[:, left, 0] - body.xy[:, right, 0]) / body.torso
    breadth = float(np.percentile(np.abs(gap), 98))
    if breadth <= 1e-6:
        return 0.0
    ratio = np.clip(gap / breadth, -1.0, 1.0)
    angle = np.degrees(np.arccos(np.abs(ratio)) if view is View.FACE_ON else np.arcsin(ratio))
    setup = angle[max(0, address - round(0.3 * body.fps)):address + 1]
    return float(abs(angle[top] - np.median(setup)))


def measure_checks(body: BodyTrajectory, reading: SwingReading) -> list[Check]:
    e = reading.events
    v = reading.view
    face_on = v is View.FACE_ON
    xy = body.xy
    t = body.times
    lead_s, lead_e, lead_w = ((L.LEFT_SHOULDER, L.LEFT_ELBOW, L.LEFT_WRIST) if reading.handedness is Handedness.RIGHT
                              else (L.RIGHT_SHOULDER, L.RIGHT_ELBOW, L.RIGHT_WRIST))
    knees = [180.0 - _angle(xy[e.address, hip], xy[e.address, knee], xy[e.address, ankle])
             for hip, knee, ankle in ((L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE),
                                      (L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE))]
    head = np.hypot(*(body.head - body.head[e.address]).T) / body.torso
    checks = [Check("knee_flex", "setup", float(np.mean(knees)), "deg", 15.0, 30.0, 15.0, e.address)]
    if reading.view is View.DOWN_THE_LINE:
        checks.append(Check("spine_tilt", "setup", spine_tilt(body, e.address), "deg", 30.0, 45.0, 15.0, e.address))
    checks += [
        Check("head_movement_backswing", "backswing", float(head[e.address:e.top + 1].max()), "torso lengths",
              None, 0.15, 0.15, e.top),
        Check("lead_arm_at_top", "backswing", _angle(xy[e.top, lead_s], xy[e.top, lead_e], xy[e.top, lead_w]),
              "deg", 160.0, 180.0, 30.0, e.top),
        Check("shoulder_turn", "backswing", _turn(body, v, L.LEFT_SHOULDER, L.RIGHT_SHOULDER, e.address, e.top),
              "deg", 75.0, 105.0, 30.0, e.top, scored=face_on),
        Check("hip_turn", "backswing", _turn(body, v, L.LEFT_HIP, L.RIGHT_HIP, e.address, e.top),
              "deg", 30.0, 60.0, 25.0, e.top, scored=face_on),
        Check("head_movement_downswing", "downswing", float(head[e.top:e.impact + 1].max()), "torso lengths",
              None, 0.15, 0.15, e.impact),
        Check("spine_angle_retention", "downswing", spine_tilt(body, e.address) - spine_tilt(body, e.impact),
              "deg", -5.0, 5.0, 10.0, e.impact),
        Check("tempo", "downswing", float((t[e.top] - t[e.address]) / max(t[e.impact] - t[e.top], 1e-6)), ":1",
              2.5, 3.5, 1.5, e.impact),
    ]
    h = body.hand_height()
    high = e.impact + int(np.argmax(h[e.impact:e.finish + 1]))
    checks.append(Check("finish_height", "follow_through", float(h[high]), "torso lengths", 0.3, None, 0.6, high))
    com = centre_of_mass(xy)
    hold = slice(e.finish_hold_start, e.finish + 1)
    if reading.view is View.FACE_ON:
        left, right = foot_centres(xy[e.finish])
        lead, trail = (left, right) if reading.handedness is Handedness.RIGHT else (right, left)
        span = lead[0] - trail[0]
        share = float((com[e.finish, 0] - trail[0]) / span) if abs(span) > 1e-6 else 0.5
        checks.append(Check("weight_shift", "follow_through", share, "of stance", 0.7, 1.1, 0.4, e.finish))
    sway = float(np.ptp(com[hold, 0]) / body.torso) if e.finish > e.finish_hold_start else 0.0
    checks.append(Check("finish_balance", "finish", sway, "torso lengths", None, 0.05, 0.10, e.finish))
    return checks
