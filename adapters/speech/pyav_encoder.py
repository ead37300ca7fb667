"""The speech encoder port over ``encode`` (stdlib WAV, MP3 through PyAV's libmp3lame)."""

from __future__ import annotations

from application.coaching.ports import AudioFormat, Speech, SpeechEncoder

from .encode import encode


class PyAvSpeechEncoder(SpeechEncoder):
    def encode(self, speech: Speech, fmt: AudioFormat) -> bytes:
        return encode(speech, fmt)
