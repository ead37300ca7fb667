"""Body geometry on BlazePose landmarks: body scale, limbs, mirroring and the centre of mass.

Centre of mass (COM)
--------------------
The whole-body COM is the mass-weighted mean of segment COMs (de Leva, P. (1996) "Adjustments to
Zatsiorsky-Seluyanov's segment inertia parameters", J. Biomech. 29(9):1223-1230, Table 4, males):

    COM = sum_s m_s * (P_s + c_s * (D_s - P_s)),   sum_s m_s = 1

with m_s the segment's share of body mass and c_s its COM position as a fraction of the way from
the proximal endpoint P_s to the distal endpoint D_s:

    segment    endpoints (de Leva -> BlazePose)                 m_s      c_s
    head       vertex -> mid-gonion   (mid-ear, see below)      0.0694   -
    trunk      suprasternale -> mid-hip (mid-shoulder -> mid-hip) 0.4346  0.4486
    upper arm  shoulder -> elbow                                0.0271   0.5772
    forearm    elbow -> wrist                                   0.0162   0.4574
    hand       wrist -> 3rd metacarpal (mid index/pinky knuckle) 0.0061  0.7900
    thigh      hip -> knee                                      0.1416   0.4095
    shank      knee -> lateral malleolus (ankle)                0.0433   0.4459
    foot       heel -> toe tip (foot index)                     0.0137   0.4415

BlazePose has no head vertex; the head's COM (59.76 % of vertex -> mid-gonion) lies close to the
ear canals, so the midpoint of the two ears stands in for it.

Body scale
----------
Every length is divided by the torso length (mid-shoulder to mid-hip), the median over frames:
it barely changes while dancing (unlike body height when crouching or jumping), so scores do not
depend on how large or where the dancer appears in the picture.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from domain.analysis.pose import MIRROR_PAIRS, NUM_LANDMARKS, FloatArray, Landmark

L = Landmark

# The joints that carry the body's motion (face and finger points add only detector jitter).
BODY_JOINTS: Final[tuple[int, ...]] = (
    L.NOSE,
    L.LEFT_SHOULDER,
    L.RIGHT_SHOULDER,
    L.LEFT_ELBOW,
    L.RIGHT_ELBOW,
    L.LEFT_WRIST,
    L.RIGHT_WRIST,
    L.LEFT_HIP,
    L.RIGHT_HIP,
    L.LEFT_KNEE,
    L.RIGHT_KNEE,
    L.LEFT_ANKLE,
    L.RIGHT_ANKLE,
)

# Body parts as named in reports; each lists the landmarks that show its movement.
LIMBS: Final[dict[str, tuple[int, ...]]] = {
    "left_arm": (L.LEFT_ELBOW, L.LEFT_WRIST),
    "right_arm": (L.RIGHT_ELBOW, L.RIGHT_WRIST),
    "left_leg": (L.LEFT_KNEE, L.LEFT_ANKLE),
    "right_leg": (L.RIGHT_KNEE, L.RIGHT_ANKLE),
    "torso": (L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP),
    "head": (L.NOSE, L.LEFT_EAR, L.RIGHT_EAR),
}

LIMB_WORDS: Final[dict[str, str]] = {
    "left_arm": "left arm",
    "right_arm": "right arm",
    "left_leg": "left leg",
    "right_leg": "right leg",
    "torso": "torso",
    "head": "head",
}

_MIRROR_INDEX: Final[npt.NDArray[np.int64]] = np.arange(NUM_LANDMARKS, dtype=np.int64)
for _a, _b in MIRROR_PAIRS:
    _MIRROR_INDEX[_a], _MIRROR_INDEX[_b] = _b, _a


def midpoint(xy: FloatArray, a: int, b: int) -> FloatArray:
    """Midpoint of landmarks a and b; xy is (..., 33, 2)."""
    return 0.5 * (xy[..., a, :] + xy[..., b, :])


def hip_centre(xy: FloatArray) -> FloatArray:
    return midpoint(xy, L.LEFT_HIP, L.RIGHT_HIP)


def torso_lengths(xy: FloatArray) -> FloatArray:
    """Mid-shoulder to mid-hip distance for each frame of (T, 33, 2)."""
    d = midpoint(xy, L.LEFT_SHOULDER, L.RIGHT_SHOULDER) - hip_centre(xy)
    return np.asarray(np.hypot(d[..., 0], d[..., 1]), dtype=np.float64)


def mirror_pose(xy: FloatArray) -> FloatArray:
    """Left/right mirror image of hip-centred poses (..., 33, 2): x flips sign and sides swap labels.

    This is what a dancer facing the screen does when copying a demo "as in a mirror".
    """
    out = xy[..., _MIRROR_INDEX, :].copy()
    out[..., 0] = -out[..., 0]
    return out


# (mass share, proximal, distal, COM fraction from proximal); distal/proximal may be a pair (midpoint).
_Point = int | tuple[int, int]
_SEGMENTS: Final[tuple[tuple[float, _Point, _Point, float], ...]] = (
    (0.0694, (L.LEFT_EAR, L.RIGHT_EAR), (L.LEFT_EAR, L.RIGHT_EAR), 0.0),
    (0.4346, (L.LEFT_SHOULDER, L.RIGHT_SHOULDER), (L.LEFT_HIP, L.RIGHT_HIP), 0.4486),
    (0.0271, L.LEFT_SHOULDER, L.LEFT_ELBOW, 0.5772),
    (0.0271, L.RIGHT_SHOULDER, L.RIGHT_ELBOW, 0.5772),
    (0.0162, L.LEFT_ELBOW, L.LEFT_WRIST, 0.4574),
    (0.0162, L.RIGHT_ELBOW, L.RIGHT_WRIST, 0.4574),
    (0.0061, L.LEFT_WRIST, (L.LEFT_INDEX, L.LEFT_PINKY), 0.7900),
    (0.0061, L.RIGHT_WRIST, (L.RIGHT_INDEX, L.RIGHT_PINKY), 0.7900),
    (0.1416, L.LEFT_HIP, L.LEFT_KNEE, 0.4095),
    (0.1416, L.RIGHT_HIP, L.RIGHT_KNEE, 0.4095),
    (0.0433, L.LEFT_KNEE, L.LEFT_ANKLE, 0.4459),
    (0.0433, L.RIGHT_KNEE, L.RIGHT_ANKLE, 0.4459),
    (0.0137, L.LEFT_HEEL, L.LEFT_FOOT_INDEX, 0.4415),
    (0.0137, L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX, 0.4415),
)


def _point(xy: FloatArray, p: _Point) -> FloatArray:
    if isinstance(p, tuple):
        return midpoint(xy, p[0], p[1])
    return xy[..., p, :]


def centre_of_mass(xy: FloatArray) -> FloatArray:
    """Whole-body COM (..., 2) of poses (..., 33, 2) from de Leva's (1996) segment parameters."""
    total = np.zeros((*xy.shape[:-2], 2), dtype=np.float64)
    mass = 0.0
    for m, prox, dist, c in _SEGMENTS:
        p = _point(xy, prox)
        total += m * (p + c * (_point(xy, dist) - p))
        mass += m
    return total / mass


def foot_centres(xy: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Centre of each foot (mean of ankle, heel and toe), left and right."""
    left = xy[..., [L.LEFT_ANKLE, L.LEFT_HEEL, L.LEFT_FOOT_INDEX], :].mean(axis=-2)
    right = xy[..., [L.RIGHT_ANKLE, L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX], :].mean(axis=-2)
    return left, right
