"""body.roll: camera roll from a figure photographed by a known rolled camera; image scale from known lengths."""

from __future__ import annotations

import math

import numpy as np
import pytest
from body_figures import SCALE_PX_PER_M, sequence

from formcheck.body.clean import clean_landmarks
from formcheck.body.roll import body_straight, camera_roll_deg, px_per_cm
from formcheck.types import LM


def _px(*args, **kw) -> np.ndarray:
    return clean_landmarks(sequence(*args, **kw))[0]


@pytest.mark.parametrize("roll", [-12.0, -3.0, 0.0, 4.0, 10.0])
@pytest.mark.parametrize("yaw", [0.0, -90.0, -45.0, 180.0])
def test_roll_of_a_rolled_camera(roll, yaw):
    est = camera_roll_deg(_px("standing", 20, yaw_deg=yaw, roll_deg=roll))
    assert est.roll_deg == pytest.approx(roll, abs=1e-6)
    assert est.n_frames == 20


def test_roll_with_landmark_noise():
    est = camera_roll_deg(_px("standing", 120, yaw_deg=-90, roll_deg=6.0, noise_px=2.0, seed=3))
    assert est.roll_deg == pytest.approx(6.0, abs=0.5)
    assert 0 < est.spread_deg < 2.0


def test_only_straight_standing_frames_count():
    postures = ["standing"] * 10 + ["hinge_bottom"] * 20 + ["seated"] * 10 + ["split_stance"] * 10
    px = _px(postures, len(postures), roll_deg=-5.0)
    np.testing.assert_array_equal(body_straight(px), [True] * 10 + [False] * 40)
    est = camera_roll_deg(px)
    assert (est.roll_deg, est.n_frames) == (pytest.approx(-5.0, abs=1e-6), 10)
    # The caller's standing frames narrow it further; too few frames → unknown.
    few = camera_roll_deg(px, standing=np.arange(50) < 3)
    assert math.isnan(few.roll_deg) and few.n_frames == 3
    assert math.isnan(camera_roll_deg(_px("hinge_bottom", 20, roll_deg=3.0)).roll_deg)
    assert math.isnan(camera_roll_deg(np.full((10, 33, 2), np.nan)).roll_deg)


@pytest.mark.parametrize("yaw", [0.0, 180.0])
def test_px_per_cm_from_known_segment_lengths(yaw):
    # Standing figure side-on: thigh 0.42 m + shank 0.40 m + trunk 0.52 m = 1.34 m of segments, which are
    # 0.7914 of stature: at 200 px/m and a stated 170 cm, 268 px / (0.7914 × 170 cm).
    px = _px("standing", 10, yaw_deg=yaw)
    expected = 1.34 * SCALE_PX_PER_M / (0.7914 * 170.0)
    side = "right" if yaw == 0.0 else "left"
    assert px_per_cm(px, side, 170.0) == pytest.approx(expected, rel=1e-9)
    assert px_per_cm(px, side, 180.0) == pytest.approx(expected * 170.0 / 180.0, rel=1e-9)


def test_px_per_cm_ignores_foreshortened_frames_and_needs_the_legs():
    px = _px("standing", 8)
    px[:2, LM.RIGHT_ANKLE, 1] -= 40.0  # two frames with the shank foreshortened (turned out of the image plane)
    assert px_per_cm(px, "right", 170.0) == pytest.approx(1.34 * SCALE_PX_PER_M / (0.7914 * 170.0), rel=1e-9)
    assert math.isnan(px_per_cm(np.full((2, 33, 2), np.nan), "left", 170.0))
