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
from formcheck.signal import lowpass

FS = 30.0
STAND_DEG = 5.0
FLOOR_DEG = 125.0  # hip flexion with the bar on the floor (the real floor clips: 122-139 deg)
NOISE_DEG = 1.0


def _shape(kind: str, u: np.ndarray) -> np.ndarray:
    """0 -> 1 over u in [0, 1], none of them minimum-jerk."""
    if kind == "cosine":
        return 0.5 - 0.5 * np.cos(np.pi * u)
    if kind == "accel":  # constant acceleration then constant deceleration
        return np.where(u < 0.5, 2 * u**2, 1 - 2 * (1 - u) ** 2)
    if kind == "trapezoid":  # velocity ramps over the first and last quarter, constant in between
        a = 0.25
        v_max = 1.0 / (1.0 - a)
        up = 0.5 * v_max * u**2 / a
        mid = 0.5 * v_max * a + v_max * (u - a)
        down = 1.0 - 0.5 * v_max * (1.0 - u) ** 2 / a
        return np.where(u < a, up, np.where(u <= 1 - a, mid, down))
    raise ValueError(kind)


class Builder:
    """A depth signal assembled segment by segment, with the time each segment starts."""

    def __init__(self, start_deg: float) -> None:
        self.level = start_deg
        self.parts: list[tuple[float, float, float, str]] = []  # (duration, from, to, shape)
        self.t = 0.0

    def hold(self, s: float) -> float:
        t0 = self.t
        self.parts.append((s, self.level, self.level, "cosine"))
        self.t += s
        return t0

    def move(self, s: float, to: float, shape: str = "cosine") -> float:
        t0 = self.t
        self.parts.append((s, self.level, to, shape))
        self.level, self.t = to, self.t + s
        return t0

    def signal(self, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        t = np.arange(0.0, self.t, 1.0 / FS)
        x = np.empty_like(t)
        t0 = 0.0
        for dur, a, b, shape in self.parts:
            sel = (t >= t0) & (t < t0 + dur + 1e-12)
            x[sel] = a + (b - a) * _shape(shape, (t[sel] - t0) / dur)
            t0 += dur
        x = x + np.random.default_rng(seed).normal(0.0, NOISE_DEG, len(t))
        return t, lowpass(x, FS, 4.0, 2)


def floor_set(
    n: int,
    pull: str,
    lower: str,
    *,
    opens_standing: bool = True,
    final_rest_s: float = 1.0,
    pull_s: float = 1.5,
    lockout_s: float = 0.6,
    lower_s: float = 2.0,
    rest_s: float = 1.0,
) -> tuple[np.ndarray, np.ndarray, list[dict[str, float]]]:
    """A deadlift set: (stand, bend to the bar,) set-up on the floor, n x (pull, lockout, lowering, rest)."""
    b = Builder(STAND_DEG if opens_standing else FLOOR_DEG)
    if opens_standing:
        b.hold(1.0)
        b.move(1.0, FLOOR_DEG)
    b.hold(1.2)  # grip and brace
    truth = []
    for k in range(n):
        p0 = b.move(pull_s, STAND_DEG, pull)
        l0 = b.hold(lockout_s)
        d0 = b.move(lower_s, FLOOR_DEG, lower)
        r0 = b.hold(rest_s if k + 1 < n else final_rest_s)
        truth.append({"start": p0, "top_start": l0, "top_end": d0, "end": r0,
                      "rest": rest_s if k + 1 < n else math.nan})  # fmt: skip
    t, x = b.signal(seed=n)
    return t, x, truth


def found(t: np.ndarray, x: np.ndarray) -> tuple[list[RepWindow], list[RepWindow] | None]:
    windows = detect_reps(x, t, count_cut_end=True)
    return windows, floor_start_reps(windows, x, t)


# Largest phase-time error allowed: the fit's error on these shapes (docs/metrics.md "Tempo on movements that are
# not minimum-jerk": cosine <= 0.45 s, constant acceleration 0.16 s, trapezoidal velocity 0.55 s) plus noise.
PHASE_TOL_S = {"cosine": 0.45, "accel": 0.3, "trapezoid": 0.6}
CASES = [
    (3, "cosine", "cosine", True),
    (5, "accel", "cosine", True),
    (2, "trapezoid", "accel", False),  # the clip opens in the set-up, at the bar
    (1, "cosine", "trapezoid", True),  # one pull: set-up, pull, lockout, lowering, rest
    (4, "accel", "trapezoid", False),
]


@pytest.mark.parametrize(("n", "pull", "lower", "opens_standing"), CASES)
def test_floor_set_is_timed_pull_first_against_the_truth(n: int, pull: str, lower: str, opens_standing: bool) -> None:
    t, x, truth = floor_set(n, pull, lower, opens_standing=opens_standing)
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


def standing_set(n: int, *, end: str = "stand", depth: float = 80.0, setup: float | None = None):
    """An RDL / swing set from standing: n x (lower, pause, rise, pause), then an ending (or a park/put-down)."""
    b = Builder(STAND_DEG)
    b.hold(1.0)
    if setup is not None:  # a bell hiked from the floor, deeper than the swings
        b.move(1.0, STAND_DEG + setup)
        b.hold(0.8)
        b.move(1.0, STAND_DEG)
        b.hold(0.3)
    for _ in range(n):
        b.move(2.0, STAND_DEG + depth)
        b.hold(1.0)
        b.move(2.0, STAND_DEG)
        b.hold(1.0)
    if end == "put_down":  # weights put on the floor, deeper than the reps, and left there
        b.move(1.5, STAND_DEG + 1.45 * depth)
        b.hold(1.5)
    elif end == "park_and_rise":  # down to the reps' depth, then a quarter of the way up: not resting there
        b.move(1.5, STAND_DEG + depth)
        b.hold(0.5)
        b.move(1.0, STAND_DEG + 0.75 * depth)
    return b.signal(seed=n + 7)


NOT_FLOOR = [
    ("RDL set ending standing", lambda: standing_set(3)),
    ("RDL set ending putting the weights down", lambda: standing_set(3, end="put_down")),
    ("swings hiked from and parked on the floor", lambda: standing_set(4, end="put_down", depth=60.0, setup=90.0)),
    ("set ending on its way back up from the bottom", lambda: standing_set(3, end="park_and_rise")),
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
