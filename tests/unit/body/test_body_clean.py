"""body.clean: unseen landmarks become NaN, mid-points, whole body in view, gap bridging and smoothing."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from body_figures import HEIGHT, WIDTH, frame

from formcheck.body.clean import BODY, body_cut_off, clean_landmarks, mid, smooth_landmarks, whole_body_in_view
from formcheck.types import LM, PoseSequence

SIGNAL = SimpleNamespace(lowpass_hz=4.0, lowpass_order=2, max_gap_s=0.3)


def _one_landmark_seq(x: float, y: float, vis: float) -> PoseSequence:
    lm = np.full((1, 33, 4), 0.5)
    lm[0, :, 3] = 0.9
    lm[0, LM.NOSE] = (x, y, -0.1, vis)
    world = np.full((1, 33, 4), 0.1)
    return PoseSequence(lm, world, np.zeros(1), WIDTH, HEIGHT)


@pytest.mark.parametrize(
    ("x", "y", "vis", "kept"),
    [
        (0.5, 0.5, 0.9, True),
        (-0.005, 0.5, 0.9, True),  # inside the 1 % margin: MediaPipe places edge points a little outside
        (-0.02, 0.5, 0.9, False),  # off frame
        (0.5, 1.02, 0.9, False),
        (1.02, 0.5, 0.9, False),
        (0.5, 0.5, 0.29, False),  # a guess, not a sighting
        (0.5, 0.5, 0.30, True),
    ],
)
def test_unseen_landmarks_become_nan_in_pixels_but_stay_in_world(x, y, vis, kept):
    px, world, v = clean_landmarks(_one_landmark_seq(x, y, vis))
    if kept:
        np.testing.assert_allclose(px[0, LM.NOSE], (x * WIDTH, y * HEIGHT))
    else:
        assert np.all(np.isnan(px[0, LM.NOSE]))
    assert world.shape == (1, 33, 3) and np.all(world[0, LM.NOSE] == 0.1)  # world keeps every joint
    assert v[0, LM.NOSE] == vis


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [((0.0, 2.0), (4.0, 6.0), (2.0, 4.0)), ((np.nan, np.nan), (4.0, 6.0), (4.0, 6.0)),
     ((1.0, 1.0), (np.nan, np.nan), (1.0, 1.0)), ((np.nan, np.nan), (np.nan, np.nan), (np.nan, np.nan))],
)  # fmt: skip
def test_mid_is_the_mean_or_the_known_side(a, b, expected):
    np.testing.assert_array_equal(mid(np.array(a), np.array(b)), np.array(expected))


def _standing_frame() -> np.ndarray:
    return frame("standing", yaw_deg=0.0)[0]


def test_whole_body_in_view():
    lm = _standing_frame()
    assert whole_body_in_view(lm)
    far_dim = lm.copy()
    far_dim[[LM.LEFT_ANKLE, LM.LEFT_HEEL], 3] = 0.1  # far side barely visible: still fine
    assert whole_body_in_view(far_dim)
    both_dim = far_dim.copy()
    both_dim[LM.RIGHT_ANKLE, 3] = 0.4  # ... an unseen pair within a shank of the bottom edge could be cut off
    assert not whole_body_in_view(both_dim)
    feet_out = lm.copy()
    feet_out[[LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX], 1] = 1.0
    assert not whole_body_in_view(feet_out)
    # A floor exercise that needs only the trunk ignores the feet.
    trunk = (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP)
    assert whole_body_in_view(feet_out, trunk)
    assert not whole_body_in_view(np.full((33, 4), np.nan))
    # Vectorised over frames.
    np.testing.assert_array_equal(whole_body_in_view(np.stack([lm, feet_out, lm])), [True, False, True])
    with pytest.raises(ValueError, match="pairs"):
        whole_body_in_view(lm, (LM.LEFT_HIP,))
    assert len(BODY) == 12


FEET = [LM.LEFT_ANKLE, LM.RIGHT_ANKLE, LM.LEFT_HEEL, LM.RIGHT_HEEL, LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX]
KNEES = [LM.LEFT_KNEE, LM.RIGHT_KNEE]


def _lying(dx_px: float = 0.0, *, dim: list[int] = (), vis: float = 0.2, unplaced: list[int] = ()) -> np.ndarray:
    """A supine body seen from the side (trunk 100 px, toes at x = 140 px of 640), moved ``dx_px`` across; the
    ``dim`` landmarks seen at ``vis``, the ``unplaced`` ones not placed (NaN, as a pose import leaves them)."""
    lm = frame("supine")[0].copy()
    lm[:, 0] += dx_px / WIDTH
    lm[[LM.LEFT_KNEE, LM.LEFT_ANKLE, LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX], 3] = 0.1  # the far leg: hidden by the body
    lm[list(dim), 3] = vis
    lm[list(unplaced), :] = np.nan
    return lm


@pytest.mark.parametrize(
    ("lm", "cut"),
    [
        (_lying(), False),  # in the middle, far leg unseen
        (_lying(dim=FEET, vis=0.35), False),  # both feet poorly seen, 120+ px inside: hidden, not cut (old rule: cut)
        (_lying(dim=FEET + KNEES, vis=0.0), False),  # the whole lower leg unseen, still far inside
        (_lying(-150.0, dim=FEET), True),  # the feet past the left edge (toes at -10 px), unseen
        (_lying(-150.0), True),  # ... the same, seen: placed outside is out
        (_lying(-137.0), True),  # toes 3 px from the edge: touching the border (within the 1 % margin)
        (_lying(-130.0, dim=FEET), True),  # unseen toes 10 px inside, nearer the edge than their 20 px foot
        (_lying(-100.0, dim=FEET), True),  # unseen ankles 52 px inside, nearer than their 84 px shank
        (_lying(-100.0), False),  # ... the same feet seen 40+ px inside: in the picture
        (_lying(unplaced=FEET), False),  # feet not placed, knees 236 px inside: more than a trunk (100 px)
        (_lying(-180.0, unplaced=FEET), True),  # feet not placed, knees 56 px inside: the feet could be out
        (_lying(unplaced=FEET + KNEES + [LM.LEFT_HIP, LM.RIGHT_HIP]), True),  # nothing to place them by
        (np.full((33, 4), np.nan), False),  # nobody found: lost, not cut off
    ],
)
def test_body_cut_off_is_the_picture_edge_not_visibility(lm: np.ndarray, cut: bool) -> None:
    assert bool(body_cut_off(lm, aspect=WIDTH / HEIGHT)) is cut
    assert bool(whole_body_in_view(lm, aspect=WIDTH / HEIGHT)) is (not cut and bool(np.isfinite(lm[0, 0])))


def test_body_cut_off_measures_across_and_down_in_pixels() -> None:
    # Standing in a 1280 x 480 frame, feet unseen, toes 100 px from the right edge and 104 px above the bottom: the
    # shank (80 px) and foot (31 px) are upright, so the feet cannot reach either edge. Distances across the frame
    # read as fractions of the height without the aspect (0.1 for 128 px) would call the ankles "cut off".
    lm = _standing_frame().copy()
    lm[:, 0] = (lm[:, 0] * WIDTH + (1280 - 100 - 348)) / 1280
    lm[:, 1] -= 40 / HEIGHT
    lm[FEET, 3] = 0.2
    assert not body_cut_off(lm, aspect=1280 / HEIGHT)
    assert body_cut_off(lm, aspect=1.0)


def test_smoothing_bridges_short_gaps_only_and_keeps_a_constant():
    t = np.arange(90) / 30.0
    x = np.tile(np.array([100.0, 200.0]), (90, 1))
    x[20:26] = np.nan  # 0.2 s unknown: bridged
    x[50:70] = np.nan  # 0.67 s: stays unknown
    y = smooth_landmarks(x, t, SIGNAL)
    assert np.all(np.isnan(y[50:70])) and not np.any(np.isnan(y[:50])) and not np.any(np.isnan(y[70:]))
    np.testing.assert_allclose(y[:50], np.tile([100.0, 200.0], (50, 1)), atol=1e-9)


def test_smoothing_low_passes_at_the_configured_cut_off():
    t = np.arange(300) / 30.0
    slow = np.sin(2 * np.pi * 0.5 * t)  # exercise motion: kept
    fast = 0.5 * np.sin(2 * np.pi * 12.0 * t)  # jitter: removed
    y = smooth_landmarks(slow + fast, t, SIGNAL)
    assert np.max(np.abs(y[30:-30] - slow[30:-30])) < 0.02
