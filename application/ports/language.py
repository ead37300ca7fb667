"""The language model port, shared by every context that writes text (breakdowns, choreography, coaching).

A context never asks a model for facts: it sends the facts it measured and a draft written from them, and the model
may only reword the draft, answering JSON of the given schema. With no model configured the default writer answers
the draft itself, so "no LLM" means the context's own deterministic text, never an invented one.
"""

from __future__ import annotations

import json
from abc import abstractmethod
from typing import Any, Protocol


class LanguageModelError(Exception):
    """The model could not be reached or did not answer JSON; callers keep their own text."""


class LanguageModel(Protocol):
    name: str

    @abstractmethod
    async def complete_json(self, system: str, user: str, schema: dict[str, Any]) -> dict[str, Any]:
        """Answer the user message with one JSON object following ``schema``; raise LanguageModelError."""


DRAFT_KEY = "draft"


class TemplateLanguageModel(LanguageModel):
    """The deterministic default: answers the draft the caller wrote from its measurements (the user message is a JSON
    object with a ``draft`` key)."""

    name = "templates"

    async def complete_json(self, system: str, user: str, schema: dict[str, Any]) -> dict[str, Any]:
        try:
            message = json.loads(user)
        except json.JSONDecodeError as exc:
            raise LanguageModelError("the template writer needs a JSON message with a draft") from exc
        draft = message.get(DRAFT_KEY) if isinstance(message, dict) else None
        if not isinstance(draft, dict):
            raise LanguageModelError("the template writer needs a JSON message with a draft")
        return draft
