"""PoseEstimator on ONNX Runtime running the BlazePose GHUM "full" landmark model.

The landmark model needs a square crop around the person, upright and 1.25x the body's enclosing circle.
MediaPipe gets it from a detector on the first frame and from the previous frame's landmarks after that
(auxiliary points 33 = hip centre and 34 = top of the circle). The detector is not available as ONNX, so this
adapter tracks from the previous frame's landmarks exactly as MediaPipe does, and when there is no previous pose
it searches: the padded whole frame plus three squares along its long side, keeping the most confident, then one
tighter run from that result.

MediaPipe does not cut the next crop from the raw auxiliary points: its graph always smooths them with a One Euro
filter first (``_RoiFilter``), even with ``smooth_landmarks`` off, and this adapter does the same. Without it the
crop followed every wobble of the points and the landmarks inside it wobbled more: on the golf swing clip (a
slow, small body) the body joints' movement above 6 Hz was 0.0041 torso lengths RMS against MediaPipe's 0.0030,
and smoothness scored 8.6 against 11.9; with it 0.0034 and 11.0. Only the crop is smoothed, never the landmarks
reported. ``smooth_crop=False`` keeps the raw points, for the move library: on its 58 couple clips the smoothed
crop, lagging behind a partner's turn, slid onto the other partner more often (15 jumps over 0.75 torso lengths
in all, 10 clips with any, against 8 and 8 with the raw points), and its committed records were captured raw.

About once a second the landmark model also looks beside the followed person, on the strips left and right of their
blanked-out box, to count the other people in the picture (:mod:`adapters.analysis.person_probe`); they are counted,
never tracked.

Measured on the shared clips against the MediaPipe adapter (2-core CPU): tracking from the previous frame agrees
to a median 0.03 torso lengths; cropping a batch of 8 frames from the pose before the batch (the obvious way to
batch) drifted to 0.07-0.11 with a 1.5x margin. On CPU, batch 8 is no faster per frame than batch 1 (about 10 ms),
so the default is batch 1. For accelerators, ``batch_size > 1`` batches across independent segments of a window
(each still tracked frame to frame), which keeps the accuracy at the cost of one extra run per segment start.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import cv2
import numpy as np
import numpy.typing as npt
import onnxruntime as ort

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

_INPUT_SIZE = 256
_NUM_OUT = 39  # 33 landmarks + 6 auxiliary ROI points
_ROI_CENTRE, _ROI_TOP = 33, 34  # hip centre and a point on the body's enclosing circle, as in MediaPipe
_MEDIAPIPE_SCALE = 1.25
# MediaPipe's Python solution stamps its n-th frame n * 33.333 ms whatever the video's rate
# (mediapipe/python/solution_base.py, "simulate the 30 fps video"), and its crop filter runs on that clock.
_MEDIAPIPE_FRAME_STEP_S = 0.033333

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class _Roi:
    cx: float
    cy: float
    size: float  # side of the square, image pixels
    angle: float  # radians; the crop is turned by this so the body stands upright in it

    def to_crop(self) -> F64:
        """Affine map image -> crop pixels (2x3)."""
        s = _INPUT_SIZE / self.size
        c, n = math.cos(self.angle), math.sin(self.angle)
        # Rotate about the centre by -angle, scale, then move the centre to the middle of the crop.
        return np.array(
            [
                [s * c, s * n, _INPUT_SIZE / 2 - s * (c * self.cx + n * self.cy)],
                [-s * n, s * c, _INPUT_SIZE / 2 - s * (-n * self.cx + c * self.cy)],
            ]
        )


class _RoiFilter:
    """The One Euro filter (Casiez, Roussel & Vogel (2012) "1€ filter: a simple speed-based low-pass filter for
    noisy input in interactive systems", CHI '12) that MediaPipe's pose graph always runs on the two auxiliary
    points before it cuts the next crop from them (``pose_landmark_filtering.pbtxt``: min_cutoff 0.01, beta 1.0,
    derivate_cutoff 1.0, whatever ``smooth_landmarks`` says), so a dancer standing still gets a still crop.

    Per coordinate, at rate ``r`` (1 / the time since the last point)::

        alpha(fc) = 1 / (1 + r / (2 pi fc))
        dx  = (x - x_last_raw) * r / object_scale     # object_scale: mean of the points' bounding-box sides
        edx = lowpass(dx, alpha(derivate_cutoff))
        x^  = lowpass(x, alpha(min_cutoff + beta * |edx|))

    The first point after a reset passes unfiltered; a reset follows every frame without a person.
    """

    def __init__(self, min_cutoff: float = 0.01, beta: float = 1.0, derivate_cutoff: float = 1.0) -> None:
        self._min_cutoff, self._beta, self._d_cutoff = min_cutoff, beta, derivate_cutoff
        self.reset()

    def reset(self) -> None:
        self._t: float | None = None
        self._raw: F64 | None = None
        self._x: F64 | None = None
        self._dx: F64 | None = None

    @staticmethod
    def _alpha(cutoff: F64 | float, rate: float) -> F64:
        return np.asarray(1.0 / (1.0 + rate / (2.0 * math.pi * np.asarray(cutoff))), dtype=np.float64)

    def __call__(self, t: float, points: F64) -> F64:
        sides = points.max(axis=0) - points.min(axis=0)
        scale = float(sides.mean())
        if scale < 1e-6 or (self._t is not None and t <= self._t):
            return points
        if self._t is None or self._raw is None or self._x is None or self._dx is None:
            self._t, self._raw, self._x, self._dx = t, points.copy(), points.copy(), np.zeros_like(points)
            return points
        rate = 1.0 / (t - self._t)
        dx = (points - self._raw) * rate / scale
        self._dx = self._dx + self._alpha(self._d_cutoff, rate) * (dx - self._dx)
        a = self._alpha(self._min_cutoff + self._beta * np.abs(self._dx), rate)
        self._x = self._x + a * (points - self._x)
        self._t, self._raw = t, points.copy()
        return self._x.copy()


def _sigmoid(x: F32) -> F32:
    out: F32 = 1.0 / (1.0 + np.exp(-np.clip(x, -60.0, 60.0)))
    return out


class OnnxPoseEstimator(PoseEstimator):
    name = "onnx"

    def __init__(
        self,
        model_path: str | Path,
        *,
        providers: Sequence[str] | None = None,
        intra_op_threads: int | None = None,
        batch_size: int = 1,
        segment_length: int = 16,
        min_presence: float = 0.5,
        rotate: bool = True,
        spin: bool = False,
        search_every: int = 3,
        probe_every_s: float = PROBE_EVERY_S,  # 0: never look for other people
        smooth_crop: bool = True,  # MediaPipe's crop filter (see the module docstring); False: raw points
    ) -> None:
        path = Path(model_path)
        if not path.is_file():
            raise FileNotFoundError(f"ONNX pose model not found at {path}")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = intra_op_threads if intra_op_threads else (os.cpu_count() or 1)
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if not spin:
            # Spinning worker threads fight the decoder thread for the few cores of a CPU box.
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        available = set(ort.get_available_providers())
        wanted = list(providers) if providers else ["CPUExecutionProvider"]
        chosen = [p for p in wanted if p in available] or ["CPUExecutionProvider"]
        self._session: ort.InferenceSession | None = ort.InferenceSession(str(path), opts, providers=chosen)
        self.providers = self._session.get_providers()
        self._batch = max(1, batch_size)
        self._segment = max(1, segment_length)
        # While nobody is in view, searching every frame costs four runs a frame for nothing; every third
        # sampled frame (0.2 s at 15 fps) re-acquires the dancer soon enough.
        self._search_every = max(1, search_every)
        self._min_presence = min_presence
        self._rotate = rotate
        self.probe_every_s = probe_every_s
        self._smooth_crop = smooth_crop
        self.stats = {"frames": 0, "reruns": 0, "probe_runs": 0}

    # --- geometry -------------------------------------------------------------------------------------
    @staticmethod
    def _whole_frame(width: int, height: int) -> _Roi:
        return _Roi(width / 2, height / 2, float(max(width, height)), 0.0)

    def _roi_from(self, aux_centre: F64, aux_top: F64, scale: float) -> _Roi:
        dx, dy = aux_top[0] - aux_centre[0], aux_top[1] - aux_centre[1]
        radius = math.hypot(dx, dy)
        # MediaPipe's target: the centre -> top vector points straight up (90 degrees) in the crop.
        angle = 0.0
        if self._rotate:
            angle = math.pi / 2 - math.atan2(-dy, dx)
            angle = (angle + math.pi) % (2 * math.pi) - math.pi
        return _Roi(float(aux_centre[0]), float(aux_centre[1]), max(2 * radius * scale, 8.0), angle)

    # --- inference ------------------------------------------------------------------------------------
    def _run(self, images: Sequence[npt.NDArray[np.uint8]], rois: Sequence[_Roi]) -> tuple[F64, F64, F64]:
        """Landmarks (B,39,5) in image pixels with sigmoid'ed visibility/presence, presence (B,), world (B,39,3)."""
        assert self._session is not None
        batch = np.empty((len(images), _INPUT_SIZE, _INPUT_SIZE, 3), dtype=np.float32)
        inverses = []
        for i, (img, roi) in enumerate(zip(images, rois, strict=True)):
            m = roi.to_crop()
            crop = cv2.warpAffine(
                img, m, (_INPUT_SIZE, _INPUT_SIZE), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT
            )
            np.multiply(crop, 1.0 / 255.0, out=batch[i], casting="unsafe")
            inverses.append(cv2.invertAffineTransform(m))
        raw, presence, world = self._session.run(["Identity", "Identity_1", "Identity_4"], {"input_1": batch})
        lm = raw.reshape(len(images), _NUM_OUT, 5).astype(np.float64)
        out = np.empty_like(lm)
        for i, inv in enumerate(inverses):
            xy1 = np.concatenate([lm[i, :, :2], np.ones((_NUM_OUT, 1))], axis=1)
            out[i, :, :2] = xy1 @ inv.T
            # z is in crop pixels: bring it to image pixels with the crop's scale.
            out[i, :, 2] = lm[i, :, 2] * (rois[i].size / _INPUT_SIZE)
        out[:, :, 3:] = _sigmoid(lm[:, :, 3:].astype(np.float32))
        return out, presence.reshape(-1).astype(np.float64), world.reshape(len(images), _NUM_OUT, 3).astype(np.float64)

    def _search_rois(self, width: int, height: int) -> list[_Roi]:
        """Crops tried when there is no pose to track: the padded frame, then squares along its long side.

        The squares stand in for MediaPipe's person detector (not available as ONNX): a person who is small in a
        wide frame is too small for the model in the padded whole frame but fills one of the squares.
        """
        rois = [self._whole_frame(width, height)]
        short, long_ = min(width, height), max(width, height)
        if long_ > 1.2 * short:
            for k in range(3):
                along = short / 2 + k * (long_ - short) / 2
                cx, cy = (along, height / 2) if width >= height else (width / 2, along)
                rois.append(_Roi(cx, cy, float(short), 0.0))
        return rois

    def _filtered_roi(self, filt: _RoiFilter, t: float, lm: F64) -> _Roi:
        if not self._smooth_crop:
            return self._own_roi(lm)
        aux = filt(t, lm[[_ROI_CENTRE, _ROI_TOP], :2])
        return self._roi_from(aux[0], aux[1], _MEDIAPIPE_SCALE)

    def _own_roi(self, lm: F64) -> _Roi:
        return self._roi_from(lm[_ROI_CENTRE, :2], lm[_ROI_TOP, :2], _MEDIAPIPE_SCALE)

    def _others(self, rgb: npt.NDArray[np.uint8], lm: F64) -> int | None:
        """People found beside the followed one (``lm``: their landmarks in this image's pixels), by the landmark
        model on the strips left and right of their blanked-out box; None when the pose gives no box.

        Each strip at least a fifth of the followed box's height wide gets crops of the followed person's crop
        size (a neighbour is about as large), centred on the strip at the followed person's height (two when the
        strip is wider than a crop); a crop sure of a person runs once more from that person's own crop.
        """
        h, w = rgb.shape[:2]
        followed = Followed.of(lm[:NUM_LANDMARKS, :4], w, h)
        if followed is None:
            return None
        box = followed.box
        image = blank(rgb, box)
        side = self._own_roi(lm).size
        cy = 0.5 * (box.y0 + box.y1)
        rois: list[_Roi] = []
        for a, b in ((0.0, box.x0), (box.x1, float(w))):
            if b - a < max(16.0, 0.2 * box.height):
                continue
            n = 1 if b - a <= side else 2
            rois.extend(_Roi(a + (k + 0.5) * (b - a) / n, cy, side, 0.0) for k in range(n))
        if not rois:
            return 0
        lm1, pres1, _ = self._run([image] * len(rois), rois)
        sure = [k for k in range(len(rois)) if pres1[k] >= self._min_presence]
        self.stats["probe_runs"] += len(rois) + len(sure)
        if not sure:
            return 0
        lm2, pres2, _ = self._run([image] * len(sure), [self._own_roi(lm1[k]) for k in sure])
        found: list[Box] = []
        for k in range(len(sure)):
            other = lm2[k, :NUM_LANDMARKS, :4]
            own = Box.around(other)
            if pres2[k] < self._min_presence or own is None or not is_other_person(other, followed):
                continue
            # Two crops on one person: count them once.
            if any(own.share_inside(seen) > 0.5 or seen.share_inside(own) > 0.5 for seen in found):
                continue
            found.append(own.widened(MARGIN, w, h))
        return min(len(found), MAX_OTHERS)

    def _infer(
        self, images: Sequence[npt.NDArray[np.uint8]], seeds: Sequence[_Roi | None], exact: Sequence[bool]
    ) -> tuple[F64, F64, F64]:
        """One frame per image, each from its seed crop, refined as MediaPipe would with its own result.

        ``exact`` says whether a seed comes from the frame just before (so the pose is already centred in it);
        otherwise, and after a search, the frame runs again from the crop its own landmarks give.
        """
        n = len(images)
        h, w = images[0].shape[:2]
        searched = [False] * n
        tighten = [s is None or not e for s, e in zip(seeds, exact, strict=True)]
        idx = [i for i in range(n) if seeds[i] is not None]
        lm = np.full((n, _NUM_OUT, 5), np.nan)
        pres = np.zeros(n)
        world = np.full((n, _NUM_OUT, 3), np.nan)
        if idx:
            lm[idx], pres[idx], world[idx] = self._run([images[i] for i in idx], [seeds[i] for i in idx])  # type: ignore[misc]
        for _ in range(3):
            jobs: list[tuple[int, _Roi]] = []
            for i in range(n):
                if pres[i] >= self._min_presence:
                    if tighten[i]:
                        jobs.append((i, self._own_roi(lm[i])))
                        tighten[i] = False
                elif not searched[i]:
                    searched[i] = True
                    tighten[i] = True
                    jobs.extend((i, roi) for roi in self._search_rois(w, h))
            if not jobs:
                break
            self.stats["reruns"] += len(jobs)
            lm2, pres2, world2 = self._run([images[i] for i, _ in jobs], [roi for _, roi in jobs])
            # Several search crops per frame: keep the one most sure of a person.
            best: dict[int, int] = {}
            for k, (i, _) in enumerate(jobs):
                if i not in best or pres2[k] > pres2[best[i]]:
                    best[i] = k
            for i, k in best.items():
                lm[i], pres[i], world[i] = lm2[k], pres2[k], world2[k]
        return lm, pres, world

    def estimate(self, frames: Iterable[Frame], width: int, height: int) -> PoseTrack:
        """Tracks frame to frame with MediaPipe's crop rule, batching across segments of a window.

        A crop from the frame just before is what makes the model accurate, and it makes frames depend on each
        other. So a window of ``batch_size * segment_length`` frames is cut into ``batch_size`` segments, each
        tracked on its own, and step j runs frame j of every segment in one batch. A segment other than the first
        starts from the last pose before the window and is refined once: one extra run per segment.
        """
        times: list[float] = []
        marks: list[F64] = []
        worlds: list[F64] = []
        presences: list[float] = []
        last: _Roi | None = None
        lost = self._search_every
        roi_filter = _RoiFilter()
        base = 0
        clock = ProbeClock(self.probe_every_s)
        window = self._batch * self._segment if self._batch > 1 else self._segment
        for chunk in _chunks(iter(frames), window):
            h, w = chunk[0].rgb.shape[:2]
            scale_x, scale_y = width / w, height / h
            k = min(self._batch, max(1, math.ceil(len(chunk) / self._segment)))
            seg_len = math.ceil(len(chunk) / k)
            segments = [chunk[s * seg_len : (s + 1) * seg_len] for s in range(k)]
            segments = [seg for seg in segments if seg]
            seeds: list[_Roi | None] = [last] * len(segments)
            exact = [True] + [False] * (len(segments) - 1)
            # Frames since the last search, per segment; a fresh segment searches at once.
            idle = [lost] + [self._search_every] * (len(segments) - 1)
            # The crop filter follows its segment; a segment other than the first starts afresh.
            filters = [roi_filter] + [_RoiFilter() for _ in segments[1:]]
            results: dict[int, tuple[F64, float, F64]] = {}
            for j in range(seg_len):
                active = []
                for s in range(len(segments)):
                    if j >= len(segments[s]):
                        continue
                    if seeds[s] is None and idle[s] + 1 < self._search_every:
                        idle[s] += 1
                        results[s * seg_len + j] = _ABSENT
                        continue
                    idle[s] = 0
                    active.append(s)
                if not active:
                    continue
                lm, pres, world = self._infer(
                    [segments[s][j].rgb for s in active], [seeds[s] for s in active], [exact[s] for s in active]
                )
                for a, s in enumerate(active):
                    results[s * seg_len + j] = (lm[a], float(pres[a]), world[a])
                    if pres[a] >= self._min_presence:
                        stamp = (base + s * seg_len + j) * _MEDIAPIPE_FRAME_STEP_S
                        seeds[s] = self._filtered_roi(filters[s], stamp, lm[a])
                    else:
                        filters[s].reset()
                        seeds[s] = None
                    exact[s] = True
            last = seeds[-1]
            lost = idle[-1]
            roi_filter = filters[-1]
            base += len(chunk)
            self.stats["frames"] += len(chunk)
            for i, frame in enumerate(chunk):
                lm_i, pres_i, world_i = results[i]
                times.append(frame.timestamp)
                presences.append(pres_i)
                if pres_i >= self._min_presence and clock.due(frame.timestamp):
                    others = self._others(frame.rgb, lm_i)
                    if others is not None:
                        clock.record(frame.timestamp, others)
                if pres_i >= self._min_presence:
                    pts = lm_i[:NUM_LANDMARKS, :4].copy()
                    pts[:, 0] *= scale_x
                    pts[:, 1] *= scale_y
                    pts[:, 2] *= scale_x
                    marks.append(pts)
                    worlds.append(world_i[:NUM_LANDMARKS].copy())
                else:
                    empty = np.full((NUM_LANDMARKS, 4), np.nan)
                    empty[:, 3] = 0.0
                    marks.append(empty)
                    worlds.append(np.full((NUM_LANDMARKS, 3), np.nan))
        return PoseTrack.from_frames(
            times, marks, worlds, presences, width, height, people_seen=people_seen_by_probes(clock.found)
        )

    @property
    def loaded(self) -> bool:
        return self._session is not None

    def warm_up(self) -> None:
        """The session is built in the constructor; one inference settles ONNX Runtime's kernel choices."""
        if self._session is not None:
            self._session.run(["Identity"], {"input_1": np.zeros((1, 256, 256, 3), np.float32)})

    def close(self) -> None:
        self._session = None

    def __enter__(self) -> OnnxPoseEstimator:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


_ABSENT: tuple[F64, float, F64] = (np.full((_NUM_OUT, 5), np.nan), 0.0, np.full((_NUM_OUT, 3), np.nan))


def _chunks(frames: Iterator[Frame], size: int) -> Iterator[list[Frame]]:
    chunk: list[Frame] = []
    for frame in frames:
        chunk.append(frame)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
