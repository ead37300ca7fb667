"""Creativity (0-20): variety and range of movement.

Three measured parts, each in 0..1 (lengths in torso lengths, poses hip-centred):

- ``variety``: distinct poses. Poses sampled at 5 Hz (nose, elbows, wrists, knees and ankles
  relative to the hip centre: the joints that shape a pose) are clustered by average-linkage
  hierarchical clustering (scipy) with the distance ``d(P, Q) = mean_j |P_j - Q_j|`` cut at
  0.2 torso lengths (raising one arm overhead moves the
  pose by about 0.3). Clusters holding at least 2 samples (0.4 s) count, passing poses do not::

      variety = clip((n_pose_clusters - 1) / 9, 0, 1)          # 10 distinct poses = full marks

- ``parts``: body parts used. For each of the 6 parts (arms, legs, torso, head) its movement is
  the mean over its joints of the robust extent ``hypot(P95 - P5 of x, P95 - P5 of y)`` of the
  hip-relative position; a part counts from 0.1 (jitter, sway) rising linearly to 0.4 (clearly
  moved)::

      parts = mean_limb clip((extent - 0.1) / 0.3, 0, 1)

- ``space``: reach, how far hands and feet reach around the body (mean robust extent of wrists and
  ankles relative to the hips), ``clip(reach / 1.5, 0, 1)``. Travel across the floor no longer counts:
  a walk travels further than any dance and is not creative for it.
- ``complexity``: effective dimensions of the movement, the participation ratio
  ``(sum lambda)^2 / sum lambda^2`` of the covariance eigenvalues of the sampled poses (Gao & Ganguli
  (2015) "On simplicity and complexity in the brave new world of large-scale neuroscience", Curr. Opin.
  Neurobiol. 32:148-155); one back-and-forth pattern (a jumping jack, a swing) is about 1, a dance that
  moves arms, legs and torso independently 3 or more: ``clip((dims - 1) / 2, 0, 1)``.
- ``repetition``: the share of sampled poses that come back later after the body has left them
  (moved > 0.3 torso lengths away, then back within 0.15): a gait cycle or a repeated exercise brings
  every pose back (jumping jacks 0.7), a dance that develops from one 8-count to the next does not.

Points::

    creativity = 20 * (1 - repetition)^2 * (0.4 * variety + 0.2 * complexity + 0.2 * parts + 0.2 * space)

Measured on the shared clips (both backends): the dance 12.6-12.8, the side-view walk 4.6-6.2, jumping
jacks 1.0, a slow turn 1.9, a golf swing 5.2-5.6; the previous formula gave the walk 15.8 and the dance
13.2. A still body scores 0 and a dancer with ten or more poses that never come back, using every limb
and full reach, scores 20.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from domain.analysis.geometry import LIMB_WORDS, LIMBS, L, hip_centre
from domain.analysis.pose import FloatArray
from domain.analysis.scoring._util import ramp, spread
from domain.analysis.scoring.model import SubScore
from domain.analysis.scoring.prepare import PreparedTrack

MAX_POINTS: Final = 20.0
SAMPLE_HZ: Final = 5.0
MAX_SAMPLES: Final = 600
CLUSTER_CUT: Final = 0.2
MIN_CLUSTER_SAMPLES: Final = 2
FULL_CLUSTERS: Final = 10
PART_LOW, PART_HIGH = 0.1, 0.4
REACH_FULL: Final = 1.5
W_VARIETY, W_COMPLEXITY, W_PARTS, W_SPACE = 0.4, 0.2, 0.2, 0.2
LEAVE_CUT, RETURN_CUT = 0.3, 0.15  # torso lengths: the body has left a pose / is back in it
DIMS_FULL: Final = 2.0  # effective dimensions above one for full marks
POSE_JOINTS: Final = (
    L.NOSE,
    L.LEFT_ELBOW,
    L.RIGHT_ELBOW,
    L.LEFT_WRIST,
    L.RIGHT_WRIST,
    L.LEFT_KNEE,
    L.RIGHT_KNEE,
    L.LEFT_ANKLE,
    L.RIGHT_ANKLE,
)


def _extent(xy: FloatArray) -> float:
    """Robust 2-D extent of points (n, 2)."""
    return float(np.hypot(spread(xy[:, 0]), spread(xy[:, 1])))


def count_pose_clusters(poses: FloatArray, dmat: FloatArray | None = None) -> int:
    """Distinct poses among (n, J, 2) hip-centred poses."""
    n = poses.shape[0]
    if n < 2:
        return n
    if dmat is None:
        dmat = pose_distances(poses)
    dist = squareform(dmat, checks=False)
    labels = fcluster(linkage(dist, method="average"), t=CLUSTER_CUT, criterion="distance")
    sizes = np.bincount(labels)
    return max(1, int(np.sum(sizes >= MIN_CLUSTER_SAMPLES)))


def pose_distances(poses: FloatArray) -> FloatArray:
    """Mean per-joint Euclidean distance between every two of (n, J, 2) poses, one joint at a time (memory)."""
    n = poses.shape[0]
    dmat = np.zeros((n, n))
    for j in range(poses.shape[1]):
        d = poses[:, None, j, :] - poses[None, :, j, :]
        dmat += np.hypot(d[..., 0], d[..., 1])
    return dmat / max(1, poses.shape[1])


def repetition_share(dmat: FloatArray) -> float:
    """Share of poses (in time order) that come back later after the body has left them (see the docstring)."""
    n = dmat.shape[0]
    if n < 3:
        return 0.0
    back = 0
    for i in range(n - 2):
        row = dmat[i, i + 1 :]
        away = np.flatnonzero(row > LEAVE_CUT)
        if away.size and np.any(row[away[0] :] < RETURN_CUT):
            back += 1
    return back / n


def effective_dimensions(poses: FloatArray) -> float:
    """Participation ratio (sum of eigenvalues)^2 / sum of squared eigenvalues of the poses' covariance."""
    x = poses.reshape(poses.shape[0], -1)
    if x.shape[0] < 3:
        return 1.0
    ev = np.clip(np.linalg.eigvalsh(np.cov(x - x.mean(axis=0), rowvar=False)), 0.0, None)
    total = float(np.sum(ev))
    return 1.0 if total <= 1e-12 else float(total**2 / np.sum(ev**2))


def score_creativity(p: PreparedTrack) -> SubScore:
    v = p.valid
    xy = p.xy[v]
    hips = hip_centre(xy)
    rel = xy - hips[:, None, :]

    step = max(1, round(p.fs / SAMPLE_HZ))
    idx = np.flatnonzero(v)[::step]
    if idx.size > MAX_SAMPLES:
        idx = idx[np.linspace(0, idx.size - 1, MAX_SAMPLES).astype(int)]
    samples = p.xy[idx][:, POSE_JOINTS] - hip_centre(p.xy[idx])[:, None, :]
    dmat = pose_distances(samples)
    n_clusters = count_pose_clusters(samples, dmat)
    repetition = repetition_share(dmat)
    fresh = 1.0 - repetition
    dims = effective_dimensions(samples)
    complexity = ramp(dims, 1.0, 1.0 + DIMS_FULL)
    variety = float(np.clip((n_clusters - 1) / (FULL_CLUSTERS - 1), 0.0, 1.0))

    extents = {limb: float(np.mean([_extent(rel[:, j]) for j in joints])) for limb, joints in LIMBS.items()}
    used = {limb: ramp(e, PART_LOW, PART_HIGH) for limb, e in extents.items()}
    parts = float(np.mean(list(used.values())))

    travel = _extent(hips)
    reach = float(np.mean([_extent(rel[:, j]) for j in (L.LEFT_WRIST, L.RIGHT_WRIST, L.LEFT_ANKLE, L.RIGHT_ANKLE)]))
    space = ramp(reach, 0.0, REACH_FULL)

    inner = W_VARIETY * variety + W_COMPLEXITY * complexity + W_PARTS * parts + W_SPACE * space
    points = MAX_POINTS * fresh**2 * inner
    metrics = {
        "pose_repetition": repetition,
        "pose_dimensions": dims,
        "n_pose_clusters": float(n_clusters),
        "pose_variety": variety,
        "limbs_used_share": parts,
        "travel_range": travel,
        "reach_range": reach,
        "space_use": space,
    }
    feedback = [
        f"You showed {n_clusters} distinct pose{'s' if n_clusters != 1 else ''} and moved "
        f"{sum(1 for u in used.values() if u >= 0.5)} of {len(used)} body parts clearly."
    ]
    still = [LIMB_WORDS[k] for k, u in used.items() if u < 0.5 and k != "torso"]
    if still:
        pronoun = "it" if len(still) == 1 else "them"
        feedback.append(f"Your {', '.join(still)} barely moved; bring {pronoun} into the dance.")
    if repetition >= 0.3:
        feedback.append(f"{repetition:.0%} of your poses came back again and again (a repeated cycle); "
                        "vary the moves from one 8-count to the next.")
    elif travel < 0.5:
        feedback.append(f"You stayed on one spot (hips travelled {travel:.2f} torso lengths); use more of the floor.")
    return SubScore(float(np.clip(points, 0.0, MAX_POINTS)), metrics, tuple(feedback))
