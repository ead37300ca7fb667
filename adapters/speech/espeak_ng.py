"""eSpeak NG (GPL-3.0-or-later upstream) through the library and voice data that the ``espeakng-loader`` wheel
ships (its own metadata declares no licence); the fallback voice, formant-synthesised and robotic but offline.
Called with ctypes through the library's C API (speak_lib.h): synchronous output into a callback."""

from __future__ import annotations

import ctypes
import re
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np

from application.coaching.ports import AudioFormat, Speech, SpeechError, SpeechSynthesizer

from .cache import SpeechCache
from .encode import encode
from .piper_tts import check_request

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_ESPEAK_CHARS_UTF8 = 1
_ESPEAK_RATE = 1
_BASE_WPM = 175  # eSpeak NG's default rate, words per minute
_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class EspeakNgSpeechSynthesizer(SpeechSynthesizer):
    name = "espeak-ng"

    def __init__(self, voice: str = "en-us", cache_items: int = 256) -> None:
        self._voice_name = voice
        self._lib: ctypes.CDLL | None = None
        self._rate = 0
        self._lock = threading.Lock()
        self._chunks: list[np.ndarray[Any, Any]] = []
        self._cb = _CALLBACK(self._collect)
        self.cache = SpeechCache(cache_items)

    def voices(self) -> list[str]:
        return [self._voice_name]

    def _collect(self, wav: ctypes._Pointer, n: int, _events: int) -> int:  # type: ignore[type-arg]
        if wav and n > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
        return 0

    def _load(self) -> ctypes.CDLL:
        if self._lib is None:
            import espeakng_loader

            lib = ctypes.CDLL(espeakng_loader.get_library_path())
            data = espeakng_loader.get_data_path().encode()
            lib.espeak_Initialize.restype = ctypes.c_int
            rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, ctypes.c_char_p(data), 0)
            if rate <= 0:
                raise SpeechError("eSpeak NG could not start")
            lib.espeak_SetSynthCallback(self._cb)
            if lib.espeak_SetVoiceByName(ctypes.c_char_p(self._voice_name.encode())) != 0:
                raise SpeechError(f"eSpeak NG has no voice {self._voice_name!r}")
            self._lib, self._rate = lib, rate
        return self._lib

    def warm_up(self) -> None:
        self.synthesize("Ready.")

    def stream(self, text: str, voice: str | None = None, speed: float = 1.0) -> Iterator[Speech]:
        clean = check_request(text, speed)
        for sentence in (s for s in re.split(r"(?<=[.!?])\s+", clean) if s):
            yield self._speak(sentence, speed)

    def _speak(self, text: str, speed: float) -> Speech:
        with self._lock:
            lib = self._load()
            lib.espeak_SetParameter(_ESPEAK_RATE, int(max(80, min(450, _BASE_WPM * speed))), 0)
            self._chunks = []
            raw = text.encode("utf-8") + b"\0"
            err = lib.espeak_Synth(ctypes.c_char_p(raw), ctypes.c_size_t(len(raw)), 0, _POS_CHARACTER, 0,
                                   _ESPEAK_CHARS_UTF8, None, None)
            lib.espeak_Synchronize()
            if err != 0 or not self._chunks:
                raise SpeechError(f"eSpeak NG failed to speak (error {err})")
            samples = np.concatenate(self._chunks).astype(np.float32) / 32768.0
            return Speech(samples, self._rate)

    def synthesize(self, text: str, voice: str | None = None, speed: float = 1.0) -> Speech:
        parts = list(self.stream(text, voice, speed))
        return Speech(np.concatenate([p.samples for p in parts]), parts[0].sample_rate)

    def audio_bytes(self, text: str, voice: str | None = None, speed: float = 1.0,
                    fmt: AudioFormat = "mp3") -> bytes:
        key = (check_request(text, speed), self._voice_name, round(speed, 3), fmt)
        cached = self.cache.get(key)
        if cached is None:
            cached = encode(self.synthesize(text, voice, speed), fmt)
            self.cache.put(key, cached)
        return cached
