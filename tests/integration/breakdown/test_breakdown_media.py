"""Breakdowns of the shared clips: boundaries on the reported grid, golden figures, a constructed routine."""

from __future__ import annotations

import json

import numpy as np
import pytest

from application.analysis.capture import CapturedVideo
from application.breakdown.views import MediaUrls, post_answer
from domain.breakdown.model import Breakdown
from domain.breakdown.routine import break_down

pytestmark = [pytest.mark.media, pytest.mark.slow]


def _break(c: CapturedVideo, **kw) -> Breakdown:
    return break_down(c.track, c.video.duration, beat_times=c.beats.beat_times if c.beats else None,
                      onset_strength=c.audio.onset_strength if c.audio else None,
                      onset_rate=c.audio.onset_rate if c.audio else 0.0, **kw)


def _seconds(ts: str) -> float:
    minutes, rest = ts.split(":")
    return 60 * int(minutes) + float(rest)


@pytest.mark.parametrize("mode", ["auto", "manual"])
def test_every_boundary_is_within_60_ms_of_a_beat_of_the_reported_grid(captured, constructed, mode):
    assert len(captured) == 3
    for name, c in [*captured.items(), ("constructed routine", constructed[0])]:
        assert c.beats is not None, f"{name} has music"
        answer = post_answer(_break(c, mode=mode), video_url=None, urls=MediaUrls(None, None, None))
        beats = np.array(answer["routine_analysis"]["beat_times"])
        assert beats[0] == answer["routine_analysis"]["first_beat"]
        assert answer["bpm"] == pytest.approx(60.0 / np.median(np.diff(beats)), abs=0.01)
        for step in answer["steps"]:
            for ts in (step["start_timestamp"], step["end_timestamp"]):
                assert np.min(np.abs(beats - _seconds(ts))) <= 0.060, (name, mode, ts)
            n = np.sum((beats >= _seconds(step["start_timestamp"]) - 1e-3) & (beats < _seconds(step["end_timestamp"])
                                                                             - 1e-3))
            assert 2 <= n <= 8


def test_golden_figures_of_the_musepose_solo(captured):
    c = captured["video/01_dance_solo_musepose.mp4"]
    b = _break(c)
    assert b.bpm == pytest.approx(117.42, abs=0.05)
    assert b.grid.first_beat == pytest.approx(1.440, abs=0.005)
    assert [s.start_beat for s in b.steps] + [b.steps[-1].end_beat] == [0, 4, 12, 16, 20]
    assert [round(s.start, 2) for s in b.steps] == [1.44, 3.53, 7.66, 9.68]
    manual = _break(c, mode="manual")
    assert [s.start_beat for s in manual.steps] + [manual.steps[-1].end_beat] == [0, 8, 16, 20]


def test_without_music_the_tempo_comes_from_the_movement_and_says_so(captured):
    c = captured["video/01_dance_solo_musepose.mp4"]
    b = break_down(c.track, c.video.duration, beat_times=None)
    assert b.grid.source == "movement"
    assert b.notes and "movement" in b.notes[0]
    assert 60 <= b.bpm <= 180


def test_a_constructed_routine_is_cut_at_its_joins(constructed):
    c, joins = constructed
    b = _break(c)
    cuts = np.array([s.start for s in b.steps[1:]])
    hits = [bool(np.min(np.abs(cuts - j)) <= b.grid.period + 1e-6) for j in joins]
    # golden: every join found within 0.1 s (measured 0.09, 0.02, 0.00, 0.04 s)
    assert [round(float(np.min(np.abs(cuts - j))), 2) for j in joins] == pytest.approx([0.09, 0.02, 0.0, 0.04],
                                                                                         abs=0.03)
    print(json.dumps({"bpm": b.bpm, "cuts": cuts.round(3).tolist(), "joins": joins, "hits": hits}))
    assert sum(hits) / len(hits) >= 0.8


def test_visibly_different_steps_never_share_a_description(constructed, captured):
    for c in [constructed[0], *captured.values()]:
        b = _break(c)
        texts = [json.dumps(s.text.description, sort_keys=True) for s in b.steps]
        assert len(set(texts)) == len(texts)
        names = [s.text.global_description for s in b.steps]
        assert len(set(names)) == len(names)
