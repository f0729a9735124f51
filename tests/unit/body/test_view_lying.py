"""body.view.lying_view: a raised or turned camera on a lying body, from a figure seen at a known angle.

The figures (``body_figures``) are lying on the back (at rest, at a bridge's top, or both in turn) and seen by an
orthographic camera turned by a known yaw about the vertical and pitched down by a known angle, so the truth is
exact: the camera's angle from side-on is the angle between the viewing axis and the figure's left-right axis,
computed here from the figure's own hip points, not from the ratio the code measures.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from body_figures import camera_points, sequence

from formcheck.body.clean import clean_landmarks
from formcheck.body.view import LYING_SIDE_MAX_DEG, estimate_view, hip_spread_ratio, lying_view
from formcheck.types import LM, PoseSequence

REST_AND_TOP = ["supine"] * 10 + ["bridge_top"] * 10 + ["supine"] * 10


def _true_off_side_deg(yaw_deg: float, pitch_deg: float) -> float:
    """The camera's angle from side-on: between the viewing axis (camera z) and the figure's hip axis."""
    p = camera_points("supine", yaw_deg=yaw_deg, pitch_deg=pitch_deg)
    d = p[LM.RIGHT_HIP] - p[LM.LEFT_HIP]
    return math.degrees(math.acos(abs(d[2]) / np.linalg.norm(d)))


def _lying(seq: PoseSequence):
    px, world, _ = clean_landmarks(seq)
    return lying_view(px, world)


@pytest.mark.parametrize("postures", ["supine", "bridge_top", REST_AND_TOP])
@pytest.mark.parametrize(
    ("yaw", "label"),
    [(0, "side"), (15, "side"), (30, "oblique"), (45, "oblique"), (-15, "side"), (-30, "oblique"), (180, "side"),
     (210, "oblique")],
)  # fmt: skip
def test_a_camera_turned_about_the_vertical(postures, yaw: float, label: str) -> None:
    v = _lying(sequence(postures, 30, yaw_deg=yaw))
    truth = _true_off_side_deg(yaw, 0.0)
    assert truth == pytest.approx(abs(math.degrees(math.asin(math.sin(math.radians(yaw))))), abs=1e-6)
    assert v.view == label
    # Turned, the trunk shortens too: the angle read is never below the true one (withholding errs on the safe side).
    assert v.off_side_deg >= truth - 0.01
    if postures == "supine":  # trunk horizontal: the ratio is exactly tan of the angle
        assert v.ratio == pytest.approx(math.tan(math.radians(truth)), abs=1e-6)


@pytest.mark.parametrize("postures", ["supine", REST_AND_TOP])
@pytest.mark.parametrize(("pitch", "label"), [(0, "side"), (10, "side"), (20, "side"), (30, "oblique"),
                                              (45, "oblique"), (-30, "oblique")])  # fmt: skip
def test_a_camera_raised_above_the_floor_looking_down(postures, pitch: float, label: str) -> None:
    v = _lying(sequence(postures, 30, pitch_deg=pitch))
    truth = _true_off_side_deg(0.0, pitch)
    assert truth == pytest.approx(abs(pitch), abs=1e-6)
    # Raised, the trunk keeps its length at rest: the angle is read exactly (the rest frames set the low percentile).
    assert v.off_side_deg == pytest.approx(truth, abs=0.01)
    assert v.view == label


@pytest.mark.parametrize(("yaw", "pitch"), [(10, 10), (12, 12), (20, 20), (15, 35), (35, 15), (-25, 25)])
def test_turned_and_raised_together_against_the_true_angle(yaw: float, pitch: float) -> None:
    truth = _true_off_side_deg(yaw, pitch)
    assert abs(truth - LYING_SIDE_MAX_DEG) > 3.0  # the cases stay clear of the boundary
    v = _lying(sequence(REST_AND_TOP, 30, yaw_deg=yaw, pitch_deg=pitch))
    assert v.view == ("oblique" if truth > LYING_SIDE_MAX_DEG else "side"), (truth, v)


@pytest.mark.parametrize("pitch", [30, 40])
def test_the_horizontal_width_check_misses_a_raised_camera_and_this_one_does_not(pitch: float) -> None:
    # The bug: an elevated camera on a lying body read "side" (the hips apart vertically, not horizontally).
    seq = sequence(REST_AND_TOP, 30, pitch_deg=pitch)
    px, world, _ = clean_landmarks(seq)
    image_z = np.where(np.isnan(px[..., 0]), np.nan, seq.landmarks[:, :, 2])
    assert estimate_view(px, world, image_z, "supine").view == "side"
    assert _lying(seq).view == "oblique"


@pytest.mark.parametrize(("pitch", "label"), [(0, "side"), (12, "side"), (35, "oblique")])
def test_pixel_noise_does_not_change_the_verdict(pitch: float, label: str) -> None:
    # 2 px of noise on a figure ~200 px long (hips 40 px apart): MediaPipe-like jitter.
    assert _lying(sequence(REST_AND_TOP, 30, pitch_deg=pitch, noise_px=2.0, seed=4)).view == label


def test_unknown_without_world_landmarks_or_hips() -> None:
    seq = sequence("supine", 10, pitch_deg=40)
    px, world, _ = clean_landmarks(seq)
    v = lying_view(px, np.full_like(world, np.nan))
    assert (v.view, math.isnan(v.off_side_deg), math.isnan(v.ratio)) == ("unknown", True, True)
    px[:, int(LM.LEFT_HIP)] = np.nan
    assert np.isnan(hip_spread_ratio(px, world)).all()
    assert lying_view(px, world).view == "unknown"
