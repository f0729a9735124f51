"""End of a live set lifted from the floor: ``finish()`` re-times it pull first, as a file analysis of the same frames.

During a live set the hinge counts its reps from standing (lowering, bottom, rising): only the set's end, resting on
the floor, tells a lift from the floor (``reps.floor_start_reps``, docs/metrics.md 8.6). When the user presses stop
the stream's ``finish()`` applies the same decision, from what the live model kept per rep and the landmark buffer
(not the whole signal), and the saved analysis must equal batch: the same reps (start/end within the live-vs-batch
tolerance), the same phase times, ``phase_order`` and set note. Sets that are not lifted from the floor (a floor set
filmed from standing, an RDL set stopped in its bottom pause, one ending putting the weights down, a deadlift ending at
the lockout, one coming back up at its end) stay counted from standing, live as in batch.

The body is the synthetic side-view figure (:func:`formcheck.synth.hinge_clip`) moved by a known script
(``tests/unit/fc_floor_signals.py`` shapes: raised cosine, constant acceleration, trapezoidal velocity; not the
minimum-jerk the phase fit assumes), so the pull-first reps are also checked against the script's phase times.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

import formcheck.analyzers  # noqa: F401 - registers every exercise
from formcheck.analyzers import hinge_spec
from formcheck.analyzers.hinge import FLOOR_START_NOTE
from formcheck.engine import registry
from formcheck.reps import PHASE_ORDER_KEY, RISE_FIRST
from formcheck.types import Analysis

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fc_floor_signals import Builder  # noqa: E402 - the known-truth movement shapes

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fc_hinge_scripts import CFG, batch, clip_of, live  # noqa: E402 - the scripted figure, live and batch

# Long stream simulations: the main CI step runs them; the lowest-versions step skips them (marker `slow`).
pytestmark = pytest.mark.slow

PHASE_TOL_S = 0.15  # live vs batch, as tests/unit/engine/test_stream_finish.py
TRUTH_TOL_S = 0.6  # found vs scripted phase times: the fit's error on these shapes (tests/unit/test_reps_floor_start)
PHASES = ("eccentric_s", "bottom_pause_s", "concentric_s", "top_pause_s")


def floor_script(
    n: int,
    pull: str = "cosine",
    lower: str = "cosine",
    *,
    opening: str = "at_bar",
    end: str = "rest",
    setup_s: float = 1.2,
    final_rest_s: float = 1.0,
) -> tuple[Builder, list[dict[str, float]]]:
    """A deadlift set in movement progress (0 standing, 1 bar on the floor) and its pull-first phase times.

    ``opening``: ``at_bar`` (the clip opens in the set-up) or ``walk_in`` (standing, then bending to the bar);
    ``end``: ``rest`` (the bar back on the floor and left there), ``lockout`` (the clip ends at the last lockout),
    ``rise`` (after the last lowering, back a third of the way up).
    """
    b = Builder(1.0 if opening == "at_bar" else 0.0)
    if opening == "walk_in":
        b.hold(1.0)
        b.move(1.0, 1.0)
    b.hold(setup_s)
    truth = []
    for k in range(n):
        p0 = b.move(1.5, 0.0, pull)
        l0 = b.hold(0.6)
        if end == "lockout" and k + 1 == n:
            break
        d0 = b.move(2.0, 1.0, lower)
        r0 = b.hold(1.0 if k + 1 < n else final_rest_s)
        truth.append({"start": p0, "top_start": l0, "top_end": d0, "end": r0})
    if end == "rise":
        b.move(1.0, 0.67)
    return b, truth


def rdl_script(n: int, end: str) -> Builder:
    """An RDL set from standing (lower 2 s, pause 1 s, rise 2 s, stand 1 s) to 0.8 of a floor pull's depth."""
    b = Builder(0.0)
    b.hold(1.0)
    for _ in range(n):
        b.move(2.0, 0.8)
        b.hold(1.0)
        b.move(2.0, 0.0)
        b.hold(1.0)
    if end == "stopped_at_bottom":  # one more lowering, stopped 0.5 s into its bottom pause
        b.move(2.0, 0.8)
        b.hold(0.5)
    elif end == "put_down":  # the weights put on the floor, deeper than the reps, and left there
        b.move(1.5, 1.0 / 0.8 * 0.8 * 1.45)
        b.hold(1.5)
    return b


def assert_same_reps(lv: Analysis, bt: Analysis, *, opening_rise: bool = False) -> None:
    """Live reps = batch reps; ``opening_rise``: batch's first rep is the rise out of an opening set-up, which the
    live count never has (its lowering before the recording; a known difference, not the floor re-timing)."""
    b_reps = bt.reps[1:] if opening_rise else bt.reps
    if opening_rise:
        assert math.isnan(bt.reps[0].eccentric_s)  # the opening set-up: its lowering was not seen
    assert len(lv.reps) == len(b_reps)
    for a, b in zip(lv.reps, b_reps, strict=True):
        assert a.index == b.index - (1 if opening_rise else 0)
        assert a.start_s == pytest.approx(b.start_s, abs=PHASE_TOL_S)
        assert a.end_s == pytest.approx(b.end_s, abs=PHASE_TOL_S)
        for k in PHASES:
            x, y = getattr(a, k), getattr(b, k)
            assert math.isnan(x) == math.isnan(y), (k, a, b)
            if math.isfinite(y):
                assert x == pytest.approx(y, abs=PHASE_TOL_S), (k, a, b)
        assert a.metrics[PHASE_ORDER_KEY] == b.metrics[PHASE_ORDER_KEY]


FLOOR = [
    ("3 pulls, cosine", dict(n=3)),
    ("4 pulls, accel pull, trapezoid lowering", dict(n=4, pull="accel", lower="trapezoid")),
    ("2 pulls, set-up held 3 s", dict(n=2, setup_s=3.0)),
    ("6 pulls: the set outlasts the live buffer", dict(n=6)),
    ("bar lands 0.3 s before stop", dict(n=3, final_rest_s=0.3)),
]


@pytest.mark.parametrize(("what", "kw"), FLOOR, ids=[c[0] for c in FLOOR])
def test_finished_live_floor_set_is_re_timed_as_batch(what: str, kw: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    b, truth = floor_script(**kw)
    seq = clip_of(b, monkeypatch)
    lv, bt = live(seq), batch(seq)
    assert len(bt.reps) == len(truth), what
    assert all(r.metrics[PHASE_ORDER_KEY] == RISE_FIRST for r in bt.reps)
    assert_same_reps(lv, bt)
    assert FLOOR_START_NOTE in lv.quality.warnings and FLOOR_START_NOTE in bt.quality.warnings
    for r, tr in zip(lv.reps, truth, strict=True):  # and against the script: pull, lockout, lowering, floor rest
        assert r.start_s == pytest.approx(tr["start"], abs=TRUTH_TOL_S)
        assert r.end_s == pytest.approx(tr["end"], abs=TRUTH_TOL_S)
        assert r.concentric_s == pytest.approx(tr["top_start"] - tr["start"], abs=TRUTH_TOL_S)
        assert r.top_pause_s == pytest.approx(tr["top_end"] - tr["top_start"], abs=TRUTH_TOL_S)
        assert r.eccentric_s == pytest.approx(tr["end"] - tr["top_end"], abs=TRUTH_TOL_S)
    assert math.isnan(lv.reps[-1].bottom_pause_s)  # the last rest runs to the stop: not a pause before a pull


def test_finishing_twice_gives_the_same_floor_set(monkeypatch: pytest.MonkeyPatch) -> None:
    # finish() is "the set so far": asking again (a saved set re-read, a page refresh) must not lose the re-timing's
    # note or re-time the re-timed reps, and the stream itself keeps its standing-first count.
    b, truth = floor_script(3)
    seq = clip_of(b, monkeypatch)
    stream = registry.get_spec("hinge").analyzer(CFG).stream()
    for i in range(seq.n_frames):
        stream.update(float(seq.t_s[i]), seq.landmarks[i], seq.world[i], seq.width, seq.height, None, 1)
    first, second = stream.finish(), stream.finish()
    assert len(first.reps) == len(truth) and FLOOR_START_NOTE in first.quality.warnings
    assert second.reps == first.reps and second.quality.warnings == first.quality.warnings
    assert not any(r.metrics.get(PHASE_ORDER_KEY) == RISE_FIRST for r in stream.reps)


NOT_FLOOR = [
    ("floor set filmed from standing", lambda: floor_script(3, opening="walk_in")[0]),
    ("RDL set stopped in its bottom pause", lambda: rdl_script(3, "stopped_at_bottom")),
    ("RDL set ending putting the weights down", lambda: rdl_script(3, "put_down")),
    ("deadlift stopped at the lockout", lambda: floor_script(3, end="lockout")[0]),
    ("deadlift coming back up at its end", lambda: floor_script(3, end="rise")[0]),
]
OPENS_AT_BAR = ("deadlift stopped at the lockout", "deadlift coming back up at its end")


@pytest.mark.parametrize(("what", "make"), NOT_FLOOR, ids=[c[0] for c in NOT_FLOOR])
def test_sets_not_lifted_from_the_floor_stay_standing_first_live(what: str, make, monkeypatch) -> None:
    seq = clip_of(make(), monkeypatch)
    lv, bt = live(seq), batch(seq)
    assert bt.reps, what
    assert not any(r.metrics[PHASE_ORDER_KEY] == RISE_FIRST for r in (*lv.reps, *bt.reps)), what
    assert FLOOR_START_NOTE not in lv.quality.warnings
    assert_same_reps(lv, bt, opening_rise=what in OPENS_AT_BAR)


def test_the_limit_says_the_finished_live_set_is_re_timed() -> None:
    text = " ".join(hinge_spec.LIMITS)
    assert "from the floor" in text and "standing" in text and "re-timed" in text
