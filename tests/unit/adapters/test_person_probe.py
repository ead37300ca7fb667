"""What the pose adapters' probe counts as another person beside the followed one."""

from __future__ import annotations

import numpy as np

from adapters.analysis.person_probe import Box, Followed, ProbeClock, blank, is_other_person
from tests.unit.domain.scoring_synth import Motion, dance_track

FOLLOWED = dance_track(Motion(duration=1.0, scale_px=100.0, origin_px=(300.0, 400.0))).landmarks[0]


def _moved(dx: float, scale: float = 1.0, visibility: float = 0.95) -> np.ndarray:
    lm = FOLLOWED.copy()
    hips = lm[[23, 24], :2].mean(axis=0)
    lm[:, :2] = (lm[:, :2] - hips) * scale + hips + np.array([dx, 0.0])
    lm[:, 3] = visibility
    return lm


def test_a_person_beside_the_followed_one_is_another_person() -> None:
    followed = Followed.of(FOLLOWED, 1280, 960)
    assert followed is not None
    assert is_other_person(_moved(450.0), followed)
    assert is_other_person(_moved(-250.0, scale=0.6), followed)  # further back, smaller


def test_the_followed_person_a_tiny_figure_or_an_unsure_pose_are_not() -> None:
    followed = Followed.of(FOLLOWED, 1280, 960)
    assert followed is not None
    assert not is_other_person(_moved(0.0), followed)  # the followed person again (a limb outside the blank)
    assert not is_other_person(_moved(60.0), followed)  # hips inside the followed box
    assert not is_other_person(_moved(450.0, scale=0.2), followed)  # a face on a poster
    assert not is_other_person(_moved(450.0, visibility=0.3), followed)


def test_blank_paints_only_the_box_black() -> None:
    img = np.full((100, 200, 3), 255, np.uint8)
    out = blank(img, Box(10.2, 20.0, 50.0, 60.5))
    assert out[20:61, 10:50].max() == 0 and out[:20].min() == 255 and out[:, 51:].min() == 255
    assert img.min() == 255  # the frame itself is untouched


def test_probes_are_a_second_apart_in_video_time() -> None:
    clock = ProbeClock(1.0)
    due = []
    for k in range(46):  # 3 s at 15 frames/s
        t = k / 15
        if clock.due(t):
            clock.record(t, 0)
            due.append(round(t, 3))
    assert due == [0.0, 1.0, 2.0, 3.0]
    assert not ProbeClock(0.0).due(0.0)  # off
