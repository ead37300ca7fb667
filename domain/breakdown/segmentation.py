"""Cutting a routine into steps on the beat grid.

Boundaries lie only on grid units (beats, or half-beats with ``units_per_beat=2``). ``auto`` chooses them by dynamic
programming (the optimal partition of a sequence, Bellman 1961; as used for music structure by Jensen 2007,
"Multiple scale music segmentation using rhythm, timbre and harmony") maximising

    sum over inner boundaries of novelty(b)  +  sum over steps of PRIOR_WEIGHT * log prior(length)

with step lengths limited to 2-8 beats. Dance is counted in 4s and 8s, so the prior favours 4 and 8 beats;
``target_difficulty`` moves it: beginners get shorter pieces to learn (4 beats), advanced dancers whole 8-counts.
``manual`` cuts one step per 8-count from the first downbeat; beats before it (an upbeat) open the first step when
there are at least two of them, else they are left out.
"""

from __future__ import annotations

from typing import Final, Literal

import numpy as np

from domain.analysis.pose import FloatArray
from domain.breakdown.errors import BreakdownFailed

Mode = Literal["auto", "manual"]
Difficulty = Literal["beginner", "intermediate", "advanced"]
MIN_BEATS: Final = 2
MAX_BEATS: Final = 8
PRIOR_WEIGHT: Final = 1.0

# Relative prior weight of a step of n beats (whole beats; half-beat lengths get HALF_BEAT_WEIGHT of their neighbour).
_PRIORS: Final[dict[str, dict[int, float]]] = {
    "beginner": {2: 0.4, 3: 0.2, 4: 1.0, 5: 0.2, 6: 0.4, 7: 0.15, 8: 0.6},
    "intermediate": {2: 0.3, 3: 0.2, 4: 1.0, 5: 0.2, 6: 0.4, 7: 0.15, 8: 1.0},
    "advanced": {2: 0.2, 3: 0.15, 4: 0.7, 5: 0.2, 6: 0.4, 7: 0.15, 8: 1.0},
}
HALF_BEAT_WEIGHT: Final = 0.3


def length_log_prior(units: int, units_per_beat: int, difficulty: Difficulty) -> float:
    table = _PRIORS[difficulty]
    beats, rest = divmod(units, units_per_beat)
    if rest == 0:
        return float(np.log(table[beats]))
    return float(np.log(HALF_BEAT_WEIGHT * min(table.get(beats, 0.15), table.get(beats + 1, 0.15))))


def auto_boundaries(novelty: FloatArray, units_per_beat: int = 1, difficulty: Difficulty = "intermediate"
                    ) -> list[int]:
    """Unit indices 0 = b0 < b1 < ... < bn = len(novelty) - 1 of the best partition."""
    n = novelty.shape[0] - 1
    lo, hi = MIN_BEATS * units_per_beat, MAX_BEATS * units_per_beat
    if n < lo:
        raise BreakdownFailed(f"the dancing lasts {n / units_per_beat:g} beats; at least {MIN_BEATS} are needed")
    prior = {k: PRIOR_WEIGHT * length_log_prior(k, units_per_beat, difficulty) for k in range(lo, hi + 1)}
    best = np.full(n + 1, -np.inf)
    back = np.full(n + 1, -1, dtype=np.int64)
    best[0] = 0.0
    for j in range(lo, n + 1):
        gain = float(novelty[j]) if j < n else 0.0
        for k in range(lo, min(hi, j) + 1):
            i = j - k
            if best[i] == -np.inf:
                continue
            score = best[i] + prior[k] + gain
            if score > best[j]:
                best[j], back[j] = score, i
    if best[n] == -np.inf:  # cannot happen for n >= lo: lengths lo and lo + 1 tile every such n
        raise BreakdownFailed("the routine cannot be cut into steps of 2-8 beats")
    cuts = [n]
    while cuts[-1] > 0:
        cuts.append(int(back[cuts[-1]]))
    return cuts[::-1]


def manual_boundaries(beats: int, downbeat_phase: int, units_per_beat: int = 1) -> list[int]:
    """One step per 8-count (in units), from the first downbeat; a leading upbeat of 2+ beats is its own step."""
    if beats < MIN_BEATS:
        raise BreakdownFailed(f"the dancing lasts {beats} beats; at least {MIN_BEATS} are needed")
    start = downbeat_phase if downbeat_phase >= 0 and downbeat_phase < beats else 0
    cuts = [0] if start >= MIN_BEATS else []
    cuts.extend(range(start, beats + 1, MAX_BEATS))
    if beats - cuts[-1] >= MIN_BEATS:
        cuts.append(beats)
    if len(cuts) < 2:
        cuts = [start, beats] if beats - start >= MIN_BEATS else [0, beats]
    return [c * units_per_beat for c in cuts]
