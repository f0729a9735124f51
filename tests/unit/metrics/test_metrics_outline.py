"""Dorsal outline from masks with a known back curve; bend measures on exact curves."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from formcheck.metrics.hip_lumbar import outline_bend_deg, outline_in_trunk_frame
from formcheck.metrics.outline import (
    contour_bend_deg,
    contour_sagitta_frac,
    dorsal_contour_px,
    facing_sign_px,
)
from formcheck.types import LM

W, H = 640, 480


def arc_points(start: np.ndarray, start_deg: float, bend_deg: float, length: float, facing: int, n: int = 200):
    """Centre line of a trunk: starts at `start` leaning `start_deg` forward, turns forward by `bend_deg`."""
    s = np.linspace(0, 1, n)
    ang = np.radians(start_deg + bend_deg * s)
    d = np.stack([facing * np.sin(ang), -np.cos(ang)], axis=1)  # image y down
    pts = start + np.concatenate([[np.zeros(2)], np.cumsum((d[1:] + d[:-1]) / 2 * length / (n - 1), axis=0)])
    return pts, d


def trunk_mask(bend_deg: float, lean_deg: float, facing: int, scale: float = 1.0, back_px: float = 18, belly_px=40):
    """Mask of a curved trunk band plus the landmarks a pose model would give for it (full-frame pixels)."""
    hip = np.array([W / 2, 330.0])
    # The body goes on below the hips and above the shoulders: draw the band 20 % longer at both ends.
    pre, dpre = arc_points(hip, lean_deg + 180.0, 0.0, 32, facing, 20)
    core, dcore = arc_points(hip, lean_deg, bend_deg, 160, facing)
    post, dpost = arc_points(core[-1], lean_deg + bend_deg, 0.0, 32, facing, 20)
    centre = np.concatenate([pre[::-1], core, post[1:]])
    d = np.concatenate([-dpre[::-1], dcore, dpost[1:]])
    landmark_hip, landmark_sho = core[0], core[-1]
    ant = facing * np.stack([-d[:, 1], d[:, 0]], axis=1)  # tangent turned toward the front
    back = centre - back_px * ant
    front = centre + belly_px * ant
    poly = np.concatenate([back, front[::-1]]) * scale
    m = np.zeros((round(H * scale), round(W * scale)), np.uint8)
    cv2.fillPoly(m, [np.round(poly * 16).astype(np.int32)], 255, lineType=cv2.LINE_AA, shift=4)
    lm = np.full((33, 2), np.nan)
    for i in (LM.LEFT_HIP, LM.RIGHT_HIP):
        lm[i] = landmark_hip
    for i in (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER):
        lm[i] = landmark_sho
    for heel, toe in ((LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX), (LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX)):
        lm[heel] = [W / 2 - facing * 20, 450]
        lm[toe] = [W / 2 + facing * 40, 455]
    return m.astype(np.float32) / 255.0, lm, back


@pytest.mark.parametrize("facing", [1, -1])
@pytest.mark.parametrize("scale", [1.0, 0.5])
def test_contour_lies_on_the_back_edge(facing: int, scale: float) -> None:
    mask, lm, back = trunk_mask(30.0, 40.0, facing, scale)
    c = dorsal_contour_px(mask, lm, mask_scale=scale)
    assert c.shape == (24, 2)
    ok = np.all(np.isfinite(c), axis=1)
    assert ok.mean() > 0.9
    # Every found point is within ~1.5 mask pixels of the true dorsal curve.
    dist = np.min(np.linalg.norm(c[ok][:, None, :] - back[None, :, :], axis=2), axis=1)
    assert np.max(dist) < 1.5 / scale + 0.5
    # Ordered hip → shoulder.
    d_hip = np.linalg.norm(c[ok] - lm[LM.LEFT_HIP], axis=1)
    assert d_hip[0] < d_hip[-1]


@pytest.mark.parametrize("facing", [1, -1])
@pytest.mark.parametrize("lean_deg", [0.0, 45.0, 80.0])
@pytest.mark.parametrize("bend_deg", [0.0, 20.0, 45.0])
def test_outline_bend_recovers_curvature_whatever_the_lean(facing: int, lean_deg: float, bend_deg: float) -> None:
    mask, lm, _ = trunk_mask(bend_deg, lean_deg, facing, 0.5)
    c = dorsal_contour_px(mask, lm, mask_scale=0.5)
    u, v = outline_in_trunk_frame(c[None], lm[LM.LEFT_HIP][None], lm[LM.LEFT_SHOULDER][None], facing)
    bend = float(outline_bend_deg(u, v)[0])
    # An offset of a circular arc turns by the same angle. Rays perpendicular to the hip-shoulder chord see a
    # little less than the whole arc at its ends (under-read ~10 % at 45°), and leaning the trunk changes nothing.
    assert bend == pytest.approx(bend_deg * 0.95, abs=max(3.0, 0.12 * bend_deg))


def test_tangent_bend_and_sagitta_signs() -> None:
    for facing in (1, -1):
        mask, lm, _ = trunk_mask(40.0, 30.0, facing)
        c = dorsal_contour_px(mask, lm)
        assert contour_bend_deg(c, facing) > 15  # rounded back reads positive
        assert contour_sagitta_frac(c, facing) > 0.02  # bows out backward
        mask2, lm2, _ = trunk_mask(-20.0, 30.0, facing)  # extension (arched)
        c2 = dorsal_contour_px(mask2, lm2)
        assert contour_bend_deg(c2, facing) < -5
        assert contour_sagitta_frac(c2, facing) < 0


def test_missing_inputs_give_nan() -> None:
    mask, lm, _ = trunk_mask(10.0, 30.0, 1)
    assert np.isnan(dorsal_contour_px(None, lm)).all()  # type: ignore[arg-type]
    no_hips = lm.copy()
    no_hips[[LM.LEFT_HIP, LM.RIGHT_HIP]] = np.nan
    assert np.isnan(dorsal_contour_px(mask, no_hips)).all()
    empty = np.zeros_like(mask)
    assert np.isnan(dorsal_contour_px(empty, lm)).all()
    assert math.isnan(contour_bend_deg(np.full((24, 2), np.nan), 1))


def test_uint8_mask_accepted_and_equal() -> None:
    mask, lm, _ = trunk_mask(25.0, 50.0, 1)
    a = dorsal_contour_px(mask, lm)
    b = dorsal_contour_px((mask * 255).astype(np.uint8), lm)
    assert np.nanmax(np.abs(a - b)) < 0.6


def test_frame_edge_is_not_a_back() -> None:
    # Trunk cut by the top of the frame: rays that leave the image while inside the body give NaN.
    mask, lm, _ = trunk_mask(0.0, 0.0, 1)
    mask[:, : int(W / 2 - 5)] = 1.0  # body runs off the left edge behind the person
    c = dorsal_contour_px(mask, lm)
    assert np.isnan(c).all()


def test_facing_from_feet_then_nose() -> None:
    lm = np.full((33, 2), np.nan)
    lm[LM.LEFT_HEEL], lm[LM.LEFT_FOOT_INDEX] = [100, 400], [140, 400]
    assert facing_sign_px(lm) == 1.0
    lm2 = np.full((33, 2), np.nan)
    lm2[LM.NOSE], lm2[LM.LEFT_EAR] = [90, 100], [100, 100]
    assert facing_sign_px(lm2) == -1.0
    assert math.isnan(facing_sign_px(np.full((33, 2), np.nan)))


@pytest.mark.parametrize("facing", [1, -1])
@pytest.mark.parametrize(("lean_deg", "direction"), [(-90.0, "down"), (-70.0, "down"), (90.0, "up"), (105.0, "up")])
@pytest.mark.parametrize("bend_deg", [0.0, 25.0])
def test_lying_directions_trace_the_back_without_facing(facing, lean_deg, direction, bend_deg) -> None:
    # lean -90°: lying on the back (supine, back toward the floor); +90°: face down / on all fours (back up).
    mask, lm, back = trunk_mask(bend_deg, lean_deg, facing, 0.5)
    no_feet = lm.copy()
    no_feet[[LM.LEFT_HEEL, LM.RIGHT_HEEL, LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX]] = np.nan  # facing unknown
    assert np.isnan(dorsal_contour_px(mask, no_feet, mask_scale=0.5)).all()  # the default needs facing
    c = dorsal_contour_px(mask, no_feet, mask_scale=0.5, direction=direction)
    ok = np.all(np.isfinite(c), axis=1)
    assert ok.mean() > 0.9
    dist = np.min(np.linalg.norm(c[ok][:, None, :] - back[None, :, :], axis=2), axis=1)
    assert np.max(dist) < 1.5 / 0.5 + 0.5  # as for the standing outline: within ~1.5 mask pixels of the back
    # The opposite direction finds the front of the trunk, ~58 px away from the back.
    other = dorsal_contour_px(mask, no_feet, mask_scale=0.5, direction="up" if direction == "down" else "down")
    far = np.min(np.linalg.norm(other[np.isfinite(other).all(axis=1)][:, None] - back[None], axis=2), axis=1)
    assert np.min(far) > 40


def test_default_direction_is_dorsal() -> None:
    mask, lm, _ = trunk_mask(30.0, 40.0, -1, 0.5)
    np.testing.assert_array_equal(
        dorsal_contour_px(mask, lm, mask_scale=0.5), dorsal_contour_px(mask, lm, mask_scale=0.5, direction="dorsal")
    )
    np.testing.assert_array_equal(
        dorsal_contour_px(mask, lm, mask_scale=0.5),
        dorsal_contour_px(mask, lm, mask_scale=0.5, direction="dorsal", facing=-1),
    )
