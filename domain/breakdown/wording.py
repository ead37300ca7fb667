"""Sentences from measurements. Every sentence quotes the figure it rests on; nothing unmeasured is said.

Units in the text: "TL" is torso lengths (mid-shoulder to mid-hip), the body's own ruler, so a description holds for
any camera distance. Sides are the dancer's own; travel across the picture is "screen left/right".
"""

from __future__ import annotations

from typing import Final

from domain.breakdown.features import Arm, Arms, BodyAngle, Head, Legs, Shoulders, StepFeatures, Torso, Weight
from domain.breakdown.rhythm import Grid

TL: Final = "TL"


def _dancer_side(positive: bool) -> str:
    return "left" if positive else "right"


def _screen(positive: bool) -> str:
    return "screen right" if positive else "screen left"


def facing(yaw_deg: float) -> str:
    """Facing in words from the shoulder-line yaw (+ = turned to the dancer's left)."""
    a = ((yaw_deg + 180.0) % 360.0) - 180.0
    mag, side = abs(a), _dancer_side(a > 0)
    if mag < 30:
        return "the camera"
    if mag < 60:
        return f"a diagonal to your {side}"
    if mag < 120:
        return f"side-on, turned to your {side}"
    return "away from the camera"


def head_sentence(h: Head) -> str:
    tilt = (f"tilt it about {abs(h.tilt_deg):.0f}° to your {_dancer_side(h.tilt_deg < 0)}" if abs(h.tilt_deg) >= 5
            else f"keep it level with the shoulders (tilt {abs(h.tilt_deg):.0f}°)")
    turn = (f", turned toward {_screen(h.turn_deg > 0)} by about {abs(h.turn_deg):.0f}°" if abs(h.turn_deg) >= 15
            else "")
    if h.nods >= 2 and h.bob >= 0.1:
        motion = f"It bobs {h.nods} times over {h.bob:.2f} {TL} relative to the shoulders."
    else:
        motion = f"It stays steady on the shoulders (moves {h.bob:.2f} {TL})."
    return f"Head: {tilt}{turn}. {motion}"


def _arm_phrase(name: str, a: Arm) -> str:
    height = (f"rises {a.raise_max:.1f} {TL} above the shoulder ({100 * a.raised_share:.0f} % of the step)"
              if a.raise_max > 0.05 else f"stays {abs(a.raise_max):.1f} {TL} or more below the shoulder "
                                      f"({100 * a.raised_share:.0f} % of the step above it)")
    waves = f" with {a.vertical_reversals} up-down changes" if a.vertical_reversals else ""
    return f"the {name} arm {height}, reaches {a.reach_max:.1f} {TL} and travels {a.travel:.1f} {TL}{waves}"


def arms_sentence(a: Arms) -> str:
    lead = {"none": "Arms stay quiet", "both": "Both arms work", "left": "The left arm leads",
            "right": "The right arm leads"}[a.lead]
    return f"{lead}: {_arm_phrase('left', a.left)}; {_arm_phrase('right', a.right)}."


def shoulders_sentence(s: Shoulders) -> str:
    tilt = (f"Shoulders level (tilt {abs(s.tilt_mean_deg):.0f}°, " if abs(s.tilt_mean_deg) < 4
            else f"{_dancer_side(s.tilt_mean_deg > 0).capitalize()} shoulder higher by {abs(s.tilt_mean_deg):.0f}° "
                 f"(")
    rest = f"varying over {s.tilt_range_deg:.0f}°)"
    lift = (f"; they bounce {s.lift_range:.2f} {TL} against the hips" if s.lift_range >= 0.08
            else f"; their height holds within {s.lift_range:.2f} {TL}")
    return f"{tilt}{rest}{lift}."


def torso_sentence(t: Torso) -> str:
    lean = (f"Lean toward {_screen(t.lean_mean_deg > 0)} about {abs(t.lean_mean_deg):.0f}°"
            if abs(t.lean_mean_deg) >= 5 else f"Stay upright (lean {abs(t.lean_mean_deg):.0f}°)")
    lean += f", the lean ranging over {t.lean_range_deg:.0f}° and the chest bending {t.pitch_range_deg:.0f}° "
    lean += "forward and back"
    if t.sway_reversals >= 1 and t.hip_sway >= 0.06:
        sway = f"; hips sway side to side ({t.sway_reversals} changes, {t.hip_sway:.2f} {TL} each way)"
    else:
        sway = f"; hips stay centred over the feet (within {t.hip_sway:.2f} {TL})"
    return f"{lean}{sway}."


def legs_sentence(g: Legs, w: Weight) -> str:
    parts = [f"{g.steps_left} step{'s' if g.steps_left != 1 else ''} with the left foot and {g.steps_right} with "
             f"the right, knees bending up to {g.knee_bend_max_deg:.0f}°"]
    lift = max(g.lift_left, g.lift_right)
    if lift >= 0.3:
        parts.append(f"lift the {_dancer_side(g.lift_left >= g.lift_right)} foot {lift:.1f} {TL}")
    if g.jump_height >= 0.15:
        parts.append(f"jump, both feet leaving the floor by {g.jump_height:.2f} {TL}")
    if abs(g.travel_x) >= 0.3:
        parts.append(f"travel {abs(g.travel_x):.1f} {TL} toward {_screen(g.travel_x > 0)}")
    if abs(g.level_change) >= 0.2:
        parts.append(f"finish {abs(g.level_change):.1f} {TL} {'lower' if g.level_change > 0 else 'higher'}, the hips "
                     f"moving through {g.level_range:.1f} {TL}")
    elif g.level_range >= 0.2:
        parts.append(f"dip and rise through {g.level_range:.1f} {TL}")
    weight = (f"Weight shifts {w.shifts} time{'s' if w.shifts != 1 else ''}, from {_weight_word(w.start_side)} "
              f"to {_weight_word(w.end_side)}")
    return f"Legs: {'; '.join(parts)}. {weight}."


def _weight_word(side: str) -> str:
    return "both feet" if side == "centre" else f"the {side} foot"


def _yaw_words(yaw_deg: float) -> str:
    a = ((yaw_deg + 180.0) % 360.0) - 180.0
    return "square on" if abs(a) < 1 else f"{abs(a):.0f}° to your {_dancer_side(a > 0)}"


def body_angle_sentence(b: BodyAngle) -> str:
    start = f"Start facing {facing(b.facing_start_deg)} ({_yaw_words(b.facing_start_deg)})"
    if abs(b.turn_deg) >= 45:
        return f"{start}, then turn {abs(b.turn_deg):.0f}° to your {_dancer_side(b.turn_deg > 0)} to face " \
               f"{facing(b.facing_end_deg)} ({_yaw_words(b.facing_end_deg)})."
    return f"{start} and keep that facing (turning {abs(b.turn_deg):.0f}°)."


def describe(f: StepFeatures) -> dict[str, str]:
    return {"head": head_sentence(f.head), "hands": arms_sentence(f.arms), "shoulders": shoulders_sentence(f.shoulders),
            "torso": torso_sentence(f.torso), "legs": legs_sentence(f.legs, f.weight),
            "bodyAngle": body_angle_sentence(f.body_angle)}


def counts(f: StepFeatures) -> str:
    return f"counts {f.timing.start_count}-{f.timing.end_count}"


def global_sentence(name: str, f: StepFeatures, parts: list[str], target: str) -> str:
    moving = ", ".join(parts) if parts else "no part moving much"
    text = (f"{name} over {f.timing.beats:g} beats ({counts(f)}, {f.end - f.start:.2f} s), moving the {moving}"
            if parts else f"{name} over {f.timing.beats:g} beats ({counts(f)}, {f.end - f.start:.2f} s), with {moving}")
    text += f"; mean speed {f.speed_mean:.1f} {TL}/s."
    if target == "beginner":
        text += f" Count it out loud: {counts(f)}."
    return text


def connection_sentence(f: StepFeatures, nxt: StepFeatures | None) -> str:
    end = f"Finish with weight on {_weight_word(f.weight.end_side)}, facing {facing(f.body_angle.facing_end_deg)}"
    if nxt is None:
        return f"{end}: this is the last step."
    turn = nxt.body_angle.facing_start_deg - f.body_angle.facing_end_deg
    drop = nxt.hip_y_start - f.hip_y_end
    parts = []
    if abs(turn) >= 30:
        parts.append(f"turn {abs(turn):.0f}° to your {_dancer_side(turn > 0)}")
    if abs(drop) >= 0.15:
        parts.append(f"{'lower' if drop > 0 else 'raise'} the hips {abs(drop):.1f} {TL}")
    if nxt.weight.start_side != f.weight.end_side:
        parts.append(f"move the weight to {_weight_word(nxt.weight.start_side)}")
    link = ", ".join(parts) if parts else "it starts from the same stance"
    return f"{end}; into the next step: {link}."


def technical_notes(f: StepFeatures) -> dict[str, str]:
    t = f.timing
    pauses = (f"pauses on count{'s' if len(t.stop_counts) > 1 else ''} {', '.join(map(str, t.stop_counts))}, "
              f"a median {t.stop_offset_ms:.0f} ms from the beat" if t.stop_counts and t.stop_offset_ms is not None
              else "no pause inside the step")
    return {
        "alignment": f"Torso within {abs(f.torso.lean_mean_deg):.0f}° of vertical on average, shoulders tilted "
                     f"{abs(f.shoulders.tilt_mean_deg):.0f}°",
        "timing": f"Starts on count {t.start_count}, ends on count {t.end_count}; {pauses}",
        "energy": f"Mean speed {f.speed_mean:.1f} {TL}/s, peak {f.speed_peak:.1f} {TL}/s",
        "precision": f"Smoothness (log dimensionless jerk) {f.smoothness:.1f}; the dancer is tracked in "
                     f"{100 * f.coverage:.0f} % of the frames",
    }


def quality_metrics(f: StepFeatures) -> dict[str, str]:
    off = f.timing.stop_offset_ms
    return {
        "smoothness": "High" if f.smoothness >= -8.5 else "Medium" if f.smoothness >= -11.0 else "Low",
        "stability": "Good" if f.stability >= 0.9 else "Fair" if f.stability >= 0.7 else "Unsteady",
        "precision": ("Excellent" if off < 50 else "Good" if off < 100 else "Loose") if off is not None
        else "No pauses to time",
        "energy": "Low" if f.speed_mean < 0.5 else "Moderate" if f.speed_mean < 1.0 else "High",
        "balance": "Maintained" if f.stability >= 0.9 else "Shifting",
    }


def style_sentence(f: StepFeatures, parts: list[str]) -> str:
    indicators = []
    if f.torso.sway_reversals >= 1 and f.torso.hip_sway >= 0.06:
        indicators.append(f"hip sway ({f.torso.sway_reversals} changes)")
    if max(f.arms.left.raised_share, f.arms.right.raised_share) >= 0.2:
        raised = max(f.arms.left.raised_share, f.arms.right.raised_share)
        indicators.append(f"arms above the shoulders {100 * raised:.0f} % of the time")
    if f.head.nods >= 2 and f.head.bob >= 0.1:
        indicators.append("a head bob on the beat")
    if abs(f.body_angle.turn_deg) >= 45:
        indicators.append(f"a {abs(f.body_angle.turn_deg):.0f}° turn")
    if f.legs.level_range >= 0.2:
        indicators.append(f"level changes of {f.legs.level_range:.1f} {TL}")
    if not indicators:
        return (f"Measured style indicators: a compact movement ({f.extent_w:.1f} x {f.extent_h:.1f} {TL} of space); "
                "the video alone does not show which style or tradition it comes from.")
    return (f"Measured style indicators: {', '.join(indicators)}; the video alone does not show which style or "
            "tradition it comes from.")


def spice_sentence(f: StepFeatures, grid: Grid) -> str:
    a = f.arms
    if max(a.left.travel, a.right.travel) < 0.5:
        return (f"The arms travel only {max(a.left.travel, a.right.travel):.1f} {TL} here: add an arm accent on count "
                f"{f.timing.end_count}.")
    if f.legs.level_range < 0.2:
        return f"The hips stay within {f.legs.level_range:.1f} {TL} of one height: sink into the knees on count " \
               f"{f.timing.start_count} for more texture."
    if abs(f.body_angle.turn_deg) < 45:
        return f"The facing changes only {abs(f.body_angle.turn_deg):.0f}°: try the step on a diagonal."
    return f"Hit the pauses harder: at {grid.bpm:.0f} BPM a half count lasts {30 / grid.bpm:.2f} s, room to freeze."
