"""Optional rewording of a breakdown's text by a language model, checked against the measurements.

The model receives the measured facts and the deterministic draft as JSON and must answer the same shape. Its answer
replaces the draft only when it keeps every step, number and time, and contradicts nothing measured: in each field it
may use only the side/direction words (left, right, clockwise, ...) and the numbers the draft's field already holds.
Otherwise, or when the model fails, the deterministic text is kept and the reason is returned.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any, Final

from application.breakdown.timestamps import timestamp
from application.ports.language import DRAFT_KEY, LanguageModel, LanguageModelError
from domain.breakdown.model import Breakdown, Step, StepText

PART_KEYS: Final = ("head", "hands", "shoulders", "torso", "legs", "bodyAngle")
TEXT_KEYS: Final = ("step_name", "global_description", "style_and_history", "spice_it_up", "connection_to_next")
MAX_FIELD_CHARS: Final = 800
_SIDES: Final = re.compile(r"\b(left|right|clockwise|counter-?clockwise|anti-?clockwise)\b", re.IGNORECASE)
_NUMBER: Final = re.compile(r"\d+(?:\.\d+)?")

SYSTEM_PROMPT: Final = (
    "You reword dance-step instructions for a learner. You get JSON with the measured facts of each step and a "
    "draft written from them. Answer only JSON with exactly the draft's shape: the same steps, step numbers and "
    "timestamps. Improve the wording only: keep every number, count, side (left/right) and direction as in the "
    "draft, add no number and no fact that is not in the draft."
)

SCHEMA: Final[dict[str, Any]] = {
    "type": "object",
    "required": ["steps"],
    "properties": {"steps": {"type": "array", "items": {
        "type": "object",
        "required": ["step_number", "start_timestamp", "end_timestamp", *TEXT_KEYS, "description"],
        "properties": {
            "step_number": {"type": "integer"}, "start_timestamp": {"type": "string"},
            "end_timestamp": {"type": "string"}, **{k: {"type": "string"} for k in TEXT_KEYS},
            "description": {"type": "object", "required": list(PART_KEYS),
                            "properties": {k: {"type": "string"} for k in PART_KEYS}},
        },
    }}},
}


@dataclass(frozen=True, slots=True)
class PolishOutcome:
    breakdown: Breakdown
    used_model: bool
    rejected_because: str | None  # None when the model's text was used or no model was asked


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_round(v) for v in value]
    return value


def _draft_step(step: Step) -> dict[str, Any]:
    t = step.text
    return {"step_number": step.number, "start_timestamp": timestamp(step.start), "end_timestamp": timestamp(step.end),
            "step_name": t.step_name, "global_description": t.global_description, "description": dict(t.description),
            "style_and_history": t.style_and_history, "spice_it_up": t.spice_it_up,
            "connection_to_next": t.connection_to_next}


def message(breakdown: Breakdown) -> str:
    facts = {"bpm": breakdown.bpm, "tempo_source": breakdown.grid.source,
             "target_difficulty": breakdown.target_difficulty,
             "steps": [{"step_number": s.number, "measured": _round(asdict(s.features))} for s in breakdown.steps]}
    return json.dumps({"facts": facts, DRAFT_KEY: {"steps": [_draft_step(s) for s in breakdown.steps]}})


def _numbers(text: str) -> set[float]:
    return {float(n) for n in _NUMBER.findall(text)}


def _sides(text: str) -> set[str]:
    return {m.lower().replace("-", "") for m in _SIDES.findall(text)}


def check_field(draft: str, proposed: Any, where: str) -> str | None:
    """Why ``proposed`` may not replace ``draft`` (None when it may)."""
    if not isinstance(proposed, str) or not proposed.strip():
        return f"{where} is missing"
    if len(proposed) > MAX_FIELD_CHARS:
        return f"{where} is over {MAX_FIELD_CHARS} characters"
    extra_sides = _sides(proposed) - _sides(draft)
    if extra_sides:
        return f"{where} says {', '.join(sorted(extra_sides))}, which the measurement does not"
    extra_numbers = _numbers(proposed) - _numbers(draft)
    if extra_numbers:
        return f"{where} has numbers the measurement does not: {', '.join(f'{n:g}' for n in sorted(extra_numbers))}"
    return None


def validate(breakdown: Breakdown, answer: dict[str, Any]) -> tuple[list[StepText] | None, str | None]:
    steps = answer.get("steps")
    if not isinstance(steps, list) or len(steps) != len(breakdown.steps):
        return None, f"the model answered {len(steps) if isinstance(steps, list) else 'no'} steps, not " \
                     f"{len(breakdown.steps)}"
    texts: list[StepText] = []
    for step, got in zip(breakdown.steps, steps, strict=True):
        draft = _draft_step(step)
        if not isinstance(got, dict):
            return None, f"step {step.number} is not an object"
        for key in ("step_number", "start_timestamp", "end_timestamp"):
            if got.get(key) != draft[key]:
                return None, f"step {step.number}: {key} changed from {draft[key]!r} to {got.get(key)!r}"
        for key in TEXT_KEYS:
            reason = check_field(draft[key], got.get(key), f"step {step.number} {key}")
            if reason:
                return None, reason
        parts = got.get("description")
        if not isinstance(parts, dict):
            return None, f"step {step.number} has no description"
        for key in PART_KEYS:
            reason = check_field(draft["description"][key], parts.get(key), f"step {step.number} {key}")
            if reason:
                return None, reason
        texts.append(StepText(
            step_name=got["step_name"], global_description=got["global_description"],
            description={k: parts[k] for k in PART_KEYS}, style_and_history=got["style_and_history"],
            spice_it_up=got["spice_it_up"], connection_to_next=got["connection_to_next"],
            technical_notes=step.text.technical_notes, quality_metrics=step.text.quality_metrics))
    return texts, None


async def polish(breakdown: Breakdown, model: LanguageModel) -> PolishOutcome:
    try:
        answer = await model.complete_json(SYSTEM_PROMPT, message(breakdown), SCHEMA)
    except LanguageModelError as exc:
        return PolishOutcome(breakdown, used_model=False, rejected_because=f"the language model failed: {exc}")
    texts, reason = validate(breakdown, answer)
    if texts is None:
        return PolishOutcome(breakdown, used_model=False, rejected_because=reason)
    steps = tuple(s.with_text(t) for s, t in zip(breakdown.steps, texts, strict=True))
    return PolishOutcome(breakdown.with_steps(steps), used_model=True, rejected_because=None)
