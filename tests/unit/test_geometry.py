"""Angles on constructed points: exact values, both facing directions, aspect handling, NaN propagation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcheck.geometry import (
    inclination_from_down_deg,
    inclination_from_vertical_deg,
    interior_angle_deg,
    midpoint,
    point_line_distance,
    sagittal_angles_px,
    sagittal_angles_world,
    sagittal_basis_world,
    signed_angle_deg,
    unit_vector,
)


def pt(x: float, y: float) -> np.ndarray:
    return np.array([x, y], dtype=float)


def polar_up(origin: np.ndarray, deg: float, length: float, facing: int) -> np.ndarray:
    """Point at `deg` from vertical-up, leaning toward the facing direction (image y down)."""
    r = math.radians(deg)
    return origin + length * np.array([facing * math.sin(r), -math.cos(r)])


@pytest.mark.parametrize("facing", [1, -1])
@pytest.mark.parametrize("deg", [-10.0, 0.0, 30.0, 60.0, 90.0, 120.0])
def test_inclination_from_vertical(facing: int, deg: float) -> None:
    hip = pt(300, 300)
    sho = polar_up(hip, deg, 150, facing)
    assert inclination_from_vertical_deg(hip, sho, facing) == pytest.approx(deg, abs=1e-9)


@pytest.mark.parametrize("facing", [1, -1])
@pytest.mark.parametrize(("trunk", "thigh", "shin"), [(0, 0, 0), (60, 5, 5), (20, 80, 35), (45, -5, -3)])
def test_sagittal_angles_recover_construction(facing: int, trunk: float, thigh: float, shin: float) -> None:
    ankle = pt(320, 450)
    knee = polar_up(ankle, shin, 120, facing)
    # Thigh inclination is from vertical *down* (knee ahead of hip positive): hip = knee - thigh vector.
    r = math.radians(thigh)
    hip = knee - 120 * np.array([facing * math.sin(r), math.cos(r)])
    sho = polar_up(hip, trunk, 140, facing)
    a = sagittal_angles_px(hip, sho, knee, ankle, facing)
    assert a["trunk_inclination_deg"] == pytest.approx(trunk, abs=1e-9)
    assert a["thigh_inclination_deg"] == pytest.approx(thigh, abs=1e-9)
    assert a["shin_inclination_deg"] == pytest.approx(shin, abs=1e-9)
    assert a["hip_flexion_deg"] == pytest.approx(trunk + thigh, abs=1e-9)
    assert a["knee_flexion_deg"] == pytest.approx(thigh + shin, abs=1e-9)
    # Its size equals 180 minus the interior hip-knee-ankle angle; the sign tells flexion from hyperextension.
    assert abs(a["knee_flexion_deg"]) == pytest.approx(180 - interior_angle_deg(hip, knee, ankle), abs=1e-9)


def test_vectorised_over_time_and_nan() -> None:
    hip = np.array([[0.0, 0.0], [0.0, 0.0], [np.nan, 0.0]])
    sho = np.array([[0.0, -1.0], [1.0, 0.0], [0.0, -1.0]])
    out = inclination_from_vertical_deg(hip, sho, 1)
    assert out[0] == pytest.approx(0) and out[1] == pytest.approx(90) and np.isnan(out[2])


def test_aspect_correct_pixels_matter() -> None:
    # 45 deg in pixels on a 1280x720 frame is NOT 45 deg in normalised coordinates: always use pixels.
    w, h = 1280, 720
    hip_px, sho_px = pt(600, 400), pt(700, 300)
    assert inclination_from_vertical_deg(hip_px, sho_px, 1) == pytest.approx(45)
    norm = inclination_from_vertical_deg(hip_px / [w, h], sho_px / [w, h], 1)
    assert abs(norm - 45) > 10


def test_inclination_from_down_and_signed_angle() -> None:
    assert inclination_from_down_deg(pt(0, 0), pt(0, 10), 1) == pytest.approx(0)
    assert inclination_from_down_deg(pt(0, 0), pt(10, 10), 1) == pytest.approx(45)
    assert inclination_from_down_deg(pt(0, 0), pt(10, 10), -1) == pytest.approx(-45)
    assert signed_angle_deg(pt(1, 0), pt(0, 1)) == pytest.approx(90)  # clockwise on screen
    assert signed_angle_deg(pt(1, 0), pt(0, -1)) == pytest.approx(-90)


def test_interior_angle_3d_and_degenerate() -> None:
    a, b, c = np.array([1.0, 0, 0]), np.zeros(3), np.array([0, 0, 1.0])
    assert interior_angle_deg(a, b, c) == pytest.approx(90)
    assert np.isnan(interior_angle_deg(b, b, c))


def test_point_line_distance_and_midpoint() -> None:
    assert point_line_distance(pt(0, 5), pt(-1, 0), pt(1, 0)) == pytest.approx(5)
    assert point_line_distance(pt(0, -5), pt(-1, 0), pt(1, 0)) == pytest.approx(-5)
    assert np.allclose(midpoint(pt(0, 0), pt(2, 4)), [1, 2])


@pytest.mark.parametrize("facing_world_x", [1.0, -1.0])
def test_world_sagittal_angles_side_view(facing_world_x: float) -> None:
    # Person facing +x or -x in a y-down world; their right side is then toward -z or +z (right-handed frame).
    right_z = -facing_world_x
    hip_l, hip_r = np.array([0, 0, -0.1 * right_z]), np.array([0, 0, 0.1 * right_z])
    sho_l, sho_r = hip_l + [0, -0.5, 0], hip_r + [0, -0.5, 0]
    fwd, up, lat = sagittal_basis_world(hip_l, hip_r, sho_l, sho_r)
    assert np.allclose(fwd, [facing_world_x, 0, 0])
    r = math.radians(40)
    sho = np.array([facing_world_x * 0.5 * math.sin(r), -0.5 * math.cos(r), 0.05])  # z offset is ignored
    knee = np.array([0.0, 0.45, 0.0])
    ankle = np.array([0.0, 0.9, 0.0])
    a = sagittal_angles_world(np.zeros(3), sho, knee, ankle, fwd)
    assert a["trunk_inclination_deg"] == pytest.approx(40, abs=1e-9)
    assert a["knee_flexion_deg"] == pytest.approx(0, abs=1e-9)
    assert a["hip_flexion_deg"] == pytest.approx(40, abs=1e-9)


def test_world_basis_front_view_faces_camera() -> None:
    # Facing the camera (toward -z), the person's right side appears at image-left (-x).
    hip_l, hip_r = np.array([0.1, 0, 0]), np.array([-0.1, 0, 0])
    fwd, _, _ = sagittal_basis_world(hip_l, hip_r, hip_l + [0, -0.5, 0], hip_r + [0, -0.5, 0])
    assert np.allclose(fwd, [0, 0, -1])


@pytest.mark.parametrize(
    ("v", "want"),
    [
        ([3.0, 4.0], [0.6, 0.8]),
        ([0.0, -2.0, 0.0], [0.0, -1.0, 0.0]),
        ([[1.0, 1.0], [0.0, 5.0]], [[math.sqrt(0.5), math.sqrt(0.5)], [0.0, 1.0]]),
    ],
)
def test_unit_vector_has_length_one_along_the_last_axis(v: list, want: list) -> None:
    assert np.allclose(unit_vector(np.array(v)), np.array(want), atol=1e-12)


@pytest.mark.parametrize("v", [[0.0, 0.0, 0.0], [math.nan, 1.0, 0.0]])
def test_unit_vector_of_no_direction_is_nan_not_zero(v: list) -> None:
    assert np.all(np.isnan(unit_vector(np.array([v, [0.0, 2.0, 0.0]]))[0]))
