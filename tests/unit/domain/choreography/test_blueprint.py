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
    assert sum(k for _, k, _, _ in seq) == n_phrases
    assert [j for j, _, _, _ in seq] == list(np.cumsum([0] + [k for _, k, _, _ in seq])[:-1])
    assert all(o % 4 == 0 and o + k * 8 <= r.counts for _, k, r, o in seq)
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
    ids = [r.clip_id for _, _, r, _ in seq]
    assert all(a != b for a, b in itertools.pairwise(ids))


def test_intro_and_outro_at_the_ends_and_turns_weighted_up() -> None:
    records = [_move(0, "intros", 8, 0.5, 0.0), _move(1, "outro", 8, 0.5, 0.0), _move(2, "basic", 8, 0.5, 0.0),
               _move(3, "spin", 8, 0.5, 0.05), _move(4, "footwork", 8, 0.5, 0.0)]
    song = _song(8, 124.0)
    cands = [[bp.Candidate(r, 0.5) for r in records]] * 8
    seq, _ = bp.optimise(song, cands, bp.Preferences())
    assert seq[0][2].move_label == "intros" and seq[-1][2].move_label == "outro"
    plain = sum(r.move_label == "spin" for _, _, r, _ in seq)  # modern style: footwork is preferred to spins
    turns = sum(r.move_label == "spin" for _, _, r, _ in bp.optimise(song, cands, bp.Preferences(turn_weight=1.0))[0])
    assert turns > plain
    assert all(r.move_label != "spin" for _, _, r, _ in
               bp.optimise(song, cands, bp.Preferences(avoid_labels=frozenset({"spin"})))[0])


def test_smooth_transitions_lower_the_pose_jumps() -> None:
    rng = np.random.default_rng(0)
    records = [_move(i, LABELS[i % 5], 8, 0.5, float(rng.uniform(-1, 1))) for i in range(10)]
    song = _song(12, 120.0)
    cands = [[bp.Candidate(r, 0.5) for r in records]] * 12

    def jumps(prefs: bp.Preferences) -> float:
        seq = [r for _, _, r, _ in bp.optimise(song, cands, prefs)[0]]
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
    assert [(k, r.clip_id, o) for _, k, r, o in seq] == [(1, "m0", 0), (1, "m1", 0)]


def test_records_round_trip_their_cut_poses_and_old_records_fall_back() -> None:
    from dataclasses import replace

    rec = replace(_move(0, "basic", 16, 0.5, 0.0), boundary_poses=((0.5,) * 24,) * 3, boundary_hips=(0.1, -0.2, 0.3))
    again = MoveRecord.from_dict(rec.to_dict())
    assert again.boundary_poses == rec.boundary_poses and again.hip_at_cut(2) == 0.3
    old = rec.to_dict()
    del old["boundary_poses"], old["boundary_hips"]
    legacy = MoveRecord.from_dict(old)
    assert legacy.exit_at_cut(1) == legacy.exit_pose and legacy.hip_at_cut(0) is None


def test_a_move_may_start_on_a_later_half_phrase_where_its_pose_meets_the_cut() -> None:
    """A 16-count move whose count 5 matches the previous move's cut pose is played from its count 5."""
    from dataclasses import replace

    flat = np.linspace(-1, 1, 2 * len(BODY))
    near, far = tuple(float(v) for v in flat), tuple(float(v) for v in flat + 1.0)
    first = replace(_move(0, "basic", 8, 0.5, 0.0), boundary_poses=(far, near), half_phrase_poses=(far, far, near))
    # counts 1, 5, 9, 13, 17 of the second move: only count 5 shows the pose the first move is cut on
    second = replace(_move(1, "footwork", 16, 0.5, 0.0), boundary_poses=(far, far, far),
                     half_phrase_poses=(far, near, far, far, far))
    assert second.pose_at_count(4) == near and second.pose_at_count(8) == far
    song = _song(2, 120.0)
    cands = [[bp.Candidate(first, 0.5)], [bp.Candidate(second, 0.5)]]
    seq, _ = bp.optimise(song, cands, bp.Preferences())
    assert [(j, k, r.clip_id, o) for j, k, r, o in seq] == [(0, 1, "m0", 0), (1, 1, "m1", 4)]
    blue = bp.build_blueprint("t", "song.wav", song, seq, {})
    late = blue.moves[1]
    assert late.first_count == 4 and bp.Blueprint.from_dict(blue.to_dict()).moves[1].first_count == 4
    # its counts 5..13 play on the second 8-count's beats
    assert [c for _, c in late.count_map] == list(second.count_times[4:13])
    assert [s for s, _ in late.count_map][:8] == list(song.phrases[1].beat_times)


def test_the_optimiser_finds_the_cheapest_sequence_of_placements() -> None:
    """Against brute force over every tiling on a small problem: the Viterbi minimises the cost it reports."""
    rng = np.random.default_rng(3)
    records = []
    for i, counts in enumerate((8, 16, 16, 24)):
        halves = tuple(tuple(float(v) for v in rng.normal(0, 0.3, 2 * len(BODY))) for _ in range(counts // 4 + 1))
        base = _move(i, LABELS[i], counts, float(rng.uniform(0, 1)), 0.0)
        from dataclasses import replace
        rec = replace(base, half_phrase_poses=halves, boundary_poses=halves[::2],
                      half_phrase_hips=tuple(rng.normal(0, 0.5, counts // 4 + 1)),
                      boundary_hips=tuple(rng.normal(0, 0.5, counts // 8 + 1)))
        if i % 2:  # cut readings (two a side) on half the moves; the others fall back to their count poses

            def pose() -> tuple[float, ...]:
                return tuple(float(v) for v in rng.normal(0, 0.3, 2 * len(BODY)))

            n = counts // 4
            rec = replace(rec, cut_entries=tuple((pose(), pose()) for _ in range(n)),
                          cut_exits=tuple(tuple((pose(), pose()) for _ in range(a + 1, n + 1)) for a in range(n)))
        records.append(rec)
    song = _song(4, 120.0)
    cands = [[bp.Candidate(r, 0.5) for r in records]] * 4
    seq, cost = bp.optimise(song, cands, bp.Preferences(), bp.Weights(overuse=0.0))
    w = bp.Weights(overuse=0.0)
    energy_t, diff_t = bp.slot_targets(song, bp.Preferences())
    unary = np.stack([bp._unary([bp.Candidate(r, 0.5) for r in records], float(energy_t[s]), diff_t,
                                bp.Preferences(), w) for s in range(4)])

    def total(tiling: list[tuple[int, int, int, int]]) -> float:
        c = 0.0
        for idx, (j, k, m, o) in enumerate(tiling):
            r = records[m]
            c += float(unary[j:j + k, m].sum()) + w.cut * (r.counts - 8 * k) / r.counts
            if idx:
                _, pk, pm, po = tiling[idx - 1]
                p = records[pm]
                outs, ins = p.exit_readings(po, po + 8 * pk), r.entry_readings(o)
                jump = np.mean([bp.pose_distance(x, y) for x in outs for y in ins])
                # what each side's readings disagree by (two readings: their distance; one: nothing)
                jump += w.uncertainty * sum(bp.pose_distance(side[0], side[-1]) for side in (outs, ins))
                c += w.transition * (jump
                                     + w.hip_shift * abs(p.hip_at_count(po + 8 * pk) - r.hip_at_count(o)))
                c += w.same_label * (p.move_label == r.move_label) + w.same_clip * (pm == m)
        return c

    def tilings(start: int) -> list[list[tuple[int, int, int, int]]]:
        if start == 4:
            return [[]]
        out = []
        for m, r in enumerate(records):
            for k in range(1, min(4 - start, r.counts // 8) + 1):
                for o in range(0, r.counts - 8 * k + 1, 4):
                    out += [[(start, k, m, o), *rest] for rest in tilings(start + k)]
        return out

    best = min(total(t) for t in tilings(0))
    ids = {r.clip_id: m for m, r in enumerate(records)}
    assert cost == pytest.approx(best)
    assert total([(j, k, ids[r.clip_id], o) for j, k, r, o in seq]) == pytest.approx(best)


def test_the_cut_cost_is_the_expected_jump_over_the_readings_of_either_side() -> None:
    """An entry pose two ways of looking disagree on costs more than one they agree on, with the same mean."""
    from dataclasses import replace

    flat = np.linspace(-1, 1, 2 * len(BODY))
    pose = tuple(float(v) for v in flat)
    left, right = tuple(float(v) for v in flat - 0.5), tuple(float(v) for v in flat + 0.5)
    near = tuple(float(v) for v in flat + 0.3)
    # an 8-count move starts on half phrase 0 or 1 and is cut before half phrase 1 or 2
    exits = (((right,), (pose, pose)), ((right,),))
    first = replace(_move(0, "basic", 8, 0.5, 0.0), cut_entries=((pose,), (right,)), cut_exits=exits)
    agreed = replace(_move(1, "footwork", 8, 0.5, 0.0), cut_entries=((near, near), (right,)), cut_exits=exits)
    disputed = replace(_move(2, "footwork", 8, 0.5, 0.0), cut_entries=((left, right), (right,)), cut_exits=exits)
    assert first.exit_readings(0, 8) == (pose, pose) and disputed.entry_readings(0) == (left, right)
    # the mean of ``disputed``'s readings is the outgoing pose itself; its expected jump, 0.71, is not below 0.42
    assert bp.pose_distance(pose, left) == pytest.approx(0.5 * np.sqrt(2))
    assert bp.pose_distance(pose, near) == pytest.approx(0.3 * np.sqrt(2))
    song = _song(2, 120.0)
    cands = [[bp.Candidate(first, 0.5)], [bp.Candidate(agreed, 0.5), bp.Candidate(disputed, 0.5)]]
    seq, _ = bp.optimise(song, cands, bp.Preferences(), bp.Weights(hip_shift=0.0))
    assert [r.clip_id for _, _, r, _ in seq] == ["m0", "m1"]
    again = MoveRecord.from_dict(disputed.to_dict())
    assert np.allclose(again.cut_entries[0], disputed.cut_entries[0], atol=1e-5)
    assert np.allclose(again.cut_exits[0][1], disputed.cut_exits[0][1], atol=1e-5)
    assert [len(e) for e in again.cut_exits] == [2, 1]
    # past the readings a record has, the count poses stand in
    assert agreed.exit_readings(4, 16) == (agreed.pose_at_count(16),)
