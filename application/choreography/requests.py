"""Reading a request in words: the deterministic parser by default, an optional language model validated against
the same enums (its answer is refused, and the parser's kept, when a value is outside them)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from application.ports.language import LanguageModel, LanguageModelError
from domain.choreography.query import DIFFICULTIES, ENERGIES, STYLES, ParsedQuery, QueryNotUnderstood, parse_query
from domain.choreography.task import RequestNotUnderstood

log = logging.getLogger(__name__)

MIN_QUERY = 10
MAX_QUERY = 500
_REQUIREMENTS = ("smooth transitions", "lots of turns", "simple steps", "slow song", "fast song")
_LABELS = ("spin", "ladyturn", "footwork", "golpes", "bodywaves", "headrolls")
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "difficulty": {"enum": list(DIFFICULTIES)}, "energy_level": {"enum": list(ENERGIES)},
        "style": {"enum": list(STYLES)}, "tempo": {"enum": ["slow", "fast", None]},
        "special_requirements": {"type": "array", "items": {"enum": list(_REQUIREMENTS)}},
        "avoid": {"type": "array", "items": {"enum": list(_LABELS)}},
    },
    "required": ["difficulty", "energy_level", "style", "special_requirements"],
}
SYSTEM = ("You read a dancer's request for a bachata choreography and answer only the parameters it states, "
          "choosing each value from the schema's lists. Leave out what the request does not say.")


def validated(answer: dict[str, Any]) -> ParsedQuery:
    """A model's answer as a ParsedQuery; ValueError when any value is outside the enums."""
    difficulty, energy, style = answer.get("difficulty"), answer.get("energy_level"), answer.get("style")
    tempo = answer.get("tempo")
    reqs, avoid = answer.get("special_requirements") or [], answer.get("avoid") or []
    if difficulty not in DIFFICULTIES or energy not in ENERGIES or style not in STYLES:
        raise ValueError("difficulty, energy_level or style outside the allowed values")
    if tempo not in (None, "slow", "fast") or not isinstance(reqs, list) or not isinstance(avoid, list):
        raise ValueError("tempo, special_requirements or avoid malformed")
    if any(r not in _REQUIREMENTS for r in reqs) or any(a not in _LABELS for a in avoid):
        raise ValueError("a special requirement or avoided move outside the allowed values")
    return ParsedQuery(difficulty=str(difficulty), energy_level=str(energy), style=str(style),
                       special_requirements=tuple(dict.fromkeys(str(r) for r in reqs)), tempo=tempo,
                       avoid=tuple(str(a) for a in avoid), recognised=("language model",))


@dataclass(frozen=True, slots=True, kw_only=True)
class ParseRequest:
    model: LanguageModel | None = None

    async def __call__(self, query: str) -> ParsedQuery:
        try:
            parsed: ParsedQuery | None = parse_query(query)
        except QueryNotUnderstood:
            parsed = None
        if self.model is not None:
            try:
                answer = await self.model.complete_json(SYSTEM, json.dumps({"request": query}), SCHEMA)
                return validated(answer)
            except (LanguageModelError, ValueError) as exc:
                log.warning("language model answer refused, the deterministic parser decides: %s", exc)
        if parsed is None:
            raise RequestNotUnderstood("Could not parse query. Please be more specific.")
        return parsed
