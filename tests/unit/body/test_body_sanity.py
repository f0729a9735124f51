"""body.sanity: inserted jumps, a misplaced joint (stretched segments) and a zoom cut in sequences of known truth;
no false alarms on clean or noisy figures; the hinge measures through an inserted knee jump as if it were not there."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from body_figures import sequence

from formcheck import synth
from formcheck.analyzers import get_analyzer
from formcheck.body import Body
from formcheck.body.clean import clean_landmarks
from formcheck.body.sanity import (
    Cut,
    apply_cuts,
    jump_mask,
    rebase_cuts,
    sane_px,
    scale_cuts,
    stretched_mask,
    trunk_length_px,
)
from formcheck.config import Config
from formcheck.types import LM, PoseSequence

CFG = Config()
N = 90  # 3 s at 30 fps


def _moving_px(noise_px: float = 0.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    postures = (["standing"] * 15 + ["hinge_bottom"] * 15) * 3
    seq = sequence(postures, N, yaw_deg=0.0, noise_px=noise_px, seed=seed)
    px = clean_landmarks(seq)[0]
    # Planted feet, as in a real hinge (the hand-built postures are each centred on their own).
    ankle = (px[:, LM.LEFT_ANKLE] + px[:, LM.RIGHT_ANKLE]) / 2.0
    return px - (ankle - ankle[0])[:, None, :], np.asarray(seq.t_s)


@pytest.mark.parametrize("noise", [0.0, 1.5])
def test_no_alarm_on_a_clean_or_noisy_figure(noise):
    px, t = _moving_px(noise, seed=4)
    assert not jump_mask(px, t).any()
    assert not stretched_mask(px).any()
    assert scale_cuts(px, t) == []


@pytest.mark.parametrize(("start", "length"), [(20, 1), (40, 3), (70, 4)])
def test_inserted_jumps_found_exactly(start, length):
    px, t = _moving_px(1.0, seed=1)
    L = trunk_length_px(px)
    truth = np.zeros(px.shape[:2], dtype=bool)
    frames = slice(start, start + length)
    px[frames, LM.RIGHT_KNEE] += [0.7 * L, 0.4 * L]  # the knee point on the weight plate for a moment
    truth[frames, LM.RIGHT_KNEE] = True
    np.testing.assert_array_equal(jump_mask(px, t), truth)


def test_a_misplaced_knee_stretches_its_segments():
    # Held for 0.27 s, longer than a jump against the running median, the knee point makes the thigh 1.6 x its
    # length: both its ends are unknown in those frames, and nowhere else. (Limit: the full length is the set's
    # 90th percentile, so a misplacement held for more than a tenth of the set is not caught this way.)
    px, t = _moving_px()
    hip, knee = px[:, LM.RIGHT_HIP], px[:, LM.RIGHT_KNEE]
    px[30:38, LM.RIGHT_KNEE] = hip[30:38] + 1.6 * (knee[30:38] - hip[30:38])
    bad = stretched_mask(px)
    rows = np.flatnonzero(bad.any(axis=1))
    np.testing.assert_array_equal(rows, np.arange(30, 38))
    assert bad[30:38, LM.RIGHT_KNEE].all() and bad[30:38, LM.RIGHT_HIP].all()
    assert set(np.flatnonzero(bad.any(axis=0))) <= {LM.RIGHT_HIP, LM.RIGHT_KNEE, LM.RIGHT_ANKLE}


@pytest.mark.parametrize(("at", "ratio", "centre"), [(45, 1.4, (100.0, 50.0)), (31, 0.7, (500.0, 400.0))])
def test_a_zoom_cut_is_found_and_rebased(at, ratio, centre):
    px, t = _moving_px()
    zoomed = px.copy()
    c = np.asarray(centre)
    zoomed[at:] = c + ratio * (px[at:] - c)  # the editor zoomed in (or out) about some point at frame `at`
    cuts = scale_cuts(zoomed, t)
    assert len(cuts) == 1 and cuts[0].i == at and cuts[0].ratio == pytest.approx(ratio, rel=1e-6)
    back, done = rebase_cuts(zoomed, t)
    np.testing.assert_allclose(back, px, atol=1e-6)  # the feet are planted: scale and shift are exact
    # Other pixel data (an outline) maps the same way.
    np.testing.assert_allclose(apply_cuts(zoomed[:, :5], done), px[:, :5], atol=1e-6)
    # Jumps are judged after re-basing: a zoom is not a jump.
    cleaned, bad, found = sane_px(zoomed, t)
    assert not bad.any() and [f.i for f in found] == [at]


def test_a_one_frame_size_glitch_is_not_a_cut():
    px, t = _moving_px()
    px[50] = px[50] * 1.5
    assert scale_cuts(px, t) == []


def test_cut_without_feet_is_not_rebased():
    px, t = _moving_px()
    px[:, [LM.LEFT_ANKLE, LM.RIGHT_ANKLE]] = np.nan
    back, done = rebase_cuts(px, t, [Cut(40, 1.3)])
    assert done == [] and np.allclose(back, px, equal_nan=True)


def _with_knee_jump(seq: PoseSequence, frames: slice) -> PoseSequence:
    lm = np.array(seq.landmarks, dtype=np.float64)
    for side in (LM.LEFT_KNEE, LM.RIGHT_KNEE):  # both knee points onto the plate, as MediaPipe does side-on
        lm[frames, side, 0] += 0.12
        lm[frames, side, 1] += 0.10
    return dataclasses.replace(seq, landmarks=lm)


def test_body_drops_an_inserted_jump():
    seq = synth.hinge_clip(facing=1, noise_px=1.0, seed=3).seq
    body = Body.from_sequence(_with_knee_jump(seq, slice(100, 103)), CFG, sane=True)
    assert body.unsound is not None
    rows = np.flatnonzero(body.unsound.any(axis=1))
    np.testing.assert_array_equal(rows, [100, 101, 102])
    assert body.cuts == ()


def test_hinge_measures_through_a_knee_jump():
    clip = synth.hinge_clip(facing=1, noise_px=1.0, seed=3)
    an = get_analyzer("hinge", CFG)
    clean = an.analyze(clip.seq)
    # The jump lands at each rep's bottom, where the knee angle is read.
    bottoms = [int(np.searchsorted(clip.seq.t_s, r.bottom_s)) for r in clean.reps]
    seq = clip.seq
    for b in bottoms:
        seq = _with_knee_jump(seq, slice(b - 1, b + 2))
    jumped = an.analyze(seq)
    assert len(jumped.reps) == len(clean.reps) == 3
    truth = clip.truth.knee_flexion_deg
    for r0, r1, b in zip(clean.reps, jumped.reps, bottoms, strict=True):
        k0, k1 = r0.metrics["knee_flexion_bottom_deg"], r1.metrics["knee_flexion_bottom_deg"]
        assert abs(k1 - k0) <= 1.0 and abs(k1 - truth[b]) <= 3.0


def test_world_landmarks_drop_the_same_jump():
    # The knee point on the plate for 3 frames is wrong in MediaPipe's world estimate too: the sanity mask found on
    # the image must also make the world knee unknown there, so the squat (oblique), lunge, recognition and the
    # view, which read world coordinates, do not smooth the jump in.
    from formcheck.analyzers.squat_synth import squat_clip

    seq = squat_clip(seed=2).seq
    lm = np.array(seq.landmarks, dtype=np.float64)
    world = np.array(seq.world, dtype=np.float64)
    frames = slice(100, 103)
    lm[frames, LM.LEFT_KNEE, 0] += 0.25
    world[frames, LM.LEFT_KNEE, 0] += 0.4
    clean = Body.from_sequence(seq, CFG, sane=True)
    jumped = Body.from_sequence(dataclasses.replace(seq, landmarks=lm, world=world), CFG, sane=True)
    assert jumped.unsound is not None and jumped.unsound[frames, LM.LEFT_KNEE].all()
    got, truth = jumped.world[frames, LM.LEFT_KNEE], clean.world[frames, LM.LEFT_KNEE]
    off_m = np.abs(got - truth)
    assert np.all(np.isnan(got) | (off_m <= 0.03)), off_m
