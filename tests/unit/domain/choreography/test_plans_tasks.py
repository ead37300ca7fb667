"""Class plan orders stay 1..n with each choreography once; tasks never go back; the hourly allowance; stats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.choreography.class_plan import ClassPlan, PlanSequence, summarise
from domain.choreography.collection import SavedChoreography, collection_stats, default_title
from domain.choreography.task import ChoreographyTask, TaskStatus, fingerprint, retry_after
from domain.errors import InvalidInput

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def seq(i: int, duration: float = 10.0) -> PlanSequence:
    return PlanSequence(choreography_id=f"t{i}", order=0, title=f"S{i}", duration=duration, difficulty="beginner",
                        num_moves=2, move_labels=("basic", "spin"))


def plan() -> ClassPlan:
    return ClassPlan(id="p", instructor_id="u", title="Plan", difficulty_level="beginner", description="",
                     created_at=NOW, updated_at=NOW)


ops = st.lists(st.tuples(st.sampled_from(["add", "remove", "move"]), st.integers(0, 6), st.integers(0, 8)),
               max_size=30)


@given(ops)
def test_orders_are_contiguous_and_each_choreography_appears_once(steps: list[tuple[str, int, int]]) -> None:
    p = plan()
    for op, i, order in steps:
        ids = [s.choreography_id for s in p.sequences]
        try:
            if op == "add":
                p = p.with_sequence(seq(i), order or None, NOW)
            elif op == "remove":
                p = p.without_sequence(f"t{i}", NOW)
            else:
                p = p.moved(f"t{i}", order, NOW)
        except InvalidInput:
            assert (op == "add") == (f"t{i}" in ids)
        assert [s.order for s in p.sequences] == list(range(1, len(p.sequences) + 1))
        assert len({s.choreography_id for s in p.sequences}) == len(p.sequences)


def test_insert_shifts_and_summary_adds_up() -> None:
    p = plan().with_sequence(seq(1, 20.5), None, NOW).with_sequence(seq(2, 30.25), 1, NOW)
    assert [s.choreography_id for s in p.sequences] == ["t2", "t1"]
    s = summarise(p)
    assert s.total_duration == 50.75 and s.total_moves == 4 and s.move_mix == {"basic": 2, "spin": 2}
    assert s.outline.splitlines()[2] == "1. [0:00] S2 - beginner, 0:30, 2 moves"


def task(**kw: object) -> ChoreographyTask:
    base = {"id": "t", "user_id": "u", "song_id": 1, "difficulty": "beginner", "energy_level": "low",
            "style": "romantic", "status": TaskStatus.STARTED, "stage": "generating_blueprint", "progress": 0,
            "message": "", "created_at": NOW, "updated_at": NOW}
    return ChoreographyTask(**{**base, **kw})  # type: ignore[arg-type]


def test_task_progress_never_goes_back_and_cancel_ends_failed() -> None:
    t = task().advance("video_assembly", 45.7, "m", NOW).advance("video_assembly", 30, "m", NOW)
    assert t.progress == 45 and t.status is TaskStatus.RUNNING
    c = t.cancel(NOW)
    assert c.status is TaskStatus.FAILED and c.cancelled and c.advance("completed", 100, "x", NOW) == c
    assert fingerprint("u", {"a": 1, "b": 2}) == fingerprint("u", {"b": 2, "a": 1}) != fingerprint("v", {"a": 1})
    assert task().resend_of(NOW + timedelta(seconds=60)) and not task().resend_of(NOW + timedelta(minutes=5))


def test_hourly_allowance() -> None:
    recent = [NOW - timedelta(minutes=m) for m in range(10)]
    assert retry_after(recent[:9], NOW) is None
    assert retry_after(recent, NOW) == pytest.approx(51 * 60 + 1, abs=1)
    assert retry_after([NOW - timedelta(minutes=61)] * 10, NOW) is None


def test_stats_and_default_title() -> None:
    items = [SavedChoreography(id=str(i), user_id="u", task_id=None, title="t", difficulty=d, notes="",
                               duration=dur, video_key=None, created_at=NOW - timedelta(days=days), updated_at=NOW)
             for i, (d, dur, days) in enumerate([("beginner", 10.5, 0), ("advanced", 20.25, 3), ("advanced", 1, 8)])]
    s = collection_stats(items, NOW)
    assert (s.total_count, s.total_duration, s.recent_count) == (3, 31.75, 2)
    assert s.by_difficulty == {"beginner": 1, "intermediate": 0, "advanced": 2}
    assert default_title("Amor", "romantic", "beginner") == "Amor - Beginner"
    assert default_title(None, "playful", "advanced") == "Playful Advanced Choreography"
    assert default_title(None, None, None) == "Intermediate Choreography"
