"""The coached swing video: source frames (slowed), the skeleton, the phase's name, captions and the spoken script,
encoded as H.264 video and AAC audio in MP4 with PyAV (FFmpeg); drawing with OpenCV.

Slow motion keeps every source frame and plays it ``1 / playback_speed`` times longer (the stream's rate is the
source's rate times ``playback_speed``), so nothing is interpolated. A line of speech starts at its script
timestamp or when the previous one has finished, whichever is later; if the speech runs past the swing, the last
frame is held until it ends, so audio and video have the same length.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np

from application.coaching.ports import CompositeInfo, SpokenLine, SwingVideoCompositor
from application.ports.analysis import MediaError
from domain.analysis.pose import PoseTrack
from domain.coaching.phases import SwingPhase

EDGES = ((11, 12), (11, 13), (13, 15), (12, 14), (14, 16), (11, 23), (12, 24), (23, 24), (23, 25), (25, 27),
         (24, 26), (26, 28), (27, 31), (28, 32), (0, 11), (0, 12))
TAIL_S = 0.5
AUDIO_RATE = 22050


def schedule(lines: Sequence[SpokenLine]) -> list[tuple[float, float, SpokenLine]]:
    """(start, end, line) with no two lines speaking at once."""
    out = []
    free = 0.0
    for ln in lines:
        start = max(ln.line.timestamp, free)
        end = start + ln.speech.duration
        out.append((start, end, ln))
        free = end + 0.2
    return out


def _resample(samples: np.ndarray[Any, Any], rate: int) -> np.ndarray[Any, Any]:
    if rate == AUDIO_RATE or samples.size == 0:
        return samples
    n = round(samples.size * AUDIO_RATE / rate)
    return np.interp(np.linspace(0, samples.size - 1, n), np.arange(samples.size), samples).astype(np.float32)


class PyAvSwingVideoCompositor(SwingVideoCompositor):
    def __init__(self, crf: int = 23, preset: str = "veryfast") -> None:
        self.crf, self.preset = crf, preset

    def compose(self, source: Path, track: PoseTrack, phases: Sequence[SwingPhase], lines: Sequence[SpokenLine],
                out: Path, playback_speed: float) -> CompositeInfo:
        try:
            with av.open(str(source)) as inp:
                vin = inp.streams.video[0]
                src_rate = Fraction(vin.average_rate or 30)
                frames = [f.to_ndarray(format="rgb24") for f in inp.decode(video=0)]
        except (av.FFmpegError, IndexError) as exc:
            raise MediaError(f"{source.name} cannot be decoded for the coached video: {exc}") from exc
        if not frames:
            raise MediaError(f"{source.name} holds no frames")
        rate = src_rate * Fraction(playback_speed).limit_denominator(1000)
        timed = schedule(lines)
        video_s = len(frames) / float(rate)
        total_s = max(video_s, (timed[-1][1] + TAIL_S) if timed else 0.0)
        n_out = int(np.ceil(total_s * float(rate)))
        total_s = n_out / float(rate)
        h, w = (frames[0].shape[0] // 2) * 2, (frames[0].shape[1] // 2) * 2

        audio = np.zeros(round(total_s * AUDIO_RATE), dtype=np.float32)
        for start, _end, ln in timed:
            s = _resample(ln.speech.samples, ln.speech.sample_rate)
            a = round(start * AUDIO_RATE)
            seg = s[: max(0, audio.size - a)]
            audio[a:a + seg.size] += seg
        np.clip(audio, -1.0, 1.0, out=audio)

        with av.open(str(out), "w", format="mp4") as container:
            vs = container.add_stream("libx264", rate=rate)
            vs.width, vs.height, vs.pix_fmt = w, h, "yuv420p"
            vs.options = {"crf": str(self.crf), "preset": self.preset}
            aus = container.add_stream("aac", rate=AUDIO_RATE)
            aus.layout = "mono"
            for k in range(n_out):
                i = min(k, len(frames) - 1)
                t = k / float(rate)
                img = self._draw(frames[i][:h, :w].copy(), track, i, phases, timed, t)
                for packet in vs.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                    container.mux(packet)
            for packet in vs.encode():
                container.mux(packet)
            step = 1024 * 8
            for a in range(0, audio.size, step):
                chunk = audio[a:a + step]
                frame = av.AudioFrame.from_ndarray(chunk[None, :], format="flt", layout="mono")
                frame.sample_rate = AUDIO_RATE
                frame.pts = a
                for packet in aus.encode(frame):
                    container.mux(packet)
            for packet in aus.encode(None):
                container.mux(packet)
        return CompositeInfo(path=out, duration=total_s, width=w, height=h, frames=n_out)

    def _draw(self, img: np.ndarray[Any, Any], track: PoseTrack, i: int, phases: Sequence[SwingPhase],
              timed: list[tuple[float, float, SpokenLine]], t: float) -> np.ndarray[Any, Any]:
        h, w = img.shape[:2]
        scale = max(0.35, w / 800)
        if i < track.frame_count and track.presence[i] >= 0.5:
            pts = track.landmarks[i, :, :2]
            for a, b in EDGES:
                pa, pb = pts[a], pts[b]
                if np.all(np.isfinite([*pa, *pb])):
                    cv2.line(img, (int(pa[0]), int(pa[1])), (int(pb[0]), int(pb[1])), (0, 255, 120), 2, cv2.LINE_AA)
            for j in (0, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28):
                if np.all(np.isfinite(pts[j])):
                    cv2.circle(img, (int(pts[j][0]), int(pts[j][1])), 3, (255, 255, 255), -1, cv2.LINE_AA)
        phase = next((p for p in phases if p.start_frame <= i <= p.end_frame), None)
        if phase is not None:
            label = phase.phase.replace("_", " ").upper()
            cv2.rectangle(img, (0, 0), (w, int(34 * scale * 2)), (0, 0, 0), -1)
            cv2.putText(img, label, (8, int(26 * scale * 2)), cv2.FONT_HERSHEY_SIMPLEX, scale * 1.4,
                        (255, 220, 0), 2, cv2.LINE_AA)
        line = next((ln for start, end, ln in timed if start <= t <= end + 0.3), None)
        if line is not None:
            chars = max(12, int(w / (11 * scale * 2)))
            rows = textwrap.wrap(line.line.text, chars)
            step = int(22 * scale * 2)
            top = h - step * len(rows) - 8
            overlay = img.copy()
            cv2.rectangle(overlay, (0, top - 6), (w, h), (0, 0, 0), -1)
            img = cv2.addWeighted(overlay, 0.6, img, 0.4, 0)
            for r, text in enumerate(rows):
                cv2.putText(img, text, (6, top + step * (r + 1) - 6), cv2.FONT_HERSHEY_SIMPLEX, scale,
                            (255, 255, 255), 1, cv2.LINE_AA)
        return img
