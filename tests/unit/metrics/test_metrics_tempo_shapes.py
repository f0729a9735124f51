"""Phase times against truth on movements that are NOT minimum-jerk (issue 10, item 8).

The phase fitter (:func:`formcheck.metrics.tempo.fit_transition`) assumes a minimum-jerk profile. Real lifts are
not exactly that: constant speed, constant acceleration, a trapezoidal velocity, a cosine, or an asymmetric
lowering and return. Each clip here is generated with one of those curves (never the fitter's own), known phase
times and tracking noise, and run through :func:`formcheck.reps.detect_reps`. The errors asserted are the measured
ones with a small margin (docs/metrics.md §8.6); the ±0.2 s aim on constant-speed movement is a strict xfail.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.reps import detect_reps

FS = 30.0


def _profile(kind: str, u: np.ndarray) -> np.ndarray:
    u = np.clip(u, 0.0, 1.0)
    if kind == "linear":  # constant speed, abrupt start and stop
        return u
    if kind == "cosine":  # half-sine velocity
        return (1.0 - np.cos(np.pi * u)) / 2.0
    if kind == "parabolic":  # constant acceleration, then constant deceleration
        return np.where(u < 0.5, 2.0 * u * u, 1.0 - 2.0 * (1.0 - u) ** 2)
    if kind == "trapezoid":  # velocity: a quarter accelerating, half cruising, a quarter braking
        a, v = 0.25, 1.0 / 0.75
        cruise = np.where(u < 1 - a, v * (u - a / 2), 1 - v * (1 - u) ** 2 / (2 * a))
        return np.where(u < a, v * u * u / (2 * a), cruise)
    if kind == "fast_start":  # abrupt start, braking to a smooth stop
        return 1.0 - (1.0 - u) ** 2
    if kind == "slow_start":  # smooth start, abrupt stop
        return u**2
    raise ValueError(kind)


def _clip(ecc_kind: str, con_kind: str, tempo: tuple[float, float, float, float], *, reps: int = 3,
          depth_deg: float = 80.0, noise_deg: float = 1.0, seed: int = 0):  # fmt: skip
    ecc, bot, con, top = tempo
    t = np.arange(0.0, 1.5 + reps * sum(tempo) + 1.5, 1.0 / FS)
    x = np.zeros_like(t)
    truth = []
    t0 = 1.5
    for _ in range(reps):
        t1, t2, t3 = t0 + ecc, t0 + ecc + bot, t0 + ecc + bot + con
        m = (t >= t0) & (t < t1)
        x[m] = depth_deg * _profile(ecc_kind, (t[m] - t0) / ecc)
        x[(t >= t1) & (t < t2)] = depth_deg
        m = (t >= t2) & (t < t3)
        x[m] = depth_deg * (1.0 - _profile(con_kind, (t[m] - t2) / con))
        truth.append((t0, ecc, bot, con))
        t0 = t3 + top
    x = 10.0 + x + np.random.default_rng(seed).normal(0.0, noise_deg, x.size)
    return t, x, truth


def _errors(ecc_kind, con_kind, tempo, seed=0) -> np.ndarray:
    t, x, truth = _clip(ecc_kind, con_kind, tempo, seed=seed)
    reps = detect_reps(x, t)
    assert len(reps) == len(truth)
    for r in reps:
        assert r.start_s < r.bottom_start_s <= r.bottom_end_s < r.end_s
    return np.array([
        (r.start_s - s, r.eccentric_s - e, r.bottom_pause_s - b, r.concentric_s - c)
        for r, (s, e, b, c) in zip(reps, truth, strict=True)
    ])  # fmt: skip


# (lowering curve, return curve, tempo e-b-c-t in s, largest |error| allowed in s: measured + 0.1)
CASES = [
    ("cosine", "cosine", (2.0, 1.0, 2.0, 1.0), 0.45),
    ("parabolic", "parabolic", (2.0, 1.0, 2.0, 1.0), 0.3),
    ("trapezoid", "trapezoid", (2.0, 1.0, 2.0, 1.0), 0.65),
    ("cosine", "linear", (3.0, 1.0, 1.0, 1.0), 0.75),  # slow smooth lowering, fast constant-speed return
    ("fast_start", "slow_start", (2.5, 0.5, 1.5, 1.0), 0.85),
    ("slow_start", "fast_start", (1.5, 1.0, 2.5, 1.0), 0.95),
    ("linear", "linear", (2.0, 1.0, 2.0, 1.0), 1.35),
]


@pytest.mark.parametrize(("ecc_kind", "con_kind", "tempo", "tol_s"), CASES)
@pytest.mark.parametrize("seed", [0, 1])
def test_phase_times_on_non_minimum_jerk_movements(ecc_kind, con_kind, tempo, tol_s, seed):
    err = _errors(ecc_kind, con_kind, tempo, seed)
    assert np.max(np.abs(err)) <= tol_s, np.round(err, 2)


@pytest.mark.xfail(
    strict=True,
    reason="the minimum-jerk fit stretches a constant-speed ramp: phases read up to "
    "~1.2 s long on a 2 s lowering (docs/metrics.md §8.6)",
)
def test_constant_speed_phases_within_0_2_s():
    err = _errors("linear", "linear", (2.0, 1.0, 2.0, 1.0))
    assert np.max(np.abs(err)) <= 0.2


def test_direction_of_the_bias_on_constant_speed():
    # Known and stated: on a constant-speed movement the fitted onset comes early and the arrival late, so each
    # moving phase reads long and the pauses short.
    err = _errors("linear", "linear", (2.0, 1.0, 2.0, 1.0))
    assert np.all(err[:, 1] > 0) and np.all(err[:, 3] > 0) and np.all(err[:, 2] < 0)
