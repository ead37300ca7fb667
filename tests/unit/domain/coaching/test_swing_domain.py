"""Events, checks and the live detector on synthetic data: ordering, invariances, reasons."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.analysis.pose import NUM_LANDMARKS, Landmark, PoseTrack
from domain.coaching.analysis import analyse_swing
from domain.coaching.checks import Check
from domain.coaching.errors import NoSwingFound
from domain.coaching.events import EVENT_NAMES, Handedness
from domain.coaching.live import SwingDetector

L = Landmark
FPS = 30.0


def _swing_heights(n_addr: int = 40, n_back: int = 30, n_down: int = 10, n_follow: int = 15,
                   n_hold: int = 40) -> np.ndarray:
    """Hands' height below the shoulders (torso lengths, up positive): still, up, down fast, up, held."""
    parts = [np.full(n_addr, -1.0), -1.0 + 1.5 * np.sin(np.linspace(0, np.pi / 2, n_back)) ** 2,
             0.5 - 1.5 * np.sin(np.linspace(0, np.pi / 2, n_down)),
             -1.0 + 1.6 * np.sin(np.linspace(0, np.pi / 2, n_follow)), np.full(n_hold, 0.6)]
    return np.concatenate(parts)


def _track(heights: np.ndarray, hands_x: np.ndarray | None = None, scale: float = 100.0,
           dx: float = 300.0, dy: float = 300.0) -> PoseTrack:
    n = heights.shape[0]
    lm = np.zeros((n, NUM_LANDMARKS, 4))
    lm[..., 3] = 1.0
    base = {L.NOSE: (0.1, -1.3), L.LEFT_SHOULDER: (0.05, -1.0), L.RIGHT_SHOULDER: (-0.05, -1.0),
            L.LEFT_HIP: (0.03, 0.0), L.RIGHT_HIP: (-0.03, 0.0), L.LEFT_KNEE: (0.1, 0.9), L.RIGHT_KNEE: (-0.1, 0.9),
            L.LEFT_ANKLE: (0.05, 1.8), L.RIGHT_ANKLE: (-0.05, 1.8), L.LEFT_ELBOW: (0.2, -0.5),
            L.RIGHT_ELBOW: (0.1, -0.5)}
    for j, (x, y) in base.items():
        lm[:, j, 0], lm[:, j, 1] = x, y
    hx = np.zeros(n) if hands_x is None else hands_x
    for j in (L.LEFT_WRIST, L.RIGHT_WRIST):
        lm[:, j, 0] = hx
        lm[:, j, 1] = -1.0 - heights
    lm[..., 0] = lm[..., 0] * scale + dx
    lm[..., 1] = lm[..., 1] * scale + dy
    return PoseTrack(timestamps=np.arange(n) / FPS, landmarks=lm, world=np.zeros((n, NUM_LANDMARKS, 3)),
                     presence=np.ones(n), width=800, height=800)


def _right_handed_x(h: np.ndarray) -> np.ndarray:
    """Hands move to the image's left as they rise in the backswing, to the right in the follow-through."""
    x = np.zeros_like(h)
    top = int(np.argmax(h[:90]))
    x[:top + 1] = -0.6 * (h[:top + 1] + 1.0) / 1.5
    x[top + 1:] = np.linspace(x[top], 0.4, h.shape[0] - top - 1)
    return x


def test_events_in_order_and_phases_chain() -> None:
    h = _swing_heights()
    a = analyse_swing(_track(h, _right_handed_x(h)))
    frames = [a.reading.events.as_dict()[k] for k in EVENT_NAMES]
    assert frames == sorted(frames)
    assert a.reading.handedness is Handedness.RIGHT
    assert all(p.end_frame == q.start_frame for p, q in zip(a.phases, a.phases[1:], strict=False))
    assert a.reading.events.top == pytest.approx(69, abs=2)
    assert a.reading.events.impact == pytest.approx(79, abs=2)


def test_mirror_flips_handedness_only() -> None:
    h = _swing_heights()
    x = _right_handed_x(h)
    right = analyse_swing(_track(h, x))
    left = analyse_swing(_track(h, -x))
    assert left.reading.handedness is Handedness.LEFT
    assert left.reading.events == right.reading.events


@settings(max_examples=25, deadline=None)
@given(scale=st.floats(30, 300), dx=st.floats(-200, 200), dy=st.floats(-200, 200))
def test_events_do_not_depend_on_size_or_place(scale: float, dx: float, dy: float) -> None:
    h = _swing_heights()
    x = _right_handed_x(h)
    ref = analyse_swing(_track(h, x)).reading.events
    assert analyse_swing(_track(h, x, scale=scale, dx=400 + dx, dy=400 + dy)).reading.events == ref


def test_still_golfer_is_no_swing_with_reason() -> None:
    with pytest.raises(NoSwingFound, match="no golf swing found"):
        analyse_swing(_track(np.full(120, -1.0)))


def test_tempo_is_backswing_over_downswing() -> None:
    h = _swing_heights(n_back=45, n_down=15)
    a = analyse_swing(_track(h, _right_handed_x(h)))
    tempo = {c.name: c.value for c in a.checks}["tempo"]
    e = a.reading.events
    assert tempo == pytest.approx((e.top - e.address) / (e.impact - e.top))


@given(value=st.floats(-1000, 1000), lo=st.floats(-10, 10), width=st.floats(0, 10), tol=st.floats(0.1, 50))
def test_check_score_in_unit_range_and_one_inside(value: float, lo: float, width: float, tol: float) -> None:
    c = Check("x", "setup", value, "deg", lo, lo + width, tol, 0)
    assert 0.0 <= c.score <= 1.0
    if lo <= value <= lo + width:
        assert c.score == 1.0


def test_live_detector_counts_one_burst_between_stillness() -> None:
    rng = np.random.default_rng(0)
    base = rng.integers(0, 255, (108, 77), dtype=np.uint8)
    det = SwingDetector()
    frames = [base] * 6 + [rng.integers(0, 255, (108, 77), dtype=np.uint8) for _ in range(6)] + [base] * 6
    hits = [m for k, f in enumerate(frames) if (m := det.feed(f, 1.7e9 + 0.3 * k)).swing_detected]
    assert len(hits) == 1 and hits[0].confidence >= 0.7
