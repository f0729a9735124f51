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


# -- the room's straight lines (formcheck.probes.scene) ------------------------------------------------------------
def _lines(tilts_deg, lengths_px, n_frames=6, every=15, t_total=None) -> np.ndarray:
    """A ``scene_lines`` probe array: on every ``every``-th frame the given segments (tilt below image-right, length)
    centred at (320, 200), NaN elsewhere; the vertical slots empty."""
    from formcheck.probes.scene import N_HORIZONTAL, N_VERTICAL

    t_total = t_total or n_frames * every
    out = np.full((t_total, 2 * (N_HORIZONTAL + N_VERTICAL), 2), np.nan)
    for f in range(0, t_total, every):
        for k, (a, n) in enumerate(zip(tilts_deg, lengths_px, strict=True)):
            d = np.array([math.cos(math.radians(a)), math.sin(math.radians(a))]) * n / 2
            out[f, 2 * k] = np.array([320.0, 200.0 + 40 * k]) - d
            out[f, 2 * k + 1] = np.array([320.0, 200.0 + 40 * k]) + d
    return out


@pytest.mark.parametrize("roll", [-5.0, -0.3, 0.0, 2.0, 4.5])
def test_scene_roll_reads_level_lines_turned_by_the_roll(roll):
    from formcheck.body.roll import rotate_px, scene_roll_deg

    level = _lines([0.0, 0.0, 0.05, -0.05], [400, 300, 250, 200])
    est = scene_roll_deg(rotate_px(level, roll, (320.0, 240.0)), 640)
    assert est.reason == "" and est.roll_deg == pytest.approx(roll, abs=0.06)
    assert est.n_frames == 6 and est.n_segments == 24 and est.inlier_share == 1.0


def test_scene_roll_short_lines_count_less():
    from formcheck.body.roll import scene_roll_deg

    # the long wall lines at 1.0°, a short slanted bench edge at 4° outvoted by length
    est = scene_roll_deg(_lines([1.0, 1.0, 4.0], [400, 300, 120]), 640)
    assert est.roll_deg == pytest.approx(1.0, abs=1e-9) and est.inlier_share == pytest.approx(700 / 820)


@pytest.mark.parametrize(
    ("tilts", "lengths", "n_frames", "reason"),
    [
        ([3.0, -4.0, 0.0], [300, 300, 200], 6, "lines disagree"),  # a wall seen at an angle, a mirror: no consensus
        ([0.0], [150], 6, "too little"),  # one short line
        ([0.0, 0.0], [400, 300], 2, "few frames"),
        ([12.0, -14.0], [400, 300], 6, "no lines"),  # nothing near horizontal
    ],
)
def test_scene_roll_cant_tell(tilts, lengths, n_frames, reason):
    from formcheck.body.roll import scene_roll_deg

    est = scene_roll_deg(_lines(tilts, lengths, n_frames=n_frames), 640)
    assert math.isnan(est.roll_deg) and est.reason == reason


def test_scene_roll_without_the_probe():
    from formcheck.body.roll import scene_roll_deg

    assert scene_roll_deg(None, 640).reason == "no lines"
    assert scene_roll_deg(np.full((10, 24, 2), 1.0), 640).reason == "no lines"  # not this probe's shape


@pytest.mark.parametrize(
    ("body", "scene", "expected"),
    [
        (1.5, 0.2, (0.2, "scene")),  # agree within SCENE_BODY_AGREE_DEG: the precise reading
        (-2.0, 0.3, (0.3, "scene")),
        (4.0, 0.5, (4.0, "body")),  # disagree: the scene may be slanted lines; today's body reading
        (1.0, math.nan, (1.0, "body")),  # the scene can't tell
        (math.nan, 0.4, (math.nan, "body")),  # one reading is not two: unknown stays unknown
    ],
)
def test_combined_roll_needs_two_agreeing_readings(body, scene, expected):
    from formcheck.body.roll import SceneRollEstimate, combined_roll_deg

    roll, src = combined_roll_deg(body, SceneRollEstimate(scene))
    assert src == expected[1]
    assert (math.isnan(roll) and math.isnan(expected[0])) or roll == pytest.approx(expected[0])
