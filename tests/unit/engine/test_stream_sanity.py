"""Landmark sanity live: a point that jumps off its track is unknown in the live values, as in batch.

The hinge's synthetic set (known truth: two reps) gets its near-side knee thrown 0.8 trunk lengths away for a few
frames (the pose model putting the knee on a weight plate). The batch check (:func:`formcheck.body.sanity.jump_mask`)
flags exactly those frames; live, the stream's knee angle must be unknown (NaN) on them instead of the thrown
knee's value, known everywhere the clean set's is, and the rep count unchanged.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import formcheck.analyzers  # noqa: F401 - registers every exercise
from formcheck.body.sanity import LiveJumpGate, jump_mask, trunk_length_px
from formcheck.config import Config
from formcheck.engine import registry
from formcheck.engine.protocol import LiveState
from formcheck.types import LM, Analysis, PoseSequence

CFG = Config()
JUMP_TRUNKS = 0.8  # how far the knee is thrown, trunk lengths (the check's threshold is 0.5)


def feed(seq: PoseSequence) -> tuple[Analysis, list[LiveState]]:
    stream = registry.get_spec("hinge").analyzer(CFG).stream()
    states = [stream.update(float(seq.t_s[i]), seq.landmarks[i], seq.world[i], seq.width, seq.height, None, 1)
              for i in range(seq.n_frames)]  # fmt: skip
    return stream.finish(), states


def with_jump(seq: PoseSequence, frames: np.ndarray, knee: int) -> PoseSequence:
    """The knee thrown JUMP_TRUNKS trunk lengths down-forward on ``frames`` (image coordinates, normalised)."""
    px = np.asarray(seq.xy_px(), dtype=np.float64)
    L = trunk_length_px(px)
    lm = np.array(seq.landmarks)
    step = JUMP_TRUNKS * L * np.array([0.6, 0.8]) / np.array([seq.width, seq.height])
    lm[frames, knee, :2] += step
    return PoseSequence(lm, seq.world, seq.t_s, seq.width, seq.height)


@pytest.mark.slow  # a long stream simulation: main CI step only (see pyproject's markers)
def test_a_jumping_knee_is_unknown_live_as_in_batch() -> None:
    clip = registry.get_spec("hinge").synth(n_reps=2, facing=1.0, fps=30.0, seed=0)
    seq = PoseSequence(clip.seq.landmarks, clip.seq.world, clip.seq.t_s, clip.seq.width, clip.seq.height)
    knee = int(LM.RIGHT_KNEE)  # facing +1: the near side the live knee angle is measured on
    # 3 frames during the first rep's lowering (moving knee, counting under way), 1 at the standing rest after it.
    p0 = clip.truth.phases[0]
    starts = [int(np.searchsorted(seq.t_s, 0.5 * (p0["start_s"] + p0["bottom_start_s"]))),
              int(np.searchsorted(seq.t_s, p0["end_s"] + 0.3))]  # fmt: skip
    frames = np.concatenate([np.arange(starts[0], starts[0] + 3), [starts[1]]])
    bad = with_jump(seq, frames, knee)

    batch_mask = jump_mask(np.asarray(bad.xy_px(), dtype=np.float64), bad.t_s)[:, knee]
    assert set(np.flatnonzero(batch_mask)) == set(frames.tolist())  # the batch check: these frames, no others

    clean_an, clean = feed(seq)
    an, states = feed(bad)
    knee_live = np.array([s.values.get("knee_flexion_deg", math.nan) for s in states])
    knee_clean = np.array([s.values.get("knee_flexion_deg", math.nan) for s in clean])
    assert np.isfinite(knee_clean[frames]).all()  # measured there without the jump
    assert np.isnan(knee_live[frames]).all()  # unknown live on the jumped frames, as in batch
    others = np.setdiff1d(np.arange(seq.n_frames), frames)
    assert np.array_equal(np.isfinite(knee_live[others]), np.isfinite(knee_clean[others]))
    assert len(an.reps) == len(clean_an.reps) == len(clip.truth.phases)


def test_live_gate_passes_the_synthetic_movement_and_a_left_right_swap() -> None:
    """No false jumps on a clean set; the two knees exchanged for a few frames are not jumps (as in batch)."""
    clip = registry.get_spec("hinge").synth(n_reps=2, facing=1.0, fps=30.0, seed=0)
    px = np.asarray(clip.seq.xy_px(), dtype=np.float64)
    px[60:63, [LM.LEFT_KNEE, LM.RIGHT_KNEE]] = px[60:63, [LM.RIGHT_KNEE, LM.LEFT_KNEE]]
    gate = LiveJumpGate()
    flagged = np.array([gate.update(float(t), p) for t, p in zip(clip.seq.t_s, px, strict=True)])
    assert not flagged.any()
    assert not jump_mask(px, clip.seq.t_s).any()


def _step_frames(fps: float = 30.0, step_m: float = 0.64, step_s: float = 0.6, px_per_m: float = 300.0):
    """A figure standing still while one foot steps forward (a lunge step): trunk 0.5 m, the left ankle, heel and
    toes moved ``step_m`` over ``step_s`` on a minimum-jerk path (peak 1.875 x 0.64 / 0.6 = 2 m/s, 4 trunk
    lengths a second), 0.5 px of noise. Truth: no point jumps."""
    rng = np.random.default_rng(3)
    t = np.arange(0.0, 2.0, 1.0 / fps)
    base = np.tile(np.array([300.0, 400.0]), (len(LM), 1))
    base[[LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER]] = [300.0, 100.0]
    base[[LM.LEFT_HIP, LM.RIGHT_HIP]] = [300.0, 250.0]  # trunk 150 px = 0.5 m
    base[[LM.LEFT_ANKLE, LM.RIGHT_ANKLE, LM.LEFT_HEEL, LM.RIGHT_HEEL]] = [300.0, 540.0]
    base[[LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX]] = [330.0, 545.0]
    u = np.clip((t - 0.7) / step_s, 0.0, 1.0)
    s = 10 * u**3 - 15 * u**4 + 6 * u**5
    px = np.repeat(base[None], len(t), axis=0) + rng.normal(0.0, 0.5, (len(t), len(LM), 2))
    for j in (LM.LEFT_ANKLE, LM.LEFT_HEEL, LM.LEFT_FOOT_INDEX):
        px[:, j, 0] += s * step_m * px_per_m
    return t, px


def test_live_gate_passes_a_fast_lunge_step_as_batch_does_and_still_catches_a_jump_on_it() -> None:
    t, px = _step_frames()
    assert not jump_mask(px, t).any()  # the batch check (centred window) passes it
    gate = LiveJumpGate()
    flagged = np.array([gate.update(float(a), p) for a, p in zip(t, px, strict=True)])
    assert not flagged.any(), f"flagged live at {t[np.flatnonzero(flagged.any(axis=1))]}"
    # A one-frame jump of 0.8 trunk lengths on the moving foot mid-step is still a jump live.
    k = int(np.argmin(np.abs(t - 1.0)))
    px[k, LM.LEFT_ANKLE, 1] -= 0.8 * 150.0
    gate = LiveJumpGate()
    flagged = np.array([gate.update(float(a), p) for a, p in zip(t, px, strict=True)])
    assert flagged[k, LM.LEFT_ANKLE] and jump_mask(px, t)[k, LM.LEFT_ANKLE]
