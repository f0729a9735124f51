"""detect_reps on a recording that opens part-way down its first rep: counted with its lowering time unknown when it
opened near standing (within ``1 - return_frac`` of the depth), not counted deeper, and never taken for a held set-up.

The signal is the shared generator's (``fc_rep_signals.rep_signal``: raised-cosine phases, not the fitter's minimum
jerk); the truth is its phase list and where the recording is cut.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from formcheck.reps import detect_reps

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fc_rep_signals  # noqa: E402 - the rep-segmentation tests' shared signal generator

FS = fc_rep_signals.FS
TEMPO = (2.0, 0.3, 2.0, 1.0)  # a short bottom pause: a lowering caught late runs straight into it


def opened(frac: float) -> tuple[np.ndarray, np.ndarray, list[tuple[float, float, float, float]]]:
    """Three reps (5 -> 85), the recording opening when rep 1 is ``frac`` of its depth down; times from the cut."""
    t, x, phases = fc_rep_signals.rep_signal([1.0, 1.0, 1.0], TEMPO, profile="cosine")
    e = TEMPO[0]
    s0 = phases[0][0]
    lowering = (t >= s0) & (t < s0 + e)
    i0 = int(np.flatnonzero(lowering & (x - 5.0 >= frac * 80.0))[0])
    return t[i0:] - t[i0], x[i0:], [tuple(p - t[i0] for p in ph) for ph in phases]


@pytest.mark.parametrize("frac", [0.15, 0.3])
def test_opened_near_standing_counts_the_rep_without_a_lowering_time(frac: float):
    t, x, phases = opened(frac)
    reps = detect_reps(x, t)
    assert len(reps) == 3
    first = reps[0]
    assert first.opened_lowering and not first.from_bottom
    assert math.isnan(first.eccentric_s)  # the fit had no standing before it: the old code read ~1.3 s for 2 s
    assert first.end_s == pytest.approx(phases[0][3], abs=0.3)  # a cosine fitted as minimum jerk: ~0.2 s late
    assert first.concentric_s == pytest.approx(TEMPO[2], abs=0.25)  # the rise was seen: timed
    assert all(not r.opened_lowering and math.isfinite(r.eccentric_s) for r in reps[1:])


@pytest.mark.parametrize("frac", [0.5, 0.7])
def test_opened_deeper_is_not_counted_nor_taken_for_a_set_up(frac: float):
    # 0.7: the rest of the lowering and the 0.3 s pause stay within 10 % of the bottom for >= 0.5 s, which the old code
    # took for a set-up held at the bottom (a deadlift at the bar) and counted as a rise from it. Opened later (0.8 and
    # deeper: within 10 % of the bottom in its first EDGE_SETTLE_S) it still is: not told from a held set-up.
    t, x, phases = opened(frac)
    reps = detect_reps(x, t)
    assert len(reps) == 2
    assert [r.start_s for r in reps] == pytest.approx([p[0] for p in phases[1:]], abs=0.3)  # cosine vs fit


def test_a_set_up_held_from_the_opening_still_counts_its_rise():
    # The deadlift case (tests/unit/test_reps.py): held at the bottom when the recording opens, then the pull.
    t, x, _ = fc_rep_signals.rep_signal([1.0, 1.0], TEMPO, profile="cosine")
    head_t = np.arange(0, 3.0, 1 / FS)
    head = np.where(head_t < 1.0, 85.0, 5.0 + 80.0 * (1 - fc_rep_signals.raised_cosine((head_t - 1.0) / 1.5)))
    x2 = np.r_[head, x]
    reps = detect_reps(x2, np.arange(x2.size) / FS)
    assert len(reps) == 3 and reps[0].from_bottom
