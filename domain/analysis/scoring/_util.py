"""Small helpers shared by the scoring modules."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from domain.analysis.pose import FloatArray


def when(start: float, end: float) -> str:
    """'between 4.2 s and 6.0 s', or 'at 4.2 s' when the two round to the same tenth."""
    if f"{start:.1f}" == f"{end:.1f}":
        return f"at {start:.1f} s"
    return f"between {start:.1f} s and {end:.1f} s"


def runs(mask: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """[start, stop) index runs where mask is True."""
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    stops = np.flatnonzero(edges == -1)
    return [(int(a), int(b)) for a, b in zip(starts, stops, strict=True)]


def ramp(x: float, lo: float, hi: float) -> float:
    """0 below lo, 1 above hi, linear between: a soft threshold without jumps."""
    return float(np.clip((x - lo) / (hi - lo), 0.0, 1.0))


def spread(x: FloatArray) -> float:
    """Robust extent of a 1-D sample: 95th minus 5th percentile."""
    if x.size == 0:
        return 0.0
    lo, hi = np.percentile(x, [5.0, 95.0])
    return float(hi - lo)
