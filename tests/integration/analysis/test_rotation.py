"""Rotation metadata: a portrait phone video is decoded upright."""

from __future__ import annotations

import av
import numpy as np

from adapters.analysis.pyav_video import PyAvVideoDecoder
from tests.support.media import rotate_90_in_header


def test_display_matrix_rotation_is_applied(tmp_path):
    source = tmp_path / "landscape.mp4"
    with av.open(str(source), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=15)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        image = np.zeros((120, 160, 3), np.uint8)
        image[:12, :, 0] = 255  # a red band along the top edge
        for _ in range(15):
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    decoder = PyAvVideoDecoder()
    plain = decoder.probe(source)
    assert (plain.width, plain.height, plain.rotation) == (160, 120, 0)

    rotated = rotate_90_in_header(source, tmp_path / "portrait.mp4")
    info = decoder.probe(rotated)
    assert (info.width, info.height, info.rotation) == (120, 160, 90)
    frame = next(decoder.frames(rotated, 15.0))
    assert frame.rgb.shape == (160, 120, 3)
    # Turned a quarter clockwise, the top band now runs down the right edge.
    assert frame.rgb[:, -10:, 0].mean() > 200 and frame.rgb[:, :10, 0].mean() < 40
