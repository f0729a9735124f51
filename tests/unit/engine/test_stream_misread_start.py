"""A live hinge set whose first frames are misread counts the reps a file analysis of the same frames counts.

The pose model's first frames of a stream may read the near leg swung far back (deadlift_side_jf9ss9_2: frames 1-2
read -48° and -52° of hip flexion, its set-up at the bar reads 130° and standing -5°). Batch's standing level is
the 5th percentile of the whole set, which two frames do not move; the old live rep detector took its lowest sample
as the level, then sat "down" for the whole set and gave one rep at the stop (5 in batch and in the labels).

The body is the synthetic side-view figure (:func:`formcheck.synth.hinge_clip`) moved by a known script: a floor
set opening at the bar (``tests/unit/fc_floor_signals.py`` shapes) or RDL reps from standing; frames 1-2 have the
near leg rotated about the hip so that they read ``MISREAD_DEG`` of hip flexion.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import formcheck.analyzers  # noqa: F401 - registers every exercise
from formcheck.analyzers.hinge import side_angles
from formcheck.reps import PHASE_ORDER_KEY
from formcheck.types import LM, PoseSequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fc_floor_signals import Builder  # noqa: E402 - the known-truth movement shapes

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fc_hinge_scripts import batch, clip_of, live  # noqa: E402 - the scripted figure, live and batch

# Long stream simulations: the main CI step runs them; the lowest-versions step skips them (marker `slow`).
pytestmark = pytest.mark.slow

LIVE_TOL_S = 0.15  # live vs batch, as tests/unit/engine/test_stream_finish.py
TRUTH_TOL_S = 0.6  # found vs scripted rep boundaries (tests/unit/engine/test_stream_floor_finish.py)
MISREAD_DEG = -50.0
MISREAD_FRAMES = (1, 2)
NEAR_LEG = (LM.RIGHT_KNEE, LM.RIGHT_ANKLE, LM.RIGHT_HEEL, LM.RIGHT_FOOT_INDEX)  # facing +1: the right leg is near


def floor_set(n: int) -> tuple[Builder, list[tuple[float, float]]]:
    """A deadlift set opening at the bar (set-up 1.2 s), n x (pull 1.5, lockout 0.6, lower 2.0, rest 1.0): the
    set and each rep's (pull start, back on the floor)."""
    b = Builder(1.0)
    b.hold(1.2)
    truth = []
    for _ in range(n):
        p0 = b.move(1.5, 0.0)
        b.hold(0.6)
        b.move(2.0, 1.0)
        truth.append((p0, b.hold(1.0)))
    return b, truth


def rdl_set(n: int) -> tuple[Builder, list[tuple[float, float]]]:
    """An RDL set from standing (1.5 s), n x (lower 2.0, pause 1.0, rise 2.0, stand 1.0) to 0.8 of a floor pull."""
    b = Builder(0.0)
    b.hold(1.5)
    truth = []
    for _ in range(n):
        s0 = b.move(2.0, 0.8)
        b.hold(1.0)
        b.move(2.0, 0.0)
        truth.append((s0, b.hold(1.0)))
    return b, truth


def hip_flexion(lm: np.ndarray, seq: PoseSequence) -> np.ndarray:
    px = lm[..., :2] * np.array([seq.width, seq.height])
    trunk, thigh, _ = side_angles(px, 1.0, "right")
    return trunk + thigh


def misread(seq: PoseSequence) -> PoseSequence:
    """Frames ``MISREAD_FRAMES`` with the near leg rotated about the hip so that they read ``MISREAD_DEG``."""
    lm = seq.landmarks.copy()
    size = np.array([seq.width, seq.height])
    for i in MISREAD_FRAMES:
        a = np.radians(float(hip_flexion(lm[i : i + 1], seq)[0]) - MISREAD_DEG)  # image y down: + turns the thigh back
        rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
        hip = lm[i, LM.RIGHT_HIP, :2] * size
        for j in NEAR_LEG:
            lm[i, j, :2] = (hip + rot @ (lm[i, j, :2] * size - hip)) / size
    out = PoseSequence(lm, seq.world, seq.t_s, seq.width, seq.height)
    assert hip_flexion(lm[list(MISREAD_FRAMES)], seq) == pytest.approx(MISREAD_DEG, abs=1.0)  # the premise
    return out


SETS = [("floor set opening at the bar, 3 pulls", floor_set), ("RDL set from standing, 3 reps", rdl_set)]


@pytest.mark.parametrize(("what", "make"), SETS, ids=[s[0] for s in SETS])
def test_live_counts_a_set_whose_first_frames_are_misread_as_batch(what: str, make, monkeypatch) -> None:
    b, truth = make(3)
    clean = clip_of(b, monkeypatch)
    seq = misread(clean)
    lv, bt, lv_clean = live(seq), batch(seq), live(clean)
    assert len(bt.reps) == len(truth), what
    assert len(lv.reps) == len(bt.reps), what
    # The misread changes nothing live: the reps of the same set read well from its first frame.
    assert len(lv_clean.reps) == len(lv.reps)
    for a, c in zip(lv.reps, lv_clean.reps, strict=True):
        assert (a.start_s, a.end_s, a.concentric_s) == pytest.approx((c.start_s, c.end_s, c.concentric_s), abs=1e-6)
    for a, r, (s, e) in zip(lv.reps, bt.reps, truth, strict=True):
        assert a.start_s == pytest.approx(r.start_s, abs=LIVE_TOL_S)
        # (An RDL rep's end is fitted 0.18 s later in batch than live, with or without the misread: not this test's.)
        assert a.end_s == pytest.approx(r.end_s, abs=LIVE_TOL_S + 0.05)
        assert a.metrics[PHASE_ORDER_KEY] == r.metrics[PHASE_ORDER_KEY]
        assert a.start_s == pytest.approx(s, abs=TRUTH_TOL_S) and a.end_s == pytest.approx(e, abs=TRUTH_TOL_S)
