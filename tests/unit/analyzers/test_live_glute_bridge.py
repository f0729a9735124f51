"""A bridge held while marching, live: the stream reports the same hold and marches (reps with sides) as batch.

The synthetic figure (``glute_bridge_synth``) lifts the pelvis, holds the top and draws the knees toward the chest
in a scripted order; the truth is the script (which leg, when each march peaks, when the top is reached and left).
The set is fed frame by frame through the exercise's stream, as ``LiveProcessor`` does, and compared with the truth
and with the batch analysis of the same frames. Tolerances: times 0.1 s against the truth (30 fps, minimum-jerk
edges) and 0.1 s live vs batch (the live re-analysis runs on a buffer that starts a few seconds before the bridge,
so its smoothing edges differ by a frame or two); the top line 0.5° live vs batch (same frames, same code).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from formcheck.analyzers import glute_bridge
from formcheck.analyzers.glute_bridge_synth import BridgeRep, bridge_clip
from formcheck.config import Config
from formcheck.engine.protocol import LiveState
from formcheck.types import Analysis, PoseSequence

CFG = Config()
TRUTH_TOL_S = 0.1
LIVE_TOL_S = 0.1
LINE_TOL_DEG = 0.5


def feed(seq: PoseSequence) -> tuple[Analysis, list[LiveState]]:
    stream = glute_bridge.SPEC.analyzer(CFG).stream()
    states = [stream.update(float(seq.t_s[i]), seq.landmarks[i], seq.world[i], seq.width, seq.height, None, 1)
              for i in range(seq.n_frames)]  # fmt: skip
    return stream.finish(), states


def batch(seq: PoseSequence) -> Analysis:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return glute_bridge.SPEC.analyzer(CFG).analyze(seq)


def upto(seq: PoseSequence, t_end: float) -> PoseSequence:
    idx = np.flatnonzero(seq.t_s <= t_end + 1e-9)
    return PoseSequence(seq.landmarks[idx], seq.world[idx], seq.t_s[idx], seq.width, seq.height)


# (marches of the first bridge, facing, top line deg, a plain bridge after it, stop 0.1 s after the last bridge)
CASES = [
    (("left", "right", "left", "right"), 1.0, -2.0, True, False),
    (("right", "left"), -1.0, -8.0, True, False),
    (("left", "left", "left"), -1.0, 3.0, False, True),  # the set stopped right after the marching bridge
]


@pytest.mark.parametrize(("marches", "facing", "top_line", "plain_after", "stop_early"), CASES)
def test_marching_bridge_live_gives_the_batch_hold_marches_and_sides(
    marches: tuple[str, ...], facing: float, top_line: float, plain_after: bool, stop_early: bool
) -> None:
    reps = [BridgeRep(top_line_deg=top_line, marches=marches)] + [BridgeRep(top_line_deg=top_line)] * plain_after
    clip = bridge_clip(reps=reps, facing=facing)
    seq = upto(clip.seq, clip.truth.phases[-1]["end_s"] + 0.1) if stop_early else clip.seq
    lv, states = feed(seq)
    bt = batch(seq)
    truth = clip.truth

    # Against the script: one hold per bridge (the marching one first), one rep per march with its side.
    assert len(lv.holds) == len(reps)
    assert [r.side for r in lv.reps] == [m["side"] for m in truth.marches]
    for r, m in zip(lv.reps, truth.marches, strict=True):
        assert r.bottom_s == pytest.approx(m["peak_s"], abs=TRUTH_TOL_S)
    for h, p in zip(lv.holds, truth.phases, strict=True):
        assert h.start_s == pytest.approx(p["bottom_start_s"], abs=TRUTH_TOL_S)
        assert h.end_s == pytest.approx(p["bottom_end_s"], abs=TRUTH_TOL_S)
    assert [h.metrics["march_count"] for h in lv.holds] == [len(marches)] + [0.0] * plain_after

    # Against the batch analysis of the same frames.
    assert len(lv.reps) == len(bt.reps) and len(lv.holds) == len(bt.holds)
    for a, b in zip(lv.reps, bt.reps, strict=True):
        assert a.side == b.side
        for f in ("start_s", "bottom_s", "end_s"):
            assert getattr(a, f) == pytest.approx(getattr(b, f), abs=LIVE_TOL_S)
        assert a.metrics["march_lift_deg"] == pytest.approx(b.metrics["march_lift_deg"], abs=LINE_TOL_DEG)
    for a, b in zip(lv.holds, bt.holds, strict=True):
        assert a.start_s == pytest.approx(b.start_s, abs=LIVE_TOL_S)
        assert a.end_s == pytest.approx(b.end_s, abs=LIVE_TOL_S)
        assert a.metrics["hip_ext_top_deg"] == pytest.approx(b.metrics["hip_ext_top_deg"], abs=LINE_TOL_DEG)
        assert a.metrics["march_count"] == b.metrics["march_count"]

    # While live: the marching bridge is reported when it ends, as a hold with its marches counted (a set stopped
    # right after it reports it at finish only).
    if stop_early:
        return
    first = next(s for s in states if s.new_hold is not None)
    assert first.new_hold.metrics["march_count"] == len(marches)
    assert first.rep_count == len(marches) and first.hold_count == 1
    assert first.new_rep is not None and first.new_rep.side == truth.marches[-1]["side"]


def test_plain_bridges_live_stay_reps_without_holds() -> None:
    clip = bridge_clip(n_reps=2)
    lv, _ = feed(clip.seq)
    assert len(lv.reps) == 2 and lv.holds == ()
    assert all(math.isnan(r.metrics["march_lift_deg"]) for r in lv.reps)
