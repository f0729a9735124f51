"""Hip-hinge analyzer (Romanian deadlift, good morning, kettlebell deadlift, bodyweight hinge).

Pipeline (all pure functions of the pose sequence):

1. **Clean**: landmarks outside the frame or barely visible become NaN; short gaps are bridged; everything is
   low-passed zero-phase (:mod:`formcheck.signal`).
2. **View**: side / oblique / front from how wide the shoulders and hips look relative to their 3D width;
   facing direction from the feet (toes point forward); the side nearer the camera from landmark depth.
3. **Angles** (:mod:`formcheck.geometry`): pixel-space sagittal angles in a side view, world-space angles
   projected on the body's sagittal plane otherwise.
4. **Reps** (:mod:`formcheck.reps`) on hip flexion; phase times fitted on trunk inclination.
5. **Per rep**: hip vs back split (:mod:`formcheck.metrics.hip_lumbar`), load path
   (:mod:`formcheck.metrics.load_path`), tempo (:mod:`formcheck.metrics.tempo`), tone
   (:mod:`formcheck.metrics.tone`), and a class: hinge / squat_like / stoop.

The streaming analyzer (:class:`HingeStream`) filters each frame causally for the live display, keeps the last
``buffer_s`` seconds, and when its rep detector sees a finished rep it runs this same batch code on the buffer,
so live reps carry the same numbers as a file analysis of the same frames.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from formcheck.analyzers.base import LiveState
from formcheck.config import Config
from formcheck.geometry import (
    sagittal_angles_px,
    sagittal_angles_world,
    sagittal_basis_world,
)
from formcheck.metrics import hip_lumbar, load_path, tone
from formcheck.metrics.outline import facing_sign_px
from formcheck.metrics.tempo import log_dimensionless_jerk, velocity_sign_changes
from formcheck.reps import RepWindow, StreamingRepDetector, detect_reps
from formcheck.signal import OneEuroFilter, fill_gaps, lowpass, resample_uniform, sample_rate_hz
from formcheck.types import LM, Analysis, PoseSequence, Quality, Rep

NAME = "hinge"

# Landmarks that must be in frame for a "full body" frame (both sides; the far side may be occluded but
# MediaPipe still places it).
BODY = (
    LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP, LM.LEFT_KNEE, LM.RIGHT_KNEE,
    LM.LEFT_ANKLE, LM.RIGHT_ANKLE, LM.LEFT_HEEL, LM.RIGHT_HEEL, LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX,
)  # fmt: skip
MIN_VISIBILITY = 0.3  # below this a landmark is a guess; treated as unknown
FULL_BODY_VISIBILITY = 0.5
FRAME_MARGIN = 0.01  # normalised; a landmark this close to the edge may be clipped
SIDE_VIEW_MIN_AZ_DEG = 67.0  # camera axis within ~23° of the body's side → "side"
LIVE_SIDE_MAX_RATIO = 0.75  # live setup check: apparent/true width ratio above this → "turn side-on"
FRONT_VIEW_MAX_AZ_DEG = 25.0
KNEE_OFFSET_MAX_DEG = 12.0  # apparent standing knee bend up to this is treated as landmark offset
SPINE_PEAK_PCT = 90.0  # per-rep spine flexion: this percentile of the (smoothed) estimate over the bottom

LIMITS = (
    "One camera sees the body's outline, not the spine: back rounding is an estimate from the silhouette, "
    "relative to your own standing posture, with the stated expected error.",
    "Angles are measured in the image plane; they are only accurate when the camera looks at your side "
    "at about hip height. Turning toward or away from the camera makes them read smaller.",
    "The centre of mass comes from average body-segment proportions (de Leva 1996), not your own; "
    "a held weight is placed at the hands.",
    "Foot position uses MediaPipe's heel and toe points, which sit on the shoe; % of foot assumes the "
    "toe landmark is near the ball of the foot.",
    "Centimetres assume the body height you entered (or the default), so they scale with that number.",
    "Hip and knee landmarks are estimated joint centres; loose clothing or a weight in front of the hips "
    "moves them by a few centimetres.",
)

# Live values the stream records per frame; its series is "t_s", these, "rep_index" (the batch series' keys).
VALUE_SERIES = (
    "trunk_inclination_deg", "hip_flexion_deg", "knee_flexion_deg", "spine_flexion_est_deg", "com_pct_foot",
    "shoulder_elevation_frac", "neck_extension_deg",
)  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# Preparation: cleaning, view, per-frame features
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Features:
    """Per-frame measurements of one sequence (all ``(T,)`` unless noted)."""

    t_s: np.ndarray
    present: np.ndarray
    full_body: np.ndarray
    px: np.ndarray  # (T, 33, 2) smoothed pixel landmarks
    view: str
    azimuth_deg: float
    facing: float  # +1 image-right, -1 image-left
    facing_label: str
    side: str  # subject side nearer the camera
    trunk: np.ndarray
    hip: np.ndarray
    knee: np.ndarray
    shin: np.ndarray
    baseline: np.ndarray  # bool, standing frames
    trunk_base: float
    spine: np.ndarray
    spine_noise_deg: float
    chord_short: np.ndarray
    com_pct: np.ndarray
    foot_len_cm: float
    px_per_cm: float
    heel_rise: np.ndarray
    hip_back_cm: np.ndarray
    shoulder_elev: np.ndarray
    neck_ext: np.ndarray
    warnings: list[str] = field(default_factory=list)
    mean_visibility: float = math.nan
    multi_person_fraction: float = 0.0


def _clean(seq: PoseSequence) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """NaN-out off-frame or invisible landmarks; returns pixel xy, world xyz and visibility."""
    lm = np.array(seq.landmarks, dtype=np.float64)
    vis = lm[:, :, 3]
    off = (
        (lm[:, :, 0] < -FRAME_MARGIN)
        | (lm[:, :, 0] > 1 + FRAME_MARGIN)
        | (lm[:, :, 1] < -FRAME_MARGIN)
        | (lm[:, :, 1] > 1 + FRAME_MARGIN)
        | (vis < MIN_VISIBILITY)
    )
    px = seq.xy_px()
    px = np.where(off[..., None], np.nan, px)
    # World landmarks are MediaPipe's 3D estimate for every joint, occluded or not; keep them where a person is.
    world = np.array(seq.world[:, :, :3], dtype=np.float64)
    return px, world, vis


def mid(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Midpoint of a left/right pair, or the one that is known (side-on, the pair nearly coincides)."""
    both = (a + b) / 2.0
    return np.where(np.isnan(both), np.where(np.isnan(a), b, a), both)


def whole_body_in_view(landmarks: np.ndarray) -> np.ndarray:
    """Whole body in view: ``(..., 33, 4)`` image landmarks → ``(...)`` bool (False where nobody is found).

    Every :data:`BODY` landmark must be inside the frame; of each left/right pair the better-seen one (the near
    side) must be clearly visible, the far side only in frame.
    """
    idx = list(BODY)
    xy = landmarks[..., idx, :2]
    inside = np.all((xy > FRAME_MARGIN) & (xy < 1 - FRAME_MARGIN), axis=(-2, -1))
    vis = landmarks[..., idx, 3]
    near_ok = np.maximum(vis[..., 0::2], vis[..., 1::2]).min(axis=-1) >= FULL_BODY_VISIBILITY
    return inside & near_ok


VIEW_RATIO_PCT = 10  # percentile of the per-frame width ratio that decides a set's view (batch and stream)
SET_VIEW_RATIOS_KEPT = 18_000  # stream: bounded memory for the set's view, 10 min at 30 fps


def view_from_ratio(ratio: float) -> tuple[str, float]:
    """View label and camera azimuth (deg) from the apparent/true shoulder+hip width ratio (≈ |cos azimuth|).

    Returns:
        ``("side" | "oblique" | "front" | "unknown", azimuth_deg)``; NaN azimuth and ``"unknown"`` for a NaN ratio.
    """
    if not math.isfinite(ratio):
        return "unknown", math.nan
    az = math.degrees(math.acos(min(max(ratio, 0.0), 1.0)))
    if az >= SIDE_VIEW_MIN_AZ_DEG:
        return "side", az
    if az <= FRONT_VIEW_MAX_AZ_DEG:
        return "front", az
    return "oblique", az


def estimate_view(px: np.ndarray, world: np.ndarray, image_z: np.ndarray) -> tuple[str, float, float, str, str]:
    """View (side/oblique/front), camera azimuth, facing sign, facing label and near side.

    The azimuth comes from how wide shoulders and hips look in the image relative to their 3D width in world
    landmarks (both scaled by trunk length): ~0 in a side view, ~1 face-on.
    """
    mid_sho = (px[:, LM.LEFT_SHOULDER] + px[:, LM.RIGHT_SHOULDER]) / 2
    mid_hip = (px[:, LM.LEFT_HIP] + px[:, LM.RIGHT_HIP]) / 2
    trunk_px = np.linalg.norm(mid_sho - mid_hip, axis=1)
    w_px = np.abs(px[:, LM.LEFT_SHOULDER, 0] - px[:, LM.RIGHT_SHOULDER, 0]) + np.abs(
        px[:, LM.LEFT_HIP, 0] - px[:, LM.RIGHT_HIP, 0]
    )
    wsho = (world[:, LM.LEFT_SHOULDER] + world[:, LM.RIGHT_SHOULDER]) / 2
    whip = (world[:, LM.LEFT_HIP] + world[:, LM.RIGHT_HIP]) / 2
    trunk_m = np.linalg.norm(wsho - whip, axis=1)
    w_m = np.linalg.norm(world[:, LM.LEFT_SHOULDER] - world[:, LM.RIGHT_SHOULDER], axis=1) + np.linalg.norm(
        world[:, LM.LEFT_HIP] - world[:, LM.RIGHT_HIP], axis=1
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = (w_px / trunk_px) / (w_m / trunk_m)
    # Low percentile: a side view shows the pairs overlapping at least while bending, even when the pose model
    # spreads them apart while standing (as it does for bulky figures); a front view never does.
    r = float(np.nanpercentile(ratio, VIEW_RATIO_PCT)) if np.any(np.isfinite(ratio)) else math.nan
    view, az = view_from_ratio(r)
    fs = np.array([facing_sign_px(px[i]) for i in range(0, px.shape[0], max(1, px.shape[0] // 200))])
    fs = fs[np.isfinite(fs)]
    facing = float(np.sign(np.sum(fs))) if fs.size and np.sum(fs) != 0 else 1.0
    # Near side: smaller MediaPipe depth (z) over the torso and leg landmarks.
    left = [LM.LEFT_SHOULDER, LM.LEFT_HIP, LM.LEFT_KNEE, LM.LEFT_ANKLE]
    right = [LM.RIGHT_SHOULDER, LM.RIGHT_HIP, LM.RIGHT_KNEE, LM.RIGHT_ANKLE]
    dz = image_z[:, left] - image_z[:, right]
    dzm = float(np.nanmedian(dz)) if np.any(np.isfinite(dz)) else math.nan
    # Without depth, facing image-left means the left side is toward the camera (and vice versa).
    side_sign = dzm if math.isfinite(dzm) and dzm != 0 else facing
    side = "left" if side_sign < 0 else "right"
    if view == "front":
        nose_z = image_z[:, LM.NOSE]
        ear_z = (image_z[:, LM.LEFT_EAR] + image_z[:, LM.RIGHT_EAR]) / 2
        d = float(np.nanmedian(nose_z - ear_z)) if np.any(np.isfinite(nose_z - ear_z)) else math.nan
        label = "camera" if (math.isfinite(d) and d < 0) else "away"
    else:
        label = "right" if facing > 0 else "left"
    return view, az, facing, label, side


def _smooth(x: np.ndarray, t: np.ndarray, cfg: Config) -> np.ndarray:
    filled = fill_gaps(x, t, cfg.signal.max_gap_s)
    return lowpass(filled, sample_rate_hz(t), cfg.signal.lowpass_hz, cfg.signal.lowpass_order)


def _baseline_frames(depth: np.ndarray, full_body: np.ndarray) -> np.ndarray:
    """Standing frames: depth within 15 % of the person's range above its low end (and the body seen)."""
    ok = np.isfinite(depth)
    if ok.sum() < 3:
        return ok
    lo, hi = np.percentile(depth[ok], [5, 95])
    sel = ok & (depth <= lo + 0.15 * max(hi - lo, 10.0))
    sel_fb = sel & full_body
    return sel_fb if sel_fb.sum() >= 5 else sel


def compute_features(seq: PoseSequence, cfg: Config) -> Features:
    """All per-frame measurements the hinge analysis needs (pure)."""
    t = np.asarray(seq.t_s, dtype=np.float64)
    T = len(t)
    px_raw, world_raw, vis = _clean(seq)
    present = seq.present
    full_body = whole_body_in_view(seq.landmarks) & present
    px = _smooth(px_raw, t, cfg)
    world = _smooth(world_raw, t, cfg)
    image_z = np.where(np.isnan(px_raw[..., 0]), np.nan, seq.landmarks[:, :, 2])
    view, az, facing, facing_label, side = estimate_view(px, world, image_z)
    s = "LEFT_" if side == "left" else "RIGHT_"
    i_hip, i_knee, i_ankle = int(LM[s + "HIP"]), int(LM[s + "KNEE"]), int(LM[s + "ANKLE"])
    i_sho, i_ear = int(LM[s + "SHOULDER"]), int(LM[s + "EAR"])
    mid_hip = mid(px[:, LM.LEFT_HIP], px[:, LM.RIGHT_HIP])
    mid_sho = mid(px[:, LM.LEFT_SHOULDER], px[:, LM.RIGHT_SHOULDER])
    warnings: list[str] = []
    if view == "side":
        trunk_a = sagittal_angles_px(mid_hip, mid_sho, mid_hip, mid_hip, facing)["trunk_inclination_deg"]
        leg = sagittal_angles_px(px[:, i_hip], mid_sho, px[:, i_knee], px[:, i_ankle], facing)
    else:
        fwd, _, _ = sagittal_basis_world(
            world[:, LM.LEFT_HIP], world[:, LM.RIGHT_HIP], world[:, LM.LEFT_SHOULDER], world[:, LM.RIGHT_SHOULDER]
        )
        fwd = np.where(np.isfinite(fwd), fwd, np.nanmedian(fwd, axis=0))
        # Face-on, the pose model can swap left and right, which flips this "forward". The face is in front
        # of the ears whatever the labels say, so let the nose decide.
        face = world[:, LM.NOSE] - mid(world[:, LM.LEFT_EAR], world[:, LM.RIGHT_EAR])
        agree = np.nanmedian(np.sum(face * fwd, axis=1)) if np.any(np.isfinite(face)) else 1.0
        if agree < 0:
            fwd = -fwd
        wmh = mid(world[:, LM.LEFT_HIP], world[:, LM.RIGHT_HIP])
        wms = mid(world[:, LM.LEFT_SHOULDER], world[:, LM.RIGHT_SHOULDER])
        trunk_a = sagittal_angles_world(wmh, wms, wmh, wmh, fwd)["trunk_inclination_deg"]
        leg = sagittal_angles_world(world[:, i_hip], wms, world[:, i_knee], world[:, i_ankle], fwd)
        warnings.append(
            "Not a side view: angles come from MediaPipe's 3D estimate and are less accurate; film from the side."
            if view != "unknown"
            else "The camera angle could not be determined."
        )
    trunk = trunk_a
    thigh = leg["thigh_inclination_deg"]
    shin = leg["shin_inclination_deg"]
    hip = trunk + thigh
    knee = thigh + shin
    baseline = _baseline_frames(hip, full_body)
    trunk_base = float(np.nanmedian(trunk[baseline])) if np.any(baseline) else math.nan
    # Knee flexion is counted from the standing knee angle: standing knees are near straight, and what the pose
    # model shows while standing (up to KNEE_OFFSET_MAX_DEG) is mostly landmark placement, not a bend.
    knee_base = float(np.nanmedian(knee[baseline])) if np.any(baseline & np.isfinite(knee)) else 0.0
    knee = knee - min(max(knee_base, 0.0), KNEE_OFFSET_MAX_DEG)

    # Back outline → spine flexion estimate (side view only).
    spine = np.full(T, np.nan)
    noise = math.nan
    if seq.back_contour_px is not None and view == "side":
        cont = _smooth(np.asarray(seq.back_contour_px, dtype=np.float64), t, cfg)
        u, v = hip_lumbar.outline_in_trunk_frame(cont, mid_hip, mid_sho, facing)
        bend = hip_lumbar.smooth_bend_deg(hip_lumbar.outline_bend_deg(u, v), t, max_gap_s=cfg.signal.max_gap_s)
        spine, _, noise = hip_lumbar.spine_flexion_est(bend, baseline, cfg.hinge.spine_outline_gain)
    chord = hip_lumbar.chord_shortening_frac(mid_hip, mid_sho, baseline)

    # Load path (side and oblique views; a front view cannot show fore-aft position).
    com_pct = np.full(T, np.nan)
    foot_len_cm = math.nan
    ppc = load_path.px_per_cm(px, side, cfg.body.height_cm)
    if view in ("side", "oblique"):
        com = load_path.center_of_mass(
            px,
            sex=cfg.body.sex,
            body_kg=cfg.body.body_kg,
            load_kg=cfg.body.load_kg,
            foot_index_frac=cfg.hinge.foot_index_frac,
        )
        foot = load_path.foot_frame_px(px, side, facing, foot_index_frac=cfg.hinge.foot_index_frac, baseline=baseline)
        com_pct = load_path.pct_of_foot(com[:, 0], foot, facing)
        foot_len_cm = float(foot.foot_len_px[0] / ppc) if math.isfinite(ppc) and ppc > 0 else math.nan
    leg_len = float(
        np.nanmedian(
            np.linalg.norm(px[:, i_knee] - px[:, i_hip], axis=1)
            + np.linalg.norm(px[:, i_ankle] - px[:, i_knee], axis=1)
        )
    )
    # A real heel lift in these exercises is bilateral; taking the smaller of the two feet suppresses the
    # single-foot landmark wobble MediaPipe shows when the shins tilt.
    heel = (
        np.fmin(
            load_path.heel_rise_frac(px, "left", baseline, leg_len),
            load_path.heel_rise_frac(px, "right", baseline, leg_len),
        )
        if leg_len > 0
        else np.full(T, np.nan)
    )
    hip_rel = (px[:, i_hip, 0] - px[:, i_ankle, 0]) * facing
    hip_rel_base = float(np.nanmedian(hip_rel[baseline])) if np.any(baseline) else math.nan
    hip_back_cm = (hip_rel_base - hip_rel) / ppc if math.isfinite(ppc) and ppc > 0 else np.full(T, np.nan)

    shoulder_elev = tone.shoulder_elevation_frac(px[:, i_ear], px[:, i_sho], mid_hip, mid_sho, baseline)
    ears = mid(px[:, LM.LEFT_EAR], px[:, LM.RIGHT_EAR])
    neck = tone.neck_extension_deg(mid_hip, mid_sho, ears, px[:, LM.NOSE], facing, baseline)
    if view == "front":
        neck = np.full(T, np.nan)  # a nod is along the camera axis face-on

    vis_body = vis[:, list(BODY)]
    mean_vis = float(np.nanmean(vis_body[present])) if np.any(present) else math.nan
    multi = 0.0
    if seq.n_people is not None and T:
        multi = float(np.mean(np.asarray(seq.n_people) > 1))
    return Features(
        t_s=t,
        present=present,
        full_body=full_body,
        px=px,
        view=view,
        azimuth_deg=az,
        facing=facing,
        facing_label=facing_label,
        side=side,
        trunk=trunk,
        hip=hip,
        knee=knee,
        shin=shin,
        baseline=baseline,
        trunk_base=trunk_base,
        spine=spine,
        spine_noise_deg=noise,
        chord_short=chord,
        com_pct=com_pct,
        foot_len_cm=foot_len_cm,
        px_per_cm=ppc,
        heel_rise=heel,
        hip_back_cm=hip_back_cm,
        shoulder_elev=shoulder_elev,
        neck_ext=neck,
        warnings=warnings,
        mean_visibility=mean_vis,
        multi_person_fraction=multi,
    )


# ---------------------------------------------------------------------------------------------------------------
# Per-rep metrics
# ---------------------------------------------------------------------------------------------------------------


def _nan_stat(fn: Any, x: np.ndarray) -> float:
    x = np.asarray(x, dtype=np.float64)
    x = x[np.isfinite(x)]
    return float(fn(x)) if x.size else math.nan


def _bottom_window(f: Features, w: RepWindow) -> np.ndarray:
    """Frame indices at the bottom of a rep: depth within 10 % of the rep's range from its deepest value."""
    idx = np.arange(w.start_i, w.end_i + 1)
    d = f.hip[idx]
    ok = np.isfinite(d)
    if not np.any(ok):
        return np.array([w.bottom_i])
    sel = idx[ok & (d >= w.bottom_level - 0.1 * abs(w.rom))]
    return sel if sel.size else np.array([w.bottom_i])


def rep_metrics(f: Features, w: RepWindow, index: int, cfg: Config) -> Rep:
    """All numbers of one rep (see the module docs and docs/metrics.md for definitions)."""
    h = cfg.hinge
    idx = np.arange(w.start_i, w.end_i + 1)
    ecc = np.arange(w.start_i, max(w.bottom_i, w.start_i) + 1)
    bot = _bottom_window(f, w)
    # Peak rounding = a high percentile over the bottom (where the load is highest), not the single maximum of a
    # still-noisy estimate and not transients while the hips start to move.
    spine_bottom = _nan_stat(lambda x: np.percentile(x, SPINE_PEAK_PCT), f.spine[bot])
    trunk_delta = f.trunk - f.trunk_base
    trunk_delta_bottom = _nan_stat(np.median, trunk_delta[bot])
    hip_contrib = (
        trunk_delta_bottom - hip_lumbar.CHORD_SHARE * spine_bottom if math.isfinite(spine_bottom) else math.nan
    )
    share = hip_lumbar.hip_share(hip_contrib, spine_bottom)
    bands = hip_lumbar.band_shares(
        trunk_delta[ecc], hip_lumbar.hip_contribution_deg(trunk_delta[ecc], f.spine[ecc]), f.spine[ecc]
    )
    knee_bottom = _nan_stat(np.median, f.knee[bot])
    spine_err = math.hypot(h.spine_est_model_err_deg, f.spine_noise_deg) if math.isfinite(spine_bottom) else math.nan
    band = h.midfoot_band_pct
    ex = load_path.band_excursions(f.com_pct[idx], f.t_s[idx], band)
    to_cm = f.foot_len_cm / 100.0 if math.isfinite(f.foot_len_cm) else math.nan
    te, tb, tc, tt = h.target_tempo_s
    metrics: dict[str, float | str | None] = {
        "trunk_inclination_max_deg": _nan_stat(np.max, f.trunk[idx]),
        "hip_flexion_max_deg": _nan_stat(np.max, f.hip[idx]),
        "knee_flexion_bottom_deg": knee_bottom,
        "shin_inclination_max_deg": _nan_stat(np.max, f.shin[idx]),
        "spine_flexion_est_deg": spine_bottom,
        "spine_flexion_est_err_deg": spine_err,
        "hip_contribution_deg": hip_contrib,
        "hip_share": share,
        "hip_share_0_30": bands[(0.0, 30.0)],
        "hip_share_30_60": bands[(30.0, 60.0)],
        "hip_share_60_90": bands[(60.0, 90.0)],
        "com_min_pct_foot": ex["com_min_pct_foot"],
        "com_max_pct_foot": ex["com_max_pct_foot"],
        "com_bottom_pct_foot": _nan_stat(np.median, f.com_pct[bot]),
        "time_outside_midfoot_s": ex["time_outside_midfoot_s"],
        "com_toes_excess_cm": ex["toes_excess_pct"] * to_cm,
        "com_heels_excess_cm": ex["heels_excess_pct"] * to_cm,
        # Median over the bottom: a lift that matters lasts while loaded; MediaPipe's foot points jump for a few
        # frames while the trunk swings through (up to 0.2 leg lengths on the rendered figure).
        "heel_lift_frac": max(0.0, _nan_stat(np.median, f.heel_rise[bot]))
        if np.any(np.isfinite(f.heel_rise[bot]))
        else math.nan,
        "hip_back_cm": _nan_stat(np.median, f.hip_back_cm[bot]),
        "shoulder_elevation_frac": _nan_stat(lambda x: np.percentile(x, 90), f.shoulder_elev[idx]),
        "neck_extension_deg": _nan_stat(lambda x: np.percentile(x, 90), f.neck_ext[idx]),
        "velocity_sign_changes": float(velocity_sign_changes(f.hip[idx], f.t_s[idx])),
        "log_dimensionless_jerk": log_dimensionless_jerk(f.hip[idx], f.t_s[idx]),
        "trunk_chord_shortening_frac": _nan_stat(np.median, f.chord_short[bot]),
        "target_eccentric_s": te,
        "target_bottom_s": tb,
        "target_concentric_s": tc,
        "target_top_s": tt,
    }
    cls = hip_lumbar.classify_rep(
        knee_bottom, share, squat_knee_deg=h.squat_knee_deg, stoop_hip_share=h.stoop_hip_share
    )
    return Rep(
        index=index,
        start_s=w.start_s,
        bottom_s=float(f.t_s[w.bottom_i]),
        end_s=w.end_s,
        eccentric_s=w.eccentric_s,
        bottom_pause_s=w.bottom_pause_s,
        concentric_s=w.concentric_s,
        top_pause_s=w.top_pause_s,
        time_under_tension_s=w.end_s - w.start_s,
        rom_deg=w.rom,
        classification=cls,
        metrics=metrics,
    )


def find_rep_windows(f: Features, cfg: Config, range_override: float | None = None) -> list[RepWindow]:
    """Reps on hip flexion (robust, large range), timed on trunk inclination (least wobble)."""
    return detect_reps(
        f.hip,
        f.t_s,
        min_rom_deg=cfg.hinge.min_rom_deg,
        prominence_frac=cfg.hinge.rep_prominence_frac,
        timing=f.trunk,
        range_override=range_override,
    )


def _quality(f: Features, seq: PoseSequence, n_reps: int) -> Quality:
    warnings = list(f.warnings)
    T = seq.n_frames
    person = float(np.mean(f.present)) if T else 0.0
    full = float(np.mean(f.full_body)) if T else 0.0
    if person < 0.5:
        warnings.append("You are out of view for much of the clip.")
    if full < 0.8 and person > 0:
        warnings.append("Feet or head are cut off in many frames: step back so your whole body is visible.")
    if f.multi_person_fraction > 0.05:
        warnings.append("More than one person is in view; the analysis may mix them up.")
    if n_reps == 0:
        warnings.append("No complete repetition was found.")
    if f.view == "side" and not np.any(np.isfinite(f.spine)):
        warnings.append("No body outline was available, so back rounding was not estimated.")
    return Quality(
        view=f.view,
        facing=f.facing_label,
        side_used=f.side,
        frames_total=T,
        person_fraction=person,
        full_body_fraction=full,
        multi_person_fraction=f.multi_person_fraction,
        mean_visibility=f.mean_visibility,
        warnings=tuple(warnings),
    )


def _summary(f: Features, reps: list[Rep], cfg: Config) -> dict[str, Any]:
    def mean_metric(key: str) -> float:
        vals = [float(r.metrics.get(key, math.nan)) for r in reps]  # type: ignore[arg-type]
        vals = [v for v in vals if math.isfinite(v)]
        return float(np.mean(vals)) if vals else math.nan

    out: dict[str, Any] = {
        "rep_count": len(reps),
        "classes": ",".join(r.classification for r in reps),
        "mean_eccentric_s": float(np.mean([r.eccentric_s for r in reps])) if reps else math.nan,
        "mean_concentric_s": float(np.mean([r.concentric_s for r in reps])) if reps else math.nan,
        "mean_hip_share": mean_metric("hip_share"),
        "max_spine_flexion_est_deg": max(
            (
                float(r.metrics["spine_flexion_est_deg"])
                for r in reps
                if math.isfinite(float(r.metrics["spine_flexion_est_deg"]))
            ),  # type: ignore[arg-type]
            default=math.nan,
        ),
        "view_azimuth_deg": f.azimuth_deg,
        "px_per_cm": f.px_per_cm,
        "height_cm_assumed": cfg.body.height_cm,
        "spine_baseline_noise_deg": f.spine_noise_deg,
    }
    for (lo, hi), ref in hip_lumbar.ESOLA_HIP_SHARE.items():
        key = f"hip_share_{int(lo)}_{int(hi)}"
        out[f"esola_{key}"] = ref
        out[f"mean_{key}"] = mean_metric(key)
    return out


def analyze_features(f: Features, seq: PoseSequence, cfg: Config) -> Analysis:
    windows = find_rep_windows(f, cfg)
    reps = [rep_metrics(f, w, i + 1, cfg) for i, w in enumerate(windows)]
    rep_index = np.zeros(len(f.t_s))
    for r, w in zip(reps, windows, strict=True):
        rep_index[w.start_i : w.end_i + 1] = r.index
    series = {
        "t_s": np.asarray(f.t_s, dtype=np.float64),
        "trunk_inclination_deg": f.trunk,
        "hip_flexion_deg": f.hip,
        "knee_flexion_deg": f.knee,
        "spine_flexion_est_deg": f.spine,
        "com_pct_foot": f.com_pct,
        "shoulder_elevation_frac": f.shoulder_elev,
        "neck_extension_deg": f.neck_ext,
        "rep_index": rep_index,
    }
    h = cfg.hinge
    settings = {
        "analyzer": NAME,
        "lowpass_hz": cfg.signal.lowpass_hz,
        "spine_outline_gain": h.spine_outline_gain,
        "foot_index_frac": h.foot_index_frac,
        "min_rom_deg": h.min_rom_deg,
        "rep_prominence_frac": h.rep_prominence_frac,
    }
    return Analysis(
        exercise=NAME,
        reps=tuple(reps),
        cues=(),
        quality=_quality(f, seq, len(reps)),
        series=series,
        video=seq.video,
        summary=_summary(f, reps, cfg),
        limits=LIMITS,
        settings=settings,
    )


class HingeAnalyzer:
    """Analyzer for the hip-hinge family (see module docstring)."""

    name = NAME

    def __init__(self, config: Config | None = None) -> None:
        self.config = config if config is not None else Config()

    def analyze(self, seq: PoseSequence) -> Analysis:
        """Analyse a whole recorded set (pure; no cues — the cue engine adds those)."""
        if seq.n_frames == 0 or not np.any(seq.present):
            q = Quality(
                frames_total=seq.n_frames,
                warnings=("Nobody was found in the video.", "No complete repetition was found."),
            )
            return Analysis(exercise=NAME, reps=(), cues=(), quality=q, video=seq.video, limits=LIMITS)
        with warnings.catch_warnings():
            # Frames or whole landmarks can be unknown (NaN); nan-aware reductions over them are expected.
            warnings.filterwarnings("ignore", r"All-NaN slice|Mean of empty slice|invalid value", RuntimeWarning)
            f = compute_features(seq, self.config)
            return analyze_features(f, seq, self.config)

    def stream(self) -> HingeStream:
        """A fresh streaming analyzer with the same configuration."""
        return HingeStream(self.config)


# ---------------------------------------------------------------------------------------------------------------
# Streaming
# ---------------------------------------------------------------------------------------------------------------


def _frame_view_ratio(px: np.ndarray, world: np.ndarray) -> float:
    """Single-frame apparent/true shoulder+hip width ratio (≈ |cos azimuth|), from pixel and world landmarks."""
    trunk_px = math.hypot(*((px[11] + px[12]) / 2 - (px[23] + px[24]) / 2))
    w_px = abs(px[11, 0] - px[12, 0]) + abs(px[23, 0] - px[24, 0])
    trunk_m = float(np.linalg.norm((world[11, :3] + world[12, :3]) / 2 - (world[23, :3] + world[24, :3]) / 2))
    w_m = float(np.linalg.norm(world[11, :3] - world[12, :3]) + np.linalg.norm(world[23, :3] - world[24, :3]))
    if not (trunk_px > 0 and trunk_m > 0 and w_m > 0):
        return math.nan
    return float((w_px / trunk_px) / (w_m / trunk_m))


def _scalar_angles(lm_px: np.ndarray, facing: float) -> tuple[float, float, float]:
    """Trunk, thigh and shin inclination of one frame (same definitions as :func:`sagittal_angles_px`).

    Plain ``math`` on floats: on a single frame this is ten times faster than the array version.
    """
    near = "LEFT_" if facing < 0 else "RIGHT_"
    hx = (lm_px[LM.LEFT_HIP, 0] + lm_px[LM.RIGHT_HIP, 0]) / 2
    hy = (lm_px[LM.LEFT_HIP, 1] + lm_px[LM.RIGHT_HIP, 1]) / 2
    sx = (lm_px[LM.LEFT_SHOULDER, 0] + lm_px[LM.RIGHT_SHOULDER, 0]) / 2
    sy = (lm_px[LM.LEFT_SHOULDER, 1] + lm_px[LM.RIGHT_SHOULDER, 1]) / 2
    nh, nk, na = (lm_px[int(LM[near + n])] for n in ("HIP", "KNEE", "ANKLE"))
    trunk = math.degrees(math.atan2(facing * (sx - hx), -(sy - hy)))
    thigh = math.degrees(math.atan2(facing * (nk[0] - nh[0]), nk[1] - nh[1]))
    shin = math.degrees(math.atan2(facing * (nk[0] - na[0]), -(nk[1] - na[1])))
    return trunk, thigh, shin


PHASE_SEEN_MARGIN_S = 0.5  # a phase time needs the movement seen from this long before it to this long after
# (the minimum-jerk fit needs part of the still plateau on each side; a fit that starts at a hole has none)


def _drop_unseen_phases(rep: Rep, f: Features) -> Rep:
    """Phase times of a rep whose lowering or rise fell (partly) in a hole in the stream become unknown.

    When dropped frames leave a hole longer than the stream bridges, the rep fit starts or ends at the hole and
    the phase it cut reads short (a 2 s lowering seen from half-way reads 1 s: a false "lower slower" cue).
    """

    def seen(a: float, b: float) -> bool:
        sel = (f.t_s >= a) & (f.t_s <= b)
        return bool(np.any(sel)) and bool(np.all(np.isfinite(f.hip[sel])))

    ecc_ok = seen(rep.start_s - PHASE_SEEN_MARGIN_S, rep.bottom_s)
    con_ok = seen(rep.bottom_s, rep.end_s + PHASE_SEEN_MARGIN_S)
    if ecc_ok and con_ok:
        return rep
    return dataclasses.replace(
        rep,
        eccentric_s=rep.eccentric_s if ecc_ok else math.nan,
        bottom_pause_s=rep.bottom_pause_s if ecc_ok and con_ok else math.nan,
        concentric_s=rep.concentric_s if con_ok else math.nan,
        time_under_tension_s=math.nan,
    )


class _TimedValues:
    """Recent samples of one live quantity, kept by time (not by count) so they mean the same at any frame rate.

    ``median()`` is the median of the samples in the last ``window_s`` before the newest one. A median over
    fewer than ``min_n`` samples says little (at 2 fps a 0.5 s window holds one frame), so the window then
    stretches back to the last ``min_n`` samples, but never beyond ``max_span_s``: past that the value is
    unknown (NaN) rather than one noisy frame. With ``min_span_s`` the samples used must also cover at least
    that long (a standing baseline from three frames 0.1 s apart is one moment, not a posture).
    """

    def __init__(
        self, window_s: float, min_n: int, max_span_s: float, min_span_s: float = 0.0, maxlen: int = 256
    ) -> None:
        self.window_s = window_s
        self.min_n = min_n
        self.max_span_s = max(max_span_s, window_s)
        self.min_span_s = min_span_s
        self._v: deque[tuple[float, float]] = deque(maxlen=maxlen)  # bounded whatever the frame rate

    def __bool__(self) -> bool:
        return bool(self._v)

    def __len__(self) -> int:
        return len(self._v)

    def add(self, t_s: float, v: float) -> None:
        if math.isfinite(v):
            self._v.append((t_s, v))
        while self._v and self._v[0][0] < t_s - self.max_span_s:
            self._v.popleft()

    def median(self, t_now: float | None = None) -> float:
        """Median over the window ending at ``t_now`` (default: the newest sample); NaN when too few samples."""
        if not self._v:
            return math.nan
        end = self._v[-1][0] if t_now is None else t_now
        sel = [(t, v) for t, v in self._v if end - self.window_s <= t <= end]
        if len(sel) < self.min_n:
            sel = [(t, v) for t, v in self._v if t <= end][-self.min_n :]
            if len(sel) < self.min_n or end - sel[0][0] > self.max_span_s:
                return math.nan
        if sel[-1][0] - sel[0][0] < self.min_span_s - 1e-9:
            return math.nan
        return float(np.median([v for _, v in sel]))


class HingeStream:
    """Frame-by-frame hinge analysis with bounded memory (see module docstring).

    Setup check: counting starts once the whole body is in frame and the view is side-on for ``setup_s``
    seconds; until then :class:`LiveState` carries a plain instruction.
    """

    setup_s = 1.0
    buffer_s = 20.0
    lookback_s = 4.0  # standing time before a rep re-analysed with it (baselines)
    max_series_s = 600.0
    # Dropped frames: the rep re-analysis runs on a uniform grid of at most this step, interpolated between the
    # frames received, bridging intervals up to max_bridge_s (a 2 fps stream still has a trajectory; a longer
    # hole is a real gap). Hinge movements take ~1-3 s, so a straight line over 1 s misses little.
    grid_step_s = 1.0 / 30.0
    max_bridge_s = 1.0
    # Standing baselines: the last base_keep_s of standing samples; trusted from base_min_n samples covering
    # base_min_span_s (before that, values relative to standing are unknown, not relative to one frame).
    base_keep_s = 3.0
    base_min_n = 3
    base_min_span_s = 0.3
    # Live CoM: causal running median (like the outline bend's) so one bad frame is not a cue.
    com_median_s = 0.3
    live_min_n = 3  # samples a live running median needs ...
    live_max_span_s = 1.2  # ... within this long, else the value is unknown
    # The outline bend has ±10-15° single-frame transients: its median needs more frames (at 2 fps, none).
    bend_min_n = 5
    # Physical ranges of the live values: outside them the number is a tracking artefact, reported as unknown.
    spine_max_deg = 90.0
    com_range_pct = (-50.0, 150.0)
    neck_max_deg = 90.0

    def __init__(self, config: Config) -> None:
        self.config = config
        s = config.signal
        self._filter = OneEuroFilter(s.one_euro_min_cutoff_hz, s.one_euro_beta, s.one_euro_d_cutoff_hz)
        self._detector = StreamingRepDetector(
            min_rom_deg=config.hinge.min_rom_deg,
            prominence_frac=config.hinge.rep_prominence_frac,
            cutoff_hz=s.lowpass_hz,
            order=s.lowpass_order,
            buffer_s=self.buffer_s,
            resolve=False,  # the finished rep is re-analysed from the landmark buffer below
        )
        self._buf: deque[tuple[float, np.ndarray, np.ndarray, np.ndarray | None, int]] = deque()
        self._width = 0
        self._height = 0
        self._ready = False
        self._ok_since: float | None = None
        self._ratio: deque[float] = deque(maxlen=30)
        self._ratio_med = math.nan
        # The whole set's view uses the same statistic as the batch path (10th percentile, see estimate_view):
        # the last second's median reads "oblique" for a side-on person who stands still at the end.
        self._ratio_set: deque[float] = deque(maxlen=SET_VIEW_RATIOS_KEPT)
        self._facing: deque[float] = deque(maxlen=30)
        self._reps: list[Rep] = []
        self._last_rep_end = -math.inf
        self._series: deque[tuple[float, ...]] = deque()
        self._n = 0
        self._n_present = 0
        self._n_full = 0
        self._n_multi = 0
        self._vis_sum = 0.0
        keys = ("trunk", "elev_d", "neck", "bend", "knee", "heel_x", "ball")
        self._base = {  # standing values, last base_keep_s seconds of standing
            k: _TimedValues(self.base_keep_s, self.base_min_n, self.base_keep_s, self.base_min_span_s) for k in keys
        }
        self._base_new = dict.fromkeys(keys, 0)
        self._base_med: dict[str, float] = {}
        self._base_med_t: dict[str, float] = {}
        self._prev_hip = math.nan
        self._prev_hip_t = math.nan
        self._ratio_t = -math.inf
        self._bend_hist = _TimedValues(hip_lumbar.BEND_MEDIAN_S, self.bend_min_n, self.live_max_span_s)
        self._com_hist = _TimedValues(self.com_median_s, self.live_min_n, self.live_max_span_s)
        self._t_now = 0.0
        self._phase_since = 0.0
        self._phase = "setup"

    # -- helpers -------------------------------------------------------------------------------------------------

    def _base_median(self, key: str) -> float:
        """Median of a standing baseline (NaN until trusted), refreshed every few new values or 0.25 s.

        A median per frame is wasteful at 30 fps; a refresh only every few values would leave a 2 fps stream
        on a stale (or one-frame) baseline for seconds.
        """
        if not self._base[key]:
            return math.nan  # nothing standing seen yet: not cached, so the first values count at once
        new = self._base_new[key]
        if key not in self._base_med or (new and (new >= 5 or self._t_now - self._base_med_t[key] >= 0.25)):
            self._base_med[key] = self._base[key].median()
            self._base_med_t[key] = self._t_now
            self._base_new[key] = 0
        return self._base_med[key]

    def _causal_bend(self, bend: float) -> float:
        """Running median of the outline bend over the last ``BEND_MEDIAN_S`` (the batch path's median, causal).

        Without it the live value shows the outline's ±10–15° transients at movement onsets, long enough to pass
        the cue engine's confirmation time. At low frame rates the window must still hold ``live_min_n`` frames
        (see :class:`_TimedValues`), else the bend is unknown.
        """
        self._bend_hist.add(self._t_now, bend)
        return self._bend_hist.median(self._t_now)

    def _setup_message(self, lm: np.ndarray, present: bool, full: bool, ratio: float) -> str | None:
        if not present:
            return "Step into view of the camera."
        if not full:
            return "Step back so your whole body, feet included, is visible."
        # Standing side-on, the pose model often spreads the shoulders apart (the ratio only drops near 0 while
        # bending), so the live check only rejects clearly face-on views.
        if math.isfinite(ratio) and ratio > LIVE_SIDE_MAX_RATIO:
            return "Turn side-on to the camera."
        return None

    def _live_values(
        self, lm_px: np.ndarray, facing: float, contour: np.ndarray | None, full: bool = True
    ) -> dict[str, float]:
        trunk, thigh, shin = _scalar_angles(lm_px, facing)
        mid_hip = (lm_px[LM.LEFT_HIP] + lm_px[LM.RIGHT_HIP]) / 2
        mid_sho = (lm_px[LM.LEFT_SHOULDER] + lm_px[LM.RIGHT_SHOULDER]) / 2
        side = "LEFT_" if facing < 0 else "RIGHT_"
        knee_raw = thigh + shin
        knee_base = self._base_median("knee")
        knee_off = min(max(knee_base, 0.0), KNEE_OFFSET_MAX_DEG) if math.isfinite(knee_base) else 0.0
        vals = {
            "trunk_inclination_deg": trunk,
            "hip_flexion_deg": trunk + thigh,
            "knee_flexion_deg": knee_raw - knee_off,
            "spine_flexion_est_deg": math.nan,
            "com_pct_foot": math.nan,
            "shoulder_elevation_frac": math.nan,
            "neck_extension_deg": math.nan,
        }
        cfg = self.config
        com = load_path.center_of_mass(
            lm_px[None], sex=cfg.body.sex, body_kg=cfg.body.body_kg, load_kg=cfg.body.load_kg,
            foot_index_frac=cfg.hinge.foot_index_frac,
        )[0]  # fmt: skip
        heel = lm_px[int(LM[side + "HEEL"])]
        toe = lm_px[int(LM[side + "FOOT_INDEX"])]
        ball = (toe[0] - heel[0]) * facing
        foot_ok = math.isfinite(ball) and ball > 0
        # As in the batch path: the planted foot from standing frames (the foot points drift while bending).
        # Until enough standing frames are seen the foot is unknown: one frame's heel is not a reference.
        heel_x = self._base_median("heel_x")
        ball_len = self._base_median("ball")
        com_pct = math.nan
        if math.isfinite(heel_x) and ball_len > 0:
            com_pct = float(100.0 * (com[0] - heel_x) * facing / (ball_len / cfg.hinge.foot_index_frac))
            lo, hi = self.com_range_pct
            if not lo <= com_pct <= hi:
                com_pct = math.nan  # the centre of mass cannot be that far off the foot: a tracking artefact
        self._com_hist.add(self._t_now, com_pct)
        vals["com_pct_foot"] = self._com_hist.median(self._t_now) if math.isfinite(com_pct) else math.nan
        ear = lm_px[int(LM[side + "EAR"])]
        sho = lm_px[int(LM[side + "SHOULDER"])]
        trunk_vec = mid_sho - mid_hip
        trunk_len = float(np.linalg.norm(trunk_vec))
        elev_d = float(np.dot(ear - sho, trunk_vec) / trunk_len) if trunk_len > 0 else math.nan
        ears = (lm_px[LM.LEFT_EAR] + lm_px[LM.RIGHT_EAR]) / 2
        neck = float(tone.head_angle_deg(mid_hip, mid_sho, ears, lm_px[LM.NOSE], facing))
        bend = math.nan
        if contour is not None:
            bend = self._causal_bend(hip_lumbar.outline_bend_one_deg(contour, mid_hip, mid_sho, facing))
        trunk_base = self._base_median("trunk")
        # Standing: not in a rep, the whole body seen (not walking in at the edge of the frame) and upright.
        standing = (
            self._phase in ("top", "setup") and full and (not math.isfinite(trunk_base) or trunk <= trunk_base + 10.0)
        )
        if standing:
            t = self._t_now
            for key, v in (
                ("trunk", trunk), ("elev_d", elev_d), ("neck", neck), ("bend", bend), ("knee", knee_raw),
                ("heel_x", float(heel[0]) if foot_ok else math.nan),
                ("ball", math.hypot(toe[0] - heel[0], toe[1] - heel[1]) if foot_ok else math.nan),
            ):  # fmt: skip
                if math.isfinite(v):
                    self._base[key].add(t, v)
                    self._base_new[key] += 1
        if self._base["elev_d"] and trunk_len > 0:
            vals["shoulder_elevation_frac"] = (self._base_median("elev_d") - elev_d) / trunk_len
        if self._base["neck"]:
            # Angles wrap at ±180°: a head angle near the wrap must not read as a 300° nod.
            d = (neck - self._base_median("neck") + 180.0) % 360.0 - 180.0
            vals["neck_extension_deg"] = d if abs(d) <= self.neck_max_deg else math.nan
        if self._base["bend"] and math.isfinite(bend):
            sp = cfg.hinge.spine_outline_gain * (bend - self._base_median("bend"))
            # Rounding vs standing: below standing is 0; beyond 90° no back bends, the outline fit failed.
            vals["spine_flexion_est_deg"] = max(sp, 0.0) if sp <= self.spine_max_deg else math.nan
        return vals

    def _buffer_sequence(self, since_s: float) -> PoseSequence:
        """The buffered frames since ``since_s`` on a uniform time grid (see ``grid_step_s``).

        The batch code low-passes and fits as if samples were evenly spaced; frames dropped under load (a few
        fps, bursts of gaps) would otherwise shrink or stretch the phase times it finds.
        """
        buf = [b for b in self._buf if b[0] >= since_s]
        t = np.array([b[0] for b in buf])
        lm = np.stack([b[1] for b in buf])
        wd = np.stack([b[2] for b in buf])
        cont = None
        if any(b[3] is not None for b in buf):
            k = next(b[3].shape[0] for b in buf if b[3] is not None)  # type: ignore[union-attr]
            cont = np.stack([b[3] if b[3] is not None else np.full((k, 2), np.nan) for b in buf])
        n = np.array([b[4] for b in buf], dtype=np.float64)
        dt = np.diff(t)
        dt = dt[dt > 0]
        step = min(float(np.median(dt)), self.grid_step_s) if dt.size else self.grid_step_s
        if t.size >= 2 and np.max(np.diff(t)) > 1.5 * step:
            grid, lm = resample_uniform(t, lm, step, self.max_bridge_s)
            _, wd = resample_uniform(t, wd, step, self.max_bridge_s)
            if cont is not None:
                _, cont = resample_uniform(t, cont, step, self.max_bridge_s)
            # People count: the frame at or before each grid point (a count is not interpolated).
            n = n[np.clip(np.searchsorted(t, grid + 1e-9, side="right") - 1, 0, t.size - 1)]
            t = grid
        return PoseSequence(lm, wd, t, self._width, self._height, back_contour_px=cont, n_people=n.astype(np.int64))

    def _finish_rep(self, w: RepWindow) -> Rep | None:
        # The rep plus a few seconds before it (standing frames for the baselines) is enough, and the whole
        # previous rep: a buffer that opens part-way through it (no top pause between reps) leaves the batch
        # code without the previous rise, and the lowering fit then starts on the previous bottom.
        since = w.start_s - self.lookback_s
        if self._reps:
            since = min(since, self._reps[-1].start_s - 0.5)
        seq = self._buffer_sequence(since)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", r"All-NaN slice|Mean of empty slice|invalid value", RuntimeWarning)
            f = compute_features(seq, self.config)
            windows = [x for x in find_rep_windows(f, self.config) if x.end_s > self._last_rep_end + 1e-6]
            if not windows:
                return None
            # The rep the detector saw is the one ending closest to its end time.
            best = min(windows, key=lambda x: abs(x.end_s - w.end_s))
            rep = _drop_unseen_phases(rep_metrics(f, best, len(self._reps) + 1, self.config), f)
        if self._reps and math.isnan(self._reps[-1].top_pause_s) and math.isfinite(rep.eccentric_s):
            gap = max(0.0, best.start_s - self._reps[-1].end_s)
            self._reps[-1] = dataclasses.replace(self._reps[-1], top_pause_s=gap)
        self._last_rep_end = best.end_s
        self._reps.append(rep)
        return rep

    # -- protocol ------------------------------------------------------------------------------------------------

    def update(
        self,
        t_s: float,
        landmarks: np.ndarray,
        world: np.ndarray,
        width: int,
        height: int,
        back_contour_px: np.ndarray | None = None,
        n_people: int = 1,
    ) -> LiveState:
        """Feed one frame; returns the live state (phase, count, values, setup instruction, finished rep)."""
        self._width, self._height = int(width), int(height)
        self._t_now = float(t_s)
        lm = np.asarray(landmarks, dtype=np.float64)
        wd = np.asarray(world, dtype=np.float64)
        self._buf.append(
            (
                float(t_s),
                lm.copy(),
                wd.copy(),
                None if back_contour_px is None else np.array(back_contour_px, dtype=np.float64),
                int(n_people),
            )
        )
        while self._buf and self._buf[0][0] < t_s - self.buffer_s:
            self._buf.popleft()
        self._n += 1
        present = bool(np.isfinite(lm[0, 0]))
        self._n_multi += int(n_people > 1)
        if not present:
            self._ok_since = None
            self._detector.update(t_s, math.nan)
            state = LiveState(t_s=t_s, phase="away", rep_count=len(self._reps), ready=self._ready,
                              setup_message="Step into view of the camera.", side_used="unknown")  # fmt: skip
            self._record(t_s, {}, 0)
            return state
        self._n_present += 1
        xy = lm[:, :2]
        full = bool(whole_body_in_view(lm))
        self._n_full += int(full)
        self._vis_sum += float(np.nanmean(lm[list(BODY), 3]))
        lm_px = xy * np.array([width, height], dtype=np.float64)
        ratio = _frame_view_ratio(lm_px, wd)
        self._ratio.append(ratio)
        if math.isfinite(ratio):
            self._ratio_set.append(ratio)
        fs = facing_sign_px(lm_px)
        if math.isfinite(fs):
            self._facing.append(fs)
        facing = float(np.sign(np.sum(self._facing))) if self._facing and np.sum(self._facing) != 0 else 1.0
        filt = self._filter(t_s, lm_px)
        if t_s - self._ratio_t >= 0.3 or not math.isfinite(self._ratio_med):  # the view changes slowly
            self._ratio_t = t_s
            finite = [r for r in self._ratio if math.isfinite(r)]
            self._ratio_med = float(np.median(finite)) if finite else math.nan
        msg = self._setup_message(lm, present, full, self._ratio_med)
        if not self._ready:
            if msg is None:
                self._ok_since = t_s if self._ok_since is None else self._ok_since
                if t_s - self._ok_since >= self.setup_s:
                    self._ready = True
                    self._phase = "top"
                    self._phase_since = t_s
            else:
                self._ok_since = None
        vals = self._live_values(filt, facing, back_contour_px, full)
        # The detector sees the raw (unfiltered) hip angle; it smooths zero-phase itself when a rep finishes.
        raw = self._live_values_raw_hip(lm_px, facing)
        new_rep = None
        if self._ready:
            w = self._detector.update(t_s, raw)
            if w is not None:
                new_rep = self._finish_rep(w)
        phase = self._phase_of(t_s, vals["hip_flexion_deg"]) if self._ready else "setup"
        vals["phase_elapsed_s"] = t_s - self._phase_since
        self._record(t_s, vals, len(self._reps) + (1 if self._detector.in_rep else 0))
        return LiveState(
            t_s=t_s,
            phase=phase,
            rep_count=len(self._reps),
            ready=self._ready,
            setup_message=None if self._ready else msg or "Hold still, side-on, for a moment…",
            values=vals,
            landmarks_px=filt,
            side_used="left" if facing < 0 else "right",
            new_rep=new_rep,
        )

    def _live_values_raw_hip(self, lm_px: np.ndarray, facing: float) -> float:
        trunk, thigh, _ = _scalar_angles(lm_px, facing)
        return trunk + thigh

    def _phase_of(self, t_s: float, hip_deg: float) -> str:
        prev, prev_t = self._prev_hip, self._prev_hip_t
        self._prev_hip, self._prev_hip_t = hip_deg, t_s
        if not self._detector.in_rep:
            new = "top"
        else:
            # Speed over the actual interval since the previous frame (frames are dropped under load).
            dt = t_s - prev_t if math.isfinite(prev_t) else math.nan
            ok = math.isfinite(prev) and math.isfinite(hip_deg) and dt > 0
            rate = (hip_deg - prev) / dt if ok else 0.0
            if rate > 8.0:
                new = "eccentric"
            elif rate < -8.0:
                new = "concentric"
            else:
                new = "bottom" if self._phase in ("eccentric", "bottom") else self._phase
        if new != self._phase:
            self._phase = new
            self._phase_since = t_s
        return self._phase

    def _record(self, t_s: float, vals: dict[str, float], rep_idx: int) -> None:
        self._series.append((t_s, *(vals.get(k, math.nan) for k in VALUE_SERIES), float(rep_idx)))
        while self._series and self._series[0][0] < t_s - self.max_series_s:
            self._series.popleft()

    def finish(self) -> Analysis:
        """The set so far as an Analysis (reps, quality; series capped to the last ``max_series_s``)."""
        keys = ("t_s", *VALUE_SERIES, "rep_index")
        arr = np.array(self._series, dtype=np.float64).reshape(-1, len(keys))
        series = {k: arr[:, i] for i, k in enumerate(keys)}
        ratio = float(np.percentile(self._ratio_set, VIEW_RATIO_PCT)) if self._ratio_set else math.nan
        view, _ = view_from_ratio(ratio)
        facing = float(np.sign(np.sum(self._facing))) if self._facing else 0.0
        warnings = []
        if not self._ready:
            warnings.append("The setup check never passed (side-on, whole body visible), so no reps were counted.")
        q = Quality(
            view=view,
            facing="right" if facing > 0 else "left" if facing < 0 else "unknown",
            side_used="right" if facing > 0 else "left" if facing < 0 else "unknown",
            frames_total=self._n,
            person_fraction=self._n_present / self._n if self._n else 0.0,
            full_body_fraction=self._n_full / self._n if self._n else 0.0,
            multi_person_fraction=self._n_multi / self._n if self._n else 0.0,
            mean_visibility=self._vis_sum / self._n_present if self._n_present else math.nan,
            warnings=tuple(warnings),
        )
        return Analysis(
            exercise=NAME,
            reps=tuple(self._reps),
            cues=(),
            quality=q,
            series=series,
            summary={"rep_count": len(self._reps), "live": True},
            limits=LIMITS,
            settings={"analyzer": NAME, "live": True},
        )
