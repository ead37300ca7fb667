"""The timed coaching script: one line per phase, spoken at the event it is about, quoting the measured checks.

Lines are templates filled with the measured values (never invented), placed at the event's time in the
played-back video: at ``playback_speed`` 0.25 (the original system's slow motion) an event at 2 s of the clip is
spoken at 8 s. A line that would start before the previous one has been spoken moves later; speech length is
estimated at ``WORDS_PER_SECOND`` (about 150 words a minute, an unhurried speaking rate).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from domain.coaching.checks import Check
from domain.coaching.events import SwingReading

WORDS_PER_SECOND: Final = 2.5
GAP_S: Final = 0.4


@dataclass(frozen=True, slots=True)
class ScriptLine:
    timestamp: float  # seconds into the played-back (possibly slowed) video
    text: str
    start_frame_number: int  # the source frame it is about
    event: str


def _fmt(c: Check) -> str:
    if c.unit == "deg":
        return f"{c.value:.0f} degrees"
    if c.unit == ":1":
        return f"{c.value:.1f} to 1"
    return f"{c.value:.2f} {c.unit}"


def _aim(c: Check) -> str:
    return "; aim for " + c.range_text.replace(" deg", " degrees") + "."


def _advice(c: Check, good: str, bad: str) -> str:
    return good if c.verdict == "good" else bad


def _setup(by: dict[str, Check]) -> str:
    k = by["knee_flex"]
    parts = [f"At address your knees are flexed {_fmt(k)}"
             + _advice(k, ", a good athletic posture.", _aim(k))]
    if "spine_tilt" in by:
        s = by["spine_tilt"]
        parts.append(f"Your spine tilts {_fmt(s)} forward" + _advice(s, ", well set.", _aim(s)))
    return " ".join(parts)


def _top(by: dict[str, Check]) -> str:
    a, h = by["lead_arm_at_top"], by["head_movement_backswing"]
    line = (f"At the top your lead arm is at {_fmt(a)}"
            + _advice(a, ", nice and straight.", ", keep it straighter.")
            + f" Your head moved {h.value:.2f} torso lengths"
            + _advice(h, ", steady.", ", keep it quieter."))
    s = by["shoulder_turn"]
    if s.scored:
        line += f" Shoulders turned about {_fmt(s)}" + _advice(s, ".", _aim(s))
    return line


def _impact(by: dict[str, Check]) -> str:
    r, h = by["spine_angle_retention"], by["head_movement_downswing"]
    if r.verdict == "good":
        spine = f"Through impact you kept your spine angle within {abs(r.value):.0f} degrees."
    elif r.value > 0:
        spine = f"Through impact you stood up by {r.value:.0f} degrees; stay in your posture."
    else:
        spine = f"Through impact you bent {abs(r.value):.0f} degrees lower; keep your height."
    return spine + f" Head movement from address {h.value:.2f} torso lengths" + _advice(h, ", steady.", ".")


def _finish(by: dict[str, Check]) -> str:
    t, b = by["tempo"], by["finish_balance"]
    line = f"Your tempo is {_fmt(t)}" + _advice(t, ", right on the tour rhythm of 3 to 1.",
                                                 "; tour players are near 3 to 1.")
    line += " Balanced finish, well held." if b.verdict == "good" else " Hold your finish still and balanced."
    if "weight_shift" in by:
        w = by["weight_shift"]
        line += f" {w.value:.0%} of your weight is on the lead side."
    return line


def coaching_script(reading: SwingReading, checks: list[Check], times: list[float],
                    playback_speed: float = 0.25) -> list[ScriptLine]:
    if not 0.05 <= playback_speed <= 4.0:
        raise ValueError("playback_speed must be between 0.05 and 4")
    by = {c.name: c for c in checks}
    e = reading.events
    t0 = times[0]
    planned = [("address", e.address, _setup(by)), ("top", e.top, _top(by)),
               ("impact", e.impact, _impact(by)), ("finish", e.finish_hold_start, _finish(by))]
    lines: list[ScriptLine] = []
    free_at = 0.0
    for event, frame, text in planned:
        at = max((times[frame] - t0) / playback_speed, free_at)
        lines.append(ScriptLine(round(at, 2), text, int(frame), event))
        free_at = at + len(text.split()) / WORDS_PER_SECOND + GAP_S
    return lines
