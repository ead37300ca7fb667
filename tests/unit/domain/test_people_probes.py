"""People counted from the pose adapters' probes beside the followed dancer: a find must persist over consecutive
probes, and the count reaches the score's report and warning."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from domain.analysis.identity import follow_main_person, people_seen_by_probes
from domain.analysis.scoring import score_performance
from tests.unit.domain.scoring_synth import Motion, dance_track


def test_a_find_in_one_probe_only_is_no_person() -> None:
    assert people_seen_by_probes([]) == 1
    assert people_seen_by_probes([1]) == 1
    assert people_seen_by_probes([0, 1, 0, 1, 0, 1]) == 1  # never twice in a row


def test_people_found_in_consecutive_probes_are_counted() -> None:
    assert people_seen_by_probes([0, 1, 1, 0]) == 2
    assert people_seen_by_probes([0, 2, 1, 1, 0]) == 2  # two others once, then one: only one of them persisted
    assert people_seen_by_probes([0, 2, 2, 0]) == 3


@given(st.lists(st.integers(min_value=0, max_value=3), max_size=30))
def test_the_count_is_bounded_by_what_the_probes_found(found: list[int]) -> None:
    n = people_seen_by_probes(found)
    assert 1 <= n <= 1 + max(found, default=0)
    assert people_seen_by_probes([*found, 0]) == n  # a probe finding nobody takes nobody away
    assert people_seen_by_probes([*found, 3, 3]) == 4


def test_the_probes_count_reaches_the_report_and_its_warning() -> None:
    track = replace(dance_track(Motion(duration=8.0)), people_seen=2)
    assert follow_main_person(track).people_detected == 2
    report = score_performance(track, None)
    assert report.metrics["people_detected"] == 2.0
    assert "2 people were in the picture; one dancer was followed and scored." in report.warnings
    alone = score_performance(dance_track(Motion(duration=8.0)), None)
    assert alone.metrics["people_detected"] == 1.0 and not any("people" in w for w in alone.warnings)
