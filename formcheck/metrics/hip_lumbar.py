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

6. **Can't tell (issue 10).** Every frame's outline is checked (:func:`outline_quality`: enough points, a smooth
   curve the parabola fits, neighbouring points close, inside the depth a back can have behind the hip–shoulder
   line, no wrist or elbow behind the back); a set whose standing outline flickers more than a back can
   (:func:`outline_noise_deg`) is not read at all; per rep (:func:`rep_back_estimate`) the bottom must be mostly
   good frames, the value physiologically plausible, and two independent readings of the outline (the parabola's
   turning and the lower- vs upper-back tangent angle, :func:`tangent_bend_deg`) must agree. What fails is NaN
   with a plain reason (:data:`UNCLEAR_MESSAGE`), never a number a safety cue could act on.

Hip contribution is then the part of the trunk's inclination change the back did not make. The hip → shoulder
chord turns by about ``CHORD_SHARE`` (0.45) of the spine's bend relative to the pelvis, so
``hip_contribution = Δtrunk − CHORD_SHARE · Δspine`` and ``hip_share = Δhip / (Δhip + Δspine)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from formcheck.signal import fill_gaps, lowpass, rolling_median, sample_rate_hz

# How much of the spine's bend turns the hip → shoulder chord. A uniform arc's own chord turns by half the bend;
# measured from the hip joint (below the sacrum) to the shoulder joint (in front of C7) it is less, and flexion
# concentrated low in the lumbar spine makes it more. The rendered validation figure gives 0.46; 0.45 is used.
UNCHECKED_AGREE = 0.5  # agreement credited when the tangent reading is missing (see rep_back)
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


def hip_contribution_deg(
    trunk_delta_deg: np.ndarray, spine_est_deg: np.ndarray, chord_share: float = CHORD_SHARE
) -> np.ndarray:
    """Pelvic (hip) part of the trunk inclination change: ``Δtrunk − chord_share · Δspine``."""
    return np.asarray(trunk_delta_deg, dtype=np.float64) - chord_share * np.asarray(spine_est_deg, dtype=np.float64)


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


# ---------------------------------------------------------------------------------------------------------------
# Outline quality, plausibility and agreement (issue 10): "can't tell" instead of an invented number
# ---------------------------------------------------------------------------------------------------------------

UNCLEAR_MESSAGE = "The back's outline is not clear in this video, so back rounding was not estimated"
# Per-frame outline checks, in trunk lengths (hip→shoulder distance). Measured on the three rendered development
# bodies (scripts/eval_hinge_bodies.py): clean outlines have a parabola residual RMS of 0.014-0.035 (p90) and a
# largest step between neighbouring points of 0.03-0.08 (p90); a broken outline (mask hole, wrong side) jumps by
# 0.25+. The bounds sit well outside what clean outlines do, so they only remove broken frames.
MIN_COVERAGE_FRAC = 0.75  # of the outline's points found
MAX_FIT_RESIDUAL = 0.06  # RMS distance of the points from the fitted parabola
MAX_NEIGHBOUR_STEP = 0.15  # largest jump between neighbouring outline points
DEPTH_BOUNDS = (-0.05, 0.7)  # where a back can be: behind the hip→shoulder line, less than 0.7 of its length
ARM_CLEAR_FRAC = 0.03  # a wrist or elbow within this of the traced back (or beyond it) may hide it
# A rep is read only when at least this share of its bottom frames have a good outline.
MIN_GOOD_FRAC = 0.6
# Physiological plausibility of a change of spinal flexion from standing, deg: total thoracolumbar flexion of
# adults is about 60-90° (Troke et al. 2005: lumbar 50-60°, thoracic 20-30°), and extension beyond the standing
# curve under a forward bend is at most a few degrees; what is outside is a failed outline, not a back.
PLAUSIBLE_DEG = (-15.0, 80.0)
# The segmentation mask is everyone in view: with a second person in more than this share of frames the traced
# outline may be theirs (a split-screen coaching clip read 32° of "rounding" on a flat back).
MAX_MULTI_PERSON_FRAC = 0.1


def outline_quality(
    u: np.ndarray,
    v: np.ndarray,
    arms_u: np.ndarray | None = None,
    arms_v: np.ndarray | None = None,
    *,
    min_coverage_frac: float = MIN_COVERAGE_FRAC,
    max_residual: float = MAX_FIT_RESIDUAL,
    max_step: float = MAX_NEIGHBOUR_STEP,
    depth_bounds: tuple[float, float] = DEPTH_BOUNDS,
    arm_clear: float = ARM_CLEAR_FRAC,
) -> dict[str, np.ndarray]:
    """Per-frame checks of an outline in the trunk frame (:func:`outline_in_trunk_frame`).

    Args:
        u, v: ``(T, K)`` along-trunk and dorsal offset, trunk lengths (NaN where no edge was found).
        arms_u, arms_v: ``(T, M)`` wrists and elbows in the same frame, or None.

    Returns:
        ``coverage`` (fraction of points found), ``residual`` (RMS of the parabola fit), ``step`` (largest jump
        between neighbouring points), ``in_bounds`` and ``arms_clear`` (bool), and ``good`` (bool, all checks
        passed), each ``(T,)``.
    """
    uu = np.asarray(u, dtype=np.float64)
    vv = np.asarray(v, dtype=np.float64)
    T, K = vv.shape
    ok = np.isfinite(uu) & np.isfinite(vv)
    coverage = ok.mean(axis=1) if K else np.zeros(T)
    residual = np.full(T, np.nan)
    fit = ok.sum(axis=1) >= 3
    for i in np.flatnonzero(fit):  # 24 points a frame: a loop of small lstsq is fast enough (~20 µs a frame)
        ui, vi = uu[i, ok[i]], vv[i, ok[i]]  # (each frame's points selected once: it runs per live frame too)
        a = np.stack([np.ones(ui.size), ui, ui**2], axis=1)
        coef, *_ = np.linalg.lstsq(a, vi, rcond=None)
        residual[i] = float(np.sqrt(np.mean((vi - a @ coef) ** 2)))
    with np.errstate(invalid="ignore"):
        steps = np.abs(np.diff(vv, axis=1))
        step = np.where(np.isfinite(steps).any(axis=1), np.nanmax(np.where(np.isfinite(steps), steps, -1), axis=1),
                        np.nan)  # fmt: skip
        vmin = np.nanmin(np.where(ok, vv, np.inf), axis=1)
        vmax = np.nanmax(np.where(ok, vv, -np.inf), axis=1)
    in_bounds = (vmin >= depth_bounds[0]) & (vmax <= depth_bounds[1])
    arms_ok = np.ones(T, dtype=bool)
    if arms_u is not None and arms_v is not None:
        au, av = np.asarray(arms_u, dtype=np.float64), np.asarray(arms_v, dtype=np.float64)
        # An arm point between hip and shoulder level at or beyond the traced back (within ``arm_clear``): the
        # outline there may be the arm. Arms hanging beside a bulky trunk overlap it without reaching the edge.
        behind = np.zeros(au.shape, dtype=bool)
        for i in np.flatnonzero(ok.sum(axis=1) >= 2):
            ui = uu[i, ok[i]]
            o = np.argsort(ui)
            edge = np.interp(au[i], ui[o], vv[i, ok[i]][o], left=np.nan, right=np.nan)
            with np.errstate(invalid="ignore"):
                behind[i] = (au[i] >= 0.0) & (au[i] <= 1.0) & (av[i] > edge - arm_clear)
        arms_ok = ~np.any(behind, axis=1)
    with np.errstate(invalid="ignore"):
        good = (coverage >= min_coverage_frac) & (residual <= max_residual) & (step <= max_step) & in_bounds & arms_ok
    return {"coverage": coverage, "residual": residual, "step": step, "in_bounds": in_bounds, "arms_clear": arms_ok,
            "good": good}  # fmt: skip


def tangent_bend_deg(
    u: np.ndarray, v: np.ndarray, lower: tuple[float, float] = (0.1, 0.45), upper: tuple[float, float] = (0.55, 0.95)
) -> np.ndarray:
    """Lower-back minus upper-back tangent angle of each frame's outline (deg, rounder = larger).

    A second, independent reading of the same outline: straight lines fitted to the lower and the upper part (by
    position along the trunk), not one parabola through all points, so a single bulge (buttocks, a shirt fold)
    moves it differently from :func:`outline_bend_deg`. NaN with fewer than 3 points in a part.
    """
    uu = np.asarray(u, dtype=np.float64)
    vv = np.asarray(v, dtype=np.float64)

    def slope(lo: float, hi: float) -> np.ndarray:
        w = (np.isfinite(uu) & np.isfinite(vv) & (uu >= lo) & (uu <= hi)).astype(np.float64)
        n = w.sum(axis=1)
        x = np.where(w > 0, uu, 0.0)
        y = np.where(w > 0, vv, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mx, my = (w * x).sum(1) / n, (w * y).sum(1) / n
            sxy = (w * (x - mx[:, None]) * (y - my[:, None])).sum(1)
            sxx = (w * (x - mx[:, None]) ** 2).sum(1)
            s = sxy / sxx
        return np.where((n >= 3) & (sxx > 1e-9), s, np.nan)

    return np.degrees(np.arctan(slope(*lower)) - np.arctan(slope(*upper)))


def outline_noise_deg(bend_deg: np.ndarray, baseline: np.ndarray) -> float:
    """Robust SD (1.4826 × MAD) of the *unsmoothed* outline bend over the standing frames (deg); NaN if < 5 frames.

    A standing back does not change shape from frame to frame; an outline that does is tracing something else
    (a flickering mask, loose clothing, a segmented shell).
    """
    b = np.asarray(bend_deg, dtype=np.float64)
    sel = np.asarray(baseline, dtype=bool) & np.isfinite(b)
    if sel.sum() < 5:
        return math.nan
    x = b[sel]
    return float(1.4826 * np.median(np.abs(x - np.median(x))))


@dataclass(frozen=True)
class RepBack:
    """One rep's back-rounding reading.

    Attributes:
        spine_deg: the estimate (deg from standing), NaN when the back cannot be told.
        check_deg: the independent tangent-angle reading over the same frames (deg), NaN when unknown.
        confidence: 0..1 — share of good outline frames at the bottom times the agreement of the two readings.
        reason: "" when read, else why not: ``"no_outline"``, ``"unclear"`` (too few good frames or the two
            readings disagree), ``"implausible"``.
    """

    spine_deg: float
    check_deg: float
    confidence: float
    reason: str


def rep_back_estimate(
    spine_deg: np.ndarray,
    check_deg: np.ndarray,
    good: np.ndarray,
    bottom_idx: np.ndarray,
    *,
    peak_pct: float = 90.0,
    min_good_frac: float = MIN_GOOD_FRAC,
    plausible_deg: tuple[float, float] = PLAUSIBLE_DEG,
    agree_tol_deg: float = 15.0,
    min_confidence: float = 0.5,
) -> RepBack:
    """The back-rounding estimate of one rep, or NaN with the reason it cannot be told.

    Args:
        spine_deg: ``(T,)`` smoothed spinal flexion estimate from the parabola bend (deg from standing).
        check_deg: ``(T,)`` the tangent-angle reading, smoothed the same way and on the same scale.
        good: ``(T,)`` bool, frames whose outline passed :func:`outline_quality`.
        bottom_idx: frame indices of the rep's bottom.
        peak_pct: percentile of each reading over the bottom (the peak of the back's shape under load).
        min_good_frac: share of good frames the bottom needs.
        plausible_deg: a reading outside is a failed outline.
        agree_tol_deg: the two readings may differ by this much at full confidence; confidence falls linearly to
            0 at twice this difference. The estimate given is the parabola's (the reading leave-one-body-out
            chose over the mean or the smaller of the two, docs/metrics.md §8.5).
        min_confidence: below this the rep's estimate is NaN (``"unclear"``).
    """
    idx = np.asarray(bottom_idx, dtype=np.intp)
    s = np.asarray(spine_deg, dtype=np.float64)[idx]
    c = np.asarray(check_deg, dtype=np.float64)[idx]
    g = np.asarray(good, dtype=bool)[idx]
    if not np.any(np.isfinite(s)):
        return RepBack(math.nan, math.nan, 0.0, "no_outline")
    good_frac = float(np.mean(g)) if idx.size else 0.0
    est = float(np.percentile(s[np.isfinite(s)], peak_pct))
    chk = float(np.percentile(c[np.isfinite(c)], peak_pct)) if np.any(np.isfinite(c)) else math.nan
    if not plausible_deg[0] <= est <= plausible_deg[1]:
        return RepBack(math.nan, chk, 0.0, "implausible")
    # An unchecked reading is not an agreeing one: without the second reading the rep keeps at most half
    # confidence (it passes only when every bottom frame's outline is good), never a full one.
    agree = (
        UNCHECKED_AGREE if not math.isfinite(chk) else float(np.clip(2.0 - abs(est - chk) / agree_tol_deg, 0.0, 1.0))
    )
    conf = (good_frac if good_frac >= min_good_frac else 0.0) * agree
    if conf < min_confidence:
        return RepBack(math.nan, chk, conf, "unclear")
    return RepBack(est, chk, conf, "")


def back_series(
    u: np.ndarray,
    v: np.ndarray,
    px: np.ndarray,
    mid_hip: np.ndarray,
    mid_sho: np.ndarray,
    facing: float,
    t_s: np.ndarray,
    baseline: np.ndarray,
    *,
    gain: float,
    noise_max_deg: float,
    max_gap_s: float = 0.3,
    multi_person_frac: float = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
    """Per-frame spinal flexion estimate with its checks (the hinge's back series).

    Frames whose outline fails :func:`outline_quality` are dropped before smoothing (short gaps are bridged); a set
    whose standing outline scatters more than ``noise_max_deg`` (:func:`outline_noise_deg`) gets no estimate.

    Args:
        u, v: ``(T, K)`` outline in the trunk frame (:func:`outline_in_trunk_frame`).
        px: ``(T, 33, 2)`` pixel landmarks (wrists and elbows: occlusion check).
        mid_hip, mid_sho: ``(T, 2)`` the trunk line the outline was expressed in.
        facing: +1 image-right, -1 image-left.
        t_s: ``(T,)`` timestamps.
        baseline: ``(T,)`` bool, standing frames.
        gain: degrees of spinal flexion per degree of outline change (both readings).
        noise_max_deg: largest standing scatter of the raw outline bend that is still a back's outline.
        max_gap_s: longest gap bridged.
        multi_person_frac: share of frames with more than one person: above :data:`MAX_MULTI_PERSON_FRAC` the
            person mask may be someone else's outline, so nothing is read.

    Returns:
        ``(spine_deg, check_deg, good, noise_deg, outline_noise_deg)``: the parabola estimate and the tangent-angle
        reading (deg from standing, NaN where unknown), the per-frame quality flag, the smoothed estimate's standing
        scatter (deg) and the raw outline's standing scatter (deg, before the gain).
    """
    from formcheck.types import LM  # local: keeps this module free of landmark indices elsewhere

    T = len(t_s)
    arms = np.asarray(px, dtype=np.float64)[:, [LM.LEFT_ELBOW, LM.RIGHT_ELBOW, LM.LEFT_WRIST, LM.RIGHT_WRIST]]
    au, av = outline_in_trunk_frame(arms, mid_hip, mid_sho, facing)
    good = outline_quality(u, v, au, av)["good"]
    raw = np.where(good, outline_bend_deg(u, v), np.nan)
    tan = np.where(good, tangent_bend_deg(u, v), np.nan)
    onoise = outline_noise_deg(raw, baseline)
    nan = np.full(T, np.nan)
    if not (math.isfinite(onoise) and onoise <= noise_max_deg) or multi_person_frac > MAX_MULTI_PERSON_FRAC:
        return nan, nan.copy(), good, math.nan, onoise
    spine, _, noise = spine_flexion_est(smooth_bend_deg(raw, t_s, max_gap_s=max_gap_s), baseline, gain)
    check, _, _ = spine_flexion_est(smooth_bend_deg(tan, t_s, max_gap_s=max_gap_s), baseline, gain)
    return spine, check, good, noise, onoise
