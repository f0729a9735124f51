"""A recording that ends while its last rep is on the way back up (``count_cut_end``; issue 10, item 9).

The labelled real clips count a rep when the clip shows its turnaround and its return under way, even when the
clip is trimmed before the person is fully back up (rdl_side_julio_1: cut half-way up, counted). Signals here are
raised-cosine movements (not the minimum-jerk shape the phase fit assumes) cut at a known point of a known rep;
the hinge analyzer is checked on a synthetic hinge clip cut the same way.
"""

from __future__ import annotations

import functools
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from formcheck.analyzers.hinge import CUT_END_NOTE, HingeAnalyzer
from formcheck.config import Config
from formcheck.cues import analysis_cues
from formcheck.reps import detect_reps
from formcheck.signal import lowpass
from formcheck.synth import hinge_clip

sys.path.insert(0, str(Path(__file__).parent))
import fc_rep_signals  # noqa: E402 - the rep-segmentation tests' shared signal generator

FS = fc_rep_signals.FS
TEMPO = (2.0, 1.0, 2.0, 1.0)  # lowering, bottom pause, rise, top pause (s)
LEAD_IN_S = 1.5
BASE_DEG = 5.0
AMP_DEG = 80.0


# Raised-cosine reps, not the minimum-jerk curve the phase fit assumes: the cut-end rule must not pass only on the
# fitter's own shape. cosine_reps(depths, end_s=...) -> (t, x, truth per rep: (start, bottom start, bottom end, end)).
cosine_reps = functools.partial(
    fc_rep_signals.rep_signal, tempo=TEMPO, profile="cosine", lead_in=LEAD_IN_S, base=BASE_DEG, amp=AMP_DEG
)


def rise_time_at(rep: tuple, returned_frac: float) -> float:
    """When the rise of ``rep`` has come back ``returned_frac`` of the way from the bottom to standing."""
    _, _, be, _ = rep
    return be + TEMPO[2] * math.acos(1.0 - 2.0 * returned_frac) / math.pi


def cut_three_reps(returned_frac: float) -> tuple[np.ndarray, np.ndarray, list[tuple]]:
    _, _, truth = cosine_reps([1.0, 1.0, 1.0])
    return cosine_reps([1.0, 1.0, 1.0], end_s=rise_time_at(truth[2], returned_frac))


# (how far back up the clip ends, reps the labelling rule counts). Between ~20 % and ~45 % back up it is a
# matter of convention (the detector counts from one prominence back up); those cuts are not asserted here.
CUT_CASES = [(0.0, 2), (0.15, 2), (0.5, 3), (0.6, 3), (0.7, 3), (0.8, 3)]


@pytest.mark.parametrize(("returned_frac", "expected"), CUT_CASES)
def test_a_rep_cut_on_its_way_up_counts_once_its_return_is_under_way(returned_frac: float, expected: int) -> None:
    t, x, truth = cut_three_reps(returned_frac)
    t_full, x_full, _ = cosine_reps([1.0, 1.0, 1.0])
    full = detect_reps(x_full, t_full, count_cut_end=True)
    reps = detect_reps(x, t, count_cut_end=True)
    assert len(full) == 3
    assert len(reps) == expected
    # The reps before it are the uncut clip's, phase times included.
    for r, f in zip(reps[:2], full[:2], strict=True):
        assert r.start_s == pytest.approx(f.start_s, abs=1 / FS) and r.end_s == pytest.approx(f.end_s, abs=1 / FS)
        assert math.isfinite(r.concentric_s) and not r.cut_at_end
    if expected == 3:
        last = reps[-1]
        s, bs, be, _ = truth[2]
        assert last.cut_at_end and last.end_s == pytest.approx(t[-1])
        assert math.isnan(last.concentric_s)  # the rise was not seen to its end
        # Lowering, bottom and rise onset were seen: timed like any rep (cosine vs the fit's minimum jerk).
        assert last.start_s == pytest.approx(s, abs=0.25)
        assert last.bottom_start_s == pytest.approx(bs, abs=0.25)
        assert last.bottom_end_s == pytest.approx(be, abs=0.25)
        assert last.eccentric_s == pytest.approx(TEMPO[0], abs=0.4)
        assert reps[1].top_pause_s == pytest.approx(TEMPO[3], abs=0.4)


@pytest.mark.parametrize("returned_frac", [0.5, 0.6])
def test_off_by_default(returned_frac: float) -> None:
    # Other exercises keep the old rule (a rep must come back near standing), as does the live detector.
    t, x, _ = cut_three_reps(returned_frac)
    assert len(detect_reps(x, t)) == 2


def test_cut_with_noise_and_smoothing_counts_the_same() -> None:
    t, x, _ = cut_three_reps(0.6)
    rng = np.random.default_rng(3)
    noisy = lowpass(x + rng.normal(0.0, 1.5, x.size), FS, 4.0)
    reps = detect_reps(noisy, t, count_cut_end=True)
    assert len(reps) == 3 and reps[-1].cut_at_end


@pytest.mark.parametrize("where", ["half_way_down", "bottom_pause"])
def test_a_clip_ending_before_the_turnaround_has_no_rep_there(where: str) -> None:
    _, _, truth = cosine_reps([1.0, 1.0, 1.0])
    s, bs, be, _ = truth[2]
    end = s + TEMPO[0] / 2 if where == "half_way_down" else (bs + be) / 2
    t, x, _ = cosine_reps([1.0, 1.0, 1.0], end_s=end)
    assert len(detect_reps(x, t, count_cut_end=True)) == 2


def test_putting_the_weight_down_at_the_end_is_not_a_rep() -> None:
    # Two reps, then a bend 1.6 x as deep (bell or bar set down on the floor) cut on its way up: no third rep.
    _, _, truth = cosine_reps([0.6, 0.6, 1.0])
    t, x, _ = cosine_reps([0.6, 0.6, 1.0], end_s=rise_time_at(truth[2], 0.6))
    assert len(detect_reps(x, t, count_cut_end=True)) == 2


def test_a_rep_that_stops_half_way_up_and_stays_is_not_counted() -> None:
    # Back half-way, then held still for 1 s until the clip ends: not a rep cut by the clip, a rep left unfinished.
    _, _, truth = cosine_reps([1.0, 1.0, 1.0])
    t_stop = rise_time_at(truth[2], 0.5)
    t, x, _ = cosine_reps([1.0, 1.0, 1.0], end_s=t_stop + 1.0)
    x = np.where(t > t_stop, BASE_DEG + 0.5 * AMP_DEG, x)
    assert len(detect_reps(x, t, count_cut_end=True)) == 2


def test_the_only_rep_of_a_clip_cut_on_its_way_up_is_not_counted() -> None:
    # With no complete rep to compare its depth with, a last bend cannot be told from setting the weight down.
    _, _, truth = cosine_reps([1.0])
    t, x, _ = cosine_reps([1.0], end_s=rise_time_at(truth[0], 0.6))
    assert detect_reps(x, t, count_cut_end=True) == []


# --- the hinge analyzer on a synthetic hinge clip (exact truth) cut during the last rise ---

CFG = Config()


@pytest.fixture(scope="module")
def clip():
    return hinge_clip(n_reps=3, seed=2)


@pytest.mark.parametrize("progress", [0.45, 0.35, 0.3, 0.2])
def test_hinge_counts_a_last_rep_cut_half_way_up(clip, progress: float) -> None:
    # Cut half-way up and later (65-80 % back up): the rise is unknown however far it got, never a short rise.
    full = HingeAnalyzer(CFG).analyze(clip.seq)
    cut = HingeAnalyzer(CFG).analyze(clip.seq.slice(0, fc_rep_signals.cut_at(clip.truth, 3, progress) + 1))
    assert len(full.reps) == 3 and len(cut.reps) == 3
    last = cut.reps[-1]
    assert math.isnan(last.concentric_s) and math.isnan(last.time_under_tension_s)
    assert math.isfinite(last.eccentric_s) and math.isfinite(last.bottom_pause_s)
    assert CUT_END_NOTE.format(rep=3) in cut.quality.warnings
    for a, b in zip(cut.reps[:2], full.reps[:2], strict=True):
        assert a.concentric_s == pytest.approx(b.concentric_s, abs=1 / 30)
    # No tempo cue on a rise that was not seen (the seen part of it took under 1 s against a 2 s target).
    assert not [c for c in analysis_cues(cut, CFG) if c.rep_index == 3 and c.code == "tempo.concentric_fast"]


def test_hinge_clip_ending_at_the_bottom_has_no_rep_there(clip) -> None:
    cut = HingeAnalyzer(CFG).analyze(clip.seq.slice(0, fc_rep_signals.cut_at(clip.truth, 3, 0.97) + 1))
    assert len(cut.reps) == 2
    assert not any(w.startswith("The video ends while rep") for w in cut.quality.warnings)
