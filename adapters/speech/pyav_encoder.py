"""The speech encoder port over ``encode`` (stdlib WAV, MP3 through PyAV's libmp3lame)."""

from __future__ import annotations

from application.coaching.ports import AudioFormat, Speech, SpeechEncoder

from .encode import encode


def without_id3v2(mp3: bytes) -> bytes:
    """An MP3 without its leading ID3v2 tag (ID3v2.4 section 3.1: "ID3", version, flags, then a 28-bit
    syncsafe size of what follows the 10-byte header); a tag in mid-stream breaks decoders, frames do not."""
    if len(mp3) < 10 or mp3[:3] != b"ID3":
        return mp3
    size = (mp3[6] & 0x7F) << 21 | (mp3[7] & 0x7F) << 14 | (mp3[8] & 0x7F) << 7 | (mp3[9] & 0x7F)
    footer = 10 if mp3[5] & 0x10 else 0
    return mp3[10 + size + footer:]


class PyAvSpeechEncoder(SpeechEncoder):
    def encode(self, speech: Speech, fmt: AudioFormat, continuation: bool = False) -> bytes:
        data = encode(speech, fmt)
        return without_id3v2(data) if continuation and fmt == "mp3" else data
