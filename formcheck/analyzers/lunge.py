"""Lunge and split-squat analyzer (static split squat, forward and reverse lunge, one side or alternating).

Pipeline (pure functions of the pose sequence):

1. **Body** (:mod:`formcheck.body`): cleaned, low-passed landmarks, view, position and image scale.
2. **Sagittal plane**: every landmark as (forward, up) in the person's own front-back plane. Side view: image
   pixels, forward = the direction the face points (nose ahead of the ears: a rear foot laid on a bench points
   its toes backwards, so the feet cannot tell); centimetres from :attr:`Body.px_per_cm` (the user's height).
   Oblique or front view: MediaPipe's world landmarks projected on the body's sagittal plane (forward from the
   hips and shoulders, checked by the nose), centimetres from the world leg length scaled to the user's height.
3. **Reps** (alternating strategy, :class:`formcheck.engine.repstrategies.Alternating`): each leg's thigh
   inclination from vertical (knee ahead of the hip > 0). Only the front leg's thigh tips forward (towards
   horizontal); the back thigh swings behind vertical. So each rep is found on its front leg's signal and
   ``Rep.side`` is the front leg; the back thigh's smaller excursion in a split squat is the same movement seen
   twice and is suppressed by range.
4. **Per rep** (:func:`rep_metrics`): front shin lean and knee travel past the toes, trunk lean, depth (front thigh
   above parallel, back knee height above the floor), step length over leg length, fore-aft sway of the centre of
   mass at the bottom (:func:`formcheck.metrics.load_path.center_of_mass`), tempo (the rep's phases).

Declarations are in :mod:`formcheck.analyzers.lunge_spec`, the live model in :mod:`formcheck.analyzers.lunge_live`.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from formcheck.analyzers import lunge_spec
from formcheck.analyzers.floor_hold import nan_stat  # one finite-values statistic for every analyzer
from formcheck.body import Body
from formcheck.body.clean import mid
from formcheck.body.position import PositionEstimate
from formcheck.body.roll import SHANK_FRAC_OF_HEIGHT, THIGH_FRAC_OF_HEIGHT
from formcheck.body.view import facing_votes
from formcheck.config import Config
from formcheck.engine import repset
from formcheck.engine.repstrategies import Alternating
from formcheck.engine.stream import ExerciseStream
from formcheck.geometry import sagittal_basis_world
from formcheck.metrics import load_path
from formcheck.reps import RepWindow
from formcheck.types import LM, Analysis, PoseSequence, Rep

NAME = lunge_spec.NAME
LIMITS = lunge_spec.LIMITS
SIDES = ("left", "right")
BOTTOM_FRAC = 0.1  # frames within this fraction of the rep's range from its deepest value are "the bottom"
SWAY_PCT = (5.0, 95.0)  # sway: the centre of mass's fore-aft spread between these percentiles at the bottom


@dataclass
class Features:
    """Per-frame measurements of one sequence (``(T,)`` unless noted; NaN where unknown)."""

    t_s: np.ndarray
    present: np.ndarray
    full_body: np.ndarray
    plane: np.ndarray  # (T, 33, 2) (forward, up) in the person's sagittal plane, in plane units
    cm_per_unit: float  # centimetres per plane unit (NaN unknown)
    source: str  # "image" (side view, pixels) or "world" (3D estimate projected)
    view: str
    azimuth_deg: float
    facing: float
    facing_label: str
    near_side: str
    thigh: dict[str, np.ndarray]  # per side: thigh from vertical, knee ahead of the hip > 0
    shin: dict[str, np.ndarray]  # per side: shin from vertical, knee ahead of the ankle > 0
    trunk: np.ndarray  # mid-hip -> mid-shoulder from vertical, forward > 0
    com_fwd: np.ndarray  # centre of mass, forward coordinate (plane units)
    floor_up: np.ndarray  # lowest foot point, up coordinate (plane units)
    warnings: list[str] = field(default_factory=list)
    mean_visibility: float = math.nan
    multi_person_fraction: float = 0.0
    position: PositionEstimate | None = None
    camera_roll_deg: float = math.nan  # measured and undone before measuring (formcheck.body.roll)


def plane_angles(plane: np.ndarray) -> dict[str, Any]:
    """Trunk, thigh and shin inclinations from ``(T, 33, 2)`` (forward, up) points (batch and live alike)."""
    p = np.asarray(plane, dtype=np.float64)
    hip_m = mid(p[:, LM.LEFT_HIP], p[:, LM.RIGHT_HIP])
    sho_m = mid(p[:, LM.LEFT_SHOULDER], p[:, LM.RIGHT_SHOULDER])
    d = sho_m - hip_m
    out: dict[str, Any] = {"trunk": np.degrees(np.arctan2(d[:, 0], d[:, 1])), "thigh": {}, "shin": {}}
    for side in SIDES:
        s = side.upper() + "_"
        hip, knee, ankle = p[:, LM[s + "HIP"]], p[:, LM[s + "KNEE"]], p[:, LM[s + "ANKLE"]]
        th, sh = knee - hip, knee - ankle
        out["thigh"][side] = np.degrees(np.arctan2(th[:, 0], -th[:, 1]))
        out["shin"][side] = np.degrees(np.arctan2(sh[:, 0], sh[:, 1]))
    return out


def image_plane(px: np.ndarray, facing: float) -> np.ndarray:
    """``(T, 33, 2)`` pixels → (forward, up) pixels for a person facing image-right (+1) or image-left (-1)."""
    p = np.asarray(px, dtype=np.float64)
    return np.stack([p[..., 0] * facing, -p[..., 1]], axis=-1)


def face_facing(px: np.ndarray, fallback: float) -> float:
    """+1 / -1: the way the face points in a side view (nose ahead of the ears), by majority over the frames."""
    votes = facing_votes(px, "face")
    votes = votes[np.isfinite(votes)]
    s = float(np.sign(np.sum(votes))) if votes.size else 0.0
    return s if s != 0 else fallback


def world_plane(world: np.ndarray) -> np.ndarray:
    """``(T, 33, 3)`` world landmarks → (forward, up) metres in the body's sagittal plane.

    Forward comes from the hips and shoulders (horizontal, square to their left-right line); the nose (ahead of the
    ears) decides its sign, since the pose model can swap left and right face-on.
    """
    w = np.asarray(world, dtype=np.float64)[..., :3]
    fwd, _, _ = sagittal_basis_world(w[:, LM.LEFT_HIP], w[:, LM.RIGHT_HIP], w[:, LM.LEFT_SHOULDER],
                                     w[:, LM.RIGHT_SHOULDER])  # fmt: skip
    if np.any(np.isfinite(fwd)):
        fwd = np.where(np.isfinite(fwd), fwd, np.nanmedian(fwd, axis=0))
        face = w[:, LM.NOSE] - mid(w[:, LM.LEFT_EAR], w[:, LM.RIGHT_EAR])
        agree = np.nansum(np.sum(face * fwd, axis=1))
        if agree < 0:
            fwd = -fwd
    return np.stack([np.sum(w * fwd[:, None, :], axis=-1), -w[..., 1]], axis=-1)


def _leg_len(plane: np.ndarray) -> float:
    """Median thigh + shank length over both legs and all frames (plane units)."""
    lens = []
    for s in ("LEFT_", "RIGHT_"):
        hip, knee, ankle = (plane[:, LM[s + n]] for n in ("HIP", "KNEE", "ANKLE"))
        lens.append(np.linalg.norm(knee - hip, axis=1) + np.linalg.norm(ankle - knee, axis=1))
    x = np.concatenate(lens)
    x = x[np.isfinite(x)]
    return float(np.median(x)) if x.size else math.nan


FOOT_POINTS = (LM.LEFT_HEEL, LM.RIGHT_HEEL, LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX)


def compute_features(seq: PoseSequence, cfg: Config) -> Features:
    """All per-frame measurements the lunge analysis needs (pure)."""
    body = Body.from_sequence(seq, cfg, position=lunge_spec.POSITIONS[0], level=True, sane=True)  # issue 10
    v = body.view
    warns: list[str] = []
    if v.view == "side":
        facing = face_facing(body.px, v.facing_sign)
        plane = image_plane(body.px, facing)
        cm_per_unit = 1.0 / body.px_per_cm if math.isfinite(body.px_per_cm) and body.px_per_cm > 0 else math.nan
        source = "image"
    else:
        facing = v.facing_sign
        plane = world_plane(body.world)
        leg_m = _leg_len(plane)
        leg_cm = (THIGH_FRAC_OF_HEIGHT + SHANK_FRAC_OF_HEIGHT) * cfg.body.height_cm
        cm_per_unit = leg_cm / leg_m if math.isfinite(leg_m) and leg_m > 0 else math.nan
        source = "world"
        warns.append(
            "Not a side view: trunk, thigh and shin angles come from the pose tracker's 3D estimate and are not "
            "judged; knee travel, back knee height and sway are not measured. Film from the side for those."
            if v.view != "unknown"
            else "The camera angle could not be determined."
        )
    a = plane_angles(plane)
    b, ex = cfg.body, cfg.exercise_config(NAME)
    com = load_path.center_of_mass(
        plane, sex=b.sex, body_kg=b.body_kg, load_kg=b.load_kg, foot_index_frac=ex.foot_index_frac
    )
    with np.errstate(invalid="ignore"):
        floor_up = np.nanmin(plane[:, list(FOOT_POINTS), 1], axis=1)
    present = body.present
    mean_vis = repset.mean_body_visibility(body.vis, present)
    multi = repset.multi_person_fraction(seq)
    return Features(
        t_s=body.t_s, present=present, full_body=body.full_body, plane=plane, cm_per_unit=cm_per_unit,
        source=source, view=v.view, azimuth_deg=v.azimuth_deg, facing=facing,
        facing_label=("right" if facing > 0 else "left") if v.view != "front" else v.facing_label,
        near_side=v.near_side, thigh=a["thigh"], shin=a["shin"], trunk=a["trunk"], com_fwd=com[:, 0],
        floor_up=floor_up, warnings=warns, mean_visibility=mean_vis, multi_person_fraction=multi,
        position=body.position, camera_roll_deg=body.camera_roll_deg,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# Reps
# ---------------------------------------------------------------------------------------------------------------


def rep_strategy(cfg: Config) -> Alternating:
    """Alternating reps on the two thighs' forward inclination (batch and stream)."""
    # A recording cut on the last rep's way up counts it, the turnaround seen on that leg's own signal and compared
    # with that leg's complete reps (docs/metrics.md L4); find_rep_windows turns it off for a live buffer.
    return Alternating(cyclic=repset.cyclic_reps(cfg.exercise_config(NAME), cfg.signal))


def find_rep_windows(f: Features, cfg: Config, *, whole_recording: bool = True) -> list[RepWindow]:
    """Single-side reps, ``side`` = the front leg, in time order.

    ``whole_recording=False`` (a live buffer, whose end is "now", not the end of the set): a last rep on its way
    up is not counted yet.
    """
    strategy = rep_strategy(cfg)
    if not whole_recording:
        strategy = dataclasses.replace(strategy, cyclic=dataclasses.replace(strategy.cyclic, count_cut_end=False))
    depth = {s: depth_signal(f.thigh[s]) for s in SIDES}
    windows = strategy.batch(f.t_s, depth["left"], depth["right"])
    if whole_recording and windows and _other_leg_in_front(windows[-1], depth):
        # Seen obliquely, the back thigh of a deep rep can read tipped forward too (lunge_oblique_kbtrainer_12:
        # ~72° behind a 101° front thigh). Such an echo loses to the rep itself as a double detection, unless the
        # recording ends during that rep's rise: the echo, shallower, can pass as a rep on its own signal (cut or
        # back) before the front leg's rep does. It is the other leg's rep, not this leg's: dropped (the rep
        # counts, on its own leg, once that leg's rise passes the tests).
        windows = windows[:-1]
        if windows:
            windows[-1] = dataclasses.replace(windows[-1], top_pause_s=math.nan)  # its next rep is not known
    return windows


def _other_leg_in_front(w: RepWindow, depth: dict[str, np.ndarray]) -> bool:
    """Whether the other leg's thigh tipped further forward than this rep's own at the rep's bottom."""
    own = w.side or "left"
    other = "right" if own == "left" else "left"
    at = slice(max(0, w.bottom_i - 2), w.bottom_i + 3)  # a few frames: one frame's swap of the legs is not a leg
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # unknown there: NaN, compares False
        return bool(np.nanmedian(depth[other][at]) > np.nanmedian(depth[own][at]))


def depth_signal(thigh_deg: np.ndarray) -> np.ndarray:
    """A leg's rep signal: its thigh's forward tip, 0 while behind vertical (NaN stays unknown).

    A thigh behind vertical is the back leg of the other side's rep: as a dip below the standing level it would
    move the fitted start of this leg's next rep earlier.
    """
    return np.maximum(np.asarray(thigh_deg, dtype=np.float64), 0.0)


def _bottom(f: Features, w: RepWindow, front: str) -> np.ndarray:
    """Frame indices at the bottom: the front thigh within BOTTOM_FRAC of the rep's range from its deepest value."""
    idx = np.arange(w.start_i, w.end_i + 1)
    d = f.thigh[front][idx]
    sel = idx[np.isfinite(d) & (d >= w.bottom_level - BOTTOM_FRAC * abs(w.rom))]
    return sel if sel.size else np.array([w.bottom_i])


def rep_metrics(f: Features, w: RepWindow, index: int, cfg: Config) -> Rep:
    """All numbers of one rep (definitions in the module docs and docs/metrics.md)."""
    ex = cfg.exercise_config(NAME)
    front = w.side or "left"
    back = "right" if front == "left" else "left"
    fs, bs = front.upper() + "_", back.upper() + "_"
    idx = np.arange(w.start_i, w.end_i + 1)
    bot = _bottom(f, w, front)
    p, cm = f.plane, f.cm_per_unit
    knee_f, ankle_f, heel_f = p[:, LM[fs + "KNEE"]], p[:, LM[fs + "ANKLE"]], p[:, LM[fs + "HEEL"]]
    # The toe tip: the foot index sits at the ball of the foot, foot_index_frac of the foot from the heel.
    toe_f = heel_f + (p[:, LM[fs + "FOOT_INDEX"]] - heel_f) / ex.foot_index_frac
    knee_b, ankle_b = p[:, LM[bs + "KNEE"]], p[:, LM[bs + "ANKLE"]]
    # Centimetres and the step need true lengths in the plane: a side view's image (the 3D estimate's depth is
    # too rough for them, e.g. step lengths of 0.0-0.2 leg on deep real lunges filmed at 30-45°).
    if f.source != "image":
        cm = math.nan
    floor = nan_stat(np.median, f.floor_up[idx])  # the floor is still; the lowest foot point wobbles per frame
    leg = _leg_len(p[idx]) if f.source == "image" else math.nan
    te, tb, tc, tt = ex.target_tempo_s
    metrics: dict[str, float | str | None] = {
        "front_shin_incl_deg": nan_stat(np.median, f.shin[front][bot]),
        "knee_past_toes_cm": nan_stat(np.median, knee_f[bot, 0] - toe_f[bot, 0]) * cm,
        "trunk_incl_max_deg": nan_stat(np.max, f.trunk[idx]),
        "front_thigh_above_parallel_deg": 90.0 - nan_stat(np.median, f.thigh[front][bot]),
        "back_knee_height_cm": (nan_stat(np.median, knee_b[bot, 1]) - floor) * cm,
        "step_length_leg_frac": nan_stat(np.median, np.abs(ankle_f[bot, 0] - ankle_b[bot, 0])) / leg,
        "com_sway_cm": nan_stat(lambda x: np.percentile(x, SWAY_PCT[1]) - np.percentile(x, SWAY_PCT[0]), f.com_fwd[bot])
        * cm,  # fmt: skip
        "front_knee_flexion_deg": nan_stat(np.median, (f.thigh[front] + f.shin[front])[bot]),
        "back_knee_flexion_deg": nan_stat(np.median, (f.thigh[back] + f.shin[back])[bot]),
        "target_eccentric_s": te,
        "target_bottom_s": tb,
        "target_concentric_s": tc,
        "target_top_s": tt,
    }
    return repset.rep_from_window(w, f.t_s, index, metrics, side=front)


def front_series(f: Features) -> dict[str, np.ndarray]:
    """Per-frame values of the leg in front (the one whose thigh tips further forward): the series and live keys."""
    return front_values(f.thigh, f.shin, f.trunk)


def front_values(thigh: dict[str, np.ndarray], shin: dict[str, np.ndarray], trunk: np.ndarray) -> dict[str, Any]:
    """The lunge's live keys from both legs' angles (batch series and one live frame alike)."""
    left_front = thigh["left"] >= thigh["right"]
    th = np.fmax(thigh["left"], thigh["right"])  # NaN only when both are unknown
    sh = np.where(left_front, shin["left"], shin["right"])
    sh = np.where(np.isfinite(th), sh, np.nan)
    return {"front_thigh_incl_deg": th, "trunk_inclination_deg": np.asarray(trunk, dtype=np.float64),
            "front_shin_incl_deg": sh, "front_knee_flexion_deg": th + sh}  # fmt: skip


def _summary(f: Features, reps: list[Rep]) -> dict[str, Any]:
    return {
        "rep_count": len(reps),
        "reps_left": sum(r.side == "left" for r in reps),
        "reps_right": sum(r.side == "right" for r in reps),
        "sides": ",".join(str(r.side) for r in reps),
        "measured_from": f.source,
        "view_azimuth_deg": f.azimuth_deg,
        "cm_per_unit": f.cm_per_unit,
        "camera_roll_deg": f.camera_roll_deg,
    }


def analyze_features(f: Features, seq: PoseSequence, cfg: Config) -> Analysis:
    """The set's analysis from its features: reps, series, quality, summary and settings."""
    ex = cfg.exercise_config(NAME)
    windows = find_rep_windows(f, cfg)
    reps = [rep_metrics(f, w, i + 1, cfg) for i, w in enumerate(windows)]
    rep_index = repset.rep_index_series(len(f.t_s), reps, windows)
    series = {"t_s": np.asarray(f.t_s, dtype=np.float64), **front_series(f), "rep_index": rep_index}
    q = repset.cut_end_warning(repset.features_quality(f, seq, f.near_side, len(reps)), reps, windows)
    settings = {"analyzer": NAME, "lowpass_hz": cfg.signal.lowpass_hz, "min_rom_deg": ex.min_rom_deg,
                "rep_prominence_frac": ex.rep_prominence_frac, "measured_from": f.source}  # fmt: skip
    return Analysis(exercise=NAME, reps=tuple(reps), cues=(), quality=q, series=series, video=seq.video,
                    summary=_summary(f, reps), limits=LIMITS, settings=settings)  # fmt: skip


class LungeAnalyzer:
    """Analyzer for lunges and split squats (see module docstring)."""

    name = NAME

    def __init__(self, config: Config | None = None) -> None:
        self.config = config if config is not None else Config()

    def analyze(self, seq: PoseSequence) -> Analysis:
        """Analyse a whole recorded set (pure; the cue engine adds the cues)."""
        return repset.analyze_recorded_set(seq, self.config, lunge_spec, compute_features, analyze_features)

    def stream(self) -> ExerciseStream:
        """A fresh streaming analyzer: the engine runner driving :class:`~formcheck.analyzers.lunge_live.LungeLive`."""
        from formcheck.analyzers.lunge_live import LungeStream

        return LungeStream(self.config)
