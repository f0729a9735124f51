"""reps.detect_reps(fit_after_s=...): the leading reps that cannot end after the time are left out, and every rep
kept is the one the full detection finds (the live re-analysis of a buffer asks only for the reps after the last
counted one)."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import numpy as np
import pytest

from formcheck.metrics.tempo import min_jerk
from formcheck.reps import detect_reps

sys.path.insert(0, str(Path(__file__).parent))
import fc_rep_signals  # noqa: E402 - the rep-segmentation tests' shared signal generator

FS = fc_rep_signals.FS
rep_signal = functools.partial(fc_rep_signals.rep_signal, profile="min_jerk")


def _plain() -> tuple[np.ndarray, np.ndarray]:
    t, x, _ = rep_signal([1.0, 0.9, 1.0, 0.95, 1.0])
    return t, x


def _noisy() -> tuple[np.ndarray, np.ndarray]:
    from formcheck.signal import lowpass

    t, x, _ = rep_signal([1.0] * 5)
    return t, lowpass(x + np.random.default_rng(3).normal(0, 2.0, x.size), FS, 4.0)


def _gap() -> tuple[np.ndarray, np.ndarray]:
    t, x, _ = rep_signal([1.0] * 5)
    x = x.copy()
    x[int(8.0 * FS) : int(9.0 * FS)] = np.nan  # two NaN-free runs
    return t, x


def _held_bottom_opening() -> tuple[np.ndarray, np.ndarray]:
    # A clip that opens in a held bottom position: its first rise is a rep (the edge rep), then normal reps.
    t, x, _ = rep_signal([1.0, 1.0, 1.0], lead_in=1.5)
    head_t = np.arange(0, 3.0, 1 / FS)
    head = np.where(head_t < 1.0, 85.0, 5.0 + 80.0 * (1 - min_jerk((head_t - 1.0) / 1.5)))
    x2 = np.r_[head, x]
    return np.arange(x2.size) / FS, x2


SIGNALS = {"plain": _plain, "noisy": _noisy, "tracking gap": _gap, "held bottom opening": _held_bottom_opening}


@pytest.mark.parametrize("signal", list(SIGNALS))
@pytest.mark.parametrize("after_frac", [-0.1, 0.0, 0.2, 0.45, 0.7, 0.95, 1.2])
def test_kept_reps_are_the_full_detections_last_reps(signal: str, after_frac: float) -> None:
    t, x = SIGNALS[signal]()
    after = float(t[0] + after_frac * (t[-1] - t[0]))
    full = detect_reps(x, t)
    part = detect_reps(x, t, fit_after_s=after)
    assert len(full) >= 3
    # The same reps, numbers and top pauses included (repr: NaN fields compare equal), in the same order ...
    assert [repr(r) for r in part] == [repr(r) for r in full[len(full) - len(part) :]]
    # ... and every rep that ends after the time is among them.
    assert len(part) >= sum(r.end_s > after for r in full)


@pytest.mark.parametrize("after_frac", [0.3, 0.6])
def test_reps_are_left_out_only_before_the_time(after_frac: float) -> None:
    t, x = _plain()
    after = float(after_frac * t[-1])
    full, part = detect_reps(x, t), detect_reps(x, t, fit_after_s=after)
    assert len(part) < len(full)  # something was left out (the fits are the cost) ...
    assert all(r.end_s <= after for r in full[: len(full) - len(part)])  # ... only reps that end by then


def test_an_opening_set_up_rep_keeps_every_rep() -> None:
    # The edge rep is kept as ever, and so is every rep after it (its top pause is to the next one).
    t, x = _held_bottom_opening()
    full = detect_reps(x, t)
    assert full[0].from_bottom
    part = detect_reps(x, t, fit_after_s=full[1].end_s)
    assert [repr(r) for r in part] == [repr(r) for r in full]


def test_not_with_count_cut_end() -> None:
    # The recording stops half-way up the last rep's rise (1.5 s lead-in, 6 s reps: its rise is 16.5-18.5 s).
    t, x, _ = fc_rep_signals.rep_signal([1.0, 1.0, 1.0], profile="cosine", end_s=17.5)
    full = detect_reps(x, t, count_cut_end=True)
    part = detect_reps(x, t, count_cut_end=True, fit_after_s=float(t[-1]))
    assert full[-1].cut_at_end
    assert [repr(r) for r in part] == [repr(r) for r in full]


@pytest.mark.parametrize("signal", list(SIGNALS))
def test_a_rep_ending_just_after_the_time_is_kept(signal: str) -> None:
    t, x = SIGNALS[signal]()
    full = detect_reps(x, t)
    for k, r in enumerate(full):
        part = detect_reps(x, t, fit_after_s=r.end_s - 0.5 / FS)
        assert len(part) >= len(full) - k  # this rep and the later ones (an opening set-up rep is always kept)
        assert [repr(p) for p in part] == [repr(p) for p in full[len(full) - len(part) :]]
