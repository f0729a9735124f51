"""body.Body: one cleaned view of a pose sequence (smoothing, mid-points, view, position, scale, roll)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
from body_figures import SCALE_PX_PER_M, sequence

from formcheck import synth
from formcheck.body import Body, Position
from formcheck.body.clean import clean_landmarks, smooth_landmarks
from formcheck.config import Config
from formcheck.types import LM

CFG = Config()


@pytest.fixture(scope="module")
def hinge_left():
    clip = synth.hinge_clip(facing=-1, noise_px=1.0, seed=2)
    return clip, Body.from_sequence(clip.seq, CFG)


def test_body_of_a_side_view_hinge(hinge_left):
    clip, body = hinge_left
    seq = clip.seq
    assert body.n_frames == seq.n_frames and body.px.shape == (seq.n_frames, 33, 2)
    assert body.world.shape == (seq.n_frames, 33, 3)
    assert (body.view.view, body.facing, body.near_side) == ("side", -1.0, "left")
    assert body.position.position is Position.STANDING and body.position.confidence == 1.0
    assert np.all(body.positions == "standing")
    assert body.full_body.all() and body.present.all()
    # Camera is level: the figure's body line leans only by its shoulders' 5 cm ahead of the spine (~2°).
    assert abs(body.roll.roll_deg) < 3.0
    assert (body.width, body.height) == (seq.width, seq.height)


def test_pixels_are_cleaned_then_smoothed_as_configured(hinge_left):
    clip, body = hinge_left
    px_raw, world_raw, vis = clean_landmarks(clip.seq)
    t = clip.seq.t_s
    np.testing.assert_array_equal(body.px, smooth_landmarks(px_raw, t, CFG.signal))
    np.testing.assert_array_equal(body.world, smooth_landmarks(world_raw, t, CFG.signal))
    np.testing.assert_array_equal(body.vis, vis)
    # Image depth only where the pixel landmark is known (an off-frame point has no trustworthy depth either).
    np.testing.assert_array_equal(np.isnan(body.image_z), np.isnan(px_raw[..., 0]))


def test_mid_points_and_near_side_tracks(hinge_left):
    _, body = hinge_left
    px = body.px
    np.testing.assert_allclose(body.mid_hip_px, (px[:, LM.LEFT_HIP] + px[:, LM.RIGHT_HIP]) / 2)
    np.testing.assert_allclose(body.mid_shoulder_px, (px[:, LM.LEFT_SHOULDER] + px[:, LM.RIGHT_SHOULDER]) / 2)
    np.testing.assert_allclose(body.mid_ankle_px, (px[:, LM.LEFT_ANKLE] + px[:, LM.RIGHT_ANKLE]) / 2)
    np.testing.assert_array_equal(body.near_px("knee"), px[:, LM.LEFT_KNEE])
    w = body.world
    np.testing.assert_allclose(body.mid_hip_world, (w[:, LM.LEFT_HIP] + w[:, LM.RIGHT_HIP]) / 2)
    np.testing.assert_allclose(body.mid_shoulder_world, (w[:, LM.LEFT_SHOULDER] + w[:, LM.RIGHT_SHOULDER]) / 2)
    assert body.mid_ear_px.shape == body.mid_knee_px.shape == (body.n_frames, 2)


@pytest.mark.parametrize("height_cm", [150.0, 190.0])
def test_px_per_cm_follows_the_configured_height_and_nothing_else_is_read(height_cm):
    # Only config.signal and config.body.height_cm are read: a bare namespace with those two is enough.
    cfg = SimpleNamespace(signal=CFG.signal, body=SimpleNamespace(height_cm=height_cm))
    body = Body.from_sequence(sequence("standing", 30, yaw_deg=0), cfg)
    assert body.px_per_cm == pytest.approx(1.34 * SCALE_PX_PER_M / (0.7914 * height_cm), rel=1e-6)


@pytest.mark.parametrize(
    ("posture", "yaw", "position", "view", "facing", "rule"),
    [
        ("quadruped", 180, Position.QUADRUPED, "side", -1.0, "head"),
        ("supine", 0, Position.SUPINE, "side", 1.0, "head"),
        ("plank", 20, Position.PRONE, "side", 1.0, "head"),
        ("side_lying", 0, Position.SIDE_LYING, "front", 1.0, "head"),
        ("kneeling", 0, Position.KNEELING, "side", 1.0, "face"),
        ("seated", 180, Position.SEATED, "side", -1.0, "toes"),
    ],
)
def test_floor_positions_choose_their_view_and_facing_rules(posture, yaw, position, view, facing, rule):
    body = Body.from_sequence(sequence(posture, 40, yaw_deg=yaw, noise_px=1.0), CFG)
    assert body.position.position is position
    assert (body.view.view, body.view.facing_sign, body.view.facing_rule) == (view, facing, rule)
    assert math.isnan(body.roll.roll_deg)  # nobody stands straight: no roll


def test_a_declared_position_sets_the_rules_and_the_estimate_is_still_reported():
    body = Body.from_sequence(sequence("quadruped", 40, yaw_deg=0), CFG, position="standing")
    assert body.position.position is Position.QUADRUPED
    assert body.view.facing_rule == "toes" and body.view.facing_sign == -1.0  # what the toes say on all fours


def test_landmarks_needed_decides_full_body():
    lm_seq = sequence("supine", 10)
    lm = np.array(lm_seq.landmarks)
    lm[:, [LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX], 0] = 1.005  # toes at the frame edge
    seq = type(lm_seq)(lm, lm_seq.world, lm_seq.t_s, lm_seq.width, lm_seq.height)
    assert not Body.from_sequence(seq, CFG).full_body.any()
    trunk = (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP)
    assert Body.from_sequence(seq, CFG, landmarks_needed=trunk).full_body.all()


def test_nobody():
    body = Body.from_sequence(sequence("standing", 10, absent=tuple(range(10))), CFG)
    assert not body.present.any() and body.view.view == "unknown"
    assert body.position.position is Position.UNKNOWN and math.isnan(body.px_per_cm)
