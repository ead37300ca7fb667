from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.choreography import song as s


def test_f_measure_matches_once_within_tolerance() -> None:
    ref = np.array([1.0, 2.0, 3.0, 4.0])
    assert s.f_measure(ref + 0.05, ref) == 1.0
    assert s.f_measure(ref + 0.08, ref) == 0.0
    assert s.f_measure(np.array([1.0, 1.01, 2.0]), ref) == pytest.approx(2 * (2 / 3 * 0.5) / (2 / 3 + 0.5))


def test_foote_novelty_peaks_at_block_boundaries() -> None:
    # three blocks of distinct feature vectors: 0-15, 16-39, 40-55
    feats = np.zeros((56, 3))
    feats[:16, 0] = 1
    feats[16:40, 1] = 1
    feats[40:, 2] = 1
    nov = s.foote_novelty(s.cosine_self_similarity(feats + 0.01), half_width=8)
    assert s.pick_boundaries(nov, min_gap=4, max_count=5) == [16, 40]


def test_phases_and_phrases() -> None:
    accent = np.tile([3.0, 0.0, 1.0, 0.0], 8)
    bass = np.roll(accent, 1)
    assert s.downbeat_phase(bass, bass) == 1
    change = np.zeros(32)
    change[5::8] = 2.0
    assert s.phrase_phase(change, 1) == 5
    assert s.phrase_starts(32, 5) == [5, 13, 21]


@given(st.lists(st.floats(-60, 0), min_size=1, max_size=40))
def test_relative_energy_in_unit_range_and_ordered(db: list[float]) -> None:
    e = s.relative_energy(np.array(db))
    assert np.all((e >= 0) & (e <= 1))
    order = np.argsort(db, kind="stable")
    assert np.all(np.diff(e[order]) >= -1e-12)
    assert e.max() == pytest.approx(1.0)


def test_build_song_round_trips_and_tiles() -> None:
    beats = np.arange(0.5, 40.0, 0.5)
    song = s.build_song(duration=40.0, tempo_bpm=120.0, beat_times=beats, bar_phase=0, phrase_phase_=0,
                        phrase_db=np.array([-20.0, -20, -10, -10, -10, -20, -20, -25, -25]), section_bounds=[2, 5])
    assert [x.label for x in song.sections] == ["intro", "verse", "outro"]  # one middle: a verse
    assert song.sections[0].start == 0.0 and song.sections[-1].end == 40.0
    assert s.SongAnalysis.from_dict(song.to_dict()).to_dict() == song.to_dict()
