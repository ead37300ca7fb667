"""Balance (0-25): how well the centre of mass stays over the base of support.

Measured quantities (all in torso lengths, see :mod:`domain.analysis.geometry`):

- ``com`` : whole-body centre of mass from de Leva's (1996) segment parameters
  (:func:`domain.analysis.geometry.centre_of_mass`).
- base of support: the horizontal interval spanned by both feet (ankles, heels, toes) in each
  frame, ``[b_lo, b_hi]``, with centre ``b_c``.
- ``offset(t) = com_x(t) - b_c(t)``, its root-mean-square ``com_sway = sqrt(mean(offset^2))``
  (the horizontal COM excursion used in posturography, e.g. Winter 1995 "Human balance and posture
  control during standing and walking", Gait & Posture 3:193-214, measured here against the feet
  so that travelling across the floor is not counted as sway).
- ``excess(t) = max(0, com_x - b_hi, b_lo - com_x)``: how far the COM projects outside the base;
  its mean ``com_mean_excess`` and the share of frames where it is > 0 (``com_outside_share``).

Points::

    balance = 25 * exp(-(com_sway / 0.30)^2) * exp(-com_mean_excess / 0.10)

Calibration: 0.30 torso lengths is about half the hip width of an adult (hip width ~0.6 torso
lengths), i.e. the COM reaching the edge of a hip-width stance costs 63 % of the sway factor; a
COM held on average 0.10 torso lengths outside the feet costs another 63 %. A still, centred
stance scores ~25; the COM swinging a full torso length from the feet scores ~0.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from domain.analysis.geometry import L, centre_of_mass
from domain.analysis.scoring._util import runs, when
from domain.analysis.scoring.model import SubScore
from domain.analysis.scoring.prepare import PreparedTrack

MAX_POINTS: Final = 25.0
SWAY_REF: Final = 0.30
EXCESS_REF: Final = 0.10
DRIFT_REPORT: Final = 0.15  # offsets beyond this are named in the feedback

_FEET: Final = (L.LEFT_ANKLE, L.LEFT_HEEL, L.LEFT_FOOT_INDEX, L.RIGHT_ANKLE, L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX)


def score_balance(p: PreparedTrack) -> SubScore:
    com_x = centre_of_mass(p.xy)[:, 0]
    feet_x = p.xy[:, _FEET, 0]
    b_lo = np.min(feet_x, axis=1)
    b_hi = np.max(feet_x, axis=1)
    offset = com_x - 0.5 * (b_lo + b_hi)
    excess = np.maximum(0.0, np.maximum(com_x - b_hi, b_lo - com_x))
    v = p.valid
    sway = float(np.sqrt(np.mean(offset[v] ** 2)))
    mean_excess = float(np.mean(excess[v]))
    outside = float(np.mean(excess[v] > 0.0))
    points = MAX_POINTS * float(np.exp(-((sway / SWAY_REF) ** 2)) * np.exp(-mean_excess / EXCESS_REF))

    feedback: list[str] = []
    drift = np.zeros_like(v)
    drift[v] = np.abs(offset[v]) > DRIFT_REPORT
    episodes = runs(drift)
    if episodes:
        # Name the episode with the largest drift; its peak and the direction it went.
        a, b = max(episodes, key=lambda r: float(np.max(np.abs(offset[r[0] : r[1]]))))
        k = a + int(np.argmax(np.abs(offset[a:b])))
        side = "right" if offset[k] > 0 else "left"
        feedback.append(
            f"Your centre of mass drifted up to {abs(offset[k]):.2f} torso lengths from your feet towards the "
            f"{side} of the picture "
            f"{when(p.times[a], p.times[b - 1])}."
        )
    else:
        feedback.append(
            f"Your centre of mass stayed within {float(np.max(np.abs(offset[v]))):.2f} torso lengths "
            "of the middle of your feet."
        )
    if outside >= 0.05:
        feedback.append(f"It was outside your base of support in {outside:.0%} of the frames.")
    metrics = {"com_sway": sway, "com_mean_excess": mean_excess, "com_outside_share": outside}
    return SubScore(points=float(np.clip(points, 0.0, MAX_POINTS)), metrics=metrics, feedback=tuple(feedback))
