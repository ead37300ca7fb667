"""The ONNX adapter's crop filter, MediaPipe's One Euro filter on the two auxiliary points: a still body gets a
still crop, a moving body is followed, a lost body starts afresh."""

from __future__ import annotations

import numpy as np

from adapters.analysis.onnx_pose import _RoiFilter

STEP = 1 / 30  # MediaPipe's clock: one frame every 33.3 ms


def _points(centre_x: float) -> np.ndarray:
    return np.array([[centre_x, 300.0], [centre_x, 100.0]])  # hip centre and the top of the body's circle


def test_a_still_body_with_jittery_points_gets_a_still_crop() -> None:
    rng = np.random.default_rng(7)
    filt = _RoiFilter()
    raw, out = [], []
    for k in range(150):
        p = _points(320.0) + rng.normal(0.0, 3.0, (2, 2))
        raw.append(p)
        out.append(filt(k * STEP, p))
    raw_a, out_a = np.array(raw)[30:], np.array(out)[30:]
    assert np.all(out[0] == raw[0])  # the first point passes as it is
    assert out_a.std(axis=0).max() < 0.25 * raw_a.std(axis=0).min()


def test_a_moving_body_is_followed() -> None:
    filt = _RoiFilter()
    speed = 200.0  # pixels per second, about a body height per second
    for k in range(60):
        got = filt(k * STEP, _points(100.0 + speed * k * STEP))
    lag = 100.0 + speed * 59 * STEP - got[0, 0]
    assert 0.0 < lag < 0.2 * speed  # behind, by less than a fifth of a second of movement (0.08 s measured)


def test_after_a_reset_the_next_point_passes_unfiltered() -> None:
    filt = _RoiFilter()
    for k in range(10):
        filt(k * STEP, _points(100.0))
    filt.reset()
    assert np.all(filt(10 * STEP, _points(500.0)) == _points(500.0))
