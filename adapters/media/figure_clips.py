"""FigureClipWriter with OpenCV and PyAV: draws a landmark track as a figure and encodes it as an H.264 MP4."""

from __future__ import annotations

from pathlib import Path

import av
import cv2
import numpy as np
import numpy.typing as npt

from application.choreography.ports import FigureClipWriter

# (from, to, thickness in px) of the limbs; BlazePose indices
_LIMBS = ((11, 13, 9), (13, 15, 8), (12, 14, 9), (14, 16, 8), (23, 25, 12), (25, 27, 10), (24, 26, 12),
          (26, 28, 10), (27, 31, 7), (28, 32, 7), (11, 12, 10), (23, 24, 12))
_SKIN, _SHIRT, _TROUSERS, _FLOOR = (205, 170, 140), (180, 60, 70), (50, 55, 80), (225, 215, 200)


class OpenCvFigureClipWriter(FigureClipWriter):
    def write(self, path: Path, times: npt.NDArray[np.float64], landmarks: npt.NDArray[np.float64], width: int,
              height: int, fps: float) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part.mp4")
        with av.open(str(tmp), mode="w") as out:
            stream = out.add_stream("libx264", rate=round(fps), options={"preset": "veryfast", "crf": "23"})
            stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
            for n in range(times.size):
                frame = av.VideoFrame.from_ndarray(self._draw(landmarks[n], width, height), format="rgb24")
                frame.pts = n
                for packet in stream.encode(frame):
                    out.mux(packet)
            for packet in stream.encode(None):
                out.mux(packet)
        tmp.replace(path)  # a reader never finds half a clip

    @staticmethod
    def _draw(lm: npt.NDArray[np.float64], width: int, height: int) -> npt.NDArray[np.uint8]:
        img = np.empty((height, width, 3), dtype=np.uint8)
        img[:] = (240, 236, 228)
        img[int(0.8 * height):] = _FLOOR
        pt = {j: (int(np.rint(lm[j, 0])), int(np.rint(lm[j, 1]))) for j in range(lm.shape[0])}
        torso = np.array([pt[11], pt[12], pt[24], pt[23]], dtype=np.int32)
        cv2.fillConvexPoly(img, torso, _SHIRT, lineType=cv2.LINE_AA)
        for a, b, thick in _LIMBS:
            colour = _TROUSERS if a >= 23 else _SHIRT if (a, b) in ((11, 13), (12, 14), (11, 12)) else _SKIN
            cv2.line(img, pt[a], pt[b], colour, thick, lineType=cv2.LINE_AA)
        for j in (15, 16):
            cv2.circle(img, pt[j], 6, _SKIN, -1, lineType=cv2.LINE_AA)
        neck = ((pt[11][0] + pt[12][0]) // 2, (pt[11][1] + pt[12][1]) // 2)
        cv2.line(img, neck, pt[0], _SKIN, 9, lineType=cv2.LINE_AA)
        cv2.circle(img, (pt[0][0], pt[0][1] - 4), 17, (60, 40, 30), -1, lineType=cv2.LINE_AA)  # hair
        cv2.circle(img, (pt[0][0], pt[0][1] + 2), 14, _SKIN, -1, lineType=cv2.LINE_AA)
        return img
