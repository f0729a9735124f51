"""Lifts from the floor timed pull first (``reps.floor_start_reps``; issue 10, item 9).

A conventional deadlift starts with the bar on the floor: a rep is the pull, the lockout, the lowering back to the
floor, and the bar rests there between reps and after the last. The signals here are built from movements with
shapes the phase fit does not assume (raised cosine, constant acceleration, trapezoidal velocity), with 1° tracking
noise, and every phase time is known: the found reps are checked against that truth, and sets that are not lifted
from the floor (standing sets, a set ending putting the weight down deeper than its reps, swings hiked from and
parked on the floor, a set ending on the way back up, a tracking gap) keep their reps counted from standing.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from formcheck.reps import (
    LOWER_FIRST,
    PHASE_ORDER_KEY,
    RISE_FIRST,
    RepWindow,
    _replace_top_pause,
    detect_reps,
    floor_start_reps,
    rises_first,
)

sys.path.insert(0, str(Path(__file__).parent))
from fc_floor_signals import FLOOR_DEG, STAND_DEG, floor_set, standing_set  # noqa: E402 - shared generator


def found(t: np.ndarray, x: np.ndarray) -> tuple[list[RepWindow], list[RepWindow] | None]:
    windows = detect_reps(x, t, count_cut_end=True)
    return windows, floor_start_reps(windows, x, t)


# Largest phase-time error allowed: the fit's error on these shapes (docs/metrics.md "Tempo on movements that are
# not minimum-jerk": cosine <= 0.45 s, constant acceleration 0.16 s, trapezoidal velocity 0.55 s) plus noise.
PHASE_TOL_S = {"cosine": 0.45, "accel": 0.3, "trapezoid": 0.6}
CASES = [
    (3, "cosine", "cosine", "at_bar"),  # the clip opens in the set-up, at the bar
    (5, "accel", "cosine", "glitch"),  # ... after a frame or two read standing
    (2, "trapezoid", "accel", "at_bar"),
    (1, "cosine", "trapezoid", "glitch"),  # one pull: set-up, pull, lockout, lowering, rest
    (4, "accel", "trapezoid", "at_bar"),
]


@pytest.mark.parametrize(("n", "pull", "lower", "opening"), CASES)
def test_floor_set_is_timed_pull_first_against_the_truth(n: int, pull: str, lower: str, opening: str) -> None:
    t, x, truth = floor_set(n, pull, lower, opening=opening)
    windows, floor = found(t, x)
    assert len(windows) == n  # counted from standing first: the count is the same
    assert floor is not None and len(floor) == n
    tol = max(PHASE_TOL_S[pull], PHASE_TOL_S[lower])
    for w, tr in zip(floor, truth, strict=True):
        assert w.starts_at_bottom
        # The rep lies on the true one: pull onset to floor arrival.
        assert abs(w.start_s - tr["start"]) <= tol and abs(w.end_s - tr["end"]) <= tol, (w, tr)
        assert abs(w.concentric_s - (tr["top_start"] - tr["start"])) <= tol  # the pull, first
        assert abs(w.top_pause_s - (tr["top_end"] - tr["top_start"])) <= tol  # the lockout, inside the rep
        assert abs(w.eccentric_s - (tr["end"] - tr["top_end"])) <= tol  # the lowering, last
        assert w.start_s < w.top_start_s <= w.top_end_s < w.end_s
        if math.isnan(tr["rest"]):
            assert math.isnan(w.bottom_pause_s)  # the last rest runs to the clip's end: not a pause before a pull
        else:
            assert abs(w.bottom_pause_s - tr["rest"]) <= tol  # the rest on the floor before the next pull
        assert abs(w.rom - (FLOOR_DEG - STAND_DEG)) <= 5.0


def test_floor_set_ending_just_after_the_bar_lands_still_counts_pull_first() -> None:
    # deadlift_side_jf9ss9_2 ends 0.2 s after the bar is back on the floor.
    t, x, truth = floor_set(3, "cosine", "cosine", final_rest_s=0.2)
    _, floor = found(t, x)
    assert floor is not None and len(floor) == 3
    assert abs(floor[-1].end_s - truth[-1]["end"]) <= 0.45


NOT_FLOOR = [
    ("RDL set ending standing", lambda: standing_set(3)),
    ("RDL set ending putting the weights down", lambda: standing_set(3, end="put_down")),
    ("swings hiked from and parked on the floor", lambda: standing_set(4, end="put_down", depth=60.0, setup=90.0)),
    ("set ending on its way back up from the bottom", lambda: standing_set(3, end="park_and_rise")),
    # An RDL set stopped in its last bottom pause ends at its reps' depth, as a floor set does; it opened standing.
    ("RDL set stopped in its bottom pause", lambda: standing_set(3, end="stopped_at_bottom")),
    # So a floor set filmed from standing (walk in, bend to the bar) cannot be told from it: not re-timed (limit).
    ("floor set filmed from standing", lambda: floor_set(3, "cosine", "cosine", opening="walk_in")[:2]),
    # Sets that open at the bottom but do not end resting on the same floor:
    (
        "swings opening on the hike, bell parked",
        lambda: standing_set(4, end="put_down", depth=60.0, setup=90.0, setup_at_start=True),
    ),  # fmt: skip
    ("deadlift clip ending at the lockout", lambda: floor_set(3, "cosine", "cosine", ends_standing=True)[:2]),
]


@pytest.mark.parametrize(("what", "make"), NOT_FLOOR, ids=[c[0] for c in NOT_FLOOR])
def test_sets_not_lifted_from_the_floor_keep_their_standing_reps(what: str, make) -> None:
    t, x = make()
    windows, floor = found(t, x)
    assert windows and floor is None, what


def test_floor_set_whose_final_rest_is_deeper_is_not_a_floor_set() -> None:
    # The last "rest" 1.45 x deeper than the rep bottoms is putting the weight down beyond the reps' floor.
    t, x, _ = floor_set(3, "cosine", "cosine")
    k = t >= t[-1] - 0.9
    x = x.copy()
    x[k] += 0.45 * (FLOOR_DEG - STAND_DEG) * np.clip((t[k] - t[k][0]) / 0.6, 0, 1)
    _, floor = found(t, x)
    assert floor is None


def test_tracking_gap_keeps_the_standing_reps() -> None:
    # The whole stretch from the first rep to the end must be seen to re-time it; with a gap it is not guessed.
    t, x, truth = floor_set(4, "cosine", "cosine")
    x = x.copy()
    x[(t > truth[1]["top_start"]) & (t < truth[1]["top_start"] + 0.4)] = np.nan
    windows, floor = found(t, x)
    assert windows and floor is None


def test_phase_properties_in_both_orders() -> None:
    common = dict(start_i=0, bottom_i=5, end_i=50, top_level=5.0, bottom_level=120.0, end_level=120.0,
                  eccentric_peak_speed=90.0, concentric_peak_speed=90.0)  # fmt: skip
    std = RepWindow(start_s=0.0, bottom_start_s=2.0, bottom_end_s=3.0, end_s=5.0, top_pause_s=1.0, **common)
    assert (std.eccentric_s, std.bottom_pause_s, std.concentric_s) == (2.0, 1.0, 2.0)
    flr = RepWindow(start_s=0.0, bottom_start_s=0.0, bottom_end_s=0.0, end_s=5.0, top_pause_s=0.5,
                    starts_at_bottom=True, top_start_s=1.5, top_end_s=2.0, **common)  # fmt: skip
    assert (flr.concentric_s, flr.top_pause_s, flr.eccentric_s) == (1.5, 0.5, 3.0)
    assert math.isnan(flr.bottom_pause_s)  # no next pull yet
    # The rest before the next rep is filled in the right place: at the top for one, on the floor for the other.
    assert _replace_top_pause(std, 0.7).top_pause_s == 0.7
    filled = _replace_top_pause(flr, 0.7)
    assert filled.bottom_pause_s == 0.7 and filled.top_pause_s == 0.5


def test_rises_first_reads_the_rep_order() -> None:
    assert rises_first({PHASE_ORDER_KEY: RISE_FIRST})
    assert not rises_first({PHASE_ORDER_KEY: LOWER_FIRST}) and not rises_first({}) and not rises_first(None)
