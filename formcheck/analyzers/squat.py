"""Squat analyzer (bodyweight, goblet, back squat) on the shared engine.

Pipeline (pure functions of the pose sequence):

1. **Body** (:mod:`formcheck.body`): cleaned, low-passed landmarks; view, facing, near side, scale.
2. **Angles**: trunk, thigh and shin inclination — image-plane angles in a side view (the hinge's
   :func:`~formcheck.analyzers.hinge.side_angles`), MediaPipe's 3D estimate projected on the body's sagittal plane
   otherwise. Hip flexion = trunk + thigh, knee flexion = thigh + shin.
3. **Reps** (cyclic strategy) on knee flexion.
4. **Per rep**: depth (thigh angle above level at the bottom; hip below knee in cm), hip vs knee share, trunk minus
   shin inclination at the bottom, heel lift (cm), load path (the hinge's centre-of-mass code,
   :mod:`formcheck.metrics.load_path`), back rounding at the bottom from the back outline
   (:mod:`formcheck.metrics.hip_lumbar`) behind a validity gate, knees inside the hip–ankle line (front/oblique),
   tempo per phase against the prescription (the engine's common tempo rules).

Declarations are in :mod:`formcheck.analyzers.squat_spec`; see docs/metrics.md ("Squat").
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np

from formcheck.analyzers import squat_spec
from formcheck.analyzers.floor_hold import nan_stat  # one finite-values statistic for every analyzer
from formcheck.analyzers.hinge import knee_offset_deg, side_angles
from formcheck.body import Body
from formcheck.body.clean import mid, smooth_landmarks
from formcheck.body.position import PositionEstimate
from formcheck.config import Config
from formcheck.engine import repset
from formcheck.engine.reference import reference_frames
from formcheck.engine.repstrategies import Cyclic
from formcheck.engine.stream import ExerciseStream, LiveFrame, References, drop_unseen_phases
from formcheck.geometry import sagittal_angles_world_auto
from formcheck.metrics import hip_lumbar, load_path
from formcheck.reps import RepWindow
from formcheck.types import LM, Analysis, PoseSequence, Rep

NAME = squat_spec.NAME
LIMITS = squat_spec.LIMITS
BOTTOM_FRAC = 0.1  # the bottom of a rep: knee flexion within this fraction of the rep's range from its deepest
SPINE_PEAK_PCT = 90.0  # back rounding at the bottom: this percentile of the estimate over the bottom (as the hinge)
SPINE_MIN_SEEN_FRAC = 0.6  # the outline must be measured on this share of the bottom's frames, else NaN
DEEP_MAX_DEG, PARALLEL_MAX_DEG = 0.0, 20.0  # classes by thigh angle above level at the bottom


@dataclass
class Features:
    """Per-frame measurements of one sequence (all ``(T,)`` unless noted)."""

    t_s: np.ndarray
    present: np.ndarray
    full_body: np.ndarray
    view: str
    azimuth_deg: float
    facing_label: str
    side: str
    trunk: np.ndarray
    thigh: np.ndarray
    shin: np.ndarray
    hip: np.ndarray
    knee: np.ndarray
    baseline: np.ndarray
    hip_below_knee_cm: np.ndarray
    spine: np.ndarray
    spine_noise_deg: float
    com_pct: np.ndarray
    foot_len_cm: float
    px_per_cm: float
    heel_lift_cm: np.ndarray
    knees_in_pct: np.ndarray
    warnings: list[str] = field(default_factory=list)
    mean_visibility: float = math.nan
    multi_person_fraction: float = 0.0
    position: PositionEstimate | None = None
    camera_roll_deg: float = math.nan  # measured and undone before measuring (formcheck.body.roll)


def knees_in_pct(
    hips: tuple[np.ndarray, np.ndarray], knees: tuple[np.ndarray, np.ndarray], ankles: tuple[np.ndarray, np.ndarray]
) -> np.ndarray:
    """Per frame: how far a knee is inside its hip–ankle line, % of the hip width (the larger of the two legs).

    Points are ``(T, 2)`` in a frontal plane: a horizontal coordinate and a vertical one (either direction).
    The line's horizontal position at the knee's height is interpolated between hip and ankle; "inside" is toward
    the other hip. Positive = knees caving in, negative = knees out.
    """
    width = np.abs(hips[0][:, 0] - hips[1][:, 0])
    out = []
    for i in (0, 1):
        h, k, a, other = hips[i], knees[i], ankles[i], hips[1 - i]
        with np.errstate(invalid="ignore", divide="ignore"):
            s = (k[:, 1] - h[:, 1]) / (a[:, 1] - h[:, 1])
            line_x = h[:, 0] + (a[:, 0] - h[:, 0]) * s
            out.append(100.0 * (k[:, 0] - line_x) * np.sign(other[:, 0] - h[:, 0]) / width)
    return np.fmax(out[0], out[1])


def _frontal_points(body: Body) -> tuple[tuple, tuple, tuple]:
    """Hips, knees and ankles (left, right) in a frontal plane: image pixels face-on, world metres otherwise."""
    if body.view.view == "front":
        p = body.px
        pick = lambda j: p[:, j, :2]  # noqa: E731
    else:  # oblique: the world landmarks on the plane across the hips (horizontal lateral axis, vertical)
        w = body.world[:, :, :3]
        lat = w[:, LM.LEFT_HIP] - w[:, LM.RIGHT_HIP]
        lat[:, 1] = 0.0
        lat = lat / np.linalg.norm(lat, axis=1, keepdims=True)

        def pick(j: int) -> np.ndarray:
            return np.stack([np.sum(w[:, j] * lat, axis=1), w[:, j, 1]], axis=-1)

    def pair(name: str) -> tuple[np.ndarray, np.ndarray]:
        return pick(int(LM["LEFT_" + name])), pick(int(LM["RIGHT_" + name]))

    return pair("HIP"), pair("KNEE"), pair("ANKLE")


def compute_features(seq: PoseSequence, cfg: Config) -> Features:
    """All per-frame measurements the squat analysis needs (pure)."""
    h = cfg.exercise_config(NAME)
    body = Body.from_sequence(seq, cfg, position=squat_spec.POSITIONS[0], level=True, sane=True)  # issue 10
    t, px, vis, present, full_body = body.t_s, body.px, body.vis, body.present, body.full_body
    T = len(t)
    v = body.view
    view, facing, side = v.view, v.facing_sign, v.near_side
    s = "LEFT_" if side == "left" else "RIGHT_"
    i_hip, i_knee, i_ankle = int(LM[s + "HIP"]), int(LM[s + "KNEE"]), int(LM[s + "ANKLE"])
    warns: list[str] = []
    if view == "side":
        trunk, thigh, shin = side_angles(px, facing, side)
    else:
        wa = sagittal_angles_world_auto(body.world, i_hip, i_knee, i_ankle)
        trunk, thigh, shin = (wa[k] for k in ("trunk_inclination_deg", "thigh_inclination_deg", "shin_inclination_deg"))
        warns.append(
            "Not a side view: depth, trunk and shin angles come from the pose tracker's 3D estimate and are not "
            "judged; "
            "film from the side for those (from the front, knee tracking is judged)."
            if view != "unknown"
            else "The camera angle could not be determined."
        )
    hip = trunk + thigh
    knee = thigh + shin
    # The standing baseline from frames with the body clearly seen, not only not cut off (dim joints guess).
    baseline = reference_frames(squat_spec.REFERENCE, knee, body.baseline_ok)
    knee_base = float(np.nanmedian(knee[baseline])) if np.any(baseline & np.isfinite(knee)) else 0.0
    knee = knee - knee_offset_deg(knee_base)
    ppc = body.px_per_cm
    scale_ok = math.isfinite(ppc) and ppc > 0
    nan = np.full(T, np.nan)

    hip_below = (px[:, i_hip, 1] - px[:, i_knee, 1]) / ppc if view == "side" and scale_ok else nan

    # Back outline → spine flexion (side view only), gated: a noisy standing outline is not trusted.
    spine, noise = nan, math.nan
    if seq.back_contour_px is not None and view == "side":
        mid_hip = mid(px[:, LM.LEFT_HIP], px[:, LM.RIGHT_HIP])
        mid_sho = mid(px[:, LM.LEFT_SHOULDER], px[:, LM.RIGHT_SHOULDER])
        cont = body.level_px(smooth_landmarks(np.asarray(seq.back_contour_px, dtype=np.float64), t, cfg.signal))
        u, w = hip_lumbar.outline_in_trunk_frame(cont, mid_hip, mid_sho, facing)
        bend = hip_lumbar.smooth_bend_deg(hip_lumbar.outline_bend_deg(u, w), t, max_gap_s=cfg.signal.max_gap_s)
        spine, _, noise = hip_lumbar.spine_flexion_est(bend, baseline, h.spine_outline_gain)
        if not (math.isfinite(noise) and noise <= h.spine_noise_max_deg):
            spine = nan
            warns.append("The back outline was unclear while standing, so back rounding was not estimated.")

    com_pct, foot_len_cm, heel_cm = nan, math.nan, nan
    if view in ("side", "oblique"):
        com = load_path.center_of_mass(px, sex=cfg.body.sex, body_kg=cfg.body.body_kg, load_kg=cfg.body.load_kg,
                                       foot_index_frac=h.foot_index_frac)  # fmt: skip
        foot = load_path.foot_frame_px(px, side, facing, foot_index_frac=h.foot_index_frac, baseline=baseline)
        # Out of physical range or a foreshortened foot: NaN and "can't tell" (one rule, load_path_series).
        lp = load_path.load_path_series(com[:, 0], foot, facing, px_per_cm=ppc, height_cm=cfg.body.height_cm)
        com_pct, foot_len_cm = lp.pct, lp.foot_len_cm
        warns += list(lp.notes)
        if scale_ok:
            # As the hinge: a real heel lift is bilateral, the smaller of the two feet ignores one foot's wobble.
            heel_cm = np.fmin(*(load_path.heel_rise_frac(px, f, baseline, 1.0) for f in ("left", "right"))) / ppc

    knees_in = nan
    if view in ("front", "oblique"):
        knees_in = knees_in_pct(*_frontal_points(body))
        base = float(np.nanmedian(knees_in[baseline])) if np.any(baseline & np.isfinite(knees_in)) else 0.0
        knees_in = knees_in - base  # relative to the person's own standing line (landmark placement)

    mean_vis = repset.mean_body_visibility(vis, present)
    multi = repset.multi_person_fraction(seq)
    return Features(
        t_s=t, present=present, full_body=full_body, view=view, azimuth_deg=v.azimuth_deg,
        facing_label=v.facing_label, side=side, trunk=trunk, thigh=thigh, shin=shin, hip=hip, knee=knee,
        baseline=baseline, hip_below_knee_cm=hip_below, spine=spine, spine_noise_deg=noise, com_pct=com_pct,
        foot_len_cm=foot_len_cm, px_per_cm=ppc, heel_lift_cm=heel_cm, knees_in_pct=knees_in, warnings=warns,
        mean_visibility=mean_vis, multi_person_fraction=multi, position=body.position,
        camera_roll_deg=body.camera_roll_deg,
    )  # fmt: skip


def _bottom(f: Features, w: RepWindow) -> np.ndarray:
    """Frame indices at the bottom: knee flexion within BOTTOM_FRAC of the rep's range of its deepest value."""
    idx = np.arange(w.start_i, w.end_i + 1)
    d = f.knee[idx]
    ok = np.isfinite(d)
    if not np.any(ok):
        return np.array([w.bottom_i])
    sel = idx[ok & (d >= np.nanmax(d) - BOTTOM_FRAC * abs(w.rom))]
    return sel if sel.size else np.array([w.bottom_i])


def classify(thigh_above_deg: float) -> str:
    """``deep`` (hips below knees), ``parallel`` (thighs within 20° of level), ``partial``; "" unknown."""
    if not math.isfinite(thigh_above_deg):
        return ""
    return (
        "deep" if thigh_above_deg < DEEP_MAX_DEG else ("parallel" if thigh_above_deg <= PARALLEL_MAX_DEG else "partial")
    )


def rep_metrics(f: Features, w: RepWindow, index: int, cfg: Config) -> Rep:
    """All numbers of one rep (see docs/metrics.md, "Squat")."""
    h = cfg.exercise_config(NAME)
    idx = np.arange(w.start_i, w.end_i + 1)
    bot = _bottom(f, w)
    base = f.baseline
    hip0 = nan_stat(np.median, f.hip[base]) if np.any(base) else math.nan
    knee0 = nan_stat(np.median, f.knee[base]) if np.any(base) else math.nan
    hip_b, knee_b = nan_stat(np.median, f.hip[bot]), nan_stat(np.median, f.knee[bot])
    d_hip, d_knee = hip_b - (hip0 if math.isfinite(hip0) else 0.0), knee_b - (knee0 if math.isfinite(knee0) else 0.0)
    share = d_hip / (d_hip + d_knee) if d_hip + d_knee > 1.0 else math.nan
    trunk_b, shin_b = nan_stat(np.median, f.trunk[bot]), nan_stat(np.median, f.shin[bot])
    seen = np.mean(np.isfinite(f.spine[bot])) if bot.size else 0.0
    spine_b = (
        nan_stat(lambda x: np.percentile(x, SPINE_PEAK_PCT), f.spine[bot]) if seen >= SPINE_MIN_SEEN_FRAC else math.nan
    )
    spine_err = math.hypot(h.spine_est_model_err_deg, f.spine_noise_deg) if math.isfinite(spine_b) else math.nan
    ex = load_path.band_excursions(
        f.com_pct[idx], f.t_s[idx], h.midfoot_band_pct, foot_len_cm=f.foot_len_cm, span_s=(w.start_s, w.end_s)
    )
    heel = nan_stat(np.median, f.heel_lift_cm[bot])
    te, tb, tc, tt = h.target_tempo_s
    depth = nan_stat(np.min, 90.0 - f.thigh[idx])
    metrics: dict[str, float | str | None] = {
        "thigh_above_parallel_deg": depth,
        "hip_below_knee_cm": nan_stat(np.max, f.hip_below_knee_cm[idx]),
        "trunk_minus_shin_deg": trunk_b - shin_b,
        "trunk_inclination_bottom_deg": trunk_b,
        "shin_inclination_bottom_deg": shin_b,
        "hip_flexion_bottom_deg": hip_b,
        "knee_flexion_bottom_deg": knee_b,
        "hip_knee_share": share,
        # Median over the bottom, as the hinge: a lift that matters lasts while loaded; foot points jump briefly.
        "heel_lift_cm": max(0.0, heel) if math.isfinite(heel) else math.nan,
        "knees_in_pct_hips": nan_stat(np.max, f.knees_in_pct[bot]),
        "spine_flexion_est_deg": spine_b,
        "spine_flexion_est_err_deg": spine_err,
        "com_min_pct_foot": ex["com_min_pct_foot"],
        "com_max_pct_foot": ex["com_max_pct_foot"],
        "time_outside_midfoot_s": ex["time_outside_midfoot_s"],
        "com_toes_excess_cm": ex["toes_excess_cm"],
        "com_heels_excess_cm": ex["heels_excess_cm"],
        "target_eccentric_s": te,
        "target_bottom_s": tb,
        "target_concentric_s": tc,
        "target_top_s": tt,
    }
    return repset.rep_from_window(w, f.t_s, index, metrics, classification=classify(depth))


def rep_strategy(cfg: Config) -> Cyclic:
    """Cyclic reps on knee flexion with the squat's thresholds and the signal settings (batch and stream)."""
    # A recording cut on the last rep's way up counts it (docs/metrics.md S3); find_rep_windows turns it off live.
    return repset.cyclic_reps(cfg.exercise_config(NAME), cfg.signal)


def find_rep_windows(f: Features, cfg: Config, *, whole_recording: bool = True) -> list[RepWindow]:
    """Reps on knee flexion (the squat's depth signal in every view).

    ``whole_recording=False`` (a live buffer, whose end is "now", not the end of the set): a last rep on its way
    up is not counted yet.
    """
    strategy = rep_strategy(cfg)
    if not whole_recording:
        strategy = dataclasses.replace(strategy, count_cut_end=False)
    return strategy.batch(f.t_s, f.knee)


def analyze_features(f: Features, seq: PoseSequence, cfg: Config) -> Analysis:
    """The set's analysis from its features: reps, series, quality, summary and settings."""
    h = cfg.exercise_config(NAME)
    windows = find_rep_windows(f, cfg)
    reps = [rep_metrics(f, w, i + 1, cfg) for i, w in enumerate(windows)]
    rep_index = repset.rep_index_series(len(f.t_s), reps, windows)
    series = {
        "t_s": np.asarray(f.t_s, dtype=np.float64), "knee_flexion_deg": f.knee, "hip_flexion_deg": f.hip,
        "trunk_inclination_deg": f.trunk, "shin_inclination_deg": f.shin, "thigh_above_parallel_deg": 90.0 - f.thigh,
        "com_pct_foot": f.com_pct, "spine_flexion_est_deg": f.spine, "knees_in_pct_hips": f.knees_in_pct,
        "rep_index": rep_index,
    }  # fmt: skip
    settings = {"analyzer": NAME, "lowpass_hz": cfg.signal.lowpass_hz, "min_rom_deg": h.min_rom_deg,
                "rep_prominence_frac": h.rep_prominence_frac, "spine_outline_gain": h.spine_outline_gain,
                "midfoot_band_pct": "-".join(f"{x:g}" for x in h.midfoot_band_pct)}  # fmt: skip
    summary = {
        "rep_count": len(reps), "classes": ",".join(r.classification for r in reps),
        # Over the reps whose phase was seen (a recording's cut last rep has no rise).
        "mean_eccentric_s": repset.nan_mean([r.eccentric_s for r in reps]),
        "mean_concentric_s": repset.nan_mean([r.concentric_s for r in reps]),
        "mean_thigh_above_parallel_deg": repset.mean_metric(reps, "thigh_above_parallel_deg"),
        "mean_trunk_minus_shin_deg": repset.mean_metric(reps, "trunk_minus_shin_deg"),
        "view_azimuth_deg": f.azimuth_deg, "px_per_cm": f.px_per_cm, "height_cm_assumed": cfg.body.height_cm,
        "spine_baseline_noise_deg": f.spine_noise_deg, "camera_roll_deg": f.camera_roll_deg,
    }  # fmt: skip
    q = repset.cut_end_warning(repset.features_quality(f, seq, f.side, len(reps)), reps, windows)
    return Analysis(exercise=NAME, reps=tuple(reps), cues=(), quality=q, series=series, video=seq.video,
                    summary=summary, limits=LIMITS, settings=settings)  # fmt: skip


class SquatAnalyzer:
    """Analyzer for squats (see module docstring)."""

    name = NAME

    def __init__(self, config: Config | None = None) -> None:
        self.config = config if config is not None else Config()

    def analyze(self, seq: PoseSequence) -> Analysis:
        """Analyse a whole recorded set (pure; the cue engine adds the cues)."""
        return repset.analyze_recorded_set(seq, self.config, squat_spec, compute_features, analyze_features)

    def stream(self) -> ExerciseStream:
        """A fresh streaming analyzer: the engine's runner driving :class:`SquatLive`."""
        return ExerciseStream(self.config, SquatLive(self.config))


class SquatLive:
    """The squat's part of the stream runner: side-view angles of the newest frame; reps re-analysed in batch."""

    reference_keys = ("knee",)
    phase_key = "knee_flexion_deg"
    sane_landmarks = True  # the batch code checks landmark sanity: a jumping point is unknown live too

    def __init__(self, config: Config) -> None:
        self.config = config
        self.spec = squat_spec.SPEC
        self.strategy = rep_strategy(config)

    def depth(self, px: np.ndarray, facing: float) -> float:
        _, thigh, shin = side_angles(px[None], facing, "left" if facing < 0 else "right")
        return float(thigh[0] + shin[0])

    def live_values(self, fr: LiveFrame, refs: References) -> tuple[dict[str, float], dict[str, float]]:
        trunk, thigh, shin = (
            float(a[0]) for a in side_angles(fr.px[None], fr.facing, "left" if fr.facing < 0 else "right")
        )
        vals = {"knee_flexion_deg": thigh + shin - knee_offset_deg(refs("knee")), "hip_flexion_deg": trunk + thigh,
                "trunk_inclination_deg": trunk, "shin_inclination_deg": shin,
                "thigh_above_parallel_deg": 90.0 - thigh,
                # Not measured live (each finished rep is re-analysed in batch, where they are): unknown, never 0.
                "com_pct_foot": math.nan, "spine_flexion_est_deg": math.nan, "knees_in_pct_hips": math.nan}  # fmt: skip
        standing = fr.phase in ("top", "setup") and fr.baseline_ok
        return vals, ({"knee": thigh + shin} if standing else {})

    def analyze_rep(self, seq: PoseSequence, w: RepWindow, index: int, after_s: float) -> tuple[Rep, RepWindow] | None:
        f = compute_features(seq, self.config)
        windows = [x for x in find_rep_windows(f, self.config, whole_recording=False) if x.end_s > after_s + 1e-6]
        if not windows:
            return None
        best = min(windows, key=lambda x: abs(x.end_s - w.end_s))
        rep = rep_metrics(f, best, index, self.config)
        return drop_unseen_phases(rep, f.t_s, np.isfinite(f.knee)), best
