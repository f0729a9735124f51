"""Deadlift (floor-start) and standing hinge depth signals with known phase times, for the rep tests.

Movements have shapes the phase fit does not assume (raised cosine, constant acceleration, trapezoidal velocity),
with 1° tracking noise, smoothed as the analysis smooths.
"""

from __future__ import annotations

import math

import numpy as np

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
    opening: str = "at_bar",
    final_rest_s: float = 1.0,
    ends_standing: bool = False,
    pull_s: float = 1.5,
    lockout_s: float = 0.6,
    lower_s: float = 2.0,
    rest_s: float = 1.0,
) -> tuple[np.ndarray, np.ndarray, list[dict[str, float]]]:
    """A deadlift set: ``opening`` (at the bar / walk-in and bend / a glitch), set-up on the floor, then n x (pull,
    lockout, lowering, rest); ``ends_standing``: the clip ends at the last lockout (truth lists the complete reps)."""
    b = Builder(FLOOR_DEG if opening == "at_bar" else STAND_DEG)
    if opening == "walk_in":  # filmed from standing: walk in, bend down to the bar
        b.hold(1.0)
        b.move(1.0, FLOOR_DEG)
    elif opening == "glitch":  # a frame or two of standing, then in the set-up (deadlift_side_jf9ss9_2's start)
        b.hold(0.07)
        b.move(0.2, FLOOR_DEG)
    b.hold(1.2)  # grip and brace
    truth = []
    for k in range(n):
        p0 = b.move(pull_s, STAND_DEG, pull)
        l0 = b.hold(lockout_s)
        if ends_standing and k + 1 == n:  # the clip ends at the last lockout (the bar not put back down)
            break
        d0 = b.move(lower_s, FLOOR_DEG, lower)
        r0 = b.hold(rest_s if k + 1 < n else final_rest_s)
        truth.append({"start": p0, "top_start": l0, "top_end": d0, "end": r0,
                      "rest": rest_s if k + 1 < n else math.nan})  # fmt: skip
    t, x = b.signal(seed=n)
    return t, x, truth


def standing_set(
    n: int, *, end: str = "stand", depth: float = 80.0, setup: float | None = None, setup_at_start: bool = False
):
    """An RDL / swing set from standing: n x (lower, pause, rise, pause), then an ending (or a park/put-down)."""
    b = Builder(STAND_DEG + setup if setup_at_start and setup is not None else STAND_DEG)
    b.hold(1.0)
    if setup is not None:  # a bell hiked from the floor, deeper than the swings (the clip may open there)
        if not setup_at_start:
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
    elif end == "stopped_at_bottom":  # one more lowering, stopped 0.5 s into its bottom pause
        b.move(2.0, STAND_DEG + depth)
        b.hold(0.5)
    elif end == "park_and_rise":  # down to the reps' depth, then a quarter of the way up: not resting there
        b.move(1.5, STAND_DEG + depth)
        b.hold(0.5)
        b.move(1.0, STAND_DEG + 0.75 * depth)
    return b.signal(seed=n + 7)


def progress(b: Builder, t: np.ndarray) -> np.ndarray:
    """The builder's noiseless movement at times ``t`` (held at its last level after its end): drives a rendered
    body (``formcheck.synth``), whose landmarks then carry the movement."""
    x = np.full(len(t), b.level)
    t0 = 0.0
    for dur, a, c, shape in b.parts:
        sel = (t >= t0) & (t < t0 + dur + 1e-12)
        x[sel] = a + (c - a) * _shape(shape, (t[sel] - t0) / dur)
        t0 += dur
    return x
