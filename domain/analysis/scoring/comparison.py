"""Comparison of a performance with a reference (demo) track.

1. Both tracks are prepared as for scoring (gaps, 6 Hz low-pass, divided by their own torso length),
   sampled at 10 Hz and centred on the hip centre in every frame, so position, size and travel
   across the picture do not matter, only the pose.
2. Frame distance: the mean over 15 joints (nose, ears, shoulders, elbows, wrists, hips, knees,
   ankles) of the Euclidean distance, in torso lengths: ``c(i, j) = mean_k |P_ik - R_jk|``.
3. Mirror tolerance: the performance is also compared mirrored (x -> -x, left/right labels
   swapped with ``MIRROR_PAIRS``); the orientation with the lower alignment cost is kept.
4. Alignment: first the best constant offset (the lag whose overlapping frames have the lowest
   mean ``c``, with at least half of the shorter track overlapping), then dynamic time warping
   (Sakoe & Chiba (1978) "Dynamic programming algorithm optimization for spoken word recognition",
   IEEE TASSP 26(1):43-49) on the overlap, with a Sakoe-Chiba band of ``max(1 s, 10 %)`` so the
   dancer may drift ahead or behind a little but the match cannot jump across the dance. The
   recursion is ``D(i, j) = c(i, j) + min(D(i-1, j-1), D(i-1, j), D(i, j-1))``.
5. Scores: with ``cbar`` the mean ``c`` along the warping path::

       similarity = 100 * exp(-cbar / 0.25)

   and the same per limb with its own joints. 0.25 torso lengths is about the mean joint error of
   a recognisable copy with one limb held differently: identical motion gives 100, a loose copy
   (cbar ~ 0.1) about 67, an unrelated motion (cbar >= 0.5) below 15.
6. Worst ranges: the per-limb cost along the path is averaged over 2 s windows of the
   performance's clock; the (limb, window) pairs with the lowest score below 90 are reported,
   at most 3, not overlapping. ``offset_seconds`` is the median of performance time minus
   reference time along the path.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from domain.analysis.geometry import LIMB_WORDS, LIMBS, hip_centre, mirror_pose
from domain.analysis.pose import FloatArray
from domain.analysis.scoring.model import Comparison, TimeRange
from domain.analysis.scoring.prepare import PreparedTrack

COMPARE_HZ: Final = 10.0
COST_SCALE: Final = 0.25
MIN_OVERLAP: Final = 0.5
BAND_S: Final = 1.0
BAND_FRAC: Final = 0.1
WORST_WINDOW_S: Final = 2.0
WORST_BELOW: Final = 90.0
MAX_RANGES: Final = 3
MAX_FRAMES: Final = 1500  # 2.5 min at 10 Hz; longer tracks are sampled more sparsely (memory: n x m costs)

_JOINTS: Final[tuple[int, ...]] = tuple(sorted({j for js in LIMBS.values() for j in js}))
_LIMB_COLS: Final[dict[str, list[int]]] = {limb: [_JOINTS.index(j) for j in joints] for limb, joints in LIMBS.items()}

IntArray = npt.NDArray[np.int64]


def _sample(p: PreparedTrack, hz: float) -> tuple[FloatArray, FloatArray]:
    """Times and hip-centred poses (n, 33, 2) at ``hz`` where the track is valid."""
    grid = np.arange(p.times[0], p.times[-1] + 1e-9, 1.0 / hz)
    pos = (grid - p.times[0]) * p.fs
    i0 = np.clip(np.floor(pos).astype(int), 0, p.times.size - 1)
    i1 = np.minimum(i0 + 1, p.times.size - 1)
    w = (pos - i0)[:, None, None]
    ok = p.valid[i0] & p.valid[i1]
    poses = p.xy[i0] * (1.0 - w) + p.xy[i1] * w
    poses = poses[ok]
    return grid[ok], poses - hip_centre(poses)[:, None, :]


def _costs(a: FloatArray, b: FloatArray) -> FloatArray:
    """c(i, j): mean joint distance between poses a (n, K, 2) and b (m, K, 2)."""
    out = np.zeros((a.shape[0], b.shape[0]))
    for k in range(a.shape[1]):
        d = a[:, None, k, :] - b[None, :, k, :]
        out += np.hypot(d[..., 0], d[..., 1])
    return out / a.shape[1]


def _best_lag(c: FloatArray) -> int:
    """Lag k (performance index = reference index + k) with the lowest mean diagonal cost."""
    n, m = c.shape
    need = max(2, int(np.ceil(MIN_OVERLAP * min(n, m))))
    best_k, best = 0, np.inf
    for k in range(-(m - need), n - need + 1):
        v = float(np.mean(np.diagonal(c, offset=-k)))
        if v < best - 1e-12:
            best_k, best = k, v
    return best_k


def dtw_path(c: FloatArray, radius: int) -> tuple[IntArray, IntArray]:
    """Banded DTW over a square cost matrix; returns the warping path (i, j) from (0, 0) to the end."""
    n, m = c.shape
    acc = np.full((n, m), np.inf)
    hi0 = min(m, radius + 1)
    acc[0, :hi0] = np.cumsum(c[0, :hi0])
    for i in range(1, n):
        lo, hi = max(0, i - radius), min(m, i + radius + 1)
        diag = np.full(hi - lo, np.inf)
        if lo > 0:
            diag[:] = acc[i - 1, lo - 1 : hi - 1]
        else:
            diag[1:] = acc[i - 1, 0 : hi - 1]
        tmp = c[i, lo:hi] + np.minimum(diag, acc[i - 1, lo:hi])
        # Horizontal steps D(i, j) = min(tmp_j, D(i, j-1) + c_ij), vectorised via a running minimum.
        cs = np.cumsum(c[i, lo:hi])
        acc[i, lo:hi] = np.minimum.accumulate(tmp - cs) + cs
    i, j = n - 1, m - 1
    path = [(i, j)]
    while i > 0 or j > 0:
        steps = []
        if i > 0 and j > 0:
            steps.append((acc[i - 1, j - 1], i - 1, j - 1))
        if i > 0:
            steps.append((acc[i - 1, j], i - 1, j))
        if j > 0:
            steps.append((acc[i, j - 1], i, j - 1))
        _, i, j = min(steps, key=lambda s: s[0])
        path.append((i, j))
    arr = np.asarray(path[::-1], dtype=np.int64)
    return arr[:, 0], arr[:, 1]


def _align(a: FloatArray, b: FloatArray) -> tuple[float, IntArray, IntArray]:
    """Mean cost along the best path, and the path in a's and b's indices."""
    c = _costs(a, b)
    k = _best_lag(c)
    i0, i1 = max(0, k), min(a.shape[0], b.shape[0] + k)
    sub = c[i0:i1, i0 - k : i1 - k]
    radius = max(round(BAND_S * COMPARE_HZ), round(BAND_FRAC * sub.shape[0]))
    pi, pj = dtw_path(sub, radius)
    return float(np.mean(sub[pi, pj])), pi + i0, pj + i0 - k


def _score(cost: float) -> float:
    return float(100.0 * np.exp(-cost / COST_SCALE))


def compare_prepared(perf: PreparedTrack, ref: PreparedTrack) -> Comparison:
    span = max(float(perf.times[-1] - perf.times[0]), float(ref.times[-1] - ref.times[0]), 1.0)
    hz = min(COMPARE_HZ, MAX_FRAMES / span)
    tp, pp = _sample(perf, hz)
    tr, pr = _sample(ref, hz)
    a = pp[:, _JOINTS]
    b = pr[:, _JOINTS]
    cost, pi, pj = _align(a, b)
    mirrored = False
    cost_m, pim, pjm = _align(mirror_pose(pp)[:, _JOINTS], b)
    if cost_m < cost - 1e-9:
        a, cost, pi, pj, mirrored = mirror_pose(pp)[:, _JOINTS], cost_m, pim, pjm, True

    d = a[pi] - b[pj]
    joint_dist = np.hypot(d[..., 0], d[..., 1])  # (path, K)
    per_limb = {limb: _score(float(np.mean(joint_dist[:, cols]))) for limb, cols in _LIMB_COLS.items()}

    # Per-limb cost on the performance's clock, then the worst 2 s windows.
    n = int(pi.max()) + 1
    counts = np.bincount(pi, minlength=n).astype(float)
    limb_series = {
        limb: np.bincount(pi, weights=joint_dist[:, cols].mean(axis=1), minlength=n) / np.maximum(counts, 1.0)
        for limb, cols in _LIMB_COLS.items()
    }
    i_lo = int(pi.min())
    w = max(1, min(round(WORST_WINDOW_S * hz), n - i_lo))
    kernel = np.ones(w) / w
    rolling = {limb: np.convolve(s[i_lo:], kernel, mode="valid") for limb, s in limb_series.items()}
    blocked = np.zeros(next(iter(rolling.values())).size, dtype=bool)
    ranges: list[TimeRange] = []
    while len(ranges) < MAX_RANGES and not blocked.all():
        limb, start, worst = "", -1, -np.inf
        for name, r in rolling.items():
            masked = np.where(blocked, -np.inf, r)
            s = int(np.argmax(masked))
            if masked[s] > worst:
                limb, start, worst = name, s, float(masked[s])
        if _score(worst) >= WORST_BELOW:
            break
        ranges.append(TimeRange(start=float(tp[i_lo + start]), end=float(tp[i_lo + start + w - 1]), limb=limb))
        blocked[max(0, start - w + 1) : start + w] = True
    ranges.sort(key=lambda r: r.start)

    return Comparison(
        similarity=_score(cost),
        per_limb=per_limb,
        worst_ranges=tuple(ranges),
        offset_seconds=float(np.median(tp[pi] - tr[pj])),
        mirrored=mirrored,
    )


def comparison_feedback(c: Comparison) -> tuple[str, ...]:
    items = [f"Compared with the demo your moves matched {c.similarity:.0f} %."]
    if c.mirrored:
        items.append("You danced the demo mirrored (left and right swapped); it was compared that way.")
    if c.per_limb:
        limb = min(c.per_limb, key=lambda k: c.per_limb[k])
        if c.per_limb[limb] < 90.0:
            items.append(f"Your {LIMB_WORDS[limb]} differed most from the demo ({c.per_limb[limb]:.0f} %).")
    for r in c.worst_ranges:
        items.append(f"Between {r.start:.1f} s and {r.end:.1f} s your {LIMB_WORDS[r.limb]} differed from the demo.")
    return tuple(items)
