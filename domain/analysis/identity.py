"""Follow one dancer: find where a single-person pose track jumps to another person, keep the main person only.

Single-person trackers (MediaPipe's, and the ONNX adapter cropping each frame from the previous pose) follow
whoever their crop lands on; with two people in the picture the track can hop from one to the other and back
with no warning. Spliced into one track that looks like a body centre travelling several body lengths in one
frame, which no scoring should read as dancing.

Rule (all lengths in torso lengths, mid-shoulder to mid-hip, see :mod:`domain.analysis.geometry`):

- Between two consecutive detected frames ``i < j`` the hip centre may move at most
  ``MAX_CENTRE_SPEED * (t_j - t_i) + slack`` torso lengths (the track's median torso length), with
  ``MAX_CENTRE_SPEED = 12`` torso lengths/s. A torso is about 0.5 m
  (de Leva 1996: mid-shoulder to mid-hip about 29 % of stature), so that is 6 m/s: faster than any dancer
  travels and close to a sprint (the fastest humans run about 12 m/s, Usain Bolt's 2009 100 m splits), while a
  change of person side by side or across the room moves the centre several torso lengths in one frame. At
  15 frames/s it allows 0.8 torso lengths a frame. ``slack = max(SLACK, JITTER_FACTOR * median step)``
  with ``SLACK = 0.25`` torso lengths and ``JITTER_FACTOR = 6``: a detector that jitters a lot (a tiny or
  blurred person) moves the centre by a few median steps, never by six, while a change of person jumps
  by far more. The torso length alone is no criterion: per frame it is too noisy on small people.

A break cuts the detected frames into pieces. Pieces are given identities in time order: a piece continues
the identity whose last frame it could have been reached from under the same rule (the nearest, when several
could), otherwise it starts a new one. The main person is the identity with the largest
``seconds * torso length * (1 - 0.5 * off_centre)``: longest visible, largest, most central
(``off_centre`` is the distance of its median hip centre from the picture's centre over half the diagonal).
Frames of every other identity are excluded (no person), never spliced in. An identity seen for at least
``MIN_PERSON_S = 0.5 s`` counts as a person; shorter pieces (a detector glitch) are excluded but not counted.

People beside the followed one are never in the track; the pose adapters look for them about once a second
outside the followed person's box (``adapters/analysis/person_probe.py``) and count them with
:func:`people_seen_by_probes`: ``n`` others are counted when at least ``n`` were found in each of
``MIN_PROBES = 2`` consecutive probes (a second apart: seen for a second, like ``MIN_PERSON_S`` asks of a
tracked piece), so one false find is no person. The track carries the count as ``people_seen``; the people
reported are the larger of it and the identities followed in turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

import numpy as np

from domain.analysis.geometry import hip_centre, torso_lengths
from domain.analysis.pose import FloatArray, PoseTrack

MAX_CENTRE_SPEED: Final = 12.0  # torso lengths per second
SLACK: Final = 0.25  # torso lengths
JITTER_FACTOR: Final = 6.0
MIN_PERSON_S: Final = 0.5
MIN_PROBES: Final = 2


@dataclass(frozen=True, slots=True)
class FollowedTrack:
    track: PoseTrack  # the main person only; other people's frames hold no person
    people_detected: int  # people seen: by the estimator at once, or followed in turn by the tracker
    switches: tuple[float, ...]  # times (s) where the tracker moved from one person to another
    excluded_seconds: float  # seconds of pose that belonged to someone else


def people_seen_by_probes(found: Sequence[int], min_probes: int = MIN_PROBES) -> int:
    """People in the picture at once: the followed one plus the others found in ``min_probes`` consecutive
    probes (``found``: others found per probe, in time order)."""
    k = max(1, min_probes)
    others = max((min(found[i : i + k]) for i in range(len(found) - k + 1)), default=0)
    return 1 + max(0, int(others))


def _reachable(c0: FloatArray, t0: float, c1: FloatArray, t1: float, scale: float, slack: float) -> tuple[bool, float]:
    dist = float(np.hypot(*(c1 - c0))) / scale
    return dist <= MAX_CENTRE_SPEED * max(t1 - t0, 0.0) + slack, dist


def follow_main_person(track: PoseTrack) -> FollowedTrack:
    """The track restricted to its main person, with the people and switches found (see the module docstring)."""
    det = np.flatnonzero(track.detected() & np.all(np.isfinite(track.landmarks[:, :, :2]), axis=(1, 2)))
    people = max(1, track.people_seen)
    if det.size < 2:
        return FollowedTrack(track, people, (), 0.0)
    xy = track.landmarks[det, :, :2]
    centre = hip_centre(xy)
    sizes = torso_lengths(xy)
    scale = float(np.median(sizes))
    t = track.timestamps[det]
    if not np.isfinite(scale) or scale <= 1e-9:
        return FollowedTrack(track, people, (), 0.0)
    steps = np.hypot(*np.diff(centre, axis=0).T) / scale
    slack = max(SLACK, JITTER_FACTOR * float(np.median(steps)))

    # Pieces of consecutive detected frames with no impossible step inside.
    pieces: list[tuple[int, int]] = []
    start = 0
    for k in range(1, det.size):
        ok, _ = _reachable(centre[k - 1], t[k - 1], centre[k], t[k], scale, slack)
        if not ok:
            pieces.append((start, k))
            start = k
    pieces.append((start, det.size))
    if len(pieces) == 1:
        return FollowedTrack(track, people, (), 0.0)

    # Identities: each keeps the index of its last frame so far.
    identity_of: list[int] = []
    last: list[int] = []
    for a, b in pieces:
        best, best_d = -1, np.inf
        for ident, k in enumerate(last):
            ok, d = _reachable(centre[k], t[k], centre[a], t[a], scale, slack)
            if ok and d < best_d:
                best, best_d = ident, d
        if best < 0:
            best = len(last)
            last.append(b - 1)
        else:
            last[best] = b - 1
        identity_of.append(best)

    seconds = track.frame_seconds()[det]
    half_diag = 0.5 * float(np.hypot(track.width, track.height)) or 1.0
    middle = np.array([track.width / 2.0, track.height / 2.0])
    weight: list[float] = []
    duration: list[float] = []
    for ident in range(len(last)):
        idx = np.concatenate([np.arange(a, b) for (a, b), i in zip(pieces, identity_of, strict=True) if i == ident])
        secs = float(np.sum(seconds[idx])) + 1e-6 * idx.size
        off = min(1.0, float(np.hypot(*(np.median(centre[idx], axis=0) - middle))) / half_diag)
        weight.append(secs * float(np.median(sizes[idx])) * (1.0 - 0.5 * off))
        duration.append(secs)
    main = int(np.argmax(weight))

    keep = np.zeros(track.frame_count, dtype=bool)
    switches: list[float] = []
    for n, ((a, b), ident) in enumerate(zip(pieces, identity_of, strict=True)):
        if ident == main:
            keep[det[a:b]] = True
        if n > 0 and ident != identity_of[n - 1]:
            switches.append(float(t[a]))
    drop = np.zeros(track.frame_count, dtype=bool)
    drop[det] = True
    drop &= ~keep
    landmarks = track.landmarks.copy()
    landmarks[drop, :, :3] = np.nan
    landmarks[drop, :, 3] = 0.0
    world = track.world.copy()
    world[drop] = np.nan
    presence = track.presence.copy()
    presence[drop] = 0.0
    counted = sum(1 for d in duration if d >= MIN_PERSON_S)
    followed = replace(track, landmarks=landmarks, world=world, presence=presence)
    excluded = float(np.sum(track.frame_seconds()[drop]))
    return FollowedTrack(followed, max(people, counted), tuple(switches), excluded)
