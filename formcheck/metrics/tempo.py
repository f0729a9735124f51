"""Phase timing of one repetition: eccentric, bottom pause, concentric, top pause — and smoothness.

Human point-to-point movements start and stop smoothly (a minimum-jerk position profile, Flash & Hogan 1985), so
the first and last few percent of a lowering are almost motionless: a 5 % position threshold shortens a 2 s
minimum-jerk lowering by about 0.6 s, and pose-tracking wobble near the turning points moves any threshold
crossing around. Instead, each movement between two plateaus is fitted (robust least squares) with a
minimum-jerk profile — start level, end level, onset and duration — and the phase boundaries are the fitted
onset and arrival. For a minimum-jerk movement this recovers the true times; for a movement at constant speed
with abrupt starts it reads each phase somewhat long (the fit stretches the smooth profile over the ramp); both
are stated in docs/metrics.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.integrate import trapezoid


@dataclass(frozen=True)
class Transition:
    """One monotonic movement between two levels."""

    onset_s: float
    arrival_s: float
    peak_speed: float  # units of the signal per second, > 0


def phase_s(onset_s: float, arrival_s: float) -> float:
    """A phase's time from its onset to its arrival; NaN ("can't tell") when the arrival comes before the onset.

    A phase time is never negative. Out of order means the fit placed the movement outside the window it was
    given (a rep window holding no clear lowering: a bird-dog read as a cat-camel printed "-0.5 s"), so the
    phase was not seen and its time is unknown, not zero.
    """
    d = arrival_s - onset_s
    return d if d >= 0.0 else math.nan


def min_jerk(u: np.ndarray) -> np.ndarray:
    """Minimum-jerk position profile 0 → 1 for normalised time ``u`` (clamped outside [0, 1])."""
    x = np.clip(u, 0.0, 1.0)
    return x**3 * (10.0 - 15.0 * x + 6.0 * x**2)


def fit_transition(x: np.ndarray, t_s: np.ndarray, lo: int, hi: int, *, min_dur_s: float = 0.1) -> Transition | None:
    """Least-squares fit of one minimum-jerk movement between two plateaus to ``x[lo:hi+1]``.

    Fits start level, end level, onset time and duration. Using every sample of the window, not a threshold
    crossing, makes the times robust to tracking wobble near the turning points.

    Args:
        x: smoothed signal.
        t_s: timestamps.
        lo, hi: window holding part of the start plateau, the movement and part of the end plateau.
        min_dur_s: shortest movement considered.

    Returns:
        The fitted transition, or None if the window has too few samples or the fit does not converge.
    """
    from scipy.optimize import least_squares

    tt = np.asarray(t_s[lo : hi + 1], dtype=np.float64)
    y = np.asarray(x[lo : hi + 1], dtype=np.float64)
    ok = np.isfinite(y)
    if ok.sum() < 6:
        return None
    tt, y = tt[ok], y[ok]
    a0, b0 = float(np.median(y[:3])), float(np.median(y[-3:]))
    amp = b0 - a0
    if amp == 0:
        return None
    f = (y - a0) / amp
    above = np.flatnonzero(f >= 0.5)
    t50 = float(tt[above[0]]) if above.size else float(tt[len(tt) // 2])
    i10 = np.flatnonzero(f >= 0.1)
    i90 = np.flatnonzero(f >= 0.9)
    d0 = float(tt[i90[0]] - tt[i10[0]]) / 0.5 if i10.size and i90.size and i90[0] > i10[0] else 1.0
    d0 = float(np.clip(d0, min_dur_s, tt[-1] - tt[0]))
    span = float(tt[-1] - tt[0])

    def resid(p: np.ndarray) -> np.ndarray:
        a, b, t0, d = p
        return a + (b - a) * min_jerk((tt - t0) / d) - y

    def jac(p: np.ndarray) -> np.ndarray:
        a, b, t0, d = p
        u = (tt - t0) / d
        s = min_jerk(u)
        uc = np.clip(u, 0.0, 1.0)
        ds = np.where((u > 0) & (u < 1), 30.0 * uc**2 * (1.0 - uc) ** 2, 0.0)
        return np.stack([1.0 - s, s, -(b - a) * ds / d, -(b - a) * ds * u / d], axis=1)

    p0 = np.array([a0, b0, t50 - d0 / 2, d0])
    lower = [-np.inf, -np.inf, tt[0] - span, min_dur_s]
    upper = [np.inf, np.inf, tt[-1], max(span, min_dur_s * 1.01)]
    p0 = np.clip(p0, np.array(lower) + 1e-9, np.array(upper) - 1e-9)
    try:
        res = least_squares(resid, p0, jac=jac, bounds=(lower, upper), loss="soft_l1", f_scale=abs(amp) * 0.05)
    except ValueError:
        return None
    if not res.success:
        return None
    a, b, t0, d = res.x
    if abs(b - a) < 1e-9:
        return None
    return Transition(onset_s=float(t0), arrival_s=float(t0 + d), peak_speed=float(1.875 * abs(b - a) / d))


def velocity_sign_changes(x: np.ndarray, t_s: np.ndarray, deadband_frac: float = 0.1) -> int:
    """How often the movement direction reverses (a smooth rep: 1, down then up).

    Speeds below ``deadband_frac`` of the peak speed count as "still" and do not register as a reversal, so
    sensor noise during pauses is ignored while a real hitch (stop-and-go, bounce) is counted.
    """
    xv = np.asarray(x, dtype=np.float64)
    ok = np.isfinite(xv)
    if ok.sum() < 3:
        return 0
    v = np.gradient(xv[ok], np.asarray(t_s, dtype=np.float64)[ok])
    vmax = np.max(np.abs(v))
    if vmax <= 0:
        return 0
    s = np.sign(v) * (np.abs(v) >= deadband_frac * vmax)
    s = s[s != 0]
    return int(np.count_nonzero(np.diff(s) != 0))


def log_dimensionless_jerk(x: np.ndarray, t_s: np.ndarray) -> float:
    """Log dimensionless jerk (Balasubramanian et al. 2015): closer to 0 is smoother (typically -5 … -15)."""
    xv = np.asarray(x, dtype=np.float64)
    t = np.asarray(t_s, dtype=np.float64)
    ok = np.isfinite(xv)
    if ok.sum() < 5:
        return math.nan
    xv, t = xv[ok], t[ok]
    v = np.gradient(xv, t)
    j = np.gradient(np.gradient(v, t), t)
    dur = t[-1] - t[0]
    vpk = np.max(np.abs(v))
    if dur <= 0 or vpk <= 0:
        return math.nan
    integral = float(trapezoid(j**2, t))  # scipy's: np.trapezoid needs numpy 2, pyproject allows 1.26
    return float(-math.log(max(integral * dur**3 / vpk**2, 1e-12)))


def tempo_flags(
    eccentric_s: float,
    bottom_s: float,
    concentric_s: float,
    target: tuple[float, float, float, float],
    tolerance_frac: float,
) -> dict[str, float]:
    """Ratios of measured to target phase times (1.0 = on target; NaN when there is no target)."""

    def ratio(m: float, tgt: float) -> float:
        return m / tgt if tgt > 0 and math.isfinite(m) else math.nan

    return {
        "eccentric_ratio": ratio(eccentric_s, target[0]),
        "bottom_ratio": ratio(bottom_s, target[1]),
        "concentric_ratio": ratio(concentric_s, target[2]),
        "too_fast_below_ratio": 1.0 - tolerance_frac,
    }
