"""Hip-hinge analyzer (Romanian deadlift, good morning, kettlebell deadlift, bodyweight hinge) on the shared engine.

Pipeline (pure functions of the pose sequence):

1. **Body** (:mod:`formcheck.body`): cleaned, low-passed landmarks; view, facing and the side nearer the camera;
   the body position: standing, seated (leaning from the hips on a chair) or tall kneeling. Seated and kneeling,
   the feet and knees are not measured (load path, heel lift, knee bend, hips travelling back: NaN with a note),
   the reference posture is sitting or kneeling upright and the setup needs the shoulders, hips and knees in view.
2. **Angles** (:mod:`formcheck.geometry`): pixel-space sagittal angles in a side view, world-space angles
   projected on the body's sagittal plane otherwise.
3. **Reps** (cyclic strategy, :mod:`formcheck.reps`) on hip flexion; phase times fitted on trunk inclination.
4. **Per rep**: hip vs back split (:mod:`formcheck.metrics.hip_lumbar`), load path
   (:mod:`formcheck.metrics.load_path`), tempo (:mod:`formcheck.metrics.tempo`), tone
   (:mod:`formcheck.metrics.tone`), and a class: hinge / squat_like / stoop.

Declarations (config section, metric specs, cue rules, limits, the registered spec) are in
:mod:`formcheck.analyzers.hinge_spec`; the live model the engine's stream runner drives is in
:mod:`formcheck.analyzers.hinge_live` and uses the functions here.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from formcheck.analyzers import hinge_spec
from formcheck.analyzers.floor_hold import nan_stat  # one finite-values statistic for every analyzer
from formcheck.body import Body
from formcheck.body.clean import clearly_in_view, mid, smooth_landmarks, whole_body_in_view
from formcheck.body.position import PositionEstimate
from formcheck.body.roll import px_per_cm
from formcheck.body.view import estimate_view
from formcheck.config import Config
from formcheck.engine import repset
from formcheck.engine.reference import reference_frames
from formcheck.engine.repset import CUT_END_NOTE
from formcheck.engine.repstrategies import Cyclic
from formcheck.engine.stream import ExerciseStream
from formcheck.geometry import sagittal_angles_px, sagittal_angles_world_auto
from formcheck.metrics import hip_lumbar, load_path, tone
from formcheck.metrics.tempo import log_dimensionless_jerk, velocity_sign_changes
from formcheck.reps import PHASE_ORDER_KEY, RepWindow, floor_start_reps, phase_order
from formcheck.types import LM, Analysis, PoseSequence, Rep

NAME = hinge_spec.NAME
KNEE_OFFSET_MAX_DEG = 12.0  # apparent standing knee bend up to this is treated as landmark offset
SPINE_PEAK_PCT = 90.0  # per-rep spine flexion: this percentile of the (smoothed) estimate over the bottom
SPINE_MAX_DEG = 90.0  # live: no back bends beyond this; the outline fit failed
NECK_MAX_DEG = 90.0
COM_RANGE_PCT = load_path.PHYSICAL_RANGE_PCT  # live: the batch's one rule (the CoM cannot be that far off the foot)
MIN_FEET_SEEN_FRAMES = 5  # standing frames with the whole body seen before the foot (load path) is trusted
LIMITS = hinge_spec.LIMITS
# A set lifted from the floor (reps.floor_start_reps): its reps are timed pull first.
FLOOR_START_NOTE = (
    "Lifted from the floor: each rep is counted from the pull to the return to the floor (rising, pause at the top, "
    "lowering); the pause at the bottom is the rest on the floor before the next pull."
)
FLOOR_CUT_NOTE = "The lowering of rep {rep} could not be timed: it is counted, but its lowering time is not known."
FRONT_OUTLINE_NOTE = (
    "The body outline was traced on the front of the body ({position}: the toes point backwards), so back rounding "
    "was not estimated."
)


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
    position: PositionEstimate | None = None  # the set's body position (formcheck.body)
    analysed_position: str = "standing"  # the position the set is analysed in (hinge_spec.analysed_position)
    camera_roll_deg: float = math.nan  # measured and undone before measuring (formcheck.body.roll)
    # Back outline checks (issue 10, hip_lumbar.outline_quality / rep_back_estimate): the tangent-angle reading
    # (same scale as ``spine``), frames whose outline passed, and the standing outline's frame-to-frame scatter.
    spine_check: np.ndarray | None = None
    outline_good: np.ndarray | None = None
    outline_noise_deg: float = math.nan
    thigh_len_cm: float = math.nan  # standing hip→knee length at the set's scale (body-relative hip travel, issue 10)


def side_angles(px: np.ndarray, facing: float, side: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Trunk, thigh and shin inclination of a side view from ``(T, 33, 2)`` pixels (batch and live alike)."""
    s = side.upper() + "_"
    mid_hip = mid(px[:, LM.LEFT_HIP], px[:, LM.RIGHT_HIP])
    mid_sho = mid(px[:, LM.LEFT_SHOULDER], px[:, LM.RIGHT_SHOULDER])
    trunk = sagittal_angles_px(mid_hip, mid_sho, mid_hip, mid_hip, facing)["trunk_inclination_deg"]
    i_hip, i_knee, i_ankle = int(LM[s + "HIP"]), int(LM[s + "KNEE"]), int(LM[s + "ANKLE"])
    leg = sagittal_angles_px(px[:, i_hip], mid_sho, px[:, i_knee], px[:, i_ankle], facing)
    return trunk, leg["thigh_inclination_deg"], leg["shin_inclination_deg"]


STANCE_SWITCH_RATIO = 1.5  # far leg's hip range this many times the near leg's (+10°): a single-leg hinge


def _stance_leg(px: np.ndarray, facing: float, near: str, trunk: np.ndarray, thigh: np.ndarray) -> str:
    """The leg to measure hip flexion on: the near one, unless it rose with the trunk (single-leg hinge).

    In a single-leg deadlift filmed with the free leg nearer the camera, trunk and free thigh stay in line: the
    near hip angle barely changes while the stance hip folds. Both legs of a two-legged hinge overlap side-on and
    give the same range, so the near leg is kept unless the far leg's range is clearly larger.
    """
    far = "left" if near == "right" else "right"
    _, far_thigh, _ = side_angles(px, facing, far)

    return far if far_leg_stands(hip_range_deg(trunk + thigh), hip_range_deg(trunk + far_thigh)) else near


def hip_range_deg(hip_deg: np.ndarray) -> float:
    """A leg's hip flexion range for :func:`far_leg_stands`: 5th to 95th percentile of the seen frames (NaN under 5)."""
    x = hip_deg[np.isfinite(hip_deg)]
    return float(np.percentile(x, 95) - np.percentile(x, 5)) if x.size >= 5 else math.nan


def far_leg_stands(near_range_deg: float, far_range_deg: float) -> bool:
    """The far leg's hip range is clearly larger than the near one's (a single-leg hinge, free leg nearer the
    camera: measure the far, stance, leg). Batch on the whole clip and live on a running window (hinge_live)."""
    return far_range_deg > STANCE_SWITCH_RATIO * near_range_deg + 10.0


def knee_offset_deg(knee_base_deg: float) -> float:
    """Standing knee bend the pose model shows, up to KNEE_OFFSET_MAX_DEG: landmark placement, not a bend."""
    return min(max(knee_base_deg, 0.0), KNEE_OFFSET_MAX_DEG) if math.isfinite(knee_base_deg) else 0.0


def compute_features(seq: PoseSequence, cfg: Config) -> Features:
    """All per-frame measurements the hinge analysis needs (pure)."""
    h = cfg.exercise_config(NAME)
    # One cleaned view of the sequence (cleaning, smoothing, view, position, scale), the rules of a standing set.
    # Issue 10: a rolled camera is levelled, jumping points dropped and zoom cuts re-based before measuring.
    body = Body.from_sequence(seq, cfg, position=hinge_spec.POSITIONS[0], level=True, sane=True)
    pos = hinge_spec.analysed_position(body.position.position.value)
    standing = pos == "standing"
    if not standing:
        body = _reseat(body, seq, cfg, pos)
    t, px, world, vis, present, full_body = body.t_s, body.px, body.world, body.vis, body.present, body.full_body
    T = len(t)
    v = body.view
    view, facing, side = v.view, v.facing_sign, v.near_side
    s = "LEFT_" if side == "left" else "RIGHT_"
    i_hip, i_knee, i_ankle = int(LM[s + "HIP"]), int(LM[s + "KNEE"]), int(LM[s + "ANKLE"])
    i_sho, i_ear = int(LM[s + "SHOULDER"]), int(LM[s + "EAR"])
    mid_hip = mid(px[:, LM.LEFT_HIP], px[:, LM.RIGHT_HIP])
    mid_sho = mid(px[:, LM.LEFT_SHOULDER], px[:, LM.RIGHT_SHOULDER])
    warns: list[str] = []
    foot_side = side  # the leg and foot that carry the body
    if view == "side":
        trunk, thigh, shin = side_angles(px, facing, side)
        foot_side = _stance_leg(px, facing, side, trunk, thigh) if standing else side
        if foot_side != side:  # a single-leg hinge: the stance leg is the far one, the near leg rises with the trunk
            _, thigh, shin = side_angles(px, facing, foot_side)
            sl = "LEFT_" if foot_side == "left" else "RIGHT_"
            i_hip, i_knee, i_ankle = int(LM[sl + "HIP"]), int(LM[sl + "KNEE"]), int(LM[sl + "ANKLE"])
            warns.append("Measured on the standing leg (the far one): the leg nearer the camera moved with the trunk.")
    else:
        wa = sagittal_angles_world_auto(world, i_hip, i_knee, i_ankle)
        trunk, thigh, shin = (wa[k] for k in ("trunk_inclination_deg", "thigh_inclination_deg", "shin_inclination_deg"))
        warns.append(
            "Not a side view: angles come from the pose tracker's 3D estimate and are less accurate; film from "
            "the side."
            if view != "unknown"
            else "The camera angle could not be determined."
        )
    hip = trunk + thigh
    knee = thigh + shin
    # The standing baseline from frames with the body clearly seen, not only not cut off (dim joints guess).
    baseline = reference_frames(hinge_spec.REFERENCE, hip, body.baseline_ok)
    trunk_base = float(np.nanmedian(trunk[baseline])) if np.any(baseline) else math.nan
    knee_base = float(np.nanmedian(knee[baseline])) if np.any(baseline & np.isfinite(knee)) else 0.0
    knee = knee - knee_offset_deg(knee_base)
    if not standing:  # seated or kneeling the knees hold the position: their bend is not part of the movement
        knee, shin = np.full(T, np.nan), np.full(T, np.nan)
        warns.append(hinge_spec.not_measured_note(pos))

    # Back outline → spine flexion estimate (side view only).
    spine = np.full(T, np.nan)
    spine_check, outline_good, outline_noise = np.full(T, np.nan), np.zeros(T, dtype=bool), math.nan
    noise = math.nan
    if seq.back_contour_px is not None and view == "side":
        cont = body.level_px(smooth_landmarks(np.asarray(seq.back_contour_px, dtype=np.float64), t, cfg.signal))
        u, w = hip_lumbar.outline_in_trunk_frame(cont, mid_hip, mid_sho, facing)
        if not standing:
            # The extraction's outline probe tells the back by the toes, which point backwards kneeling: it then
            # traces the front of the body. An outline in front of the trunk line is not the back.
            front = np.nanmedian(w, axis=1) < 0
            if np.mean(front[np.any(np.isfinite(w), axis=1)]) > 0.5:
                warns.append(FRONT_OUTLINE_NOTE.format(position=pos))
            u, w = np.where(front[:, None], np.nan, u), np.where(front[:, None], np.nan, w)
        spine, spine_check, outline_good, noise, outline_noise = hip_lumbar.back_series(
            u, w, px, mid_hip, mid_sho, facing, t, baseline, gain=h.spine_outline_gain,
            noise_max_deg=h.spine_outline_noise_max_deg, max_gap_s=cfg.signal.max_gap_s,
            multi_person_frac=repset.multi_person_fraction(seq),
        )  # fmt: skip
    chord = hip_lumbar.chord_shortening_frac(mid_hip, mid_sho, baseline)

    # Load path (side and oblique views; a front view cannot show fore-aft position).
    com_pct = np.full(T, np.nan)
    foot_len_cm = math.nan
    ppc = body.px_per_cm
    # The foot is fixed from the standing frames with the whole body in view: with the feet never seen standing
    # (cut off by the frame) MediaPipe's feet are guesses, so the load path stays unknown rather than made up.
    feet_seen = standing and int(np.sum(baseline & body.baseline_ok)) >= MIN_FEET_SEEN_FRAMES
    if view in ("side", "oblique") and feet_seen:
        com = _com_px(px, cfg)
        foot = load_path.foot_frame_px(px, foot_side, facing, foot_index_frac=h.foot_index_frac, baseline=baseline)
        # Out of physical range or a foreshortened foot: NaN and "can't tell" (one rule, load_path_series).
        lp = load_path.load_path_series(com[:, 0], foot, facing, px_per_cm=ppc, height_cm=cfg.body.height_cm)
        com_pct, foot_len_cm = lp.pct, lp.foot_len_cm
        warns += list(lp.notes)
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
        if leg_len > 0 and feet_seen
        else np.full(T, np.nan)
    )
    hip_rel = (px[:, i_hip, 0] - px[:, i_ankle, 0]) * facing
    hip_rel_base = float(np.nanmedian(hip_rel[baseline])) if np.any(baseline) else math.nan
    hip_back_cm = (hip_rel_base - hip_rel) / ppc if math.isfinite(ppc) and ppc > 0 else np.full(T, np.nan)
    if not standing:
        hip_back_cm = np.full(T, np.nan)  # the hips stay on the chair / over the knees: not a measure there
    thigh_px = np.linalg.norm(px[:, i_knee] - px[:, i_hip], axis=1)
    thigh_ok = baseline & np.isfinite(thigh_px)
    thigh_len_cm = float(np.median(thigh_px[thigh_ok]) / ppc) if np.any(thigh_ok) and ppc > 0 else math.nan

    shoulder_elev = tone.shoulder_elevation_frac(px[:, i_ear], px[:, i_sho], mid_hip, mid_sho, baseline)
    ears = mid(px[:, LM.LEFT_EAR], px[:, LM.RIGHT_EAR])
    neck = tone.neck_extension_deg(mid_hip, mid_sho, ears, px[:, LM.NOSE], facing, baseline)
    with np.errstate(invalid="ignore"):
        neck = np.where(np.abs(neck) <= NECK_MAX_DEG, neck, np.nan)  # as live: beyond ±90° is a lost head, not a nod
    if view == "front":
        neck = np.full(T, np.nan)  # a nod is along the camera axis face-on

    mean_vis = repset.mean_body_visibility(vis, present)
    multi = repset.multi_person_fraction(seq)
    return Features(
        t_s=t, present=present, full_body=full_body, px=px, view=view, azimuth_deg=v.azimuth_deg, facing=facing,
        facing_label=v.facing_label, side=side, trunk=trunk, hip=hip, knee=knee, shin=shin, baseline=baseline,
        trunk_base=trunk_base, spine=spine, spine_noise_deg=noise, chord_short=chord, com_pct=com_pct,
        foot_len_cm=foot_len_cm, px_per_cm=ppc, heel_rise=heel, hip_back_cm=hip_back_cm,
        shoulder_elev=shoulder_elev, neck_ext=neck, warnings=warns, mean_visibility=mean_vis, position=body.position,
        multi_person_fraction=multi, analysed_position=pos, camera_roll_deg=body.camera_roll_deg,
        spine_check=spine_check, outline_good=outline_good, outline_noise_deg=outline_noise, thigh_len_cm=thigh_len_cm,
    )  # fmt: skip


def _reseat(body: Body, seq: PoseSequence, cfg: Config, position: str) -> Body:
    """The body of a seated or kneeling set: its view by that position's facing rule (kneeling, the toes point
    backwards: the face tells the facing), whole body in view = shoulders, hips and knees (the feet may be hidden),
    and the scale from the near side of that view."""
    view = estimate_view(body.px, body.world, body.image_z, position)
    needed = hinge_spec.landmarks_needed(position)
    full = whole_body_in_view(seq.landmarks, needed, aspect=seq.width / max(seq.height, 1)) & body.present
    clear = clearly_in_view(seq.landmarks, needed) & body.present
    ppc = px_per_cm(body.px, view.near_side, cfg.body.height_cm)
    return dataclasses.replace(body, view=view, full_body=full, seen_clearly=clear, px_per_cm=ppc)


def _com_px(px: np.ndarray, cfg: Config) -> np.ndarray:
    """Whole-body centre of mass in pixels (de Leva 1996, plus the held load at the hands)."""
    b = cfg.body
    return load_path.center_of_mass(
        px, sex=b.sex, body_kg=b.body_kg, load_kg=b.load_kg, foot_index_frac=cfg.exercise_config(NAME).foot_index_frac
    )


# ---------------------------------------------------------------------------------------------------------------
# Per rep
# ---------------------------------------------------------------------------------------------------------------


def _bottom_window(f: Features, w: RepWindow) -> np.ndarray:
    """Frame indices at the bottom of a rep: depth within 10 % of the rep's range from its deepest value."""
    idx = np.arange(w.start_i, w.end_i + 1)
    d = f.hip[idx]
    ok = np.isfinite(d)
    if not np.any(ok):
        return np.array([w.bottom_i])
    sel = idx[ok & (d >= w.bottom_level - 0.1 * abs(w.rom))]
    return sel if sel.size else np.array([w.bottom_i])


def _lowering_frames(f: Features, w: RepWindow) -> np.ndarray:
    """Frame indices of a rep's lowering: its first phase from standing, its last for a lift from the floor."""
    if w.starts_at_bottom:
        top_end = w.top_end_s if math.isfinite(w.top_end_s) else w.top_start_s
        lo = int(np.clip(np.searchsorted(f.t_s, top_end), w.start_i, w.end_i))
        return np.arange(lo, w.end_i + 1)
    return np.arange(w.start_i, max(w.bottom_i, w.start_i) + 1)


def rep_metrics(f: Features, w: RepWindow, index: int, cfg: Config) -> Rep:
    """All numbers of one rep (see the module docs and docs/metrics.md for definitions)."""
    h = cfg.exercise_config(NAME)
    idx = np.arange(w.start_i, w.end_i + 1)
    ecc = _lowering_frames(f, w)
    bot = _bottom_window(f, w)
    # Peak rounding = a high percentile over the bottom (where the load is highest), not the single maximum of a
    # still-noisy estimate and not transients while the hips start to move.
    # Unclear outline, implausible value or disagreeing readings: NaN, never a number a cue could act on (issue 10).
    back = hip_lumbar.rep_back_estimate(
        f.spine, f.spine_check if f.spine_check is not None else np.full(len(f.t_s), np.nan),
        f.outline_good if f.outline_good is not None else np.isfinite(f.spine), bot, peak_pct=SPINE_PEAK_PCT,
        agree_tol_deg=h.spine_agree_tol_deg, min_confidence=h.spine_min_confidence,
    )  # fmt: skip
    spine_bottom = back.spine_deg
    trunk_delta = f.trunk - f.trunk_base
    trunk_delta_bottom = nan_stat(np.median, trunk_delta[bot])
    hip_contrib = trunk_delta_bottom - h.chord_share * spine_bottom if math.isfinite(spine_bottom) else math.nan
    share = hip_lumbar.hip_share(hip_contrib, spine_bottom)
    spine_ecc = f.spine[ecc] if math.isfinite(spine_bottom) else np.full(len(ecc), np.nan)  # unclear: no bands
    bands = hip_lumbar.band_shares(
        trunk_delta[ecc], hip_lumbar.hip_contribution_deg(trunk_delta[ecc], spine_ecc, h.chord_share), spine_ecc
    )
    knee_bottom = nan_stat(np.median, f.knee[bot])
    spine_err = math.hypot(h.spine_est_model_err_deg, f.spine_noise_deg) if math.isfinite(spine_bottom) else math.nan
    band = h.midfoot_band_pct
    ex = load_path.band_excursions(
        f.com_pct[idx], f.t_s[idx], band, foot_len_cm=f.foot_len_cm, span_s=(w.start_s, w.end_s)
    )
    com_known = math.isfinite(ex["com_min_pct_foot"])
    te, tb, tc, tt = h.target_tempo_s
    metrics: dict[str, float | str | None] = {
        "trunk_inclination_max_deg": nan_stat(np.max, f.trunk[idx]),
        "hip_flexion_max_deg": nan_stat(np.max, f.hip[idx]),
        "knee_flexion_bottom_deg": knee_bottom,
        "shin_inclination_max_deg": nan_stat(np.max, f.shin[idx]),
        "spine_flexion_est_deg": spine_bottom,
        "spine_flexion_est_err_deg": spine_err,
        "spine_flexion_conf_frac": back.confidence,
        "hip_contribution_deg": hip_contrib,
        "hip_share": share,
        "hip_share_0_30": bands[(0.0, 30.0)],
        "hip_share_30_60": bands[(30.0, 60.0)],
        "hip_share_60_90": bands[(60.0, 90.0)],
        "com_min_pct_foot": ex["com_min_pct_foot"],
        "com_max_pct_foot": ex["com_max_pct_foot"],
        "com_bottom_pct_foot": nan_stat(np.median, f.com_pct[bot]) if com_known else math.nan,  # too few: none
        "time_outside_midfoot_s": ex["time_outside_midfoot_s"],
        "com_toes_excess_cm": ex["toes_excess_cm"],
        "com_heels_excess_cm": ex["heels_excess_cm"],
        # Median over the bottom: a lift that matters lasts while loaded; MediaPipe's foot points jump for a few
        # frames while the trunk swings through (up to 0.2 leg lengths on the rendered figure).
        "heel_lift_frac": max(0.0, nan_stat(np.median, f.heel_rise[bot]))
        if np.any(np.isfinite(f.heel_rise[bot]))
        else math.nan,
        "hip_back_cm": nan_stat(np.median, f.hip_back_cm[bot]),
        "thigh_length_cm": f.thigh_len_cm,
        "shoulder_elevation_frac": nan_stat(lambda x: np.percentile(x, 90), f.shoulder_elev[idx]),
        "neck_extension_deg": nan_stat(lambda x: np.percentile(x, 90), f.neck_ext[idx]),
        "velocity_sign_changes": float(velocity_sign_changes(f.hip[idx], f.t_s[idx])),
        "log_dimensionless_jerk": log_dimensionless_jerk(f.hip[idx], f.t_s[idx]),
        "trunk_chord_shortening_frac": nan_stat(np.median, f.chord_short[bot]),
        "target_eccentric_s": te,
        "target_bottom_s": tb,
        "target_concentric_s": tc,
        "target_top_s": tt,
        # Rise first for a lift from the floor (pull → lockout → lowering): what draws phases in time order reads it.
        PHASE_ORDER_KEY: phase_order(w),
    }
    if f.analysed_position != "standing":  # seated or kneeling: the feet and knees are not measured
        metrics.update(dict.fromkeys(hinge_spec.STANDING_ONLY_METRICS, math.nan))
    # Seated or kneeling the knee bend is unknown, so a rep is a hinge or a stoop, never squat-like.
    cls = hip_lumbar.classify_rep(
        knee_bottom, share, squat_knee_deg=h.squat_knee_deg, stoop_hip_share=h.stoop_hip_share
    )
    return repset.rep_from_window(w, f.t_s, index, metrics, classification=cls)


def rep_strategy(cfg: Config) -> Cyclic:
    """Cyclic reps on hip flexion with the hinge's thresholds and the signal settings (batch and stream)."""
    return repset.cyclic_reps(cfg.exercise_config(NAME), cfg.signal)


def find_rep_windows(
    f: Features, cfg: Config, range_override: float | None = None, *, whole_recording: bool = True
) -> list[RepWindow]:
    """Reps on hip flexion (robust, large range), timed on trunk inclination (least wobble).

    ``whole_recording=False`` (a live buffer, whose end is "now", not the end of the set): a last rep on its way
    up is not counted yet, and a set lifted from the floor is counted from standing (only its end, resting on the
    floor, tells it apart).

    A whole recording lifted from the floor (:func:`formcheck.reps.floor_start_reps`: opens at the bottom, ends
    resting there, every bottom the same floor) has its reps counted from the pull: rise → lockout → lowering.
    """
    strategy = rep_strategy(cfg)
    if not whole_recording:
        strategy = dataclasses.replace(strategy, count_cut_end=False)
    windows = strategy.batch(f.t_s, f.hip, timing=f.trunk, range_override=range_override)
    if not whole_recording:
        # A live buffer's end is "now": whether the set ends resting on the floor is not known yet (LIMITS).
        return windows
    pos = f.position.position if f.position is not None else "unknown"
    if str(getattr(pos, "value", pos)) not in ("unknown", *hinge_spec.POSITIONS):
        return windows  # lying or on all fours (refused by the position check): not a lift from the floor
    # A lift from the floor (conventional deadlift): each rep is pull → lockout → lowering (docs/metrics.md 8.6).
    floor = floor_start_reps(windows, f.hip, f.t_s, timing=f.trunk, hold_s=strategy.edge_hold_s)
    return floor if floor is not None else windows


def _summary(f: Features, reps: list[Rep], cfg: Config) -> dict[str, Any]:
    spines = [float(r.metrics["spine_flexion_est_deg"]) for r in reps]  # type: ignore[arg-type]
    out: dict[str, Any] = {
        "rep_count": len(reps),
        "classes": ",".join(r.classification for r in reps),
        # Over the reps whose phase was seen (an opening set-up has no lowering, a clip's cut last rep no rise).
        "mean_eccentric_s": repset.nan_mean([r.eccentric_s for r in reps]),
        "mean_concentric_s": repset.nan_mean([r.concentric_s for r in reps]),
        "mean_hip_share": repset.mean_metric(reps, "hip_share"),
        "max_spine_flexion_est_deg": max((s for s in spines if math.isfinite(s)), default=math.nan),
        "view_azimuth_deg": f.azimuth_deg,
        "px_per_cm": f.px_per_cm,
        "height_cm_assumed": cfg.body.height_cm,
        "spine_baseline_noise_deg": f.spine_noise_deg,
        "camera_roll_deg": f.camera_roll_deg,
    }
    for (lo, hi), ref in hip_lumbar.ESOLA_HIP_SHARE.items():
        key = f"hip_share_{int(lo)}_{int(hi)}"
        out[f"esola_{key}"] = ref
        out[f"mean_{key}"] = repset.mean_metric(reps, key)
    return out


def analyze_features(f: Features, seq: PoseSequence, cfg: Config) -> Analysis:
    """The set's analysis from its features: reps, per-frame series, quality, summary and settings."""
    h = cfg.exercise_config(NAME)
    windows = find_rep_windows(f, cfg)
    reps = [rep_metrics(f, w, i + 1, cfg) for i, w in enumerate(windows)]
    rep_index = repset.rep_index_series(len(f.t_s), reps, windows)
    values = (f.trunk, f.hip, f.knee, f.spine, f.com_pct, f.shoulder_elev, f.neck_ext)
    series = {"t_s": np.asarray(f.t_s, dtype=np.float64), **dict(zip(hinge_spec.LIVE_KEYS, values, strict=True))}
    series["rep_index"] = rep_index
    settings = {
        "analyzer": NAME, "lowpass_hz": cfg.signal.lowpass_hz, "spine_outline_gain": h.spine_outline_gain,
        "foot_index_frac": h.foot_index_frac, "min_rom_deg": h.min_rom_deg,
        "rep_prominence_frac": h.rep_prominence_frac,
        "midfoot_band_pct": "-".join(f"{x:g}" for x in h.midfoot_band_pct),
    }  # fmt: skip
    q = repset.features_quality(f, seq, f.side, len(reps))
    cut = [(r.index, w.starts_at_bottom) for r, w in zip(reps, windows, strict=True) if w.cut_at_end]
    if cut:
        q = repset.with_warning(q, (FLOOR_CUT_NOTE if cut[0][1] else CUT_END_NOTE).format(rep=cut[0][0]))
    if windows and windows[0].starts_at_bottom:
        q = repset.with_warning(q, FLOOR_START_NOTE)
    front_outline = FRONT_OUTLINE_NOTE.format(position=f.analysed_position) in f.warnings  # already said why
    unread = [r.index for r in reps if not math.isfinite(float(r.metrics["spine_flexion_est_deg"]))]  # type: ignore[arg-type]
    if f.view == "side" and math.isfinite(f.outline_noise_deg) and unread and not front_outline:
        # An outline was traced but could not be read (flickering, broken, implausible or disagreeing): say so.
        which = "" if len(unread) == len(reps) else " (reps " + ", ".join(str(i) for i in unread) + ")"
        q = repset.with_warning(q, f"{hip_lumbar.UNCLEAR_MESSAGE}{which}.")
    elif f.view == "side" and not np.any(np.isfinite(f.spine)) and not front_outline:
        q = repset.with_warning(q, "No body outline was available, so back rounding was not estimated.")
    return Analysis(exercise=NAME, reps=tuple(reps), cues=(), quality=q, series=series, video=seq.video,
                    summary=_summary(f, reps, cfg), limits=LIMITS, settings=settings)  # fmt: skip


class HingeAnalyzer:
    """Analyzer for the hip-hinge family (see module docstring)."""

    name = NAME

    def __init__(self, config: Config | None = None) -> None:
        self.config = config if config is not None else Config()

    def analyze(self, seq: PoseSequence) -> Analysis:
        """Analyse a whole recorded set (pure; no cues — the cue engine adds those)."""
        return repset.analyze_recorded_set(seq, self.config, hinge_spec, compute_features, analyze_features)

    def stream(self) -> ExerciseStream:
        """A fresh streaming analyzer: the engine runner driving :class:`~formcheck.analyzers.hinge_live.HingeLive`."""
        from formcheck.analyzers.hinge_live import HingeStream

        return HingeStream(self.config)
