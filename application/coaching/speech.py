"""Speech for the swing coach's clients: spec 004's generate/stream and the app's coaching voice.

Synthesis is CPU work: it runs on the speech executor (one thread: the voice model uses the cores), never on the
event loop, and each (text, voice, speed, format) is synthesised once: a cache answers repeats, and requests for
the same text that arrive together share one synthesis (the app asks for its ~9 prompts at once at start-up).

The app asks for OpenAI's voice names (``onyx``, model ``tts-1-hd``). We have one offline voice per engine (Piper's
``joe``, a US English male voice; or eSpeak NG's ``en-us``), so every OpenAI voice name maps to that voice and
``model`` is ignored; ``speed`` is honoured (OpenAI's range, 0.25-4.0).
"""

from __future__ import annotations

import asyncio
import re
from collections import OrderedDict
from collections.abc import AsyncIterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

from domain.coaching.records import BadUpload

from .ports import AudioFormat, SpeechEncoder, SpeechSynthesizer

OPENAI_VOICES = frozenset({"alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer",
                           "verse"})
MAX_TEXT = 4096  # OpenAI's limit for one request
MIN_SPEED, MAX_SPEED = 0.25, 4.0

CacheKey = tuple[str, str | None, float, str]

# The FutureGolf app's fixed prompts (ios/FutureGolf/FutureGolf/Shared/Models/TTSPhraseCategories.swift), which it
# requests all at once at start-up (voice onyx, speed 0.9, 20 s timeout each, the whole batch dropped if one
# fails). They are synthesised at our start-up, so that burst is answered from the cache even on a busy machine.
APP_PROMPTS = (
    "Alright. Get yourself into a position where we can see your whole swing, and let me know when you're ready.",
    "Great. I'm now recording. Begin swinging when you're ready.",
    "Great. Take another when you're ready.",
    "Ok one more to go.",
    "That's great. I'll get to work analyzing your swings.",
    "That's taken longer than I had planned. I'll analyze what we have.",
    "Your swing analysis is complete. Let me walk you through the results.",
    "Overall, you have a solid swing with good fundamentals.",
    "There are a few areas we can work on to improve your swing.",
)
APP_SPEED = 0.9


class BadSpeechRequest(BadUpload):
    def __init__(self, message: str, code: str, field: str) -> None:
        super().__init__(message, code, field=field)


@dataclass(frozen=True, slots=True, kw_only=True)
class SpeechService:
    synthesizer: SpeechSynthesizer
    encoder: SpeechEncoder
    executor: Executor
    cache_items: int = 256
    _cache: OrderedDict[CacheKey, bytes] = field(default_factory=OrderedDict)
    _inflight: dict[CacheKey, asyncio.Future[bytes]] = field(default_factory=dict)
    _state: dict[str, Any] = field(default_factory=lambda: {"warmed": False, "synthesised": 0})

    def voice_for(self, requested: str | None) -> str | None:
        """None (the engine's own voice) for no name or an OpenAI name; one of ours by its name."""
        if requested is None or not requested.strip() or requested.strip().lower() in OPENAI_VOICES:
            return None
        name = requested.strip()
        if name in self.synthesizer.voices():
            return name
        raise BadSpeechRequest(f"Unknown voice {name!r}; use one of {sorted(OPENAI_VOICES)} or "
                               f"{self.synthesizer.voices()}.", "unknown_voice", "voice")

    def _key(self, text: str, voice: str | None, speed: float, fmt: AudioFormat) -> CacheKey:
        clean = re.sub(r"\s+", " ", text).strip()
        if not clean:
            raise BadSpeechRequest("There is no text to speak.", "empty_text", "text")
        if len(clean) > MAX_TEXT:
            raise BadSpeechRequest(f"The text is {len(clean)} characters; at most {MAX_TEXT}.", "text_too_long",
                                   "text")
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise BadSpeechRequest(f"speed must be between {MIN_SPEED} and {MAX_SPEED}.", "invalid_speed", "speed")
        return clean, self.voice_for(voice), round(speed, 3), fmt

    def _synthesise(self, key: CacheKey) -> bytes:
        text, voice, speed, fmt = key
        data = self.encoder.encode(self.synthesizer.synthesize(text, voice, speed), fmt)  # type: ignore[arg-type]
        self._state["synthesised"] += 1
        return data

    async def __call__(self, text: str, voice: str | None = None, speed: float = 1.0,
                       fmt: AudioFormat = "mp3") -> bytes:
        """The whole text as one encoded file."""
        key = self._key(text, voice, speed, fmt)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        running = self._inflight.get(key)
        if running is not None:
            return await asyncio.shield(running)
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.executor, self._synthesise, key)
        self._inflight[key] = future
        try:
            data = await asyncio.shield(future)
        finally:
            self._inflight.pop(key, None)
        self._cache[key] = data
        while len(self._cache) > self.cache_items:
            self._cache.popitem(last=False)
        return data

    async def stream(self, text: str, voice: str | None = None, speed: float = 1.0,
                     fmt: AudioFormat = "mp3") -> AsyncIterator[bytes]:
        """Encoded pieces (one per sentence) as each is synthesised. Validates before the first piece."""
        clean, name, rate, _ = self._key(text, voice, speed, fmt)
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[bytes | BaseException | None] = asyncio.Queue()

        def produce() -> None:
            try:
                for n, piece in enumerate(self.synthesizer.stream(clean, name, rate)):
                    loop.call_soon_threadsafe(queue.put_nowait, self.encoder.encode(piece, fmt, n > 0))
            except BaseException as exc:  # handed to the reader, which raises it in the request
                loop.call_soon_threadsafe(queue.put_nowait, exc)
            else:
                loop.call_soon_threadsafe(queue.put_nowait, None)

        async def pieces() -> AsyncIterator[bytes]:
            work = loop.run_in_executor(self.executor, produce)
            while (item := await queue.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield item
            await work

        return pieces()

    async def warm_up(self, prompts: tuple[str, ...] = APP_PROMPTS, speed: float = APP_SPEED) -> None:
        """Load the voice, then speak the app's fixed prompts into the cache (start-up work)."""
        await asyncio.get_running_loop().run_in_executor(self.executor, self.synthesizer.warm_up)
        self._state["warmed"] = True
        for text in prompts:
            await self(text, None, speed, "mp3")

    def health(self) -> dict[str, Any]:
        return {"engine": self.synthesizer.name, "voices": self.synthesizer.voices(),
                "voice_loaded": bool(self._state["warmed"]), "cached_items": len(self._cache),
                "cache_capacity": self.cache_items, "synthesised": int(self._state["synthesised"]),
                "openai_voice_names": sorted(OPENAI_VOICES)}
