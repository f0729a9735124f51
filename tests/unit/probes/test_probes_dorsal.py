"""The dorsal_outline probes: today's outline unchanged, and the side they search chosen by body position."""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcheck.metrics.outline import dorsal_contour_px
from formcheck.probes import DIRECTION_BY_POSITION, DorsalOutline, dorsal_probe_for, get_probe, trace_probes
from formcheck.synth import RepSpec, hinge_clip, render_mask
from formcheck.types import LM

W, H = 640, 480


@pytest.fixture(scope="module")
def synth_clip():
    # Rounded and flat backs, both facings, at the default 0.5 mask scale: the masks extraction would see.
    reps = [RepSpec(spine_deg=30.0), RepSpec(spine_deg=0.0, pelvis_deg=80.0)]
    return {f: hinge_clip(reps, tempo=(1.0, 0.3, 1.0, 0.3), fps=10.0, facing=f, contour=True) for f in (1, -1)}


@pytest.mark.parametrize("facing", [1, -1])
def test_dorsal_outline_is_todays_outline_on_synthetic_masks(synth_clip, facing):
    clip = synth_clip[facing]
    seq = clip.seq
    probe = get_probe("dorsal_outline")
    assert (probe.name, probe.version, probe.points, probe.direction) == ("dorsal_outline", 1, 24, "dorsal")
    lm_px = seq.xy_px()
    found = 0
    for i in range(seq.n_frames):
        mask = render_mask(clip, i, mask_scale=0.5)
        got = probe.trace(mask, lm_px[i], mask_scale=0.5)
        np.testing.assert_array_equal(got, dorsal_contour_px(mask, lm_px[i], mask_scale=0.5))
        # ... and what the synthetic clip stored through the old back_contour_px path (exactly, NaN included).
        np.testing.assert_array_equal(got, seq.back_contour_px[i])
        found += int(np.isfinite(got).all(axis=1).sum())
    assert found > 0.8 * seq.n_frames * probe.points  # the comparison is not between two all-NaN arrays


def band_mask(hip, axis_deg: float, back_dir: float, back_px: float = 20.0, front_px: float = 45.0):
    """A straight trunk band with exactly known edges.

    The trunk runs from ``hip`` along image angle ``axis_deg`` (0 = image-right, 90 = image-up) for 200 px, and
    40 px beyond each end; ``back_dir`` +1 puts the back on the left of the axis (the axis turned +90° on screen),
    -1 on the right. The mask is drawn analytically (a 3-px linear ramp across each edge, sampled at pixel centres =
    integer coordinates), so its 0.5 level is exactly the edge and bilinear sampling recovers it to ~0.01 px.

    Returns:
        The float mask, the 33×2 landmarks, and the back and front edges as (point, unit direction) lines.
    """
    a = np.array([math.cos(math.radians(axis_deg)), -math.sin(math.radians(axis_deg))])  # image y down
    n_back = back_dir * np.array([a[1], -a[0]])
    hip = np.asarray(hip, dtype=np.float64)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float64)
    rx, ry = xx - hip[0], yy - hip[1]
    along = rx * a[0] + ry * a[1]
    across = rx * n_back[0] + ry * n_back[1]  # + toward the back
    inside_by = np.minimum.reduce([back_px - across, front_px + across, along + 40.0, 240.0 - along])
    mask = np.clip(0.5 + inside_by / 3.0, 0.0, 1.0).astype(np.float32)  # soft edge, like the model's mask
    lm = np.full((33, 2), np.nan)
    lm[[LM.LEFT_HIP, LM.RIGHT_HIP]] = hip
    lm[[LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER]] = hip + 200.0 * a
    return mask, lm, (hip + back_px * n_back, a), (hip - front_px * n_back, a)


def dist_to_line(pts: np.ndarray, line) -> np.ndarray:
    p0, d = line
    r = pts - p0
    return np.abs(r[:, 0] * d[1] - r[:, 1] * d[0])


@pytest.mark.parametrize(
    ("position", "axis_deg"),
    [
        ("supine", 0.0),  # lying flat, head to the right
        ("supine", 180.0),  # head to the left
        ("supine", 25.0),  # bridge: hips lifted, trunk slopes down to the shoulders (head right)
        ("supine", 155.0),
        ("quadruped", 0.0),  # on all fours, head right
        ("quadruped", 180.0),
        ("quadruped", -15.0),  # cat-camel with the head lower than the hips
        ("prone", 180.0),
    ],
)
def test_lying_probes_find_the_back_on_the_floor_or_ceiling_side(position, axis_deg):
    down = DIRECTION_BY_POSITION[position] == "down"
    # Build the body with its back where it is for that position: toward image +y (floor) or -y (ceiling).
    a = np.array([math.cos(math.radians(axis_deg)), -math.sin(math.radians(axis_deg))])
    left_y = -a[0]  # y component of the axis turned +90°
    back_dir = (1.0 if left_y > 0 else -1.0) * (1.0 if down else -1.0)
    mask, lm, back, front = band_mask([320.0, 240.0] - 100.0 * a, axis_deg, back_dir)
    probe = get_probe(dorsal_probe_for(position))
    c = probe.trace(mask, lm)
    assert c.shape == (24, 2)
    ok = np.isfinite(c).all(axis=1)
    assert ok.all()
    assert dist_to_line(c, back).max() < 0.05  # on the back edge (anti-aliased, sub-pixel)
    # The other lying direction looks at the other side: the front of the trunk, not the back.
    other = DorsalOutline(direction="up" if down else "down").trace(mask, lm)
    assert dist_to_line(other[np.isfinite(other).all(axis=1)], front).max() < 0.05
    # Ordered hip → shoulder.
    assert np.linalg.norm(c[0] - lm[LM.LEFT_HIP]) < np.linalg.norm(c[-1] - lm[LM.LEFT_HIP])


@pytest.mark.parametrize("direction", ["down", "up"])
@pytest.mark.parametrize("axis_deg", [90.0, 120.0, 61.0])  # upright, leaning, just steeper than 60°
def test_up_down_need_a_lying_trunk(direction, axis_deg):
    mask, lm, _, _ = band_mask([320.0, 400.0], axis_deg, 1.0)
    assert np.isnan(DorsalOutline(direction=direction).trace(mask, lm)).all()


def test_up_down_do_not_need_facing():
    # Supine: the toes point at the ceiling, feet and nose tell nothing; the default dorsal probe gives up.
    mask, lm, back, _ = band_mask([220.0, 300.0], 0.0, -1.0)
    assert np.isnan(get_probe("dorsal_outline").trace(mask, lm)).all()
    c = get_probe("dorsal_outline_down").trace(mask, lm)
    assert np.isfinite(c).all() and dist_to_line(c, back).max() < 0.05


@pytest.mark.parametrize("name", ["dorsal_outline", "dorsal_outline_down", "dorsal_outline_up"])
def test_missing_inputs_give_nan_of_the_right_shape(name):
    probe = get_probe(name)
    mask, lm, _, _ = band_mask([220.0, 300.0], 0.0, 1.0)
    no_hips = lm.copy()
    no_hips[[LM.LEFT_HIP, LM.RIGHT_HIP]] = np.nan
    for out in (
        probe.trace(None, lm),
        probe.trace(mask, no_hips),
        probe.trace(np.zeros_like(mask), lm),
        probe.trace(np.zeros((0, 0), np.float32), lm),
        probe.empty(),
    ):
        assert out.shape == (probe.points, 2) and np.isnan(out).all()
    assert DorsalOutline(points=7, direction="down").trace(mask, lm).shape == (7, 2)


def test_trace_probes_runs_each_and_fills_nan_without_a_mask():
    mask, lm, _, _ = band_mask([220.0, 300.0], 0.0, 1.0)
    probes = (get_probe("dorsal_outline_up"), DorsalOutline(name="coarse", points=5, direction="down"))
    out = trace_probes(probes, mask, lm)
    assert {k: v.shape for k, v in out.items()} == {"dorsal_outline_up": (24, 2), "coarse": (5, 2)}
    np.testing.assert_array_equal(out["coarse"], probes[1].trace(mask, lm))
    for none in (trace_probes(probes, None, lm), trace_probes(probes, mask, None)):
        assert {k: v.shape for k, v in none.items()} == {"dorsal_outline_up": (24, 2), "coarse": (5, 2)}
        assert all(np.isnan(v).all() for v in none.values())


@pytest.mark.parametrize(
    ("position", "name"),
    [
        ("standing", "dorsal_outline"),
        ("hinge", "dorsal_outline"),
        ("supine", "dorsal_outline_down"),
        ("quadruped", "dorsal_outline_up"),
        ("prone", "dorsal_outline_up"),
    ],
)
def test_probe_by_position(position, name):
    assert dorsal_probe_for(position) == name
    assert get_probe(name).direction == DIRECTION_BY_POSITION[position]


def test_bad_probe_settings_are_rejected():
    with pytest.raises(KeyError, match="sideways"):
        dorsal_probe_for("sideways")
    with pytest.raises(ValueError, match="direction"):
        DorsalOutline(direction="left")
    with pytest.raises(ValueError, match="direction"):
        dorsal_contour_px(np.zeros((4, 4)), np.full((33, 2), np.nan), direction="left")
    with pytest.raises(ValueError, match="lower_snake_case"):
        DorsalOutline(name="Dorsal Outline")
    with pytest.raises(ValueError):
        DorsalOutline(points=1)


@pytest.mark.parametrize("facing", [1, -1])
def test_extra_rays_leave_the_hip_to_shoulder_band_bit_identical(synth_clip, facing):
    # Rays below hip / above shoulder level (a longer trace) come after the band, which stays today's outline.
    clip = synth_clip[facing]
    lm_px = clip.seq.xy_px()
    long = DorsalOutline(name="long", points=40, below=12, above=4)
    assert long.band_points == 24
    below = 0
    for i in range(clip.seq.n_frames):
        mask = render_mask(clip, i, mask_scale=0.5)
        got = long.trace(mask, lm_px[i], mask_scale=0.5)
        assert got.shape == (40, 2)
        np.testing.assert_array_equal(got[:24], get_probe("dorsal_outline").trace(mask, lm_px[i], mask_scale=0.5))
        below += int(np.isfinite(got[24:36]).all(axis=1).sum())
    assert below > 0  # the rays below hip level found the buttocks somewhere


@pytest.mark.parametrize(("axis_deg", "back_dir"), [(90.0, 1.0), (90.0, -1.0), (60.0, 1.0)])
def test_extra_rays_trace_the_back_edge_beyond_hip_and_shoulder(axis_deg, back_dir):
    # The band drawn by band_mask runs 40 px beyond hip and shoulder (trunk 200 px, rays every 200/23 px): the
    # 4 rays below and 4 above inside it lie on the back edge at their levels; the ones below beyond it find nothing.
    mask, lm, back, _ = band_mask([320.0, 400.0] if axis_deg == 90.0 else [250.0, 400.0], axis_deg, back_dir)
    probe = DorsalOutline(name="long", points=40, below=12, above=4)
    lm = lm.copy()
    facing = back_dir  # toes pointing this way put the back on the side band_mask drew it
    lm[[LM.LEFT_HEEL, LM.RIGHT_HEEL]] = lm[LM.LEFT_HIP] + [0.0, 300.0]
    lm[[LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX]] = lm[LM.LEFT_HIP] + [30.0 * facing, 300.0]
    c = probe.trace(mask, lm)
    levels = probe.levels()
    assert np.allclose(levels[24:28], -np.arange(1, 5) / 23) and np.allclose(levels[36:40], 1 + np.arange(1, 5) / 23)
    inside = (levels >= -40.0 / 200.0) & (levels <= 1.0 + 40.0 / 200.0)
    assert np.isfinite(c[inside]).all() and np.isnan(c[~inside]).all()
    assert dist_to_line(c[inside], back).max() < 0.05
    hip = lm[LM.LEFT_HIP]
    a = (lm[LM.LEFT_SHOULDER] - hip) / 200.0
    np.testing.assert_allclose((c[inside] - hip) @ a / 200.0, levels[inside], atol=1e-6)


def test_extra_rays_need_a_band():
    with pytest.raises(ValueError, match="band"):
        DorsalOutline(name="long", points=10, below=6, above=3)
