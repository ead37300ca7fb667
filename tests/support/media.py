"""Small videos made on the spot for failure cases (a real decoder reads them)."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np


def write_clip(path: Path, *, seconds: float, width: int = 160, height: int = 120, fps: int = 15,
               textured: bool = True) -> Path:
    """An H.264 clip of a static, person-free scene (a noise texture or flat grey)."""
    rng = np.random.default_rng(7)
    base = rng.integers(0, 255, (height, width, 3), dtype=np.uint8) if textured else \
        np.full((height, width, 3), 128, dtype=np.uint8)
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for i in range(int(seconds * fps)):
            frame = av.VideoFrame.from_ndarray(np.roll(base, i, axis=1), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def rotate_90_in_header(path: Path, target: Path) -> Path:
    """Copy an mp4 and write a 90-degree display matrix into its track header, as phones do for portrait."""
    import struct

    data = bytearray(path.read_bytes())
    at = data.find(b"tkhd")
    version = data[at + 4]
    # 'tkhd', version+flags, times/ids/duration (20 or 32 bytes), reserved/layer/group/volume (16), then the matrix.
    offset = at + 4 + 4 + (20 if version == 0 else 32) + 16
    data[offset:offset + 36] = struct.pack(">9i", 0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000)
    target.write_bytes(bytes(data))
    return target
