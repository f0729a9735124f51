"""Hip vs lumbar contribution to a forward bend, from landmarks plus the dorsal body outline.

What one camera can see
-----------------------
Trunk inclination (mid-hip → mid-shoulder line) is the sum of pelvic rotation on the thighs ("hips") and
spinal flexion ("back"). MediaPipe has no spine landmarks, so the split comes from the silhouette:

1. **Outline bend.** The dorsal outline (:func:`formcheck.metrics.outline.dorsal_contour_px`) is expressed in
   the trunk's own frame (axis hip → shoulder, normalised by its length) and fitted with a parabola
   ``v = a + b u + c u²``. The total turning of that curve from hip to shoulder level, ``-2c`` radians, is the
   outline bend. Because it is measured *in the trunk frame*, leaning the whole trunk does not change it —
   only a change of the back's shape does. (An outline angle measured against the vertical reads high on any
   forward lean; one measured against the hip landmark's line reads high on an upright squat, where the
   buttocks stick out. The whole-curve fit is the least posture-sensitive of the variants we tested.)
2. **Temporal smoothing.** The bend is cleaned across frames with a running median (``BEND_MEDIAN_S``) and a
   zero-phase low-pass (``BEND_LOWPASS_HZ``), see :func:`smooth_bend_deg`. The outline shows transients of
   ±10–15° lasting ~0.2–0.4 s when the trunk starts or stops moving (mask vs landmark timing, clothing); a back's
   shape does not change that fast in a controlled lift, and the median removes them instead of spreading them.
3. **Own baseline.** Every back has its own standing curve (lordosis, soft tissue, clothing), so the estimate is
   the change from the person's standing frames.
4. **Gain.** On the rendered validation figure the outline turns by about 0.6° per degree of true spinal flexion
   (skin, armour and mask blur follow the spine only partly); ``gain`` scales the change back to degrees of
   spinal flexion. It is a calibration on a rendered figure, not on people — hence ``..._est`` and an expected
   error (``spine_flexion_est_err_deg``) on every number.
5. **Cross-check.** A flexing spine also shortens the hip–shoulder chord slightly (an arc is shorter than its
   length); :func:`chord_shortening_frac` reports it, but on real footage shoulder protraction and landmark
   jitter swamp the effect, so it only flags implausible combinations.

Hip contribution is then the part of the trunk's inclination change the back did not make. The hip → shoulder
chord turns by about ``CHORD_SHARE`` (0.45) of the spine's bend relative to the pelvis, so
``hip_contribution = Δtrunk − CHORD_SHARE · Δspine`` and ``hip_share = Δhip / (Δhip + Δspine)``.
"""

from __future__ import annotations

import math

import numpy as np

from formcheck.signal import fill_gaps, lowpass, rolling_median, sample_rate_hz

# How much of the spine's bend turns the hip → shoulder chord. A uniform arc's own chord turns by half the bend;
# measured from the hip joint (below the sacrum) to the shoulder joint (in front of C7) it is less, and flexion
# concentrated low in the lumbar spine makes it more. The rendered validation figure gives 0.46; 0.45 is used.
CHORD_SHARE = 0.45

# Temporal cleaning of the outline bend. The median window is about twice the longest outline transient seen at
# movement onsets (~0.25 s), so those vanish; 2 Hz keeps a 1 s lowering/rising (most of a minimum-jerk movement's
# power is below ~1.5/duration Hz) while removing frame-to-frame mask flicker.
BEND_MEDIAN_S = 0.5
BEND_LOWPASS_HZ = 2.0

# Esola et al. (1996), healthy forward bending: lumbar:hip ratio by trunk-flexion band → hip share.
ESOLA_LUMBAR_HIP_RATIO = {(0.0, 30.0): 1.9, (30.0, 60.0): 0.9, (60.0, 90.0): 0.4}
ESOLA_HIP_SHARE = {band: 1.0 / (1.0 + r) for band, r in ESOLA_LUMBAR_HIP_RATIO.items()}
BANDS = ((0.0, 30.0), (30.0, 60.0), (60.0, 90.0))


def outline_in_trunk_frame(
    contours_px: np.ndarray, hip_px: np.ndarray, shoulder_px: np.ndarray, facing: float
) -> tuple[np.ndarray, np.ndarray]:
    """Outline points as (along-trunk, dorsal-offset) coordinates in units of trunk length.

    Args:
        contours_px: ``(T, K, 2)`` outline, hip → shoulder.
        hip_px, shoulder_px: ``(T, 2)`` mid-hip and mid-shoulder.
        facing: +1 facing image-right, -1 image-left.

    Returns:
        ``u`` (0 at hip level, 1 at shoulder level) and ``v`` (distance behind the trunk line), each ``(T, K)``.
    """
    axis = np.asarray(shoulder_px, dtype=np.float64) - np.asarray(hip_px, dtype=np.float64)
    length = np.linalg.norm(axis, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        a = axis / length[:, None]
    n = facing * np.stack([a[:, 1], -a[:, 0]], axis=1)
    c = np.asarray(contours_px, dtype=np.float64) - np.asarray(hip_px, dtype=np.float64)[:, None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        u = np.einsum("tkj,tj->tk", c, a) / length[:, None]
        v = np.einsum("tkj,tj->tk", c, n) / length[:, None]
    return u, v


def outline_bend_deg(u: np.ndarray, v: np.ndarray, min_points: int = 12) -> np.ndarray:
    """Total turning of a parabola fitted to each frame's outline (deg; rounder back = larger).

    Vectorised weighted least squares (weights 0 for missing points), one 3×3 solve per frame.
    """
    uu = np.asarray(u, dtype=np.float64)
    vv = np.asarray(v, dtype=np.float64)
    w = np.isfinite(uu) & np.isfinite(vv)
    uu = np.where(w, uu, 0.0)
    vv = np.where(w, vv, 0.0)
    wf = w.astype(np.float64)
    # Normal equations for v = c0 + c1 u + c2 u^2.
    s = [np.sum(wf * uu**k, axis=1) for k in range(5)]
    r = [np.sum(wf * vv * uu**k, axis=1) for k in range(3)]
    m = np.stack(
        [np.stack([s[0], s[1], s[2]], -1), np.stack([s[1], s[2], s[3]], -1), np.stack([s[2], s[3], s[4]], -1)], -2
    )
    rhs = np.stack(r, -1)
    out = np.full(uu.shape[0], np.nan)
    ok = w.sum(axis=1) >= min_points
    if np.any(ok):
        det = np.linalg.det(m[ok])
        good = np.abs(det) > 1e-12
        idx = np.flatnonzero(ok)[good]
        coef = np.linalg.solve(m[idx], rhs[idx][..., None])[..., 0]
        out[idx] = np.degrees(-2.0 * coef[:, 2])
    return out


def outline_bend_one_deg(contour_px: np.ndarray, hip_px: np.ndarray, shoulder_px: np.ndarray, facing: float) -> float:
    """:func:`outline_bend_deg` of one frame's outline (the live path; same numbers, less overhead)."""
    c = np.asarray(contour_px, dtype=np.float64)
    ok = np.isfinite(c[:, 0]) & np.isfinite(c[:, 1])
    if ok.sum() < 12:
        return math.nan
    ax = np.asarray(shoulder_px, dtype=np.float64) - np.asarray(hip_px, dtype=np.float64)
    length = math.hypot(ax[0], ax[1])
    if not length > 0:
        return math.nan
    a = ax / length
    d = c[ok] - hip_px
    u = (d[:, 0] * a[0] + d[:, 1] * a[1]) / length
    v = facing * (d[:, 0] * a[1] - d[:, 1] * a[0]) / length
    coef = np.linalg.lstsq(np.stack([np.ones_like(u), u, u * u], axis=1), v, rcond=None)[0]
    return math.degrees(-2.0 * coef[2])


def smooth_bend_deg(
    bend_deg: np.ndarray,
    t_s: np.ndarray,
    *,
    median_s: float = BEND_MEDIAN_S,
    cutoff_hz: float = BEND_LOWPASS_HZ,
    max_gap_s: float = 0.3,
) -> np.ndarray:
    """Outline bend cleaned across frames: short gaps bridged, running median, zero-phase low-pass.

    Args:
        bend_deg: ``(T,)`` per-frame outline bend (NaN where unknown).
        t_s: ``(T,)`` timestamps.
        median_s: running-median window (s); transients shorter than half of it are removed.
        cutoff_hz: low-pass cut-off after the median.
        max_gap_s: longest gap bridged before filtering; longer gaps stay NaN.
    """
    b = fill_gaps(np.asarray(bend_deg, dtype=np.float64), t_s, max_gap_s)
    fs = sample_rate_hz(t_s)
    if not math.isfinite(fs):
        return b
    b = rolling_median(b, int(round(median_s * fs)))
    return lowpass(b, fs, cutoff_hz, 2)


def spine_flexion_est(bend_deg: np.ndarray, baseline: np.ndarray, gain: float) -> tuple[np.ndarray, float, float]:
    """Spinal flexion estimate vs the person's standing baseline.

    Args:
        bend_deg: ``(T,)`` outline bend (smoothed).
        baseline: ``(T,)`` bool, standing frames.
        gain: degrees of spinal flexion per degree of outline bend change.

    Returns:
        ``(series_deg, baseline_bend_deg, noise_deg)`` — the estimate per frame, the standing bend, and the
        frame-to-frame scatter of the estimate while standing (robust SD), NaN if there is no baseline.
    """
    b = np.asarray(bend_deg, dtype=np.float64)
    sel = np.asarray(baseline, dtype=bool) & np.isfinite(b)
    if sel.sum() < 3:
        return np.full_like(b, np.nan), math.nan, math.nan
    base = float(np.median(b[sel]))
    mad = float(np.median(np.abs(b[sel] - base)))
    return gain * (b - base), base, gain * 1.4826 * mad


def chord_shortening_frac(hip_px: np.ndarray, shoulder_px: np.ndarray, baseline: np.ndarray) -> np.ndarray:
    """Hip–shoulder distance shortening vs standing, as a fraction (> 0 = shorter)."""
    d = np.linalg.norm(np.asarray(shoulder_px) - np.asarray(hip_px), axis=-1)
    sel = np.asarray(baseline, dtype=bool) & np.isfinite(d)
    if not np.any(sel):
        return np.full_like(d, np.nan)
    return 1.0 - d / float(np.median(d[sel]))


def arc_chord_frac(spine_deg: float) -> float:
    """Chord/arc length of a uniformly bent spine (the expected chord shortening is 1 minus this)."""
    th = math.radians(abs(spine_deg))
    return 1.0 if th < 1e-9 else math.sin(th / 2.0) / (th / 2.0)


def hip_contribution_deg(trunk_delta_deg: np.ndarray, spine_est_deg: np.ndarray) -> np.ndarray:
    """Pelvic (hip) part of the trunk inclination change: ``Δtrunk − CHORD_SHARE · Δspine``."""
    return np.asarray(trunk_delta_deg, dtype=np.float64) - CHORD_SHARE * np.asarray(spine_est_deg, dtype=np.float64)


def hip_share(hip_deg: float, spine_deg: float) -> float:
    """``Δhip / (Δhip + Δspine)`` clipped to 0..1; NaN when there was no bend or the back is unknown.

    Negative spinal change (the back straightened a little) counts as zero back contribution.
    """
    if not (math.isfinite(hip_deg) and math.isfinite(spine_deg)):
        return math.nan
    h = max(hip_deg, 0.0)
    s = max(spine_deg, 0.0)
    if h + s < 5.0:  # less than 5° of bend: a share would be noise
        return math.nan
    return h / (h + s)


def band_shares(
    trunk_delta_deg: np.ndarray,
    hip_deg: np.ndarray,
    spine_deg: np.ndarray,
    bands: tuple[tuple[float, float], ...] = BANDS,
    min_cover_deg: float = 10.0,
) -> dict[tuple[float, float], float]:
    """Hip share within each band of trunk inclination during one lowering.

    The lowering is sampled where it first enters and last leaves each band (trunk inclination rises
    monotonically in a lowering apart from noise, so the running maximum is used). A band the rep does not
    cover by at least ``min_cover_deg`` gets NaN.

    Args:
        trunk_delta_deg: ``(N,)`` trunk inclination change from standing over the eccentric phase.
        hip_deg, spine_deg: ``(N,)`` hip contribution and spinal flexion estimate over the same frames.
    """
    tr = np.asarray(trunk_delta_deg, dtype=np.float64)
    h = np.asarray(hip_deg, dtype=np.float64)
    s = np.asarray(spine_deg, dtype=np.float64)
    out: dict[tuple[float, float], float] = {}
    ok = np.isfinite(tr) & np.isfinite(h) & np.isfinite(s)
    if ok.sum() < 3:
        return {b: math.nan for b in bands}
    tr, h, s = np.maximum.accumulate(tr[ok]), h[ok], s[ok]
    for lo, hi in bands:
        top = min(hi, float(tr[-1]))
        if top - lo < min_cover_deg:
            out[(lo, hi)] = math.nan
            continue
        i0 = int(np.searchsorted(tr, lo, side="left"))
        i1 = int(np.searchsorted(tr, top, side="left"))
        i1 = min(i1, len(tr) - 1)
        if i1 <= i0:
            out[(lo, hi)] = math.nan
            continue
        dh = float(np.median(h[max(i1 - 1, 0) : i1 + 2]) - np.median(h[max(i0 - 1, 0) : i0 + 2]))
        ds = float(np.median(s[max(i1 - 1, 0) : i1 + 2]) - np.median(s[max(i0 - 1, 0) : i0 + 2]))
        denom = abs(dh) + abs(ds)
        out[(lo, hi)] = (
            (max(dh, 0.0) / (max(dh, 0.0) + max(ds, 0.0))) if denom > 1.0 and max(dh, 0) + max(ds, 0) > 0 else math.nan
        )
    return out


def classify_rep(
    knee_flexion_bottom_deg: float,
    hip_share_value: float,
    *,
    squat_knee_deg: float,
    stoop_hip_share: float,
) -> str:
    """``squat_like`` (knees bend a lot), ``stoop`` (the back does most of the bending) or ``hinge``.

    Without a back estimate (no outline) a rep can only be ``hinge`` or ``squat_like``.
    """
    if math.isfinite(knee_flexion_bottom_deg) and knee_flexion_bottom_deg >= squat_knee_deg:
        return "squat_like"
    if math.isfinite(hip_share_value) and hip_share_value < stoop_hip_share:
        return "stoop"
    return "hinge"
