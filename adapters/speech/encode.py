"""Speech to WAV (stdlib ``wave``) or MP3 (PyAV's FFmpeg build carries libmp3lame)."""

from __future__ import annotations

import io
import wave
from typing import Any

import av
import numpy as np

from application.coaching.ports import AudioFormat, Speech
from application.ports.analysis import MediaError


def to_int16(speech: Speech) -> np.ndarray[Any, Any]:
    return np.asarray(np.clip(speech.samples, -1.0, 1.0) * 32767.0, dtype=np.int16)


def wav_bytes(speech: Speech) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(speech.sample_rate)
        w.writeframes(to_int16(speech).tobytes())
    return buf.getvalue()


def mp3_bytes(speech: Speech, bitrate: int = 64_000) -> bytes:
    buf = io.BytesIO()
    try:
        with av.open(buf, "w", format="mp3") as out:
            stream = out.add_stream("libmp3lame", rate=speech.sample_rate)
            stream.bit_rate = bitrate
            stream.layout = "mono"
            frame = av.AudioFrame.from_ndarray(to_int16(speech)[None, :], format="s16", layout="mono")
            frame.sample_rate = speech.sample_rate
            for packet in stream.encode(frame):
                out.mux(packet)
            for packet in stream.encode(None):
                out.mux(packet)
    except av.FFmpegError as exc:  # pragma: no cover - a build without libmp3lame
        raise MediaError(f"MP3 encoding failed: {exc}") from exc
    return buf.getvalue()


def encode(speech: Speech, fmt: AudioFormat) -> bytes:
    return mp3_bytes(speech) if fmt == "mp3" else wav_bytes(speech)
