"""A language model over the OpenAI-compatible chat completions API (OpenAI, Gemini's compatible endpoint, vLLM,
llama.cpp's server): ``POST {base}/chat/completions`` with ``response_format`` asking for one JSON object."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from application.ports.language import LanguageModel, LanguageModelError


@dataclass(frozen=True, slots=True)
class LanguageModelSettings:
    base_url: str  # LLM_BASE_URL, e.g. https://api.openai.com/v1
    api_key: str  # LLM_API_KEY (may be empty for a local server)
    model: str  # LLM_MODEL
    timeout_s: float = 60.0


class OpenAICompatibleLanguageModel(LanguageModel):
    def __init__(self, settings: LanguageModelSettings, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._settings = settings
        self.name = f"openai-compatible:{settings.model}"
        self._transport = transport

    async def complete_json(self, system: str, user: str, schema: dict[str, Any]) -> dict[str, Any]:
        s = self._settings
        body = {
            "model": s.model,
            "messages": [
                {"role": "system", "content": f"{system}\nAnswer with JSON following this schema: "
                                              f"{json.dumps(schema)}"},
                {"role": "user", "content": user},
            ],
            "response_format": {"type": "json_object"},
            "temperature": 0.2,
        }
        headers = {"Authorization": f"Bearer {s.api_key}"} if s.api_key else {}
        try:
            async with httpx.AsyncClient(timeout=s.timeout_s, transport=self._transport) as client:
                response = await client.post(f"{s.base_url.rstrip('/')}/chat/completions", json=body,
                                             headers=headers)
        except httpx.HTTPError as exc:
            raise LanguageModelError(f"the language model could not be reached ({type(exc).__name__})") from exc
        if response.status_code != 200:
            raise LanguageModelError(f"the language model answered HTTP {response.status_code}")
        try:
            content = response.json()["choices"][0]["message"]["content"]
            answer = json.loads(_strip_fence(content))
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise LanguageModelError("the language model did not answer a JSON object") from exc
        if not isinstance(answer, dict):
            raise LanguageModelError("the language model did not answer a JSON object")
        return answer


def _strip_fence(text: str) -> str:
    """Some servers wrap JSON in a Markdown code fence even in JSON mode."""
    t = text.strip()
    if t.startswith("```"):
        t = t.split("\n", 1)[1] if "\n" in t else ""
        t = t.rsplit("```", 1)[0]
    return t
