"""Filters on synthetic signals with known spectra: pass band kept, stop band removed, no lag, gaps honest."""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcheck.signal import (
    OneEuroFilter,
    fill_gaps,
    lowpass,
    nan_free_runs,
    rolling_median,
    sample_rate_hz,
    smooth_series,
)

FS = 30.0


def sine(f_hz: float, n: int = 600, phase: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(n) / FS
    return t, np.sin(2 * math.pi * f_hz * t + phase)


def amplitude(x: np.ndarray) -> float:
    mid = x[len(x) // 4 : 3 * len(x) // 4]  # away from the ends
    return float(np.sqrt(2) * np.std(mid))


@pytest.mark.parametrize(
    ("f_hz", "lo", "hi"),
    [
        (0.5, 0.99, 1.01),  # exercise motion: untouched
        (1.0, 0.97, 1.01),
        (4.0, 0.45, 0.55),  # at the cut-off: the forward-backward pass gives 0.5 (-6 dB)
        (10.0, 0.0, 0.02),  # tracking jitter: removed
    ],
)
def test_lowpass_gain_matches_butterworth_response(f_hz: float, lo: float, hi: float) -> None:
    _, x = sine(f_hz)
    assert lo <= amplitude(lowpass(x, FS, 4.0, 2)) <= hi


def test_lowpass_is_zero_phase() -> None:
    t, x = sine(0.8)
    y = lowpass(x, FS, 4.0, 2)
    lag = np.argmax(np.correlate(y[100:-100], x[100:-100], "full")) - (len(x[100:-100]) - 1)
    assert lag == 0
    # A minimum-jerk rep's turning points stay where they are.
    assert abs(int(np.argmax(y)) - int(np.argmax(x))) <= 1


def test_lowpass_keeps_nan_gaps_and_filters_each_run() -> None:
    _, x = sine(0.5)
    noisy = x + 0.3 * np.sin(2 * math.pi * 12 * np.arange(len(x)) / FS)
    noisy[200:260] = np.nan
    y = lowpass(noisy, FS, 4.0)
    assert np.all(np.isnan(y[200:260]))
    assert np.all(np.isfinite(y[:200])) and np.all(np.isfinite(y[260:]))
    assert np.max(np.abs(y[20:180] - x[20:180])) < 0.05  # the 12 Hz jitter is gone on both sides of the gap
    assert np.max(np.abs(y[280:580] - x[280:580])) < 0.05


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 12])
def test_lowpass_short_runs_do_not_crash(n: int) -> None:
    x = np.full(40, np.nan)
    x[10 : 10 + n] = np.linspace(0, 1, n)
    y = lowpass(x, FS, 4.0)
    assert np.all(np.isfinite(y[10 : 10 + n]))
    assert np.all(np.isnan(y[:10]))


def test_lowpass_multichannel_matches_per_column() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(300, 3, 2))
    x[50:55, 1, 0] = np.nan  # one column with its own gap
    y = lowpass(x, FS, 4.0)
    for i in range(3):
        for j in range(2):
            assert np.allclose(y[:, i, j], lowpass(x[:, i, j], FS, 4.0), equal_nan=True)


def test_cutoff_above_nyquist_returns_copy() -> None:
    _, x = sine(1.0, 50)
    y = lowpass(x, FS, 20.0)
    assert np.array_equal(x, y) and y is not x


@pytest.mark.parametrize(
    ("gap_frames", "filled"),
    [(1, True), (5, True), (9, True), (10, False), (30, False)],  # 0.3 s at 30 fps = 9 missing frames
)
def test_fill_gaps_only_short_gaps(gap_frames: int, filled: bool) -> None:
    t = np.arange(100) / FS
    x = 2.0 * t
    x[40 : 40 + gap_frames] = np.nan
    y = fill_gaps(x, t, 0.3)
    if filled:
        assert np.allclose(y, 2.0 * t)
    else:
        assert np.all(np.isnan(y[40 : 40 + gap_frames]))


def test_fill_gaps_never_extrapolates() -> None:
    t = np.arange(20) / FS
    x = np.arange(20.0)
    x[:2] = np.nan
    x[-2:] = np.nan
    y = fill_gaps(x, t, 1.0)
    assert np.isnan(y[:2]).all() and np.isnan(y[-2:]).all()


def test_nan_free_runs_and_rate() -> None:
    v = np.array([0, 1, 1, 0, 1, 0, 0, 1, 1, 1], bool)
    assert nan_free_runs(v) == [(1, 3), (4, 5), (7, 10)]
    t = np.array([0.0, 0.033, 0.067, 0.1, 0.2, 0.233])  # one dropped frame
    assert abs(sample_rate_hz(t) - 30.0) < 0.5


def test_smooth_series_bridges_then_filters() -> None:
    t, x = sine(0.5, 300)
    x[100:103] = np.nan
    y = smooth_series(x, t, 4.0, max_gap_s=0.3)
    assert np.all(np.isfinite(y))


def test_one_euro_smooths_still_signal_and_follows_motion() -> None:
    rng = np.random.default_rng(0)
    f = OneEuroFilter(min_cutoff_hz=1.0, beta=0.05, d_cutoff_hz=1.0)
    t = np.arange(300) / FS
    still = 5.0 + rng.normal(0, 0.5, 300)
    out = np.array([float(f(tt, v)) for tt, v in zip(t, still, strict=True)])
    assert np.std(out[60:]) < 0.35 * np.std(still[60:])
    # A ramp: the causal filter lags, but less than a fixed 1 Hz low-pass would (speed raises the cut-off).
    f2 = OneEuroFilter(min_cutoff_hz=1.0, beta=0.05, d_cutoff_hz=1.0)
    ramp = 60.0 * t
    out2 = np.array([float(f2(tt, v)) for tt, v in zip(t, ramp, strict=True)])
    lag_s = float(np.median((ramp[100:] - out2[100:]) / 60.0))
    assert 0 < lag_s < 1 / (2 * math.pi * 1.0)


def test_one_euro_vector_nan_and_reset() -> None:
    f = OneEuroFilter(reset_after_s=0.5)
    a = f(0.0, np.array([1.0, np.nan]))
    assert a[0] == 1.0 and np.isnan(a[1])
    b = f(1 / FS, np.array([1.0, 2.0]))  # second element appears: starts at its value
    assert b[1] == 2.0
    c = f(2 / FS, np.array([np.nan, 2.0]))
    assert np.isnan(c[0]) and c[1] == 2.0
    d = f(5.0, np.array([10.0, 10.0]))  # long gap: restart, no glide from stale state
    assert np.allclose(d, 10.0)


def test_one_euro_rejects_bad_cutoff() -> None:
    with pytest.raises(ValueError):
        OneEuroFilter(min_cutoff_hz=0.0)


@pytest.mark.parametrize("spike_len", [1, 3, 7])
def test_rolling_median_removes_transients_shorter_than_half_the_window(spike_len: int) -> None:
    x = np.linspace(0.0, 10.0, 100)
    y = x.copy()
    y[40 : 40 + spike_len] += 15.0
    step = x[1] - x[0]
    # A linear trend passes unchanged; a spike of < half the window is gone (it only shifts the median's rank
    # by its length, i.e. by spike_len samples of the trend), where a moving average would keep 15·len/15.
    assert np.max(np.abs(rolling_median(x, 15)[7:-7] - x[7:-7])) < 1e-9
    out = rolling_median(y, 15)
    assert np.max(np.abs(out[7:-7] - x[7:-7])) <= spike_len * step + 1e-9


def test_rolling_median_keeps_steps_and_nan() -> None:
    y = np.r_[np.zeros(30), np.ones(30) * 5.0]
    y[10] = np.nan
    out = rolling_median(y, 9)
    assert np.isnan(out[10])
    assert np.allclose(out[:29][~np.isnan(out[:29])], 0.0)
    assert np.allclose(out[31:], 5.0)
    with pytest.raises(ValueError):
        rolling_median(np.zeros((4, 2)), 3)


def test_resample_uniform_interpolates_bridges_and_keeps_holes() -> None:
    from formcheck.signal import resample_uniform

    t = np.array([0.0, 0.1, 0.2, 0.5, 2.0, 2.1])
    x = np.stack([t * 10.0, np.where(t == 0.1, np.nan, 1.0)], axis=1)
    g, y = resample_uniform(t, x, 0.05, max_gap_s=1.0)
    assert g[0] == 0.0 and g[-1] == pytest.approx(2.1) and np.allclose(np.diff(g), 0.05)
    inside = g <= 0.5 + 1e-9
    assert np.allclose(y[inside, 0], g[inside] * 10.0)  # linear signal reproduced across the 0.3 s hole
    hole = (g > 0.5 + 1e-9) & (g < 2.0 - 1e-9)
    assert np.all(np.isnan(y[hole]))  # 1.5 s without frames: not invented
    on = np.isclose(g, 2.0)
    assert y[on, 0] == pytest.approx(20.0)  # a grid point on a sample takes it, whatever the neighbour
    near_nan = (g > 0.0) & (g < 0.2 - 1e-9)
    assert np.all(np.isnan(y[near_nan, 1])) and y[np.isclose(g, 0.2), 1] == 1.0
