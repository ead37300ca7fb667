"""The guards of track preparation and the comparison's scale, pinned to figures a one-constant change moves:
gaps are bridged only when short, a half-empty track is refused, and similarity follows exp(-cost / 0.25)."""

from __future__ import annotations

import numpy as np
import pytest

from domain.analysis.errors import AnalysisFailed
from domain.analysis.scoring import compare_tracks
from domain.analysis.scoring.prepare import prepare_track
from tests.unit.domain.scoring_synth import Motion, dance, to_track, varied_dance

M = Motion(duration=10.0)


def _with_gaps(*gaps: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    t, xy = dance(M)
    missing = np.zeros(t.size, dtype=bool)
    for start, length in gaps:
        missing |= (t >= start) & (t < start + length)
    return t, to_track(t, xy, M, missing=missing)


def _valid_between(prepared, start: float, end: float) -> np.ndarray:  # type: ignore[no-untyped-def]
    inside = (prepared.times > start) & (prepared.times < end)
    return prepared.valid[inside]


def test_a_short_gap_is_bridged_and_a_long_one_is_not():
    _, track = _with_gaps((3.0, 0.15), (6.0, 0.5))
    prepared = prepare_track(track)
    assert _valid_between(prepared, 3.0, 3.15).all()  # 4 missing frames: interpolated across
    assert not _valid_between(prepared, 6.05, 6.45).any()  # half a second: left out, never invented


def test_a_track_with_a_dancer_in_under_half_its_frames_is_refused():
    t, xy = dance(M)
    missing = t >= 0.4 * M.duration  # 40 % coverage, 4 s of dancer: enough seconds, too little of the video
    with pytest.raises(AnalysisFailed, match="visible in only 40%"):
        prepare_track(to_track(t, xy, M, missing=missing))
    enough = t >= 0.55 * M.duration
    assert prepare_track(to_track(t, xy, M, missing=enough)).coverage == pytest.approx(0.55, abs=0.01)


def test_similarity_of_two_known_routines_is_pinned():
    one = to_track(*varied_dance(1, Motion(duration=8.0)), Motion(duration=8.0))
    two = to_track(*varied_dance(2, Motion(duration=8.0)), Motion(duration=8.0))
    c = compare_tracks(one, two)
    # 100 * exp(-mean joint cost / 0.25 torso lengths); a scale of 0.5 would give about 61.
    assert c.similarity == pytest.approx(36.69, abs=0.05)
    assert c.per_limb["torso"] == pytest.approx(77.82, abs=0.05)
