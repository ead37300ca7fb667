"""The generated demo figure: BlazePose landmarks in the frame, still on every count, turning where it says."""

from __future__ import annotations

import numpy as np
import pytest

from domain.choreography.demo_moves import DEMO_MOVES, HEIGHT, LEAD_IN_S, WIDTH, demo_track, duration_of


@pytest.mark.parametrize("move", DEMO_MOVES, ids=lambda m: m.clip_id)
def test_the_figure_stays_in_the_frame_and_stops_on_each_count(move) -> None:
    times, lm = demo_track(move, 120.0)
    assert lm.shape == (times.size, 33, 4) and times[-1] < duration_of(move)
    assert np.all((lm[:, :, 0] > 0) & (lm[:, :, 0] < WIDTH) & (lm[:, :, 1] > 0) & (lm[:, :, 1] < HEIGHT))
    speed = np.linalg.norm(np.diff(lm[:, :, :2], axis=0), axis=2).mean(axis=1) * 120.0  # px/s
    period = 60.0 / move.tempo_bpm
    on_count = [int(np.argmin(np.abs(times[1:] - (LEAD_IN_S + k * period)))) for k in range(1, move.counts)]
    mid_count = [int(np.argmin(np.abs(times[1:] - (LEAD_IN_S + (k + 0.5) * period)))) for k in range(move.counts)]
    # joints move within each count and all but stop on the counts (smoothstep): the steps fall on the counts
    assert np.median(speed[on_count]) < 0.2 * np.median(speed[mid_count])


def test_the_spin_turns_on_its_last_four_counts() -> None:
    spin = next(m for m in DEMO_MOVES if m.move_label == "spin")
    times, lm = demo_track(spin, 30.0)
    width = np.abs(lm[:, 11, 0] - lm[:, 12, 0])
    period = 60.0 / spin.tempo_bpm
    turning = (times > LEAD_IN_S + 12 * period) & (times < LEAD_IN_S + 16 * period)
    assert width[~turning].min() == pytest.approx(52.0)  # both shoulders seen: 2 x 26 px
    assert width[turning].min() < 5.0  # side on, halfway through the turn
