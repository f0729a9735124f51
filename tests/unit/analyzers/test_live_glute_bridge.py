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
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from formcheck import cues as cue_engine
from formcheck.analyzers import glute_bridge
from formcheck.analyzers.glute_bridge_synth import BridgeRep, bridge_clip
from formcheck.config import Config
from formcheck.engine.protocol import LiveState
from formcheck.live import live_hold_cues
from formcheck.types import LM, Analysis, PoseSequence

sys.path.insert(0, str(Path(__file__).parent))
import fc_analysis  # noqa: E402 - the analyzer tests' streaming helper

# Long stream simulations: the main CI step runs them; the lowest-versions step skips them (marker `slow`).
pytestmark = pytest.mark.slow

CFG = Config()
TRUTH_TOL_S = 0.1
LIVE_TOL_S = 0.1
LINE_TOL_DEG = 0.5


def feed(seq: PoseSequence) -> tuple[Analysis, list[LiveState]]:
    return fc_analysis.stream(glute_bridge.SPEC, seq, CFG)


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

    # While live: each march was counted when it ended (test_each_march_is_counted_live_when_it_ends), so the
    # marching bridge's end reports its hold with the marches counted and no rep of its own (a set stopped right
    # after it reports the hold at finish only).
    if stop_early:
        return
    first = next(s for s in states if s.new_hold is not None)
    assert first.new_hold.metrics["march_count"] == len(marches)
    assert first.rep_count == len(marches) and first.hold_count == 1
    assert first.new_rep is None


def test_plain_bridges_live_stay_reps_without_holds() -> None:
    clip = bridge_clip(n_reps=2)
    lv, _ = feed(clip.seq)
    assert len(lv.reps) == 2 and lv.holds == ()
    assert all(math.isnan(r.metrics["march_lift_deg"]) for r in lv.reps)


@pytest.mark.parametrize("marches", [("left", "right"), ("right",)])
def test_plain_bridge_after_a_marching_one_is_a_new_hold_live_not_a_rep(marches: tuple[str, ...]) -> None:
    """Per-frame events: each bridge's end is a ``new_hold`` (when the hold count rises), and a ``new_rep`` is only
    ever a march the batch analysis has (same side and peak), never the plain bridge itself."""
    clip = bridge_clip(reps=[BridgeRep(top_line_deg=-2.0, marches=marches), BridgeRep(top_line_deg=-2.0)])
    lv, states = feed(clip.seq)
    bt = batch(clip.seq)
    assert len(bt.holds) == 2 and len(bt.reps) == len(marches)
    prev_holds = prev_reps = 0
    new_holds = []
    for s in states:
        if s.hold_count > prev_holds:
            assert s.new_hold is not None, f"hold count rose at {s.t_s:.2f} s with no new_hold"
            new_holds.append(s.new_hold)
        else:
            assert s.new_hold is None
        if s.new_rep is not None:
            assert s.rep_count > prev_reps
            match = [b for b in bt.reps if abs(b.bottom_s - s.new_rep.bottom_s) <= LIVE_TOL_S]
            assert match and match[0].side == s.new_rep.side, f"new_rep at {s.t_s:.2f} s is not a batch march"
        else:
            assert s.rep_count == prev_reps
        prev_holds, prev_reps = s.hold_count, s.rep_count
    assert [h.index for h in new_holds] == [1, 2]
    for a, b in zip(new_holds, bt.holds, strict=True):
        assert a.start_s == pytest.approx(b.start_s, abs=LIVE_TOL_S)
        assert a.end_s == pytest.approx(b.end_s, abs=LIVE_TOL_S)
    assert states[-1].rep_count == len(bt.reps) and states[-1].hold_count == 2


def spread_hips(seq: PoseSequence, ratio: float, mask: np.ndarray) -> PoseSequence:
    """The frames in ``mask`` seen from an oblique camera: the hips drawn apart in the image (vertically, as seen
    from above the floor) to ``ratio`` of their true width relative to the trunk (:func:`hip_spread_ratio`).

    Symmetric about the mid-hip, so the body line (mid-points only) is unchanged: only the camera angle differs.
    """
    lm = seq.landmarks.copy()
    lh, rh, ls, rs = (int(LM.LEFT_HIP), int(LM.RIGHT_HIP), int(LM.LEFT_SHOULDER), int(LM.RIGHT_SHOULDER))
    scale = np.array([seq.width, seq.height], dtype=np.float64)
    px = lm[:, :, :2] * scale
    w = seq.world[:, :, :3]
    trunk_px = np.linalg.norm((px[:, ls] + px[:, rs]) / 2 - (px[:, lh] + px[:, rh]) / 2, axis=1)
    hip_m = np.linalg.norm(w[:, lh] - w[:, rh], axis=1)
    trunk_m = np.linalg.norm((w[:, ls] + w[:, rs]) / 2 - (w[:, lh] + w[:, rh]) / 2, axis=1)
    half_px = 0.5 * ratio * trunk_px * hip_m / trunk_m
    mid = (px[:, lh] + px[:, rh]) / 2
    for j, sign in ((lh, -1.0), (rh, 1.0)):
        new = mid.copy()
        new[:, 1] += sign * half_px
        lm[mask, j, :2] = (new / scale)[mask]
    return PoseSequence(lm, seq.world, seq.t_s, seq.width, seq.height)


# (where the camera looks oblique: "all but the last top" or "after the first rep", the side stretch's role)
ANGLE_CASES = ["side_only_at_last_top", "side_first_rep_only"]


@pytest.mark.parametrize("case", ANGLE_CASES)
def test_live_camera_angle_is_the_set_s_as_in_batch(case: str) -> None:
    """The over-arch judgement (camera angle) per rep and the set's oblique warning: live = batch.

    Truth by construction: the ratio 0.6 (37° from side-on) against the synthetic side view's ~0 (a ratio exactly
    at the 10th percentile is avoided: the side stretch covers well under or well over 10 % of the frames).
    """
    clip = bridge_clip(reps=[BridgeRep(top_line_deg=12.0, rest_s=2.0)] * 4)
    t, ph = clip.seq.t_s, clip.truth.phases
    if case == "side_only_at_last_top":  # ~1 s side of ~25 s: the set is oblique, the last rep's buffer side-ish
        side = (t >= ph[-1]["bottom_start_s"] - 0.2) & (t <= ph[-1]["bottom_end_s"])
    else:  # the lead and first rep side (> 10 %): the set is side, the later reps' buffers oblique
        side = t <= ph[0]["end_s"]
    seq = spread_hips(clip.seq, 0.6, ~side)
    lv, _ = feed(seq)
    bt = batch(seq)
    want_oblique = case == "side_only_at_last_top"
    assert len(lv.reps) == len(bt.reps) == 4
    judged_bt = [glute_bridge.overarch_judged(r.metrics["view_off_side_deg"]) for r in bt.reps]
    judged_lv = [glute_bridge.overarch_judged(r.metrics["view_off_side_deg"]) for r in lv.reps]
    assert judged_bt == [not want_oblique] * 4
    assert judged_lv == judged_bt
    has_warning = [any("over-arching from this camera angle" in w for w in a.quality.warnings) for a in (lv, bt)]
    assert has_warning == [want_oblique, want_oblique]


# ---------------------------------------------------------------------------------------------------------------
# Each march counted live as soon as it ends (the knee down again), while the bridge is still held
# ---------------------------------------------------------------------------------------------------------------

EVENT_TOL_S = 0.02  # live event vs batch: the same code on the same frames (measured: within 0.003 s)
REPORT_MAX_S = 0.6  # a march is counted at most this long after it ended (the detector settles 0.4 s; 0.28 s seen)

# (the bridges of the set: the marching one first, facing); the over-arched one is judged on its hold
EVENT_CASES = {
    "4 marches": ([BridgeRep(top_line_deg=-2.0, marches=("left", "right", "left", "right")), BridgeRep()], 1.0),
    "2 marches": ([BridgeRep(top_line_deg=-8.0, marches=("right", "left")), BridgeRep(top_line_deg=-8.0)], -1.0),
    "3 marches": ([BridgeRep(top_line_deg=3.0, marches=("left", "left", "left"))], -1.0),
    "over-arched": ([BridgeRep(top_line_deg=10.0, marches=("left", "right"))], 1.0),
    "24 s top": ([BridgeRep(top_line_deg=-2.0, marches=("left", "right") * 7)], 1.0),
}


def _march_events(states: list[LiveState]) -> list[LiveState]:
    return [s for s in states if s.new_rep is not None]


@pytest.mark.parametrize("case", list(EVENT_CASES))
def test_each_march_is_counted_live_when_it_ends(case: str) -> None:
    """Per event against batch on the same frames: window, side and cues; against the script: when it came.

    Truth: the script's march ends and the bridge's lowering (``bottom_end_s``). Every march is reported while the
    bridge is still held, within REPORT_MAX_S of its end, once (the bridge's end reports the hold and no rep). The
    old code counted them only when the bridge ended, and a 24 s top (longer than the 20 s buffer) lost most.
    """
    reps, facing = EVENT_CASES[case]
    clip = bridge_clip(reps=reps, facing=facing, seed=1)
    lv, states = feed(clip.seq)
    bt = batch(clip.seq)
    bt_cues = cue_engine.analysis_cues(bt, CFG)
    truth = clip.truth.marches
    events = _march_events(states)
    assert [s.new_rep.side for s in events] == [m["side"] for m in truth] == [r.side for r in bt.reps]
    lowered = clip.truth.phases[0]["bottom_end_s"]
    for s, m, b in zip(events, truth, bt.reps, strict=True):
        assert m["end_s"] <= s.t_s + 0.15 and s.t_s <= m["end_s"] + REPORT_MAX_S and s.t_s < lowered, case
        assert s.new_rep.index == b.index and s.rep_count == b.index
        for f in ("start_s", "bottom_s", "end_s"):
            assert getattr(s.new_rep, f) == pytest.approx(getattr(b, f), abs=EVENT_TOL_S)
        assert s.new_rep.metrics["march_lift_deg"] == pytest.approx(b.metrics["march_lift_deg"], abs=LINE_TOL_DEG)
        assert [c.code for c in cue_engine.live_rep_cues(s, CFG)] == [c.code for c in bt_cues if c.rep_index == b.index]
    hold_end = next(s for s in states if s.new_hold is not None)
    assert hold_end.new_rep is None and hold_end.rep_count == len(truth)
    # The set's analysis: the marches of the whole top (held_top's) replaced the early ones, equal to batch's.
    assert len(lv.reps) == len(bt.reps) and len(lv.holds) == len(bt.holds) == len(reps)
    for a, b in zip(lv.reps, bt.reps, strict=True):
        assert (a.index, a.side) == (b.index, b.side)
        assert a.end_s == pytest.approx(b.end_s, abs=EVENT_TOL_S)
    if case == "over-arched":  # the hold's own cue when it ends, as batch files it (no rep index)
        assert [c.code for c in live_hold_cues(hold_end, CFG)][:1] == ["bridge.overarch"]
        assert [c.code for c in bt_cues if c.rep_index is None] == ["bridge.overarch"]


def test_marches_of_a_set_stopped_mid_hold_are_shown_then_dropped_as_batch() -> None:
    """Stopped while the bridge is still up: the marches already ended were shown live; a file analysis of the same
    frames has no bridge (its top never ended), so none; the finished live set agrees with it."""
    clip = bridge_clip(reps=[BridgeRep(marches=("left", "right", "left", "right"))], seed=2)
    seq = upto(clip.seq, clip.truth.marches[1]["end_s"] + 1.0)
    lv, states = feed(seq)
    assert [s.new_rep.side for s in _march_events(states)] == ["left", "right"]
    assert batch(seq).reps == () and lv.reps == () and lv.holds == ()


def test_a_march_is_a_march_whatever_the_set_s_largest_lift() -> None:
    """32° knee lifts in one bridge and 120° ones in the next: all 8 are marches (truth), live and batch. With a
    prominence relative to the set's range batch dropped the 32° ones (0.35 x ~120° > 32°) that live, counting each
    march as it ends, had already shown."""
    lr = ("left", "right")
    clip = bridge_clip(reps=[BridgeRep(marches=lr, march_deg=32.0),
                             BridgeRep(marches=lr * 3, march_deg=120.0, march_s=2.0)], seed=0)  # fmt: skip
    lv, states = feed(clip.seq)
    bt = batch(clip.seq)
    want = [m["side"] for m in clip.truth.marches]
    assert [r.side for r in bt.reps] == want
    assert [s.new_rep.side for s in _march_events(states)] == want and [r.side for r in lv.reps] == want


def test_each_march_re_analyses_a_bounded_stretch_of_frames() -> None:
    """Counting a march live re-analyses the frames from half-way down the last march reported (plus 1 s for the
    smoothing), not the whole top so far: a 24 s top's 14th march costs what its 2nd did (the whole top grew to
    ~0.45 s a march after 80 s)."""
    clip = bridge_clip(reps=[BridgeRep(marches=("left", "right") * 7)], seed=0)
    seq = clip.seq
    stream = glute_bridge.SPEC.analyzer(CFG).stream()
    spans: list[float] = []
    whole = stream.buffer_sequence

    def spy(since_s: float) -> PoseSequence:
        got = whole(since_s)
        spans.append(float(got.t_s[-1] - got.t_s[0]))
        return got

    stream.buffer_sequence = spy  # type: ignore[method-assign]
    for i in range(seq.n_frames):
        stream.update(float(seq.t_s[i]), seq.landmarks[i], seq.world[i], seq.width, seq.height, None, 1)
    march_s = BridgeRep().march_s + BridgeRep().march_gap_s
    assert len(stream.reps) == 14
    # the first march: from before the bridge; then half a march + the gap + a march + the smoothing's second
    assert max(spans[1:14]) < 2 * march_s + 1.5, spans
