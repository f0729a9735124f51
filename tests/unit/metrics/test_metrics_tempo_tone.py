"""Minimum-jerk phase fits, smoothness, tempo ratios; tone measures vs standing."""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcheck.metrics.tempo import (
    fit_transition,
    log_dimensionless_jerk,
    min_jerk,
    tempo_flags,
    velocity_sign_changes,
)
from formcheck.metrics.tone import head_angle_deg, knee_state, neck_extension_deg, shoulder_elevation_frac

FS = 30.0


def test_min_jerk_profile() -> None:
    u = np.array([-1.0, 0.0, 0.5, 1.0, 2.0])
    assert np.allclose(min_jerk(u), [0, 0, 0.5, 1, 1])


@pytest.mark.parametrize(("onset", "dur"), [(1.0, 2.0), (0.73, 0.9), (2.05, 3.0)])
@pytest.mark.parametrize("noise", [0.0, 0.8])
def test_fit_transition_recovers_onset_and_duration(onset: float, dur: float, noise: float) -> None:
    t = np.arange(0, onset + dur + 1.5, 1 / FS)
    x = 5 + 60 * min_jerk((t - onset) / dur)
    x = x + np.random.default_rng(3).normal(0, noise, t.size)
    tr = fit_transition(x, t, 0, len(t) - 1)
    assert tr is not None
    tol = 0.5 / FS if noise == 0 else 1.0 / FS
    assert tr.onset_s == pytest.approx(onset, abs=tol)
    assert tr.arrival_s == pytest.approx(onset + dur, abs=tol)
    assert tr.peak_speed == pytest.approx(1.875 * 60 / dur, rel=0.05)


def test_fit_transition_falling_and_flat() -> None:
    t = np.arange(0, 4, 1 / FS)
    x = 80 - 70 * min_jerk((t - 1.0) / 1.5)
    tr = fit_transition(x, t, 0, len(t) - 1)
    assert tr is not None and tr.onset_s == pytest.approx(1.0, abs=0.02)
    assert fit_transition(np.full(40, 3.0), t[:40], 0, 39) is None


def test_velocity_sign_changes() -> None:
    t = np.arange(0, 4, 1 / FS)
    smooth = np.sin(np.pi * t / 4)  # down then up once
    assert velocity_sign_changes(smooth, t) == 1
    hitch = smooth + 0.15 * np.sin(2 * np.pi * 1.5 * t)
    assert velocity_sign_changes(hitch, t) >= 3
    noisy_pause = np.r_[
        np.linspace(0, 1, 30), 1 + 0.001 * np.random.default_rng(0).normal(size=30), np.linspace(1, 0, 30)
    ]
    assert velocity_sign_changes(noisy_pause, np.arange(90) / FS) == 1  # jitter at the bottom is not a hitch


def test_log_dimensionless_jerk_prefers_smooth() -> None:
    t = np.arange(0, 2, 1 / FS)
    smooth = min_jerk(t / 2)
    jerky = smooth + 0.03 * np.sin(2 * np.pi * 3 * t)
    assert log_dimensionless_jerk(smooth, t) > log_dimensionless_jerk(jerky, t)


def test_tempo_flags() -> None:
    f = tempo_flags(1.5, 1.0, 2.0, (3.0, 1.0, 2.0, 1.0), 0.35)
    assert f["eccentric_ratio"] == pytest.approx(0.5) and f["concentric_ratio"] == 1.0
    assert f["too_fast_below_ratio"] == pytest.approx(0.65)
    assert math.isnan(tempo_flags(1.0, 0.0, 1.0, (0, 0, 0, 0), 0.3)["bottom_ratio"])


def test_shoulder_elevation_along_trunk_axis() -> None:
    n = 4
    hip = np.tile([0.0, 300.0], (n, 1))
    sho = np.tile([0.0, 100.0], (n, 1))  # trunk 200 px, vertical
    ear = np.tile([0.0, 60.0], (n, 1))
    ear[2] = [30.0, 60.0]  # ear moves forward (protraction-like): along-axis distance unchanged
    ear[3] = [0.0, 80.0]  # shrug: 20 px closer along the axis
    base = np.array([True, True, False, False])
    out = shoulder_elevation_frac(ear, sho, hip, sho, base)
    assert np.allclose(out, [0, 0, 0, 0.1])


@pytest.mark.parametrize("facing", [1, -1])
def test_neck_extension_sign(facing: int) -> None:
    hip = np.array([[0.0, 300.0]] * 3)
    sho = np.array([[0.0, 100.0]] * 3)
    ear = np.array([[0.0, 60.0]] * 3)
    r = np.radians([0.0, 0.0, 25.0])
    # Nose ahead of the ear; tipping the head back turns the ear→nose line upward.
    nose = ear + 10 * np.stack([facing * np.cos(r), -np.sin(r)], axis=1)
    out = neck_extension_deg(hip, sho, ear, nose, facing, np.array([True, True, False]))
    assert out[2] == pytest.approx(25.0, abs=1e-6)
    # Level gaze with an upright trunk: the face line is square to the trunk (extension makes it larger).
    assert head_angle_deg(hip, sho, ear, nose, facing)[0] == pytest.approx(-90.0, abs=1e-6)


def test_knee_state() -> None:
    assert knee_state(2.0, 5.0) == "locked"
    assert knee_state(20.0, 5.0) == "soft"
    assert knee_state(math.nan, 5.0) == "unknown"


def _rot(v: np.ndarray, deg: float) -> np.ndarray:
    a = np.radians(deg)
    return np.array([v[0] * np.cos(a) - v[1] * np.sin(a), v[0] * np.sin(a) + v[1] * np.cos(a)])


@pytest.mark.parametrize("facing", [1, -1])
def test_neck_extension_wraps_near_the_half_turn(facing: int) -> None:
    # A head line that points along the trunk's downward direction reads about ±180°; standing frames jitter
    # across that wrap (±2°), then the head turns 20° one way and 20° the other. The change must read 20°, not
    # 340° or a value pulled off by a median of +179 and -179.
    down = np.array([0.0, 1.0])
    turns = [-2.0, 2.0, -1.5, 1.5, 0.0, 20.0, -20.0]
    n = len(turns)
    hip = np.tile([0.0, 0.0], (n, 1))
    sho = np.tile([0.0, -1.0], (n, 1))
    ear = np.tile([0.0, -1.2], (n, 1))
    nose = np.array([ear[0] + 0.1 * _rot(down, d) for d in turns])
    standing = np.array([True] * 5 + [False, False])
    out = neck_extension_deg(hip, sho, ear, nose, facing, standing)
    assert np.all(np.abs(out) <= 180.0)
    assert np.all(np.abs(out[:5]) <= 2.5)
    assert abs(out[5]) == pytest.approx(20.0, abs=0.5) and out[6] == pytest.approx(-out[5], abs=0.5)
