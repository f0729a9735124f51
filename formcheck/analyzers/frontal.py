"""Shared machinery of the direction-specific exercises filmed from the front or back (side bend, trunk rotation,
Pallof press): frontal-plane and horizontal-plane geometry, the view check, and one analyzer / live model built
from a :class:`FrontalExercise` declaration.

**Geometry** (every function is vectorised over frames: the same code for a set and for one live frame):

* *Frontal plane, image* (:func:`frontal_angles_px`): a front or back view shows the frontal plane. The pelvis
  line (right hip → left hip) gives the body's *left* direction in the image and its perpendicular (the part of
  image-up square to it) the pelvis's *up*. **Lateral flexion** is the trunk axis (mid-hip → mid-shoulder)
  against that up, + toward the subject's left; **shoulder tilt** the shoulder line against the pelvis line,
  + the left shoulder lower. Both come from the landmark labels, not image directions, so they read the same
  from the front, from behind and in a mirror image. **Hip shift** is the mid-hip's distance from over the
  mid-ankle, horizontally toward the subject's left (pixels; centimetres with :attr:`Body.px_per_cm`).
* *Horizontal plane, world* (:func:`yaw_deg`): a line's turn about the vertical against a reference line, both
  projected on MediaPipe's horizontal world plane (x, z; the camera is assumed level). + means the subject
  turned toward the left (the left end of the line moved backwards). Backwards needs the body's front: a
  front view has the front toward the camera, a back view away from it, decided once per set from the nose
  ahead of the ears (:func:`facing_camera`), so it too reads the same in a mirror image. **Trunk rotation** is the
  shoulder line against the pelvis line; the Pallof press's **trunk turn** the shoulder line against its own
  direction at the start of the rep.
* **Elbow angle** (:func:`elbow_world_deg`): the interior shoulder–elbow–wrist angle of both arms in the world
  landmarks (a press toward the camera is depth, which the image does not show).

**View**: the analyses need the camera in front of or behind the subject. The set's view is the apparent/true
width ratio of :mod:`formcheck.body.view` (≈ |cos azimuth|), its median over the frames at rest between reps:
bending sideways or turning changes the shoulders' apparent width, so only the rest frames tell the camera's
angle. A side view is refused with the reason; an oblique one is analysed with a warning.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from formcheck.analyzers.floor_hold import nan_stat  # one finite-values statistic for every analyzer
from formcheck.body import Body
from formcheck.body.clean import BODY, mid
from formcheck.body.view import view_from_ratio, width_ratio
from formcheck.config import Config
from formcheck.engine.cuerules import frame_precision
from formcheck.engine.quality import body_frame_counts, nobody_analysis, set_quality, with_position
from formcheck.engine.registry import get_spec
from formcheck.engine.repstrategies import Alternating, Cyclic
from formcheck.engine.spec import CueRule, ExerciseSpec, seconds_text
from formcheck.engine.stream import ExerciseStream, LiveFrame, References, drop_unseen_phases
from formcheck.geometry import unit_vector
from formcheck.reps import RepWindow
from formcheck.types import LM, Analysis, PoseSequence, Rep

SIDES = ("left", "right")
REST_PCT = 30  # frames with the movement signal within its lowest 30 % are at rest (between reps)
FRONT_VIEWS = ("front", "oblique")
END_FRAC = 0.1  # frames within this fraction of the rep's range from its furthest value are "the end of range"
START_FRAMES = 5  # a rep's starting value: the median of its first frame and the few before it

# ---------------------------------------------------------------------------------------------------------------
# Geometry
# ---------------------------------------------------------------------------------------------------------------


def _pair(p: np.ndarray, joint: str) -> tuple[np.ndarray, np.ndarray]:
    return p[:, int(LM[f"LEFT_{joint}"])], p[:, int(LM[f"RIGHT_{joint}"])]


def pelvis_axes_px(px: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(left, up)`` unit vectors ``(T, 2)`` of the pelvis in the image (pixels, y down); NaN where unknown."""
    lh, rh = _pair(np.asarray(px, dtype=np.float64), "HIP")
    left = unit_vector(lh - rh)
    img_up = np.array([0.0, -1.0])
    up = unit_vector(img_up - (left @ img_up)[:, None] * left)
    return left, up


def frontal_angles_px(px: np.ndarray) -> dict[str, np.ndarray]:
    """Lateral flexion, shoulder tilt (deg) and hip shift (px) of ``(T, 33, 2)`` pixels (see the module docstring)."""
    p = np.asarray(px, dtype=np.float64)
    left, up = pelvis_axes_px(p)
    mh, ms, ma = mid(*_pair(p, "HIP")), mid(*_pair(p, "SHOULDER")), mid(*_pair(p, "ANKLE"))
    trunk = ms - mh
    ls, rs = _pair(p, "SHOULDER")
    sl = ls - rs
    dot = lambda a, b: np.sum(a * b, axis=-1)  # noqa: E731
    return {
        "lateral_flexion_deg": np.degrees(np.arctan2(dot(trunk, left), dot(trunk, up))),
        "shoulder_tilt_deg": np.degrees(np.arctan2(-dot(sl, up), dot(sl, left))),
        # Horizontal in the image, signed toward the subject's left (a tipped pelvis line must not count its height).
        "hip_shift_px": (mh - ma)[:, 0] * np.sign(left[:, 0]),
    }


def facing_votes(world: np.ndarray) -> np.ndarray:
    """Per frame: +1 the face points toward the camera (nose nearer than the ears), -1 away, NaN unknown."""
    w = np.asarray(world, dtype=np.float64)
    d = w[:, int(LM.NOSE), 2] - mid(w[:, int(LM.LEFT_EAR), 2], w[:, int(LM.RIGHT_EAR), 2])
    return np.where(np.isfinite(d), np.where(d < 0, 1.0, -1.0), np.nan)


def facing_camera(world: np.ndarray) -> float:
    """+1 when the subject faces the camera over the set (majority of :func:`facing_votes`), -1 away; +1 unknown."""
    v = facing_votes(world)
    s = float(np.nansum(v)) if np.any(np.isfinite(v)) else 0.0
    return -1.0 if s < 0 else 1.0


def yaw_deg(line: np.ndarray, ref: np.ndarray, facing: float) -> np.ndarray:
    """Turn of ``line`` against ``ref`` about the vertical (``(T, 3)`` world vectors, right → left ends), deg.

    + means turned toward the subject's left (the line's left end moved backwards). ``facing`` +1: the subject's
    front points toward the camera (world -z), -1 away.
    """
    ln, rf = np.asarray(line, dtype=np.float64), np.asarray(ref, dtype=np.float64)
    l2 = ln[:, [0, 2]]
    r2 = unit_vector(rf[:, [0, 2]])
    # The two horizontal perpendiculars of ref; forward is the one on the camera side when facing it.
    perp = np.stack([-r2[:, 1], r2[:, 0]], axis=-1)
    fwd = np.where((perp[:, 1] * facing < 0)[:, None], perp, -perp)
    return np.degrees(np.arctan2(-np.sum(l2 * fwd, axis=1), np.sum(l2 * r2, axis=1)))


def shoulder_line_world(world: np.ndarray) -> np.ndarray:
    ls, rs = _pair(np.asarray(world, dtype=np.float64)[..., :3], "SHOULDER")
    return ls - rs


def pelvis_line_world(world: np.ndarray) -> np.ndarray:
    lh, rh = _pair(np.asarray(world, dtype=np.float64)[..., :3], "HIP")
    return lh - rh


def rotation_world_deg(world: np.ndarray, facing: float) -> np.ndarray:
    """Trunk rotation: the shoulder line against the pelvis line about the vertical, + toward the left (deg)."""
    return yaw_deg(shoulder_line_world(world), pelvis_line_world(world), facing)


SIGN_BLEND_DEG = (8.0, 18.0)  # image turn sizes between which the estimate moves from the world's to the image's


def _median(x: np.ndarray) -> float:
    """``nan_stat(np.median, x)``; one finite value is its own median (one live frame: the same number without
    np.median's overhead, three times a frame; ``+ 0.0`` as np.median's sum, which reads -0.0 as 0.0)."""
    x = np.asarray(x, dtype=np.float64)
    x = x[np.isfinite(x)]
    if x.size == 1:
        return float(x[0]) + 0.0
    return float(np.median(x)) if x.size else math.nan


def line_turn_deg(px: np.ndarray, world: np.ndarray, joint: str, facing: float) -> np.ndarray:
    """A line's (``"SHOULDER"`` or ``"HIP"``) turn about the vertical away from square to the camera, + left (deg).

    The size comes from the image: the line's horizontal extent over the trunk's image length, against the same
    proportion of the body in 3D (the line's and the trunk's world lengths, medians over the frames: bone lengths
    do not change), is the cosine of the turn; the image measures it far better than MediaPipe's depth does for
    turns past ~15°. The sign, which the cosine cannot give, and small turns (where the cosine is flat) come from
    the world landmarks' depth: the estimate blends from the world turn to the image one as the world turn grows
    through :data:`SIGN_BLEND_DEG`.
    """
    p = np.asarray(px, dtype=np.float64)
    w = np.asarray(world, dtype=np.float64)[..., :3]
    lp, rp = _pair(p, joint)
    lw, rw = _pair(w, joint)
    trunk_px = np.linalg.norm(mid(*_pair(p, "SHOULDER")) - mid(*_pair(p, "HIP")), axis=-1)
    trunk_w = np.linalg.norm(mid(*_pair(w, "SHOULDER")) - mid(*_pair(w, "HIP")), axis=-1)
    line_w = np.linalg.norm(lw - rw, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        prop = _median(line_w / trunk_w)
        c = (np.abs(lp[:, 0] - rp[:, 0]) / trunk_px) / prop
    size = np.degrees(np.arccos(np.clip(c, 0.0, 1.0)))
    # The subject's left square to the camera: the side the left hip is on (the labels', so a mirror image reads
    # the same), over the frames given.
    hx = _median(np.subtract(*_pair(w, "HIP"))[:, 0])
    side = math.copysign(1.0, hx) if math.isfinite(hx) and hx != 0 else facing
    ref = np.broadcast_to(np.array([side, 0.0, 0.0]), lw.shape)
    world_turn = yaw_deg(lw - rw, ref, facing)
    lo, hi = SIGN_BLEND_DEG
    # Blend on the world's size: the image's size of a near-square line is mostly noise (the cosine is flat there).
    a = np.clip((np.abs(world_turn) - lo) / (hi - lo), 0.0, 1.0)
    return a * np.sign(world_turn) * size + (1.0 - a) * world_turn


def rotation_deg(px: np.ndarray, world: np.ndarray, facing: float) -> np.ndarray:
    """Trunk rotation (+ toward the left, deg): the shoulder line's turn (:func:`line_turn_deg`) against the hips'
    usual direction, their median over the frames given (one live frame: that frame's).

    The hip line is short (half the shoulders' width) and faces the camera, where neither the image's cosine nor
    the depth resolves it well: per frame it would add its noise to every value. The hips' own turn during a rep is
    measured separately (``pelvis_turn_deg`` of the trunk rotation) and subtracted per rep when it is real.
    """
    hips = line_turn_deg(px, world, "HIP", facing)
    return line_turn_deg(px, world, "SHOULDER", facing) - _median(hips)


def forward_lean_world_deg(world: np.ndarray) -> np.ndarray:
    """The trunk axis's tip forward or back (either way, deg) in the plane square to the hip line, 3D world."""
    w = np.asarray(world, dtype=np.float64)[..., :3]
    t = mid(*_pair(w, "SHOULDER")) - mid(*_pair(w, "HIP"))
    hl = pelvis_line_world(w)
    fwd = unit_vector(np.stack([-hl[:, 2], np.zeros(hl.shape[0]), hl[:, 0]], axis=-1))
    return np.degrees(np.arctan2(np.abs(np.sum(t * fwd, axis=-1)), -t[:, 1]))  # world y points down


def _interior_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    u, v = unit_vector(a - b), unit_vector(c - b)
    return np.degrees(np.arccos(np.clip(np.sum(u * v, axis=-1), -1.0, 1.0)))


def elbow_world_deg(world: np.ndarray) -> np.ndarray:
    """Mean interior elbow angle of both arms (180 = straight) from ``(T, 33, >=3)`` world landmarks (deg)."""
    w = np.asarray(world, dtype=np.float64)[..., :3]
    ang = [_interior_deg(w[:, int(LM[f"{s}_SHOULDER"])], w[:, int(LM[f"{s}_ELBOW"])], w[:, int(LM[f"{s}_WRIST"])])
           for s in ("LEFT", "RIGHT")]  # fmt: skip
    return mid(ang[0][:, None], ang[1][:, None])[:, 0]


def reach_world_pct(world: np.ndarray) -> np.ndarray:
    """Mid-shoulder to mid-wrist distance, % of the arm's length (upper arm + forearm, both arms), 3D world."""
    w = np.asarray(world, dtype=np.float64)[..., :3]
    sho, wri = mid(*_pair(w, "SHOULDER")), mid(*_pair(w, "WRIST"))
    arm = [np.linalg.norm(w[:, int(LM[f"{s}_ELBOW"])] - w[:, int(LM[f"{s}_SHOULDER"])], axis=-1)
           + np.linalg.norm(w[:, int(LM[f"{s}_WRIST"])] - w[:, int(LM[f"{s}_ELBOW"])], axis=-1)
           for s in ("LEFT", "RIGHT")]  # fmt: skip
    with np.errstate(invalid="ignore", divide="ignore"):
        return 100.0 * np.linalg.norm(wri - sho, axis=-1) / mid(arm[0][:, None], arm[1][:, None])[:, 0]


def set_view(px: np.ndarray, world: np.ndarray, rest: np.ndarray | None = None) -> tuple[str, float]:
    """The set's view and camera azimuth from the frames at rest (``rest``: a boolean mask; all frames if None).

    The median apparent/true width ratio over the rest frames: bending or turning changes the shoulders' apparent
    width (narrower face-on, wider side-on), so the frames between reps tell the camera's angle.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        r = width_ratio(px, world)
    if rest is not None and np.any(rest & np.isfinite(r)):
        r = r[rest]
    r = r[np.isfinite(r)]
    return view_from_ratio(float(np.median(r)) if r.size else math.nan)


def rest_frames(x: np.ndarray, signed: bool) -> np.ndarray:
    """Frames at rest: the movement signal within the lowest :data:`REST_PCT` % (its size, for a signed angle)."""
    a = np.abs(np.asarray(x, dtype=np.float64)) if signed else np.asarray(x, dtype=np.float64)
    if not np.any(np.isfinite(a)):
        return np.zeros(a.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        return a <= np.nanpercentile(a, REST_PCT)


def side_signals(signed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A signed angle (+ left) as the alternating strategy's two depth signals (left, right), NaN kept."""
    x = np.asarray(signed, dtype=np.float64)
    return np.maximum(x, 0.0), np.maximum(-x, 0.0)


def previous_other_side(w: RepWindow, windows: list[RepWindow]) -> RepWindow | None:
    """The latest rep to the other side that ended before ``w`` began (causal: a live set knows it too)."""
    before = [o for o in windows if o.side != w.side and o.end_s <= w.start_s + 1e-6]
    return max(before, key=lambda o: o.end_s) if before else None


def other_side_value(value_of: Callable[[RepWindow], float], w: RepWindow, windows: list[RepWindow]) -> float:
    """``value_of`` the :func:`previous_other_side` rep of ``w``; NaN when there is none (the first side's first)."""
    other = previous_other_side(w, windows)
    return value_of(other) if other is not None else math.nan


def toward_side(v: Mapping[str, np.ndarray], key: str, w: RepWindow) -> np.ndarray:
    """The signed (+ left) per-frame value ``key`` turned so + is toward the rep's side (``w.side``)."""
    sign = 1.0 if w.side == "left" else -1.0
    return sign * np.asarray(v[key], dtype=np.float64)


def end_of_range(x: np.ndarray, w: RepWindow) -> np.ndarray:
    """Frame indices of the rep's end of range: ``x`` (+ toward the rep's side) within :data:`END_FRAC` of the
    rep's range from its furthest value (the deepest frame when none is known)."""
    idx = np.arange(w.start_i, w.end_i + 1)
    d = x[idx]
    sel = idx[np.isfinite(d) & (d >= w.bottom_level - END_FRAC * abs(w.rom))]
    return sel if sel.size else np.array([w.bottom_i])


def start_value(x: np.ndarray, w: RepWindow) -> float:
    """The value at the rep's start: the median of the few frames up to it (a single frame carries its noise)."""
    return nan_stat(np.median, x[max(0, w.start_i - START_FRAMES + 1) : w.start_i + 1])


def change_over(x: np.ndarray, idx: np.ndarray, w: RepWindow) -> float:
    """How far ``x`` moved from the rep's start (:func:`start_value`) to its median over the frames ``idx``."""
    return nan_stat(np.median, x[idx]) - start_value(x, w)


def degrees_text(x: float) -> str:
    """A never-zero degree figure for a message ("about 3°")."""
    return f"{max(1, round(abs(x))):d}°"


def side_words(inp: Any, key: str, preposition: str = "to") -> str:
    """ " to the left" / " to the right" from a rep's side metric ``key`` (empty when unknown)."""
    s = inp.values.get(key)
    return f" {preposition} the {s}" if s in ("left", "right") else ""


def tempo_threshold(i: int) -> Callable[[Any], float]:
    """A tempo rule's threshold: the rep's target phase ``i`` (0 out, 2 back) less the tolerance."""

    def thr(inp: Any) -> float:
        t = inp.num(("target_eccentric_s", "target_bottom_s", "target_concentric_s")[i])
        t = t if math.isfinite(t) else float(inp.exercise.target_tempo_s[i])
        return (1.0 - inp.exercise.tempo_tolerance_frac) * t if t > 0 else math.nan

    return thr


def tempo_target(inp: Any, thr: float) -> float:
    """The target time back from a :func:`tempo_threshold` value."""
    return thr / (1.0 - inp.exercise.tempo_tolerance_frac)


def tempo_rule(code: str, priority: int, field: str, phase: int, text: str) -> CueRule:
    """A tempo cue: ``field`` (``"eccentric_s"``, ``"concentric_s"``) under its target phase ``phase`` (0 out, 2
    back; :func:`tempo_threshold`) less the tolerance. ``text`` is formatted with the target ``t`` and the time
    ``v`` (the time with its unit, to 0.01 s: :func:`~formcheck.engine.spec.seconds_text`), e.g. ``"Turn more
    slowly: about {t:.0f} s — that one took {v}"``. A miss within one
    frame interval is not measurable (:func:`~formcheck.engine.cuerules.frame_precision`)."""
    return CueRule(code, priority, "info", field, op="<", threshold=tempo_threshold(phase), views=(),
                   message=lambda i, v, t: text.format(t=tempo_target(i, t), v=seconds_text(v)),
                   precision=frame_precision)  # fmt: skip


def range_rule(code: str, priority: int, metric: str, threshold: str, side_key: str, text: str) -> CueRule:
    """A per-side "go further" cue: ``metric`` under the config field ``threshold``. ``text`` is formatted with
    ``more`` (the degrees short, :func:`degrees_text`), ``side`` (:func:`side_words` of ``side_key``), the value
    ``v`` and the target ``t``, e.g. ``"Bend about {more} further{side} — the trunk tipped {v:.0f}°"``. One rule
    group with :func:`symmetry_rule` on the same ``metric``: both ask for more of that rep's range, so the rep gets
    one of them (this one, more important), never two different amounts."""

    def message(inp: Any, v: float, t: float) -> str:
        return text.format(more=degrees_text(t - v), side=side_words(inp, side_key), v=v, t=t)

    return CueRule(code, priority, "info", metric, message, op="<", threshold=threshold, views=FRONT_VIEWS,
                   group=metric)  # fmt: skip


def symmetry_rule(code: str, priority: int, metric: str, side_key: str, verb: str) -> CueRule:
    """ "Match the other side: ``verb`` about N° further to the left — A° against B° the other way" when a rep's
    ``metric`` fell short of the latest rep's to the other side by more than ``side_diff_max_deg``
    (``side_diff_deg`` = this rep's minus that one's). In :func:`range_rule`'s group for ``metric``."""

    def message(inp: Any, v: float, t: float) -> str:
        x = inp.num(metric)
        return (f"Match the other side: {verb} about {degrees_text(-v)} further{side_words(inp, side_key)} — "
                f"{x:.0f}° against {x - v:.0f}° the other way")  # fmt: skip

    return CueRule(code, priority, "info", "side_diff_deg", message, op="<", views=FRONT_VIEWS, group=metric,
                   threshold=lambda inp: -float(inp.exercise.side_diff_max_deg))  # fmt: skip


def lazy_synth(module: str) -> Callable[..., Any]:
    """The conformance generator ``synth_clip`` of ``module``, imported on the first call: the synthetic figure is
    for tests and benchmarks, and importing an analyzer does not load it."""

    def synth(**kw: Any) -> Any:
        return importlib.import_module(module).synth_clip(**kw)

    return synth


def horizontal_lines(world: np.ndarray, facing: float) -> dict[str, np.ndarray]:
    """Shoulder and pelvis lines' horizontal components (world m) and the facing, for turns against a rep's start."""
    s, p = shoulder_line_world(world), pelvis_line_world(world)
    return {"sho_x_m": s[:, 0], "sho_z_m": s[:, 2], "pel_x_m": p[:, 0], "pel_z_m": p[:, 2],
            "facing_sign": np.full(s.shape[0], float(facing))}  # fmt: skip


def turn_from_start_deg(v: Mapping[str, np.ndarray], which: str, idx: np.ndarray, start_i: int) -> np.ndarray:
    """Signed turn (+ left) of the ``"sho"`` or ``"pel"`` line over frames ``idx`` against frame ``start_i``."""
    x, z = np.asarray(v[f"{which}_x_m"], dtype=np.float64), np.asarray(v[f"{which}_z_m"], dtype=np.float64)
    line = np.stack([x[idx], np.zeros(idx.size), z[idx]], axis=-1)
    ref = np.broadcast_to([x[start_i], 0.0, z[start_i]], line.shape)
    return yaw_deg(line, ref, float(np.asarray(v["facing_sign"])[start_i]))


# ---------------------------------------------------------------------------------------------------------------
# The declaration and the analyzer built from it
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Features:
    """Per-frame values of one set (``(T,)``; NaN where unknown) and what the set's view allows."""

    t_s: np.ndarray
    values: dict[str, np.ndarray]
    body: Body
    view: str
    azimuth_deg: float
    facing: float  # +1 facing the camera, -1 back to it
    cm_per_px: float
    warnings: list[str] = field(default_factory=list)
    refused: bool = False
    rejected: int = 0


@dataclass(frozen=True)
class FrontalExercise:
    """One front-view exercise as data and pure functions.

    Attributes:
        name: the exercise name (its spec is looked up by it).
        what: words for the wrong-view reason ("a side bend tips the trunk toward the camera ...").
        values: per-frame values from ``(T, 33, 2)`` pixels, ``(T, 33, 3)`` world landmarks, the facing sign and
            centimetres per pixel: every live key plus what :attr:`depth` and :attr:`metrics` read (the same
            function for a set and for one live frame).
        alternating: reps per side (the depth is a signed angle, + left) or one depth signal (cyclic).
        depth_key: the value the reps are found on.
        metrics: ``Rep.metrics`` of one rep from ``(values, window, config, all windows)``.
        phase_key: the live value whose speed tells moving out from moving back.
        timing_key: cyclic only: a value the phase times are fitted on instead of the depth (one that moves
            evenly with the movement, where the depth saturates), or "".
        needs_world: the reps are found on MediaPipe's 3D world landmarks (a turn about the vertical, a press
            toward the camera): pose data without them is refused with the reason.
        reject: a movement that is found as a rep but is another exercise (a squat's forward lean read as a side
            bend): True drops it, and the set's warnings say so with :attr:`reject_words` (``{n}``: how many).
        live_values: what the live stream reads of one frame, by the same functions as :attr:`values`: the live keys
            and the depth key, or (last argument True) the depth key alone. It runs twice a frame (filtered points
            for the values, raw ones for the depth), where :attr:`values` computes every per-set value; None:
            :attr:`values`.
    """

    name: str
    what: str
    values: Callable[[np.ndarray, np.ndarray, float, float], dict[str, np.ndarray]]
    alternating: bool
    depth_key: str
    metrics: Callable[[Mapping[str, np.ndarray], RepWindow, Any, list[RepWindow]], dict[str, Any]]
    phase_key: str
    timing_key: str = ""
    reject: Callable[[Mapping[str, np.ndarray], RepWindow, Any], bool] | None = None
    reject_words: str = ""
    needs_world: bool = False
    live_values: Callable[[np.ndarray, np.ndarray, float, bool], dict[str, np.ndarray]] | None = None

    @property
    def spec(self) -> ExerciseSpec:
        return get_spec(self.name)

    def analyzer(self, config: Config | None) -> FrontalAnalyzer:
        """The batch analyzer (``ExerciseSpec.analyzer``)."""
        return FrontalAnalyzer(config, self)

    def cyclic(self, cfg: Config) -> Cyclic:
        ex, sg = cfg.exercise_config(self.name), cfg.signal
        return Cyclic(min_rom_deg=ex.min_rom_deg, prominence_frac=ex.rep_prominence_frac, cutoff_hz=sg.lowpass_hz,
                      order=sg.lowpass_order)  # fmt: skip

    def strategy(self, cfg: Config) -> Alternating | Cyclic:
        return Alternating(cyclic=self.cyclic(cfg)) if self.alternating else self.cyclic(cfg)

    def windows(
        self, t_s: np.ndarray, values: Mapping[str, np.ndarray], cfg: Config, fit_after_s: float | None = None
    ) -> list[RepWindow]:
        """The set's rep windows; cyclic with ``fit_after_s``, only those that may end after it
        (:func:`formcheck.reps.detect_reps`)."""
        x = np.asarray(values[self.depth_key], dtype=np.float64)
        if self.alternating:
            return self.strategy(cfg).batch(t_s, *side_signals(x))  # type: ignore[call-arg]
        timing = np.asarray(values[self.timing_key], dtype=np.float64) if self.timing_key else None
        return self.strategy(cfg).batch(t_s, x, timing=timing, fit_after_s=fit_after_s)  # type: ignore[call-arg]


def compute_features(seq: PoseSequence, cfg: Config, exd: FrontalExercise) -> Features:
    """Body, view, facing and the exercise's per-frame values (pure)."""
    spec = exd.spec
    body = Body.from_sequence(seq, cfg, position="standing")
    facing = facing_camera(body.world)
    cm_per_px = 1.0 / body.px_per_cm if math.isfinite(body.px_per_cm) and body.px_per_cm > 0 else math.nan
    vals = {**exd.values(body.px, body.world, facing, cm_per_px), "t_s": body.t_s}
    warns: list[str] = []
    refused = False
    if not np.any(np.isfinite(body.world)):
        # A pose file without world landmarks (formcheck.io.posecsv): the camera angle cannot be measured.
        view, az = "front", math.nan
        if exd.needs_world:
            refused = True
            warns.append(f"No 3D (world) landmarks in the pose data: the {spec.title.lower()} is measured from them "
                         "(the movement is toward or away from the camera), so it cannot be measured. Use pose data "
                         "with world landmarks.")  # fmt: skip
        else:
            warns.append("No 3D (world) landmarks in the pose data: the camera angle was not measured; a front "
                         "view is assumed.")  # fmt: skip
    else:
        view, az = set_view(body.px, body.world, rest_frames(vals[exd.depth_key], exd.alternating))
    if view == "side":
        refused = True
        warns.append(f"Filmed from the side: {exd.what}, so the {spec.title.lower()} cannot be measured from here. "
                     "Face the camera (or turn your back to it) and film again.")  # fmt: skip
    elif view == "oblique":
        warns.append(f"Filmed at an angle (about {az:.0f}° from straight in front): the angles are less accurate. "
                     "Face the camera squarely for reliable numbers.")  # fmt: skip
    elif view == "unknown":
        warns.append("The camera angle could not be determined.")
    return Features(body.t_s, vals, body, view, az, facing, cm_per_px, warns, refused)


def make_rep(f: Features, w: RepWindow, index: int, cfg: Config, exd: FrontalExercise, all_w: list[RepWindow]) -> Rep:
    m = exd.metrics(f.values, w, cfg.exercise_config(exd.name), all_w)
    return Rep(index=index, start_s=w.start_s, bottom_s=float(f.t_s[w.bottom_i]), end_s=w.end_s,
               eccentric_s=w.eccentric_s, bottom_pause_s=w.bottom_pause_s, concentric_s=w.concentric_s,
               top_pause_s=w.top_pause_s, time_under_tension_s=w.end_s - w.start_s, rom_deg=w.rom, metrics=m,
               side=w.side)  # fmt: skip


def find_windows(f: Features, cfg: Config, exd: FrontalExercise, fit_after_s: float | None = None) -> list[RepWindow]:
    """The set's reps, without those :attr:`FrontalExercise.reject` drops (counted in ``f.rejected``); cyclic with
    ``fit_after_s``, only those that may end after it (:meth:`FrontalExercise.windows`)."""
    ws = [] if f.refused or not len(f.t_s) else exd.windows(f.t_s, f.values, cfg, fit_after_s)
    if exd.reject is None:
        return ws
    ex = cfg.exercise_config(exd.name)
    kept = [w for w in ws if not exd.reject(f.values, w, ex)]
    f.rejected = len(ws) - len(kept)
    return kept


class FrontalAnalyzer:
    """Batch analysis of one front-view exercise (see the module docstring)."""

    def __init__(self, config: Config | None, exercise: FrontalExercise) -> None:
        self.config = config if config is not None else Config()
        self.exercise = exercise
        self.name = exercise.name

    def analyze(self, seq: PoseSequence) -> Analysis:
        exd, cfg = self.exercise, self.config
        spec = exd.spec
        if seq.n_frames == 0 or not np.any(seq.present):
            return nobody_analysis(exd.name, seq, spec.limits)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", r"All-NaN slice|Mean of empty slice|invalid value", RuntimeWarning)
            f = compute_features(seq, cfg, exd)
            ws = find_windows(f, cfg, exd)
            reps = [make_rep(f, w, i + 1, cfg, exd, ws) for i, w in enumerate(ws)]
        if f.rejected:
            f.warnings.append(exd.reject_words.format(n=f.rejected))
        body = f.body
        rep_index = np.zeros(len(f.t_s))
        for r, w in zip(reps, ws, strict=True):
            rep_index[w.start_i : w.end_i + 1] = r.index
        q = set_quality(
            view=f.view, facing="camera" if f.facing > 0 else "away", side_used="both",
            **body_frame_counts(seq, body),
            mean_visibility=float(np.nanmean(body.vis[body.present][:, list(BODY)])) if body.present.any()
            else math.nan,
            warnings=f.warnings, n_items=len(reps),
            no_items=("No repetition was measured (see above)." if f.refused
                      else "No complete repetition was found."),
        )  # fmt: skip
        q = with_position(q, body.position, spec.positions, spec.title)
        series = {"t_s": f.t_s, **{k: np.asarray(f.values[k], dtype=np.float64) for k in spec.live_keys},
                  "rep_index": rep_index}  # fmt: skip
        summary: dict[str, Any] = {"rep_count": len(reps), "view_azimuth_deg": f.azimuth_deg,
                                   "facing_camera": bool(f.facing > 0)}  # fmt: skip
        if f.refused:  # the warnings say why and what to do; cues.analysis_cues then adds no "how to do it" hint
            summary["refused"] = True
        if exd.alternating:
            summary |= {"reps_left": sum(r.side == "left" for r in reps),
                        "reps_right": sum(r.side == "right" for r in reps)}  # fmt: skip
        ex = cfg.exercise_config(exd.name)
        settings = {"analyzer": exd.name, "lowpass_hz": cfg.signal.lowpass_hz, "min_rom_deg": ex.min_rom_deg}
        return Analysis(exercise=exd.name, reps=tuple(reps), cues=(), quality=q, series=series, video=seq.video,
                        summary=summary, limits=spec.limits, settings=settings)  # fmt: skip

    def stream(self) -> ExerciseStream:
        return ExerciseStream(self.config, FrontalLive(self.config, self.exercise))


class FrontalLive:
    """The live model for :class:`~formcheck.engine.stream.ExerciseStream`: the batch value functions on one frame,
    each finished rep re-analysed with the batch code on the buffered frames."""

    reference_keys: tuple[str, ...] = ()

    def __init__(self, config: Config, exercise: FrontalExercise) -> None:
        from formcheck.analyzers.lunge_live import BridgedAlternating

        self.config = config
        self.exercise = exercise
        self.spec = exercise.spec
        self.phase_key = exercise.phase_key
        strat = exercise.strategy(config)
        self.strategy = BridgedAlternating(strat) if exercise.alternating else strat  # type: ignore[arg-type]
        self._world = np.full((33, 3), np.nan)
        self._votes = 0.0

    def _facing(self, world: np.ndarray) -> float:
        v = float(facing_votes(world[None])[0])
        if math.isfinite(v):
            self._votes += v
        return -1.0 if self._votes < 0 else 1.0

    def _values(self, px: np.ndarray, facing: float, depth_only: bool) -> Mapping[str, np.ndarray]:
        """One frame's values (:attr:`FrontalExercise.live_values`, else all of :attr:`FrontalExercise.values`)."""
        live = self.exercise.live_values
        with np.errstate(invalid="ignore", divide="ignore"):
            if live is None:
                return self.exercise.values(px[None], self._world[None], facing, math.nan)
            return live(px[None], self._world[None], facing, depth_only)

    def live_values(self, fr: LiveFrame, refs: References) -> tuple[dict[str, float], dict[str, float]]:
        self._world = np.asarray(fr.world, dtype=np.float64)[:, :3]  # raw; depth() of the same frame follows
        facing = self._facing(self._world)
        v = self._values(fr.px, facing, False)
        out = {k: float(v[k][0]) for k in self.spec.live_keys}
        out[self.phase_key] = float(np.abs(v[self.exercise.depth_key][0])) if self.exercise.alternating else float(
            v[self.exercise.depth_key][0])  # fmt: skip
        return out, {}

    def depth(self, px: np.ndarray, facing: float) -> Any:
        v = self._values(px, -1.0 if self._votes < 0 else 1.0, True)
        x = float(v[self.exercise.depth_key][0])
        if self.exercise.alternating:
            return (max(x, 0.0), max(-x, 0.0)) if math.isfinite(x) else (math.nan, math.nan)
        return x

    def analyze_rep(self, seq: PoseSequence, w: RepWindow, index: int, after_s: float) -> tuple[Rep, RepWindow] | None:
        exd, cfg = self.exercise, self.config
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", r"All-NaN slice|Mean of empty slice|invalid value", RuntimeWarning)
            f = compute_features(seq, cfg, exd)
            # Cyclic: the reps that end by after_s are not candidates, and a cyclic rep's metrics do not read the
            # other reps, so they are not fitted (a buffer back to the last counted rep holds up to 20 s of
            # uncounted movement: refitting all of it on every detector window took 0.1-0.35 s a frame). Alternating
            # metrics read the previous rep to the other side: all are fitted.
            ws = find_windows(f, cfg, exd, None if exd.alternating else after_s + 1e-6)
        cand = [x for x in ws if x.end_s > after_s + 1e-6 and (not exd.alternating or x.side == w.side)]
        if not cand:
            return None
        best = min(cand, key=lambda x: abs(x.end_s - w.end_s))
        rep = make_rep(f, best, index, cfg, exd, ws)
        seen = np.isfinite(np.asarray(f.values[exd.depth_key], dtype=np.float64))
        return drop_unseen_phases(dataclasses.replace(rep, index=index), f.t_s, seen), best
