"""body.view: MediaPipe's 3D azimuth tells front from oblique and vetoes a side reading it contradicts.

Figures (``body_figures``) seen by an orthographic camera at a known yaw: their world landmarks are exact, so the
3D azimuth's truth is the geometric one. The two faults the rule fixes are built in with known truth: world hips
wider than the image hips (as MediaPipe places them: real and rendered face-on clips read a width ratio of
0.87-0.95, not 1), and a side plank filmed face-on whose trunk turns toward the floor in part of the set.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from body_figures import sequence

from formcheck.body.clean import clean_landmarks, image_depth
from formcheck.body.position import Position
from formcheck.body.view import (
    FRONT_WORLD_MAX_AZ_DEG,
    SIDE_WORLD_MIN_AZ_DEG,
    ViewTracker,
    estimate_view,
    view_from_ratio,
    view_of,
    world_azimuth_deg,
)
from formcheck.types import LM, PoseSequence


def _inputs(seq: PoseSequence) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    px, world, _ = clean_landmarks(seq)  # unsmoothed: the figures' landmarks are exact
    return px, world, image_depth(seq, px)


@pytest.mark.parametrize("posture", ["standing", "prone", "quadruped", "supine", "side_lying"])
@pytest.mark.parametrize("yaw", [-90, -60, -30, 0, 20, 45, 100, 180])
def test_world_azimuth_is_the_angle_of_the_left_right_axis_out_of_the_image_plane(posture, yaw):
    _, world, _ = _inputs(sequence(posture, 3, yaw_deg=yaw))
    # The left-right axis is the scene's Z, (sin yaw, 0, -cos yaw) in the camera: out of the image plane by
    # asin|cos yaw| (90° side-on at yaw 0, 0 face-on at ±90°). Lying on one side it is vertical: in the image plane.
    truth = 0.0 if posture == "side_lying" else math.degrees(math.asin(abs(math.cos(math.radians(yaw)))))
    np.testing.assert_allclose(world_azimuth_deg(world), truth, atol=1e-6)


def _wide_world_hips(seq: PoseSequence, factor: float) -> PoseSequence:
    world = seq.world.copy()
    for j in (LM.LEFT_HIP, LM.RIGHT_HIP):
        world[:, j, :3] *= factor  # hip-centred: spreads the pair about the mid-hip
    return PoseSequence(seq.landmarks, world, seq.t_s, seq.width, seq.height)


@pytest.mark.parametrize(("yaw", "label"), [(-90, "camera"), (90, "away"), (-87, "camera")])
def test_face_on_reads_front_although_the_world_hips_are_wider(yaw, label):
    # MediaPipe's world hips are wider, for the trunk, than its image hips (face-on the hip ratio reads ~0.8), so
    # a face-on set's width ratio is 0.87-0.95 and the ratio alone reads 26-30°, "oblique" (the old rule).
    px, world, z = _inputs(_wide_world_hips(sequence("standing", 20, yaw_deg=yaw), 1.5))
    v = estimate_view(px, world, z, Position.STANDING)
    assert view_from_ratio(v.width_ratio)[0] == "oblique"  # what the width ratio alone says
    assert (v.view, v.facing_label) == ("front", label)
    assert v.azimuth_deg == pytest.approx(90.0 - abs(yaw), abs=1e-6)


def test_side_plank_facing_the_camera_with_trunk_turns_is_not_a_side_view():
    # Held face-on (the side-lying body's chest toward the camera), with a fifth of the frames turned chest-down
    # (the reaches of a thread-the-needle): there the shoulder and hip pairs point at the camera, and the width
    # ratio's low percentile read the set as side-on (the old rule).
    held = sequence("side_lying", 80, yaw_deg=0)
    turned = sequence("prone", 20, yaw_deg=0)  # chest to the floor, seen side-on: the pairs along the camera axis
    px, world, z = (np.concatenate([a, b]) for a, b in zip(_inputs(held), _inputs(turned), strict=True))
    v = estimate_view(px, world, z, Position.SIDE_LYING)
    assert view_from_ratio(v.width_ratio)[0] == "side"  # what the width ratio alone says
    assert v.view == "front"
    tr = ViewTracker()
    for i in range(px.shape[0]):
        tr.update(px[i], world[i], z[i])
    assert tr.result(Position.SIDE_LYING) == v  # live: the same reading


@pytest.mark.parametrize(
    ("ratio", "world_az", "expected"),
    [
        (0.05, 85.0, ("side", math.degrees(math.acos(0.05)))),  # both side-on
        (0.05, SIDE_WORLD_MIN_AZ_DEG, ("side", math.degrees(math.acos(0.05)))),  # 3D only just allows it
        (0.35, 16.0, ("oblique", 16.0)),  # the real side plank: 3D vetoes side, not face-on either
        (0.05, 3.0, ("front", 3.0)),  # 3D face-on overrules the ratio
        (0.88, 4.0, ("front", 4.0)),  # a real face-on squat (ratio alone: oblique, 28°)
        (0.88, FRONT_WORLD_MAX_AZ_DEG, ("front", FRONT_WORLD_MAX_AZ_DEG)),
        (0.85, 14.0, ("oblique", math.degrees(math.acos(0.85)))),  # a real lunge at an angle: the ratio's azimuth
        (0.95, 27.0, ("oblique", 27.0)),  # the ratio says front, 3D does not: 3D's azimuth
        (0.66, math.nan, ("oblique", math.degrees(math.acos(0.66)))),  # no world landmarks: the ratio alone
        (0.95, math.nan, ("front", math.degrees(math.acos(0.95)))),
    ],
)
def test_view_of(ratio, world_az, expected):
    view, az = view_of(ratio, world_az)
    assert view == expected[0]
    assert az == pytest.approx(expected[1], abs=1e-9)


def test_view_of_unknown_ratio_stays_unknown():
    view, az = view_of(math.nan, 3.0)
    assert view == "unknown" and math.isnan(az)
