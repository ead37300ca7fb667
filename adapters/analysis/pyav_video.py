"""VideoDecoder on PyAV (FFmpeg): probing by content, upright frames sampled at an analysis rate, mono audio."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import av
import av.error
import numpy as np
import numpy.typing as npt

from application.ports.analysis import AudioTrack, Frame, MediaError, UInt8Image, VideoDecoder, VideoInfo

# FFmpeg demuxers we accept; anything else (images, raw streams, text) is not a video we analyse.
_SUPPORTED_FORMATS = ("mov", "mp4", "avi", "matroska", "webm")


def _open(path: Path) -> av.container.InputContainer:
    if not path.is_file():
        raise MediaError(f"{path.name}: file not found")
    try:
        # FFmpeg probes the bytes; the extension plays no part in accepting the file.
        return av.open(str(path), mode="r", metadata_errors="ignore")
    except av.error.InvalidDataError as exc:
        raise MediaError(f"{path.name} is not a video file FFmpeg can read ({exc.strerror})") from exc
    except (av.error.FFmpegError, OSError) as exc:
        raise MediaError(f"{path.name} cannot be opened as a video: {exc}") from exc


def _video_stream(container: av.container.InputContainer, name: str) -> av.video.stream.VideoStream:
    fmt_names = set(container.format.name.split(","))
    if not fmt_names.intersection(_SUPPORTED_FORMATS):
        raise MediaError(f"{name} is a {container.format.long_name} file, not an mp4, mov, avi or webm video")
    for stream in container.streams.video:
        # Cover art is stored as a one-picture video stream; it is not a video.
        if stream.disposition & av.stream.Disposition.attached_pic:
            continue
        return stream
    raise MediaError(f"{name} has no video stream")


def _rotation_cw(frame: av.VideoFrame, stream: av.video.stream.VideoStream) -> int:
    """Clockwise degrees that make a decoded frame upright.

    The display matrix (what phones write) reaches the frame as side data; PyAV reports it counter-clockwise.
    Older muxers only leave a clockwise ``rotate`` tag.
    """
    ccw = round(frame.rotation or 0)
    if ccw:
        return (-ccw) % 360
    tag = stream.metadata.get("rotate")
    if tag:
        try:
            return round(float(tag)) % 360
        except ValueError:
            return 0
    return 0


def _upright(rgb: UInt8Image, rotation_cw: int) -> UInt8Image:
    if rotation_cw % 360 == 0:
        return rgb
    # np.rot90 turns counter-clockwise for positive k.
    return np.ascontiguousarray(np.rot90(rgb, k=-(rotation_cw // 90)))


def _scaled_size(width: int, height: int, max_side: int | None) -> tuple[int, int]:
    if max_side is None or max(width, height) <= max_side:
        return width, height
    scale = max_side / max(width, height)
    # Even sizes keep swscale on its fast paths.
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


class PyAvVideoDecoder(VideoDecoder):
    """Decodes with FFmpeg's own threads; frames are converted (and downscaled) only when sampled."""

    def __init__(self, threads: int = 0) -> None:
        self._threads = threads  # 0: FFmpeg picks one per core

    def _prepare(self, stream: av.video.stream.VideoStream) -> None:
        stream.thread_type = "AUTO"
        if self._threads:
            stream.codec_context.thread_count = self._threads

    def probe(self, path: Path) -> VideoInfo:
        with _open(path) as container:
            stream = _video_stream(container, path.name)
            self._prepare(stream)
            first = self._first_frame(container, stream, path.name)
            rotation = _rotation_cw(first, stream)
            w, h = first.width, first.height
            if rotation in (90, 270):
                w, h = h, w
            fps = float(stream.average_rate or stream.guessed_rate or 0.0)
            duration = self._duration(container, stream)
            frame_count = stream.frames or (round(duration * fps) if fps else 0)
            return VideoInfo(
                container=container.format.name,
                codec=stream.codec_context.name,
                width=w,
                height=h,
                rotation=rotation,
                fps=fps,
                duration=duration,
                frame_count=int(frame_count),
                has_audio=len(container.streams.audio) > 0,
            )

    @staticmethod
    def _first_frame(
        container: av.container.InputContainer, stream: av.video.stream.VideoStream, name: str
    ) -> av.VideoFrame:
        try:
            for frame in container.decode(stream):
                return frame
        except av.error.FFmpegError as exc:
            raise MediaError(f"{name} is damaged: its video cannot be decoded ({exc.strerror})") from exc
        raise MediaError(f"{name} is damaged or empty: its video stream holds no frame")

    @staticmethod
    def _duration(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> float:
        # Some muxers leave the stream duration at 0; the container's is then the one to trust.
        if stream.duration and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
        if container.duration:
            return float(container.duration / av.time_base)
        return 0.0

    def frames(self, path: Path, sample_fps: float, max_side: int | None = None) -> Iterator[Frame]:
        if sample_fps <= 0:
            raise ValueError("sample_fps must be positive")
        with _open(path) as container:
            stream = _video_stream(container, path.name)
            self._prepare(stream)
            start = 0.0
            if stream.start_time is not None and stream.time_base is not None:
                start = float(stream.start_time * stream.time_base)
            step = 1.0 / sample_fps
            next_t = 0.0
            index = 0
            rotation: int | None = None
            size: tuple[int, int] | None = None
            decoded = 0
            try:
                for frame in container.decode(stream):
                    decoded += 1
                    if frame.pts is None or frame.time is None:
                        continue
                    t = float(frame.time) - start
                    # Half a source frame of tolerance keeps e.g. 30 -> 15 fps at exactly every other frame.
                    if t + 1e-3 < next_t:
                        continue
                    next_t = (math.floor(t / step + 1e-6) + 1) * step
                    if rotation is None:
                        rotation = _rotation_cw(frame, stream)
                        size = _scaled_size(frame.width, frame.height, max_side)
                    assert size is not None
                    # One swscale call converts to RGB and downscales; far cheaper than two numpy passes.
                    rgb: UInt8Image = np.asarray(
                        frame.to_ndarray(width=size[0], height=size[1], format="rgb24"), dtype=np.uint8
                    )
                    yield Frame(index=index, timestamp=t, rgb=_upright(rgb, rotation))
                    index += 1
            except av.error.FFmpegError as exc:
                raise MediaError(f"{path.name} is damaged: decoding stopped ({exc.strerror})") from exc
            if decoded == 0:
                raise MediaError(f"{path.name} is damaged or empty: its video stream holds no frame")

    def audio(self, path: Path, sample_rate: int) -> AudioTrack | None:
        with _open(path) as container:
            if not container.streams.audio:
                return None
            stream = container.streams.audio[0]
            stream.codec_context.thread_type = "AUTO"
            resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
            chunks: list[npt.NDArray[np.float32]] = []
            try:
                for frame in container.decode(stream):
                    for out in resampler.resample(frame):
                        chunks.append(np.asarray(out.to_ndarray(), dtype=np.float32).reshape(-1))
                for out in resampler.resample(None):
                    chunks.append(np.asarray(out.to_ndarray(), dtype=np.float32).reshape(-1))
            except av.error.FFmpegError as exc:
                raise MediaError(f"{path.name} is damaged: its sound track cannot be decoded ({exc.strerror})") from exc
            if not chunks:
                return None
            samples = np.concatenate(chunks).astype(np.float32, copy=False)
            return AudioTrack(samples=samples, sample_rate=sample_rate)
