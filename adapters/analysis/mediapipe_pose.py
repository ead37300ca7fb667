"""PoseEstimator on MediaPipe's legacy Pose solution (BlazePose GHUM "full", tracking across frames)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Any

import numpy as np
import numpy.typing as npt

from application.ports.analysis import Frame, PoseEstimator
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
        self._building = threading.Lock()

    def _graph(self) -> Any:
        with self._building:  # a warm-up thread and a first job must not build two graphs
            if self._pose is None:
                # Imported lazily: loading mediapipe costs about a second and pulls in TensorFlow Lite.
                from mediapipe.python.solutions import pose as mp_pose

                self._pose = mp_pose.Pose(**self._options)
            return self._pose

    @property
    def loaded(self) -> bool:
        return self._pose is not None

    def warm_up(self) -> None:
        self._graph()

    def estimate(self, frames: Iterable[Frame], width: int, height: int) -> PoseTrack:
        pose = self._graph()
        # Tracking state from a previous video would seed the first frames with a wrong region.
        pose.reset()
        times: list[float] = []
        marks: list[npt.NDArray[np.float64]] = []
        worlds: list[npt.NDArray[np.float64]] = []
        presence: list[float] = []
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
        return PoseTrack.from_frames(times, marks, worlds, presence, width, height)

    def close(self) -> None:
        if self._pose is not None:
            self._pose.close()
            self._pose = None

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
