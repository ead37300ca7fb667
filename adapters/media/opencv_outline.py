"""The outline video: the dancer's skeleton drawn over the original, the step number and name, and a timeline with a
tick on every beat (taller at step boundaries) that flashes on the beat. OpenCV draws, PyAV encodes H.264 + AAC.

The playable copy is the original when it already is H.264 in MP4 (every browser plays it); otherwise a re-encode.
"""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path
from typing import Any, Final

import av
import cv2
import numpy as np
import numpy.typing as npt

from adapters.analysis.pyav_video import PyAvVideoDecoder
from application.breakdown.ports import OutlineRenderer, RenderedMedia
from application.ports.analysis import Frame, MediaError
from domain.analysis.pose import Landmark, PoseTrack
from domain.breakdown.model import Breakdown

L = Landmark
BONES: Final = (
    (L.LEFT_SHOULDER, L.RIGHT_SHOULDER), (L.LEFT_HIP, L.RIGHT_HIP), (L.LEFT_SHOULDER, L.LEFT_HIP),
    (L.RIGHT_SHOULDER, L.RIGHT_HIP), (L.LEFT_SHOULDER, L.LEFT_ELBOW), (L.LEFT_ELBOW, L.LEFT_WRIST),
    (L.RIGHT_SHOULDER, L.RIGHT_ELBOW), (L.RIGHT_ELBOW, L.RIGHT_WRIST), (L.LEFT_HIP, L.LEFT_KNEE),
    (L.LEFT_KNEE, L.LEFT_ANKLE), (L.RIGHT_HIP, L.RIGHT_KNEE), (L.RIGHT_KNEE, L.RIGHT_ANKLE),
    (L.LEFT_ANKLE, L.LEFT_FOOT_INDEX), (L.RIGHT_ANKLE, L.RIGHT_FOOT_INDEX), (L.NOSE, L.LEFT_SHOULDER),
    (L.NOSE, L.RIGHT_SHOULDER),
)
LEFT_COLOUR: Final = (255, 140, 0)  # RGB: the dancer's left side orange, right side cyan
RIGHT_COLOUR: Final = (0, 200, 255)
CENTRE_COLOUR: Final = (255, 255, 255)
AUDIO_RATE: Final = 44100


class OpenCvOutlineRenderer(OutlineRenderer):
    def __init__(self, *, fps: float = 15.0, max_side: int = 640, crf: int = 26, preset: str = "ultrafast") -> None:
        self._fps = fps
        self._max_side = max_side
        self._crf = crf
        self._preset = preset
        self._decoder = PyAvVideoDecoder()

    def render(self, video: Path, track: PoseTrack, breakdown: Breakdown, folder: Path) -> RenderedMedia:
        info = self._decoder.probe(video)
        outline, thumb = folder / "outline.mp4", folder / "thumbnail.jpg"
        frames = self._decoder.frames(video, min(self._fps, info.fps or self._fps), self._max_side)
        audio = self._decoder.audio(video, AUDIO_RATE) if info.has_audio else None
        self._encode(frames, track, breakdown, outline, thumb, audio.samples if audio is not None else None)
        if not thumb.is_file():
            raise MediaError("the video holds no frame to draw on")
        playable = folder / "playable.mp4"
        if info.codec == "h264" and "mp4" in info.container:
            shutil.copyfile(video, playable)
        else:
            plain = self._decoder.frames(video, min(30.0, info.fps or 30.0), self._max_side)
            self._encode(plain, None, None, playable, None, audio.samples if audio is not None else None,
                         fps=min(30.0, info.fps or 30.0))
        return RenderedMedia(outline=outline, thumbnail=thumb, playable=playable)

    def _encode(self, frames: object, track: PoseTrack | None, breakdown: Breakdown | None, out: Path,
                thumb: Path | None, audio: npt.NDArray[Any] | None, fps: float | None = None) -> None:
        rate = Fraction(fps or self._fps).limit_denominator(1001)
        container = av.open(str(out), mode="w")
        try:
            vstream = None
            astream = None
            thumb_at = _thumbnail_time(breakdown)
            for frame in frames:  # type: ignore[attr-defined]
                assert isinstance(frame, Frame)
                rgb = np.ascontiguousarray(frame.rgb)
                h, w = rgb.shape[:2]
                if vstream is None:
                    vstream = container.add_stream("libx264", rate=rate)
                    vstream.width, vstream.height = w - w % 2, h - h % 2
                    vstream.pix_fmt = "yuv420p"
                    vstream.options = {"crf": str(self._crf), "preset": self._preset}
                    if audio is not None:
                        astream = container.add_stream("aac", rate=AUDIO_RATE)
                        astream.layout = "mono"
                if track is not None and breakdown is not None:
                    _draw(rgb, frame.timestamp, track, breakdown)
                if thumb is not None and (not thumb.is_file() or abs(frame.timestamp - thumb_at) < 0.5 / self._fps):
                    cv2.imwrite(str(thumb), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 85])
                vf = av.VideoFrame.from_ndarray(rgb[: vstream.height, : vstream.width], format="rgb24")
                for packet in vstream.encode(vf):
                    container.mux(packet)
            if vstream is None:
                return
            for packet in vstream.encode():
                container.mux(packet)
            if astream is not None and audio is not None:
                _encode_audio(container, astream, audio)
        finally:
            container.close()


def _encode_audio(container: av.container.OutputContainer, stream: av.audio.stream.AudioStream,
                  samples: npt.NDArray[Any]) -> None:
    block = 1024
    pts = 0
    data = samples.astype(np.float32)
    for i in range(0, data.shape[0], block):
        chunk = data[i:i + block]
        frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = AUDIO_RATE
        frame.pts = pts
        pts += chunk.shape[0]
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)


def _thumbnail_time(b: Breakdown | None) -> float:
    """The middle of the first step: the dancer is in a characteristic pose, not standing still at the start."""
    if b is None or not b.steps:
        return 0.0
    return 0.5 * (b.steps[0].start + b.steps[0].end)


def _pose_at(track: PoseTrack, t: float) -> npt.NDArray[Any] | None:
    if track.frame_count == 0:
        return None
    i = int(np.argmin(np.abs(track.timestamps - t)))
    if abs(track.timestamps[i] - t) > 0.2 or track.presence[i] < 0.5:
        return None
    return np.asarray(track.landmarks[i, :, :2], dtype=np.float64)


def _colour(a: int, b: int) -> tuple[int, int, int]:
    if a % 2 == 1 and b % 2 == 1 and a > 10:
        return LEFT_COLOUR
    if a % 2 == 0 and b % 2 == 0 and a > 10:
        return RIGHT_COLOUR
    return CENTRE_COLOUR


def _draw(rgb: npt.NDArray[Any], t: float, track: PoseTrack, b: Breakdown) -> None:
    h, w = rgb.shape[:2]
    sx, sy = w / track.width, h / track.height
    pose = _pose_at(track, t)
    thick = max(2, round(min(w, h) / 180))
    if pose is not None and np.isfinite(pose).all():
        pts = np.column_stack([pose[:, 0] * sx, pose[:, 1] * sy]).astype(np.int32)
        for a, c in BONES:
            cv2.line(rgb, tuple(int(v) for v in pts[a]), tuple(int(v) for v in pts[c]), _colour(a, c), thick,
                     cv2.LINE_AA)
        for j in {j for bone in BONES for j in bone}:
            cv2.circle(rgb, tuple(int(v) for v in pts[j]), thick + 1, CENTRE_COLOUR, -1, cv2.LINE_AA)
    step = next((s for s in b.steps if s.start <= t < s.end), None)
    scale = min(w, h) / 600
    if step is not None:
        label = f"Step {step.number}/{len(b.steps)}: {step.text.step_name}"
        count = b.grid.count_of(int(np.searchsorted(b.grid.beats, t + 1e-6)) - 1)
        cv2.rectangle(rgb, (0, 0), (w, int(44 * scale)), (0, 0, 0), -1)
        cv2.putText(rgb, label, (int(10 * scale), int(30 * scale)), cv2.FONT_HERSHEY_SIMPLEX, 0.8 * scale,
                    CENTRE_COLOUR, max(1, round(2 * scale)), cv2.LINE_AA)
        cv2.putText(rgb, str(count), (w - int(50 * scale), int(32 * scale)), cv2.FONT_HERSHEY_SIMPLEX, 1.0 * scale,
                    LEFT_COLOUR, max(1, round(2 * scale)), cv2.LINE_AA)
    _timeline(rgb, t, b, scale)


def _timeline(rgb: npt.NDArray[Any], t: float, b: Breakdown, scale: float) -> None:
    h, w = rgb.shape[:2]
    top = h - int(36 * scale)
    cv2.rectangle(rgb, (0, top), (w, h), (0, 0, 0), -1)
    span = max(b.duration, 1e-3)

    def x(time: float) -> int:
        return int(np.clip(time / span, 0, 1) * (w - 1))

    bounds = {round(s.start, 3) for s in b.steps} | {round(s.end, 3) for s in b.steps}
    for beat in b.grid.beats:
        tall = round(float(beat), 3) in bounds
        cv2.line(rgb, (x(beat), h - int((30 if tall else 12) * scale)), (x(beat), h - 2),
                 LEFT_COLOUR if tall else CENTRE_COLOUR, 1)
    cv2.line(rgb, (x(t), top), (x(t), h), RIGHT_COLOUR, max(1, round(2 * scale)))
    nearest = float(np.min(np.abs(b.grid.beats - t))) if b.grid.count else 1.0
    if nearest < 0.07:  # flash on the beat
        cv2.circle(rgb, (w - int(24 * scale), top - int(24 * scale)), int(14 * scale), LEFT_COLOUR, -1, cv2.LINE_AA)
