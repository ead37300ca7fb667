"""Pose tracks: what a pose estimator sees in a video, as plain arrays.

Landmark order is BlazePose's 33 points (MediaPipe Pose, "BlazePose GHUM 3D"):
0 nose, 1-6 eyes, 7-8 ears, 9-10 mouth, 11/12 shoulders, 13/14 elbows, 15/16 wrists,
17-22 hand points, 23/24 hips, 25/26 knees, 27/28 ankles, 29/30 heels, 31/32 foot index.
Odd indices are the subject's left side.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

NUM_LANDMARKS = 33


class Landmark(IntEnum):
    NOSE = 0
    LEFT_EAR = 7
    RIGHT_EAR = 8
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


# Pairs swapped when a pose is mirrored left/right.
MIRROR_PAIRS: tuple[tuple[int, int], ...] = (
    (1, 4), (2, 5), (3, 6), (7, 8), (9, 10), (11, 12), (13, 14), (15, 16), (17, 18), (19, 20),
    (21, 22), (23, 24), (25, 26), (27, 28), (29, 30), (31, 32),
)


@dataclass(frozen=True, slots=True)
class PoseTrack:
    """A sampled pose track of one person.

    - ``timestamps``: (T,) seconds from the start of the video.
    - ``landmarks``: (T, 33, 4) x, y in image pixels (origin top-left, y down), z in the same pixel
      scale relative to the hips (smaller is nearer the camera), visibility 0..1. A frame with no
      person holds NaN in x, y, z and 0 in visibility.
    - ``world``: (T, 33, 3) metres, hip-centred (NaN where no person).
    - ``presence``: (T,) probability that a person is in the frame.
    - ``width``, ``height``: the upright frame size in pixels (after rotation metadata).
    - ``people_seen``: how many people the pose estimator saw at once at most (it follows one of them).
    """

    timestamps: FloatArray
    landmarks: FloatArray
    world: FloatArray
    presence: FloatArray
    width: int
    height: int
    people_seen: int = 1

    def __post_init__(self) -> None:
        t = self.timestamps.shape[0]
        if self.landmarks.shape != (t, NUM_LANDMARKS, 4):
            raise ValueError(f"landmarks must be (T, 33, 4), got {self.landmarks.shape}")
        if self.world.shape != (t, NUM_LANDMARKS, 3):
            raise ValueError(f"world must be (T, 33, 3), got {self.world.shape}")
        if self.presence.shape != (t,):
            raise ValueError(f"presence must be (T,), got {self.presence.shape}")

    @staticmethod
    def from_frames(
        timestamps: list[float], landmarks: list[FloatArray], world: list[FloatArray], presence: list[float],
        width: int, height: int, people_seen: int = 1,
    ) -> PoseTrack:
        """Stack per-frame arrays (33x4 landmarks, 33x3 world) into a track; an empty list gives an empty track."""
        n = len(timestamps)
        return PoseTrack(
            timestamps=np.asarray(timestamps, dtype=np.float64),
            landmarks=np.stack(landmarks) if n else np.zeros((0, NUM_LANDMARKS, 4)),
            world=np.stack(world) if n else np.zeros((0, NUM_LANDMARKS, 3)),
            presence=np.asarray(presence, dtype=np.float64),
            width=width,
            height=height,
            people_seen=people_seen,
        )

    @property
    def frame_count(self) -> int:
        return int(self.timestamps.shape[0])

    @property
    def duration(self) -> float:
        if self.frame_count < 2:
            return 0.0
        return float(self.timestamps[-1] - self.timestamps[0])

    @property
    def sample_rate(self) -> float:
        """Frames per second of the track: frames over the time they span, from the decoder's timestamps.

        Not 1 / the median gap: sampling 15 frames/s from a 24 frames/s source alternates 1- and 2-frame gaps
        (the median says 12 frames/s), from 50 frames/s it alternates 3- and 4-frame gaps (16.7).
        """
        if self.frame_count < 2 or self.duration <= 0:
            return 0.0
        return float((self.frame_count - 1) / self.duration)

    def frame_seconds(self) -> FloatArray:
        """Seconds of video each frame stands for: half the gap to each neighbour.

        They add up to the span of the track (first to last timestamp), so seconds counted from frames never
        exceed the video, whatever the spacing of the frames.
        """
        n = self.frame_count
        if n < 2:
            return np.zeros(n)
        gaps = np.diff(self.timestamps)
        return np.asarray(0.5 * (np.concatenate(([0.0], gaps)) + np.concatenate((gaps, [0.0]))), dtype=np.float64)

    def detected(self, min_presence: float = 0.5) -> npt.NDArray[np.bool_]:
        """Frames that hold a person."""
        mask: npt.NDArray[np.bool_] = (self.presence >= min_presence) & np.isfinite(self.landmarks[:, 0, 0])
        return mask


@dataclass(frozen=True, slots=True)
class BeatGrid:
    """The music's pulse: tempo and beat times in seconds, from audio or from a stated tempo."""

    tempo_bpm: float
    beat_times: FloatArray
    source: str  # "audio" (measured from the sound track) or "target_bpm" (given by the caller)
