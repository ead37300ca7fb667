"""Property tests of the optimiser on synthetic songs and moves (no media)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.choreography import blueprint as bp
from domain.choreography.moves import BODY, ClipLabels, MoveRecord, Tracking
from domain.choreography.song import build_song

LABELS = ("basic", "spin", "ladyturn", "footwork", "bolero", "intros", "outro")


def _move(i: int, label: str, counts: int, energy: float, pose_shift: float, tempo: float = 120.0) -> MoveRecord:
    beat = 60.0 / tempo
    grid = tuple(0.3 + beat * k for k in range(counts + 1))
    pose = tuple(float(v) for v in np.linspace(-1, 1, 2 * len(BODY)) + pose_shift)
    return MoveRecord(
        labels=ClipLabels(f"m{i}", f"{label}__m{i}.mp4", label, "medium", "medium", tempo), tempo_bpm=tempo,
        tempo_source="audio", count_times=grid, counts=counts, entry_pose=pose,
        exit_pose=tuple(v + 0.1 * pose_shift for v in pose), speed=1.0, turn_depth=0.2, energy=energy,
        difficulty=0.5, features=(0.0,) * 81, tracking=Tracking("left", 0.4, 1.0, 0), duration=grid[-1] + 0.5)


def _song(n_phrases: int, tempo: float):
    beat = 60.0 / tempo
    beats = np.arange(0.4, 0.4 + beat * (8 * n_phrases + 1), beat)
    db = np.linspace(-20, -8, n_phrases)
    return build_song(duration=float(beats[-1] + 1.0), tempo_bpm=tempo, beat_times=beats, bar_phase=0,
                      phrase_phase_=0, phrase_db=db, section_bounds=[])


moves_st = st.lists(
    st.tuples(st.sampled_from(LABELS), st.sampled_from([8, 16, 24, 32]), st.floats(0, 1), st.floats(-1, 1)),
    min_size=2, max_size=12)


@settings(max_examples=40, deadline=None)
@given(moves_st, st.integers(1, 20), st.floats(100, 150), st.sampled_from(list(bp.STYLE_LABELS)))
def test_blueprint_tiles_the_song_on_its_counts(specs, n_phrases, tempo, style) -> None:
    records = [_move(i, *spec) for i, spec in enumerate(specs)]
    song = _song(n_phrases, tempo)
    cands = [[bp.Candidate(r, 0.5) for r in records]] * n_phrases
    prefs = bp.Preferences(style=style)
    seq, cost = bp.optimise(song, cands, prefs)
    assert sum(k for _, k, _ in seq) == n_phrases
    assert [j for j, _, _ in seq] == list(np.cumsum([0] + [k for _, k, _ in seq])[:-1])
    assert all(k * 8 <= r.counts for _, k, r in seq)
    blue = bp.build_blueprint("t", "song.wav", song, seq, {}, cost)
    assert blue.moves[0].start_time == 0.0
    assert blue.moves[-1].start_time + blue.moves[-1].duration == pytest.approx(song.duration)
    for a, b in zip(blue.moves, blue.moves[1:], strict=False):
        assert a.start_time + a.duration == pytest.approx(b.start_time)
    for m in blue.moves:
        song_t = [x for x, _ in m.count_map]
        clip_t = [y for _, y in m.count_map]
        assert np.all(np.diff(song_t) > 0) and np.all(np.diff(clip_t) > 0)
        assert len(m.count_map) == m.counts + 1
        # each count of the clip lands on a beat of the song
        assert all(any(abs(x - t) < 1e-9 for t in song.beat_times) or x == song.phrases[-1].end for x in song_t)
        assert 0.0 <= m.trim_in <= m.trim_out
    assert bp.Blueprint.from_dict(blue.to_dict()).moves == tuple(
        bp.Blueprint.from_dict(blue.to_dict()).moves)


@settings(max_examples=30, deadline=None)
@given(st.integers(4, 16))
def test_no_clip_twice_in_a_row_when_there_is_a_choice(n_phrases) -> None:
    records = [_move(i, "basic", 8, 0.5, 0.0) for i in range(3)]
    seq, _ = bp.optimise(_song(n_phrases, 120.0), [[bp.Candidate(r, 0.5) for r in records]] * n_phrases,
                         bp.Preferences())
    ids = [r.clip_id for _, _, r in seq]
    assert all(a != b for a, b in itertools.pairwise(ids))


def test_intro_and_outro_at_the_ends_and_turns_weighted_up() -> None:
    records = [_move(0, "intros", 8, 0.5, 0.0), _move(1, "outro", 8, 0.5, 0.0), _move(2, "basic", 8, 0.5, 0.0),
               _move(3, "spin", 8, 0.5, 0.05), _move(4, "footwork", 8, 0.5, 0.0)]
    song = _song(8, 124.0)
    cands = [[bp.Candidate(r, 0.5) for r in records]] * 8
    seq, _ = bp.optimise(song, cands, bp.Preferences())
    assert seq[0][2].move_label == "intros" and seq[-1][2].move_label == "outro"
    plain = sum(r.move_label == "spin" for _, _, r in seq)  # modern style: footwork is preferred to spins
    turns = sum(r.move_label == "spin" for _, _, r in bp.optimise(song, cands, bp.Preferences(turn_weight=1.0))[0])
    assert turns > plain
    assert all(r.move_label != "spin" for _, _, r in
               bp.optimise(song, cands, bp.Preferences(avoid_labels=frozenset({"spin"})))[0])


def test_smooth_transitions_lower_the_pose_jumps() -> None:
    rng = np.random.default_rng(0)
    records = [_move(i, LABELS[i % 5], 8, 0.5, float(rng.uniform(-1, 1))) for i in range(10)]
    song = _song(12, 120.0)
    cands = [[bp.Candidate(r, 0.5) for r in records]] * 12

    def jumps(prefs: bp.Preferences) -> float:
        seq = [r for _, _, r in bp.optimise(song, cands, prefs)[0]]
        return sum(bp.pose_distance(a.exit_pose, b.entry_pose) for a, b in itertools.pairwise(seq))

    assert jumps(bp.Preferences(transition_weight=3.0)) <= jumps(bp.Preferences())


def test_empty_inputs_are_refused() -> None:
    with pytest.raises(bp.BlueprintError):
        bp.optimise(_song(2, 120.0), [[], []], bp.Preferences())


def test_the_transition_cost_uses_the_pose_where_the_move_is_cut() -> None:
    """A 16-count move played for one 8-count shows its pose after that 8-count, not its clip's last pose."""
    from dataclasses import replace

    flat = np.linspace(-1, 1, 2 * len(BODY))
    near, far = tuple(float(v) for v in flat), tuple(float(v) for v in flat + 1.0)
    first = replace(_move(0, "basic", 16, 0.5, 0.0), boundary_poses=(near, near, far), exit_pose=far)
    to_near = replace(_move(1, "footwork", 8, 0.5, 0.0), boundary_poses=(near, near), entry_pose=near)
    to_far = replace(_move(2, "footwork", 8, 0.5, 0.0), boundary_poses=(far, far), entry_pose=far)
    assert first.exit_at_cut(1) == near and first.exit_at_cut(2) == far and first.entry_at_cut() == near
    song = _song(2, 120.0)
    cands = [[bp.Candidate(first, 0.5)], [bp.Candidate(to_near, 0.5), bp.Candidate(to_far, 0.5)]]
    seq, _ = bp.optimise(song, cands, bp.Preferences())
    assert [(k, r.clip_id) for _, k, r in seq] == [(1, "m0"), (1, "m1")]


def test_records_round_trip_their_cut_poses_and_old_records_fall_back() -> None:
    from dataclasses import replace

    rec = replace(_move(0, "basic", 16, 0.5, 0.0), boundary_poses=((0.5,) * 24,) * 3, boundary_hips=(0.1, -0.2, 0.3))
    again = MoveRecord.from_dict(rec.to_dict())
    assert again.boundary_poses == rec.boundary_poses and again.hip_at_cut(2) == 0.3
    old = rec.to_dict()
    del old["boundary_poses"], old["boundary_hips"]
    legacy = MoveRecord.from_dict(old)
    assert legacy.exit_at_cut(1) == legacy.exit_pose and legacy.hip_at_cut(0) is None
