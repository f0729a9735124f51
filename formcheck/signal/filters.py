"""Smoothing that keeps timing honest.

* :func:`lowpass` — zero-phase Butterworth (``sosfiltfilt``) for recorded video: no lag, so rep phase times are
  not shifted. Applied separately to every NaN-free run, so tracking gaps never smear into good data.
* :func:`fill_gaps` — linear interpolation across *short* interior gaps only; long gaps stay NaN (an honest
  "unknown" beats an invented trajectory).
* :func:`rolling_median` — centred, NaN-aware running median: removes short transients (outliers lasting less
  than half the window) that a low-pass would only spread out.
* :class:`OneEuroFilter` — causal adaptive low-pass for live frames (Casiez et al. 2012): smooth when still,
  little lag when moving fast.

All functions work along axis 0 (time) of arrays shaped ``(T,)`` or ``(T, ...)``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import signal as sps


def nan_free_runs(valid: np.ndarray) -> list[tuple[int, int]]:
    """Start/stop indices of consecutive ``True`` runs.

    Args:
        valid: ``(T,)`` bool.

    Returns:
        List of ``(start, stop)`` half-open index pairs, in order.
    """
    v = np.asarray(valid, dtype=bool)
    if v.size == 0:
        return []
    d = np.diff(np.concatenate(([0], v.astype(np.int8), [0])))
    starts = np.flatnonzero(d == 1)
    stops = np.flatnonzero(d == -1)
    return list(zip(starts.tolist(), stops.tolist(), strict=True))


def sample_rate_hz(t_s: np.ndarray) -> float:
    """Median sample rate of timestamps (robust to the odd dropped/duplicated frame of VFR video)."""
    t = np.asarray(t_s, dtype=np.float64)
    if t.size < 2:
        return math.nan
    dt = np.diff(t)
    dt = dt[dt > 0]
    return float(1.0 / np.median(dt)) if dt.size else math.nan


def _column_groups(nan_mask: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Group columns of a ``(T, N)`` NaN mask that share the same pattern (usually all of them)."""
    groups: dict[bytes, list[int]] = {}
    packed = np.packbits(nan_mask, axis=0)
    for j in range(nan_mask.shape[1]):
        groups.setdefault(packed[:, j].tobytes(), []).append(j)
    return [(~nan_mask[:, cols[0]], np.asarray(cols)) for cols in groups.values()]


def lowpass(x: np.ndarray, fs_hz: float, cutoff_hz: float, order: int = 2, *, min_run: int = 4) -> np.ndarray:
    """Zero-phase Butterworth low-pass along axis 0, per NaN-free run.

    Args:
        x: ``(T,)`` or ``(T, ...)`` samples, NaN where unknown.
        fs_hz: sample rate.
        cutoff_hz: -3 dB cut-off of the *combined* forward-backward response is slightly lower than this (the
            filter is applied twice); at 4 Hz on exercise motion (< 2 Hz) the difference does not matter.
        order: Butterworth order of one pass.
        min_run: runs shorter than this are left unfiltered (too short to filter meaningfully).

    Returns:
        Filtered copy, same shape, NaN where ``x`` is NaN.
    """
    a = np.array(x, dtype=np.float64, copy=True)
    if a.shape[0] < 2 or not math.isfinite(fs_hz) or fs_hz <= 0:
        return a
    nyq = fs_hz / 2.0
    if cutoff_hz >= nyq * 0.99:
        return a  # nothing to remove below Nyquist
    sos = sps.butter(order, cutoff_hz / nyq, btype="low", output="sos")
    default_pad = 3 * (2 * len(sos) + 1)
    flat = a.reshape(a.shape[0], -1)
    nan_mask = np.isnan(flat)
    for valid, cols in _column_groups(nan_mask):
        for s, e in nan_free_runs(valid):
            n = e - s
            if n < min_run:
                continue
            # Short runs: shrink the padding instead of refusing (sosfiltfilt needs padlen < n).
            pad = min(default_pad, n - 1)
            block = flat[s:e][:, cols]
            flat[s:e, cols] = sps.sosfiltfilt(sos, block, axis=0, padtype="odd", padlen=pad)
    return flat.reshape(a.shape)


def fill_gaps(x: np.ndarray, t_s: np.ndarray, max_gap_s: float) -> np.ndarray:
    """Linearly interpolate interior NaN gaps no longer than ``max_gap_s``.

    A gap's length is the time between the last good sample before it and the first good one after it minus
    one frame interval, i.e. the time during which the value was unknown. Leading/trailing NaNs and longer gaps
    are left NaN.

    Args:
        x: ``(T,)`` or ``(T, ...)`` samples.
        t_s: ``(T,)`` timestamps in seconds.
        max_gap_s: longest gap to bridge.

    Returns:
        Copy with the short gaps filled.
    """
    a = np.array(x, dtype=np.float64, copy=True)
    t = np.asarray(t_s, dtype=np.float64)
    if a.shape[0] != t.shape[0]:
        raise ValueError("x and t_s must have the same length")
    if a.shape[0] < 3 or max_gap_s <= 0:
        return a
    flat = a.reshape(a.shape[0], -1)
    nan_mask = np.isnan(flat)
    dt = np.median(np.diff(t))
    for valid, cols in _column_groups(nan_mask):
        good = np.flatnonzero(valid)
        if good.size < 2:
            continue
        for s, e in nan_free_runs(~valid):
            if s == 0 or e == len(valid):
                continue  # never extrapolate at the ends
            gap_s = t[e] - t[s - 1] - dt
            if gap_s > max_gap_s + 1e-9:
                continue
            w = (t[s:e] - t[s - 1]) / (t[e] - t[s - 1])
            before = flat[s - 1, cols]
            after = flat[e, cols]
            flat[s:e, cols] = before[None, :] + w[:, None] * (after - before)[None, :]
    return flat.reshape(a.shape)


def rolling_median(x: np.ndarray, window: int) -> np.ndarray:
    """Centred running median along axis 0 of a ``(T,)`` series, ignoring NaN (NaN stays NaN).

    A median removes a transient shorter than half the window completely, where a low-pass filter only spreads
    it out; steps and slow trends pass unchanged. Near the ends the window shrinks to the samples available.

    Args:
        x: ``(T,)`` samples (NaN = unknown).
        window: window length in samples (made odd).

    Returns:
        ``(T,)`` medians; NaN where the input was NaN.
    """
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 1:
        raise ValueError("rolling_median expects a 1-D series")
    k = max(1, int(window)) | 1
    if k == 1 or a.size == 0:
        return a.copy()
    h = k // 2
    padded = np.concatenate((np.full(h, np.nan), a, np.full(h, np.nan)))
    win = np.lib.stride_tricks.sliding_window_view(padded, k)
    out = np.full(a.shape, np.nan)
    ok = np.isfinite(a)
    if np.any(ok):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows cannot occur at finite samples
            out[ok] = np.nanmedian(win[ok], axis=1)
    return out


def smooth_series(
    x: np.ndarray, t_s: np.ndarray, cutoff_hz: float, order: int = 2, max_gap_s: float = 0.3
) -> np.ndarray:
    """Gap-fill short gaps, then zero-phase low-pass (the standard treatment for recorded series)."""
    filled = fill_gaps(x, t_s, max_gap_s)
    return lowpass(filled, sample_rate_hz(t_s), cutoff_hz, order)


class OneEuroFilter:
    """Causal One-Euro filter for live signals of any fixed shape.

    The cut-off adapts to speed: ``fc = min_cutoff + beta * |dx/dt|`` (per element), so a still joint is smoothed
    hard and a moving one follows with little lag. NaN input returns NaN and, after ``reset_after_s`` without data,
    the filter restarts from the next sample instead of gliding from a stale value.

    Args:
        min_cutoff_hz: cut-off when still.
        beta: speed coefficient (units of the signal per second → Hz).
        d_cutoff_hz: cut-off of the derivative estimate.
        reset_after_s: gap after which the state is dropped.
    """

    def __init__(
        self, min_cutoff_hz: float = 1.0, beta: float = 0.02, d_cutoff_hz: float = 1.0, reset_after_s: float = 0.5
    ) -> None:
        if min_cutoff_hz <= 0 or d_cutoff_hz <= 0:
            raise ValueError("cut-off frequencies must be > 0")
        self.min_cutoff_hz = min_cutoff_hz
        self.beta = beta
        self.d_cutoff_hz = d_cutoff_hz
        self.reset_after_s = reset_after_s
        self._x: np.ndarray | None = None
        self._dx: np.ndarray | None = None
        self._t: float | None = None

    @staticmethod
    def _alpha(cutoff_hz: np.ndarray | float, dt: float) -> np.ndarray | float:
        tau = 1.0 / (2.0 * math.pi * np.asarray(cutoff_hz))
        return 1.0 / (1.0 + tau / dt)

    def reset(self) -> None:
        self._x = self._dx = None
        self._t = None

    def __call__(self, t_s: float, x: np.ndarray | float) -> np.ndarray:
        """Filter one sample taken at ``t_s`` (seconds, increasing)."""
        xa = np.asarray(x, dtype=np.float64)
        if self._t is not None and (t_s - self._t > self.reset_after_s or t_s <= self._t):
            if t_s <= self._t:
                return self._x.copy() if self._x is not None else xa.copy()
            self.reset()
        if self._x is None:
            if np.all(np.isnan(xa)):
                return xa.copy()
            self._x = xa.copy()
            self._dx = np.zeros_like(xa)
            self._t = t_s
            return xa.copy()
        dt = t_s - self._t
        assert self._dx is not None
        ok = ~np.isnan(xa)
        fresh = ok & np.isnan(self._x)  # element unseen so far: start it at its first value
        have = ok & ~fresh
        prev = np.where(have, self._x, xa)
        dx = np.where(have, (xa - prev) / dt, 0.0)
        a_d = self._alpha(self.d_cutoff_hz, dt)
        dx_hat = a_d * dx + (1 - a_d) * np.where(have, self._dx, 0.0)
        a = self._alpha(self.min_cutoff_hz + self.beta * np.abs(dx_hat), dt)
        x_new = a * xa + (1 - a) * prev
        # Elements missing now keep their state (NaN out) but do not poison the filter.
        self._x = np.where(ok, x_new, self._x)
        self._dx = np.where(ok, dx_hat, self._dx)
        self._t = t_s
        return np.where(ok, self._x, np.nan)


def resample_uniform(t_s: np.ndarray, x: np.ndarray, step_s: float, max_gap_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Linear interpolation of irregularly timed samples onto a uniform time grid.

    The zero-phase filters and the rep fits assume evenly spaced samples; a live stream that drops frames
    (2–16 fps on a loaded machine, bursts of missing frames) breaks that assumption, and filtering the samples
    as if they were evenly spaced distorts speeds and phase times. Grid points between two received samples
    more than ``max_gap_s`` apart stay NaN (no invented trajectory over a real gap), as do points next to a
    NaN sample. Grid points that coincide with a sample take its value exactly.

    Args:
        t_s: ``(T,)`` increasing sample times.
        x: ``(T, ...)`` samples (NaN = unknown).
        step_s: grid spacing, seconds (> 0).
        max_gap_s: longest interval between two samples that is interpolated across.

    Returns:
        ``(grid_t_s, grid_x)``: grid from ``t_s[0]`` to ``t_s[-1]`` and the interpolated values.
    """
    t = np.asarray(t_s, dtype=np.float64)
    a = np.asarray(x, dtype=np.float64)
    if t.shape[0] != a.shape[0]:
        raise ValueError("x and t_s must have the same length")
    if step_s <= 0:
        raise ValueError("step_s must be > 0")
    if t.size == 0:
        return t.copy(), a.copy()
    n = int(math.floor((t[-1] - t[0]) / step_s + 1e-6)) + 1
    g = t[0] + step_s * np.arange(n)
    left = np.clip(np.searchsorted(t, g, side="right") - 1, 0, t.size - 1)
    right = np.minimum(left + 1, t.size - 1)
    span = t[right] - t[left]
    with np.errstate(invalid="ignore", divide="ignore"):
        w = np.where(span > 0, (g - t[left]) / np.where(span > 0, span, 1.0), 0.0)
    at_left = w <= 1e-6
    at_right = w >= 1.0 - 1e-6
    shape = (n,) + (1,) * (a.ndim - 1)
    wl = w.reshape(shape)
    # A grid point on a sample takes that sample only: it must not pick up a NaN neighbour.
    out = np.where(
        at_left.reshape(shape),
        a[left],
        np.where(at_right.reshape(shape), a[right], (1.0 - wl) * a[left] + wl * a[right]),
    )
    too_far = ~(at_left | at_right) & (span > max_gap_s + 1e-9)
    out[too_far] = np.nan
    return g, out
