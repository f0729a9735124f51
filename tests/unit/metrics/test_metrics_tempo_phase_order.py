"""A phase time is never negative: a phase whose fitted arrival comes before its onset was not seen (NaN).

Known truth: the times are given, so the phase lengths are arithmetic (arrival - onset), and out of order means
no phase was seen. The RepWindow case is the one a bird-dog analysed as a cat-camel produced
(dev_birddog_side_r_15-2-15-08, rep 3: the lowering's fit arrived at 5.64 s, before its window opened at 6.13 s;
it printed "that one took -0.5 s" and a 2.1 s pause at the bottom that was really the lowering).
"""

from __future__ import annotations

import math

import pytest

from formcheck.metrics.tempo import phase_s
from formcheck.reps import RepWindow


@pytest.mark.parametrize(
    ("onset_s", "arrival_s", "want_s"),
    [(1.0, 3.0, 2.0), (2.5, 2.5, 0.0), (6.13, 5.64, math.nan), (0.0, -1e-9, math.nan), (math.nan, 1.0, math.nan)],
)
def test_phase_time_is_arrival_minus_onset_or_unknown(onset_s: float, arrival_s: float, want_s: float) -> None:
    got = phase_s(onset_s, arrival_s)
    assert (math.isnan(got) and math.isnan(want_s)) or got == pytest.approx(want_s)


def _window(start_s: float, bottom_start_s: float, bottom_end_s: float, end_s: float) -> RepWindow:
    return RepWindow(start_i=0, bottom_i=1, end_i=2, start_s=start_s, bottom_start_s=bottom_start_s,
                     bottom_end_s=bottom_end_s, end_s=end_s, top_level=0.0, bottom_level=30.0, end_level=0.0,
                     eccentric_peak_speed=1.0, concentric_peak_speed=1.0)  # fmt: skip


def test_lowering_fitted_before_its_window_is_unknown_and_so_is_the_pause() -> None:
    w = _window(6.133, 5.635, 7.700, 8.747)  # rep 3 of the bird-dog read as a cat-camel
    assert math.isnan(w.eccentric_s)
    assert math.isnan(w.bottom_pause_s)  # it started at the unseen lowering's "arrival"
    assert w.concentric_s == pytest.approx(8.747 - 7.700)


def test_rise_fitted_after_its_window_is_unknown() -> None:
    w = _window(1.0, 2.0, 3.5, 3.2)
    assert w.eccentric_s == pytest.approx(1.0)
    assert math.isnan(w.concentric_s) and math.isnan(w.bottom_pause_s)


def test_phases_in_order_are_their_lengths() -> None:
    w = _window(1.0, 3.0, 3.5, 5.5)
    assert (w.eccentric_s, w.bottom_pause_s, w.concentric_s) == pytest.approx((2.0, 0.5, 2.0))
