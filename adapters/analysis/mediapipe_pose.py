"""PoseEstimator on MediaPipe's legacy Pose solution (BlazePose GHUM "full", tracking across frames).

The solution follows one person. About once a second a second graph in static-image mode (person detector, then
landmarks) looks at the frame with the followed person blanked out, to count the people beside them
(:mod:`adapters.analysis.person_probe`); what it finds is counted, never tracked.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Any

import numpy as np
import numpy.typing as npt

from adapters.analysis.person_probe import (
    MARGIN,
    MAX_OTHERS,
    PROBE_EVERY_S,
    Box,
    Followed,
    ProbeClock,
    blank,
    is_other_person,
)
from application.ports.analysis import Frame, PoseEstimator
from domain.analysis.identity import people_seen_by_probes
from domain.analysis.pose import NUM_LANDMARKS, PoseTrack

# Only the "full" model ships inside the mediapipe 0.10.21 wheel; "lite" (0) and "heavy" (2) are fetched from
# the network on first use, which must never happen in production or tests.
_MODEL_COMPLEXITY = 1


class MediaPipePoseEstimator(PoseEstimator):
    """One MediaPipe graph per instance. The graph keeps tracking state, so ``estimate`` resets it per video."""

    name = "mediapipe"

    def __init__(
        self,
        *,
        model_complexity: int = _MODEL_COMPLEXITY,
        min_detection_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
        smooth_landmarks: bool = False,  # raw like the ONNX adapter: the scoring applies one 6 Hz filter to both
        probe_every_s: float = PROBE_EVERY_S,  # 0: never look for other people
    ) -> None:
        if model_complexity != _MODEL_COMPLEXITY:
            raise ValueError(
                f"model_complexity={model_complexity} is not available offline; only 1 (full) ships in the wheel"
            )
        self._options: dict[str, Any] = {
            "static_image_mode": False,
            "model_complexity": _MODEL_COMPLEXITY,
            "smooth_landmarks": smooth_landmarks,
            "enable_segmentation": False,
            "min_detection_confidence": min_detection_confidence,
            "min_tracking_confidence": min_tracking_confidence,
        }
        self._pose: Any = None
        self._probe_pose: Any = None
        self.probe_every_s = probe_every_s
        self._building = threading.Lock()

    def _graph(self) -> Any:
        with self._building:  # a warm-up thread and a first job must not build two graphs
            if self._pose is None:
                # Imported lazily: loading mediapipe costs about a second and pulls in TensorFlow Lite.
                from mediapipe.python.solutions import pose as mp_pose

                self._pose = mp_pose.Pose(**self._options)
            return self._pose

    def _probe_graph(self) -> Any:
        with self._building:
            if self._probe_pose is None:
                from mediapipe.python.solutions import pose as mp_pose

                self._probe_pose = mp_pose.Pose(**{**self._options, "static_image_mode": True})
            return self._probe_pose

    def _others(self, rgb: npt.NDArray[np.uint8], raw: npt.NDArray[np.float64]) -> int | None:
        """People found beside the followed one (``raw``: their normalised landmarks); None when the followed
        pose gives no box to blank out."""
        h, w = rgb.shape[:2]
        pts = raw * np.array([w, h, w, 1.0])
        followed = Followed.of(pts, w, h)
        if followed is None:
            return None
        image = blank(rgb, followed.box)
        found = 0
        for _ in range(MAX_OTHERS):
            result = self._probe_graph().process(image)
            if result.pose_landmarks is None:
                break
            other = np.array([(p.x * w, p.y * h, p.z * w, p.visibility) for p in result.pose_landmarks.landmark])
            box = Box.around(other)
            if box is None or not is_other_person(other, followed):
                break
            found += 1
            image = blank(image, box.widened(MARGIN, w, h))
        return found

    @property
    def loaded(self) -> bool:
        return self._pose is not None

    def warm_up(self) -> None:
        self._graph()
        if self.probe_every_s > 0:
            self._probe_graph()

    def estimate(self, frames: Iterable[Frame], width: int, height: int) -> PoseTrack:
        pose = self._graph()
        # Tracking state from a previous video would seed the first frames with a wrong region.
        pose.reset()
        times: list[float] = []
        marks: list[npt.NDArray[np.float64]] = []
        worlds: list[npt.NDArray[np.float64]] = []
        presence: list[float] = []
        clock = ProbeClock(self.probe_every_s)
        for frame in frames:
            result = pose.process(frame.rgb)
            lm = np.full((NUM_LANDMARKS, 4), np.nan)
            wl = np.full((NUM_LANDMARKS, 3), np.nan)
            present = 0.0
            if result.pose_landmarks is not None:
                raw = np.array(
                    [(p.x, p.y, p.z, p.visibility) for p in result.pose_landmarks.landmark], dtype=np.float64
                )
                # Normalised to the (possibly downscaled) frame; report in the track's full-size pixels.
                lm[:, 0] = raw[:, 0] * width
                lm[:, 1] = raw[:, 1] * height
                lm[:, 2] = raw[:, 2] * width
                lm[:, 3] = raw[:, 3]
                present = 1.0
                if clock.due(frame.timestamp):
                    others = self._others(frame.rgb, raw)
                    if others is not None:
                        clock.record(frame.timestamp, others)
                if result.pose_world_landmarks is not None:
                    wl = np.array(
                        [(p.x, p.y, p.z) for p in result.pose_world_landmarks.landmark], dtype=np.float64
                    )
            else:
                lm[:, 3] = 0.0
            times.append(frame.timestamp)
            marks.append(lm)
            worlds.append(wl)
            presence.append(present)
        return PoseTrack.from_frames(
            times, marks, worlds, presence, width, height, people_seen=people_seen_by_probes(clock.found)
        )

    def close(self) -> None:
        for graph in (self._pose, self._probe_pose):
            if graph is not None:
                graph.close()
        self._pose = self._probe_pose = None

    def __enter__(self) -> MediaPipePoseEstimator:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __del__(self) -> None:
        # Last resort only; callers close explicitly or use ``with``.
        with contextlib.suppress(Exception):
            self.close()
