"""Builds a routine from pieces of different shared clips joined on known beats of one music track (PyAV)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from adapters.analysis.pyav_video import PyAvVideoDecoder

FPS = 15


def build_routine(pieces: list[Path], joins: list[float], end: float, music: Path, out: Path,
                  size: tuple[int, int] = (640, 360), fps: int = FPS) -> None:
    """Piece i fills [joins[i-1] (or 0), joins[i] (or end)) with that clip's frames from its 0.5 s mark."""
    decoder = PyAvVideoDecoder()
    bounds = [0.0, *joins, end]
    container = av.open(str(out), mode="w")
    video = container.add_stream("libx264", rate=Fraction(fps))
    video.width, video.height = size
    video.pix_fmt = "yuv420p"
    video.options = {"crf": "23", "preset": "veryfast"}
    audio_track = decoder.audio(music, 44100)
    assert audio_track is not None
    audio = container.add_stream("aac", rate=44100)
    audio.layout = "mono"
    n = 0
    for clip, _start, stop in zip(pieces, bounds[:-1], bounds[1:], strict=True):
        frames = iter(decoder.frames(clip, fps, max(size)))
        for frame in frames:
            if frame.timestamp < 0.5:
                continue
            if n / fps >= stop:
                break
            rgb = np.ascontiguousarray(frame.rgb[: size[1], : size[0]])
            if rgb.shape[:2] != (size[1], size[0]):
                import cv2

                rgb = cv2.resize(frame.rgb, size)
            vf = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            vf.pts = n
            for packet in video.encode(vf):
                container.mux(packet)
            n += 1
        assert n / fps >= stop - 1.5 / fps, f"{clip.name} is too short for its piece"
    for packet in video.encode():
        container.mux(packet)
    samples = audio_track.samples[: int(end * 44100)]
    pts = 0
    for i in range(0, samples.shape[0], 1024):
        chunk = samples[i:i + 1024].reshape(1, -1)
        af = av.AudioFrame.from_ndarray(chunk, format="flt", layout="mono")
        af.sample_rate = 44100
        af.pts = pts
        pts += chunk.shape[1]
        for packet in audio.encode(af):
            container.mux(packet)
    for packet in audio.encode():
        container.mux(packet)
    container.close()
