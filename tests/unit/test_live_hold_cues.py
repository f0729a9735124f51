"""LiveProcessor gives a finished hold's cue live, as the saved set files it (plank sag, bridge over-arch).

Synthetic sets with known truth (``floor_synth.plank_clip``: the body line held; ``glute_bridge_synth``: the top
line of each bridge) go through ``LiveProcessor`` frame by frame (a fake estimator hands it the set's poses; a fake
clock steps one frame period). The cue shown when the hold ends is compared with the truth (a sag of 12° is past the
5° limit, -1° is not; an 8° over-arch is past the bridge's limit) and with batch's :func:`formcheck.cues.hold_cues`
for the same hold.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from formcheck.analyzers.floor_synth import HoldSpec, plank_clip
from formcheck.analyzers.glute_bridge_synth import BridgeRep, bridge_clip
from formcheck.config import Config
from formcheck.cues import hold_cues, is_correction
from formcheck.engine.registry import get_spec
from formcheck.live import LiveProcessor
from formcheck.types import Analysis, Cue, PoseFrame, PoseSequence

CFG = Config()


class Clock:
    """One frame period per processed frame (LiveProcessor reads the clock twice a frame)."""

    def __init__(self, fps: float) -> None:
        self.t = 100.0
        self.half = 0.5 / fps

    def __call__(self) -> float:
        self.t += self.half
        return self.t


class SeqEstimator:
    """Hands out the synthetic set's poses in order, whatever the image."""

    def __init__(self, seq: PoseSequence) -> None:
        self.seq = seq
        self.i = 0

    def process(self, frame_rgb: np.ndarray, t_ms: int) -> PoseFrame:
        i, self.i = self.i, self.i + 1
        return PoseFrame(t_s=t_ms / 1000, landmarks=self.seq.landmarks[i], world=self.seq.world[i], n_people=1)


def run_live(seq: PoseSequence, exercise: str) -> tuple[list[Cue | None], dict[int, Cue], dict[int, Cue]]:
    """The cue on screen after each frame, and the set's hold and rep cue tables at the end."""
    fps = (seq.n_frames - 1) / float(seq.t_s[-1] - seq.t_s[0])
    p = LiveProcessor(CFG, exercise, estimator=SeqEstimator(seq), overlay=lambda f, *a: f, clock=Clock(fps),
                      pipelined=False)  # fmt: skip
    img = np.full((int(seq.height), int(seq.width), 3), 128, np.uint8)
    shown = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for _ in range(seq.n_frames):
            p.process(img)
            shown.append(p.snapshot().cue)
    s = p.snapshot()
    return shown, s.hold_cues, s.rep_cues


def batch(seq: PoseSequence, exercise: str) -> Analysis:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return get_spec(exercise).analyzer(CFG).analyze(seq)


def batch_hold_cue(bt: Analysis, index: int, exercise: str) -> Cue:
    hold = next(h for h in bt.holds if h.index == index)
    return hold_cues(hold, bt.quality, CFG, exercise)[0]


def test_sagging_plank_gets_the_batch_sag_cue_live_when_the_hold_ends() -> None:
    seq = plank_clip(holds=[HoldSpec(hold_s=5.0, line_deg=-12.0, sway_deg=0.5)]).seq
    shown, held, reps = run_live(seq, "plank")
    want = batch_hold_cue(batch(seq, "plank"), 1, "plank")
    assert want.code == "plank.sag"  # the truth: 12° of sag, past sag_max_deg
    assert reps == {} and set(held) == {1}
    assert held[1].code == want.code and held[1].message == want.message and held[1].rep_index is None
    # the hold's own cue (batch wording) reaches the screen, not only the short live in-hold cue
    assert any(c is not None and c.message == want.message and c.rep_index is None for c in shown)


def test_clean_plank_gets_no_correction_live() -> None:
    seq = plank_clip(holds=[HoldSpec(hold_s=5.0, line_deg=-1.0, sway_deg=0.5)]).seq
    shown, held, _ = run_live(seq, "plank")
    assert not any(is_correction(c) for c in held.values())
    assert not any(c is not None and c.code.startswith("plank.") for c in shown)
    assert set(held) == {1}  # the hold was judged (its praise), so the check above is not vacuous


def test_plain_over_arched_bridge_after_a_marching_one_gets_its_cue_live_as_in_batch() -> None:
    seq = bridge_clip(reps=[BridgeRep(top_line_deg=-2.0, marches=("left", "right")), BridgeRep(top_line_deg=8.0)]).seq
    shown, held, reps = run_live(seq, "glute_bridge")
    bt = batch(seq, "glute_bridge")
    assert len(bt.holds) == 2
    want = batch_hold_cue(bt, 2, "glute_bridge")
    assert want.code == "bridge.overarch"  # the truth: 8° past straight
    assert held[2].code == want.code and held[2].message == want.message
    assert any(c is not None and c.message == want.message and c.rep_index is None for c in shown)
    # the first bridge (-2°, straight) earns no over-arch; its marches keep their own rows
    assert 1 not in held or held[1].code != "bridge.overarch"
    assert all(r.rep_index is not None for r in reps.values())


def test_hold_cue_is_an_event_shown_for_the_display_time_then_gone() -> None:
    """Like a rep's feedback: shown once, for ``cues.min_display_s``, not kept on screen through the rest."""
    seq = plank_clip(holds=[HoldSpec(hold_s=5.0, line_deg=-12.0, sway_deg=0.5)], rest_s=6.0).seq
    shown, held, _ = run_live(seq, "plank")
    t = seq.t_s
    idx = [i for i, c in enumerate(shown) if c is not None and c.message == held[1].message]
    assert idx and idx == list(range(idx[0], idx[-1] + 1))
    assert t[idx[-1]] - t[idx[0]] == pytest.approx(CFG.cues.min_display_s, abs=0.1)
    assert shown[-1] is None or shown[-1].message != held[1].message
