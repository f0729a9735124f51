"""A named live set recognised as another exercise (formcheck.live.NamedCheck): the file path's check, live.

Synthetic sets with known truth (the generator's exercise) go through ``LiveProcessor`` frame by frame (a fake
estimator hands it the set's poses, a fake clock steps one frame period). Named wrongly, the set must get the file
path's sentence and no cue of the named exercise, and the finished set must carry ``recognised_as`` = the truth, as
``analyze_sequence`` marks the same poses. Named rightly, nothing may change: the cues shown are those of the same
processor without the check. The decision rule (when, how sure, what is held meanwhile) is tested with scripted
recognitions.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import formcheck.live as live_mod
from formcheck.analyze import analyze_sequence
from formcheck.analyzers.glute_bridge_synth import bridge_clip
from formcheck.analyzers.lunge_synth import lunge_clip
from formcheck.config import Config
from formcheck.engine.protocol import LiveState
from formcheck.engine.quality import position_mismatch
from formcheck.engine.registry import get_spec
from formcheck.live import LiveProcessor, NamedCheck
from formcheck.recognize import Recognition
from formcheck.synth import hinge_clip
from formcheck.types import Analysis, PoseSequence, Quality, Rep

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fc_live_stream import Clock, SeqEstimator  # noqa: E402 - the shared live-stream stand-ins

pytestmark = pytest.mark.slow  # stream simulations: the main CI step runs them

CFG = Config()
SETS = {  # truth: the exercise the generator made
    "lunge": lambda: lunge_clip(n_reps=3).seq,
    "glute_bridge": lambda: bridge_clip(n_reps=3).seq,
    "hinge": lambda: hinge_clip(n_reps=3).seq,
}


def run_live(seq: PoseSequence, exercise: str, **kw) -> tuple[LiveProcessor, list, Analysis]:
    """The processor, its snapshot after each frame, and the finished set."""
    fps = (seq.n_frames - 1) / float(seq.t_s[-1] - seq.t_s[0])
    p = LiveProcessor(CFG, exercise, estimator=SeqEstimator(seq), overlay=lambda f, *a: f, clock=Clock(fps),
                      pipelined=False, **kw)  # fmt: skip
    img = np.full((8, 8, 3), 128, np.uint8)
    snaps = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for _ in range(seq.n_frames):
            p.process(img)
            snaps.append(p.snapshot())
        return p, snaps, p.finish()


def sentence(truth: str, named: str) -> str:
    a, b = get_spec(truth).title, get_spec(named).title
    art = lambda s: ("an " if s[0] in "aeiou" else "a ") + s  # noqa: E731
    return f"This looks like {art(a.lower())}, not {art(b.lower())}: choose {a} to get its checks"


@pytest.mark.parametrize(("truth", "named"), [("lunge", "hinge"), ("glute_bridge", "hinge"), ("hinge", "squat")])
def test_named_wrong_gets_the_sentence_and_no_cue_of_the_named_exercise(truth: str, named: str) -> None:
    seq = SETS[truth]()
    _, snaps, live = run_live(seq, named)
    words = sentence(truth, named)
    shown = [s.cue for s in snaps]
    first = next(i for i, c in enumerate(shown) if c is not None and c.message == words)
    # from then on the sentence is the only cue on screen (after the selector's confirmation time)
    assert all(c is None or c.message == words for c in shown[first:])
    assert snaps[-1].recognised_as == truth and snaps[-1].recognition.startswith("recognised ")
    # never a verdict of the named exercise: no rep or hold feedback, no praise, no form or tempo rule
    named_codes = {r.code for r in get_spec(named).rules}
    assert not any(c is not None and (c.rep_index is not None or c.severity == "praise" or c.code in named_codes)
                   for c in shown)  # fmt: skip
    assert snaps[-1].rep_cues == {} and snaps[-1].hold_cues == {}
    assert all(r.classification == "" for s in snaps for r in s.reps)  # no class shown at any time
    # the saved set is marked as the file path marks the same poses
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        batch = analyze_sequence(seq, named, CFG)
    assert live.quality.recognised_as == batch.quality.recognised_as == truth
    assert position_mismatch(live.quality, get_spec(named).positions)  # reports, history and ticks withhold it
    assert any(c.code == "setup.wrong_position" and c.message == words for c in live.cues)
    assert not any(c.rep_index is not None or c.severity == "praise" for c in live.cues)
    assert all(r.classification == "" for r in live.reps)
    assert live.settings["recognition"].startswith(f"recognised {get_spec(truth).title} (")


@pytest.mark.parametrize("truth", ["lunge", "glute_bridge", "hinge"])
def test_right_name_shows_what_it_showed_without_the_check(truth: str, monkeypatch) -> None:
    seq = SETS[truth]()
    _, snaps, live = run_live(seq, truth)
    assert live.quality.recognised_as == "" and all(s.recognised_as == "" for s in snaps)
    monkeypatch.setattr(live_mod, "NamedCheck", lambda named, config: None)  # the processor as it was before
    _, before, live0 = run_live(seq, truth)
    assert [s.cue for s in snaps] == [s.cue for s in before]
    assert [s.reps for s in snaps] == [s.reps for s in before]
    assert live.cues == live0.cues and live.reps == live0.reps


# -- the decision rule, on scripted recognitions --------------------------------------------------------------


class Scripted:
    """A RecognitionStream stand-in: its attempts return the scripted recognitions in order (the last one repeats)."""

    script: list[Recognition] = []
    made: list[Scripted] = []

    def __init__(self, width, height, **kw) -> None:
        self.i, self.n_frames, self.t_last = 0, 0, 0.0
        Scripted.made.append(self)

    @property
    def done(self) -> bool:
        return self.t_last >= 8.0

    def update(self, t_s, lm, world) -> bool:
        self.n_frames += 1
        self.t_last = t_s
        return True

    def result(self) -> Recognition:
        self.i += 1
        return type(self).script[min(self.i, len(type(self).script)) - 1]


def rec(family: str, conf: float) -> Recognition:
    return Recognition(family, "standing", "side", conf, "scripted")


def rushed_rep(i: int, t: float) -> Rep:
    """A hinge rep lowered in 0.5 s against a 3 s target: its top cue is tempo.eccentric_fast."""
    return Rep(i, t - 2, t - 1.5, t, 0.5, 0.0, 0.5, 0.0, 1.0, 60.0, "hinge",
               {"target_eccentric_s": 3.0, "target_bottom_s": 1.0, "target_concentric_s": 2.0,
                "target_top_s": 1.0, "hip_share": 0.7})  # fmt: skip


class RepAt:
    """A hinge stream, ready at once, that finishes one rushed rep at ``at_s``."""

    def __init__(self, at_s: float) -> None:
        self.at_s, self.reps = at_s, ()

    def update(self, t_s, landmarks, world, width, height, back_contour_px=None, n_people=1) -> LiveState:
        new = None
        if not self.reps and t_s >= self.at_s:
            new = rushed_rep(1, t_s)
            self.reps = (new,)
        return LiveState(t_s, "top", len(self.reps), True, None, exercise="hinge", new_rep=new)

    def finish(self) -> Analysis:
        return Analysis(exercise="hinge", reps=self.reps, cues=(), quality=Quality(view="side"))


def run_scripted(script: list[Recognition], seconds: float, rep_at_s: float, monkeypatch):
    import formcheck.recognize as recognize_mod

    monkeypatch.setattr(Scripted, "script", script)
    monkeypatch.setattr(Scripted, "made", [])
    monkeypatch.setattr(recognize_mod, "RecognitionStream", Scripted)
    seq = hinge_clip(n_reps=1).seq  # any person: the stream and recognition are scripted
    n = int(seconds * 30)
    seq = PoseSequence(np.repeat(seq.landmarks[:1], n, 0), np.repeat(seq.world[:1], n, 0), np.arange(n) / 30.0,
                       seq.width, seq.height)  # fmt: skip
    p, snaps, live = run_live(seq, "hinge", analyzer_factory=lambda c: RepAt(rep_at_s))
    return seq, p, snaps, live


def first_time(seq, snaps, pred) -> float | None:
    return next((float(seq.t_s[i]) for i, s in enumerate(snaps) if pred(s)), None)


@pytest.mark.parametrize(
    ("script", "other", "decided_s"),
    [
        # the name confirmed early (auto mode's rule: two sure attempts in a row): decided, nothing more computed
        ([rec("hinge", 0.9), rec("hinge", 0.95)], "", 3.0),
        # another exercise, sure, is decided at the window's end only (a set's start can look like another one)
        ([rec("lunge", 0.95)], "lunge", 8.0),
        # another exercise, but not sure enough to overrule the name (below auto mode's early bar): left alone
        ([rec("lunge", 0.7)], "", 8.0),
        # unsure, or a family that is the name: left alone
        ([rec("unknown", 0.0)], "", 8.0),
    ],
)
def test_decision(script, other: str, decided_s: float, monkeypatch) -> None:
    seq, p, snaps, live = run_scripted(script, 9.0, 20.0, monkeypatch)
    decided = first_time(seq, snaps, lambda s: s.recognised_as != "")
    assert live.quality.recognised_as == other
    assert decided == (pytest.approx(decided_s, abs=0.05) if other else None)
    made = Scripted.made[0]
    assert made.n_frames == pytest.approx(decided_s * 30, abs=5)  # no frame kept after the decision (bounded)


def test_feedback_waits_while_an_attempt_reads_another_exercise(monkeypatch) -> None:
    """Attempts at 2 s and at the rep's end (2.5 s) read a lunge: the rep's cue waits; the next attempt (3.5 s) reads
    the hinge named, so it is given then (and filed in the table)."""
    script = [rec("lunge", 0.6), rec("lunge", 0.6), rec("hinge", 0.9), rec("hinge", 0.9)]
    seq, p, snaps, live = run_scripted(script, 6.0, 2.5, monkeypatch)
    shown = first_time(seq, snaps, lambda s: s.cue is not None and s.cue.rep_index == 1)
    assert shown == pytest.approx(3.5, abs=0.1)
    ended = first_time(seq, snaps, lambda s: s.rep_count == 1)
    classes = {float(t): s.reps[0].classification for t, s in zip(seq.t_s, snaps, strict=True) if s.reps}
    assert classes[ended] == "" and classes[float(seq.t_s[-1])] == "hinge"  # the class waits with the cue
    assert snaps[-1].rep_cues[1].code == "tempo.eccentric_fast"
    assert live.quality.recognised_as == "" and any(c.rep_index == 1 for c in live.cues)


def test_feedback_held_then_withheld_when_the_window_decides_another_exercise(monkeypatch) -> None:
    seq, p, snaps, live = run_scripted([rec("lunge", 0.9)], 10.0, 2.5, monkeypatch)
    assert not any(s.cue is not None and s.cue.rep_index is not None for s in snaps)
    assert snaps[-1].rep_cues == {} and live.quality.recognised_as == "lunge"
    assert [c.code for c in live.cues if c.rep_index is not None] == []


def test_a_set_shorter_than_the_window_is_decided_when_it_ends(monkeypatch) -> None:
    seq, p, snaps, live = run_scripted([rec("lunge", 0.9)], 4.0, 20.0, monkeypatch)
    assert all(s.recognised_as == "" for s in snaps)  # not decided while streaming
    assert live.quality.recognised_as == "lunge"


def test_the_check_keeps_nothing_once_decided() -> None:
    check = NamedCheck("hinge", CFG)
    seq = lunge_clip(n_reps=3).seq
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for i in range(seq.n_frames):
            buf = live_mod._Buffered(float(seq.t_s[i]), seq.landmarks[i], seq.world[i], seq.width, seq.height,
                                     None, 1, 0.0)  # fmt: skip
            check.update(buf)
            if check.decided:
                break
    assert check.decided and check.other == "lunge" and check._stream is None
    assert float(seq.t_s[i]) == pytest.approx(8.0, abs=0.05)  # the window's end: what auto mode reads
    assert not check.update(buf) and check._stream is None
