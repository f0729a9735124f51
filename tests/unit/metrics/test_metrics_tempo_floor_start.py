"""Where a floor rep's phases start, on movements that are NOT minimum-jerk, against their known start time.

A physio's acceptance check on the rendered floor clips found tempo cues on reps done at the prescribed tempo
(rises and reaches read short, starts late). Whether the phase fit itself reads starts late was checked here on
curves the fit does not assume (constant speed, smooth start with an abrupt stop, abrupt start with a smooth stop, a
trapezoidal velocity), at floor tempos (1.2-1.5 s movements, 1-2 s pauses) with tracking noise: the start is never
more than a few frames late, and a correctly timed phase is never read short enough for a "too fast" cue (the fit's
shape bias makes moving phases read long, docs/metrics.md §8.6). A phase reads short only when the signal itself
moves over part of the phase: a limb that starts moving after the phase began (the last case) is timed from where it
moves, which no rule on that signal can see earlier (the rendered bird-dog's thigh, scripts/measure_floor_tempo.py).
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.config import ExerciseConfig
from formcheck.metrics.tempo import min_jerk
from formcheck.reps import detect_reps

FS = 30.0
# A correctly timed phase read below (1 - tolerance) x its target gets a "too fast" cue: the default tolerance.
TOO_FAST_RATIO = 1.0 - ExerciseConfig().tempo_tolerance_frac
LATE_START_MAX_S = 0.2  # six frames at 30 fps


def _profile(kind: str, u: np.ndarray) -> np.ndarray:
    u = np.clip(u, 0.0, 1.0)
    if kind == "linear":  # constant speed, abrupt start and stop
        return u
    if kind == "slow_start":  # smooth start, abrupt stop
        return u**2
    if kind == "fast_start":  # abrupt start, smooth stop
        return 1.0 - (1.0 - u) ** 2
    if kind == "trapezoid":  # velocity: a quarter accelerating, half cruising, a quarter braking
        a, v = 0.25, 1.0 / 0.75
        cruise = np.where(u < 1 - a, v * (u - a / 2), 1 - v * (1 - u) ** 2 / (2 * a))
        return np.where(u < a, v * u * u / (2 * a), cruise)
    raise ValueError(kind)


def _clip(rise: str, fall: str, tempo: tuple[float, float, float, float], seed: int, reps: int = 3):
    """A floor set (bridge-like: rise, hold at the top, lower, rest) with known phase times."""
    up, hold, down, rest = tempo
    t = np.arange(0.0, 1.0 + reps * sum(tempo) + 1.0, 1.0 / FS)
    x = np.zeros_like(t)
    truth, t0 = [], 1.0
    for _ in range(reps):
        t1, t2, t3 = t0 + up, t0 + up + hold, t0 + up + hold + down
        m = (t >= t0) & (t < t1)
        x[m] = 40.0 * _profile(rise, (t[m] - t0) / up)
        x[(t >= t1) & (t < t2)] = 40.0
        m = (t >= t2) & (t < t3)
        x[m] = 40.0 * (1.0 - _profile(fall, (t[m] - t2) / down))
        truth.append((t0, up, hold, down))
        t0 = t3 + rest
    return t, -45.0 + x + np.random.default_rng(seed).normal(0.0, 1.0, x.size), truth


CASES = [
    ("linear", "linear", (1.5, 2.0, 1.5, 1.0)),
    ("slow_start", "slow_start", (1.5, 2.0, 1.5, 1.0)),
    ("slow_start", "fast_start", (1.2, 1.0, 1.2, 0.6)),
    ("fast_start", "slow_start", (1.2, 1.0, 1.2, 0.6)),
    ("trapezoid", "linear", (1.5, 1.0, 1.5, 0.8)),
]


@pytest.mark.parametrize(("rise", "fall", "tempo"), CASES)
@pytest.mark.parametrize("seed", [0, 1])
def test_start_is_not_late_and_a_correct_phase_is_not_read_too_fast(rise, fall, tempo, seed):
    t, x, truth = _clip(rise, fall, tempo, seed)
    reps = detect_reps(x, t, min_rom_deg=15.0)
    assert len(reps) == len(truth)
    for r, (start, up, _, down) in zip(reps, truth, strict=True):
        assert r.start_s - start <= LATE_START_MAX_S, (r.start_s, start)
        assert r.eccentric_s >= TOO_FAST_RATIO * up, (r.eccentric_s, up)
        assert r.concentric_s >= TOO_FAST_RATIO * down, (r.concentric_s, down)


def test_a_limb_that_starts_late_is_timed_from_where_it_moves():
    # The phase is scripted 1.5 s from t0, but the limb stays still for its first 0.6 s and then moves (smoothly)
    # over 0.9 s: the rep's start is the limb's, 0.6 s after the scripted one, and its rise reads 0.9 s.
    t = np.arange(0.0, 9.0, 1.0 / FS)
    x = 40.0 * (min_jerk((t - 1.6) / 0.9) - min_jerk((t - 4.5) / 0.9))
    x = x + np.random.default_rng(0).normal(0.0, 1.0, x.size)
    (r,) = detect_reps(x, t, min_rom_deg=15.0)
    assert abs(r.start_s - 1.6) <= 0.1 and abs(r.eccentric_s - 0.9) <= 0.1, (r.start_s, r.eccentric_s)
