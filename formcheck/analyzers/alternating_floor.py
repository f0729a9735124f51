"""Alternating floor exercises (bird-dog, dead bug): one arm and the opposite leg reach out, return, other side.

Shared by :mod:`formcheck.analyzers.bird_dog` and :mod:`formcheck.analyzers.dead_bug`, which declare what they
measure and judge (config, metric specs, cue rules, limits). Everything here is measured in the image of a side
view (pixels, y down), on the cleaned and smoothed landmarks of :class:`formcheck.body.Body`:

* **limb elevation** ``elev`` of a segment: its angle above the horizontal, either horizontal direction (the
  rendered truth's ``*_elevation_*_deg`` convention): 0 horizontal, +90 straight up, −90 straight down. Arm =
  shoulder→wrist, leg = hip→ankle, thigh = hip→knee.
* **reach** of a limb: its angle from the rest direction, ``90 + rest_sign × elev``. On all fours the limbs hang
  down (``rest_sign`` +1): an arm reaching forward to horizontal reads 90. Lying on the back the arms and the
  tabletop thighs point up (``rest_sign`` −1): an arm lowered overhead to the floor reads 90.
* **reps**: the engine's :class:`~formcheck.engine.repstrategies.Alternating` strategy on the two thighs' reach
  (the thigh is the limb MediaPipe places best on the floor: the knee stays in frame when the feet are cropped,
  and the arms of a body on all fours are placed worst, see docs/metrics.md).
* **side**: ``Rep.side`` is the side of the **reaching arm** (the leg is the opposite one). MediaPipe's left/right
  labels of a body seen exactly side-on are guesses for the far limbs: on the rendered side-view bird-dog it
  labels the raised near arm as the left one, and it puts both leg labels on the raised leg in one rep. So the
  side comes from the **legs** only: the leg whose thigh reach rose clearly more than the other's. When both
  legs rose alike (within :data:`AMBIGUOUS_FRAC`), the side is taken by alternation from the nearest rep whose
  side was clear (``side_from`` = ``"alternation"``), else it is unknown (None).
* **at full reach** (the rep's pause at its turnaround, from the engine's phase fit): the moving arm's and leg's
  elevation (the arm whose reach rose most among the labels whose wrist is where a reaching hand can be,
  :func:`arm_plausible`; the leg on the thigh label that rose most), each unknown ("can't tell") when not seen
  there or not still while held (:func:`held_reading`; a leg not still leaves the hold unknown too); the trunk's
  change from rest (tilt of the mid-hip→mid-shoulder line, hip and shoulder heights, shoulder–hip distance, in %
  of the resting trunk length). Rest is the median over the frames outside every rep (else the rep's first frame).
* **tempo**: reaching out (``eccentric_s``), hold at full reach (``bottom_pause_s`` = ``Rep.hold_s``),
  returning (``concentric_s``).
* **camera angle** (:mod:`formcheck.analyzers.floor_view`, as the glute bridge): a camera raised above the floor
  or turned toward the head or feet by more than 23° (``lying_view``) makes the set's view "oblique"; each rep
  carries ``view_off_side_deg``. The limb elevations and the trunk's slope and heights are then foreshortened by
  an amount the picture does not tell, so the exercise's leg and trunk rules (side-only, :data:`JUDGED_VIEWS`) and
  its praise are withheld with a plain warning (:attr:`Family.angle_words`); reps, sides and tempo stay.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import ndimage

from formcheck.analyzers import floor_hold as fh
from formcheck.analyzers import floor_view as fv
from formcheck.body import Body
from formcheck.body.view import ViewEstimate, lying_view
from formcheck.config import Config
from formcheck.engine.cuerules import frame_precision
from formcheck.engine.quality import body_frame_counts, nobody_analysis, set_quality, with_position
from formcheck.engine.registry import get_spec
from formcheck.engine.repstrategies import Alternating, Cyclic
from formcheck.engine.spec import CueRule, ExerciseSpec, MetricSpec, RuleInput, seconds_text
from formcheck.engine.stream import ExerciseStream, LiveFrame, References, drop_unseen_phases
from formcheck.reps import RepWindow
from formcheck.types import LM, Analysis, PoseSequence, Rep

SIDES = ("left", "right")
OTHER = {"left": "right", "right": "left"}
VIEWS = ("side", "oblique")  # the views the exercises are analysed in (oblique: with a warning)
# The views the leg and trunk rules are judged in: elevations, slopes and heights read in the image of an oblique
# camera are foreshortened by an unknown amount (turned by a: a limb's elevation reads atan(tan e / cos a) and the
# trunk length cos a of itself; raised by a: elevations atan(tan e x cos a), and a sideways shift shows as height).
JUDGED_VIEWS = ("side",)
# Two legs whose thigh reach rose within this fraction of each other in one rep: MediaPipe has put both leg labels
# on the moving leg (seen on the rendered side-view bird-dog, rep 2: 46° vs 42°), so the legs cannot tell the side.
# A physical argument, not a fitted one: the support leg of a bird-dog or dead bug does not move, so any rise of it
# near the moving leg's is a labelling artefact.
AMBIGUOUS_FRAC = 0.7
PEAK_FRAC = 0.15  # frames within this fraction of the rep's range from its peak are "at full reach"
# A limb's reach is read only when its end point (ankle, wrist) is inside the picture on at least this share of the
# full-reach frames: MediaPipe keeps placing a cropped foot, with high visibility, outside the frame (bird-dog
# birddog_side_gymnai_2: the right ankle at x = -0.11, visibility 0.99, read "leg +7 deg" and was praised).
MIN_SEEN_FRAC = 0.5
UNSEEN_NOTE = ("The moving {limb} was not seen at full reach in {reps} (out of the picture or hidden): its "
               "height can't be told there. Step back so the whole body fits in the picture.")  # fmt: skip
REST_GAP_S = 0.2  # rest frames must lie this far outside every rep
# A limb does not leave full reach and come back within this long: shorter dips of a thigh's reach are MediaPipe
# flicking a far-side leg between two guesses (the rendered dead bug's far knee jumps 50 px every 3-5 frames for
# 1.5 s), and are closed (grey closing: a running max then a running min over this window) before reps are found.
# The closing keeps the signal's rises and falls where they are; only dips narrower than the window are filled.
FLICKER_S = 0.5

# Plausibility of the limb readings at full reach (docs/metrics.md D2b). Reasoned from the body and the movement
# before scoring, not fitted: there is no held-out material for these exercises, so no bar was set from a score.
# MediaPipe puts a wrist label on the support hand, on the trunk or on neither arm in 4 of the 6 rendered reps and
# still reports it; a plain "can't tell" beats a confident arm at -66° for a level one.
# A straight arm (shoulder to wrist, 0.332 of the body height) is 1.15 resting trunk lengths (shoulder to hip
# joint, 0.818 - 0.530 = 0.288 of the height; Drillis & Contini's segment proportions). In a side view both lie in
# the image plane; seen obliquely, a forward reach and the trunk shorten alike.
ARM_PER_TRUNK = 1.15
# The reaching wrist's distance from its shoulder, in expected arm lengths. Below 0.6 the wrist is not on a
# reaching arm: even an elbow bent to 90° leaves 0.71, and people differ by about a tenth. Above 1.4 it is past
# any arm's reach (a long arm, +10 %, on the camera's side, +10 %).
ARM_LENGTH_BAND = (0.6, 1.4)
# At full reach the reaching hand and the other hand are far apart: bird-dog about 1.4 arm lengths (one hand ahead
# at shoulder height, one under the shoulder), dead bug about 1.2 (one overhead, one pointing up), and still 0.77
# half-way there (45°). Closer than half an arm, both wrist labels are on one hand.
HANDS_APART_MIN = 0.5
# The reaching arm points away from the hips: its angle to the shoulder→hip line is about 90° at rest (the support
# arm hanging, the dead bug's arm pointing up) and 165-180° at full reach. Under 120° (not a third of the way out)
# the wrist is on the support arm or lies along the trunk.
ARM_FROM_TRUNK_MIN_DEG = 120.0
# A limb held at full reach is still: its elevation over the full-reach frames may spread (10th to 90th
# percentile) by the moving thigh's own spread there (the window is found on the thigh) plus this much. A limb's
# tracked angle jitters by a few degrees when it is seen; a point jumping between two places (the rendered dead
# bug's far ankle, D2a) spreads far more.
STILL_EXTRA_DEG = 10.0
UNCLEAR_NOTES = {
    "arm": "The reaching arm can't be told at full reach in {reps}: the tracked hand was not where a reaching hand "
    "can be (on the other hand, on the body, or jumping about), so its angle is left out.",
    "leg": "The moving leg can't be told at full reach in {reps}: its tracked foot jumped about while the leg was "
    "held, so its angle and the hold time are left out.",
}
# Why an arm is unknown when the body's resting length is (its shoulders or hips not seen at rest): the hand is then
# not checked against anything, which is not the hand being in the wrong place (UNCLEAR_NOTES["arm"]).
NO_REST_LENGTH = "no_rest_length"
NO_REST_LENGTH_NOTE = ("The reaching arm can't be told in {reps}: the body's length at rest was not seen, so there "
                       "is nothing to check the hand against.")  # fmt: skip


@dataclass(frozen=True)
class Family:
    """What differs between the alternating floor exercises (the rest is this module).

    Attributes:
        name: the exercise name (config section).
        position: the body position the set is analysed in (``"quadruped"`` | ``"supine"``).
        rest_sign: +1 when the limbs rest hanging down (on all fours), −1 when they rest pointing up (on the back).
        trunk_keys: which trunk-change metrics the exercise reports (subset of :data:`TRUNK_KEYS`).
        angle_words: the exercise's words for the warning when the camera angle is not judged
            (:class:`~formcheck.analyzers.floor_view.AngleWords`).
    """

    name: str
    position: str
    rest_sign: float
    trunk_keys: tuple[str, ...]
    angle_words: fv.AngleWords


TRUNK_KEYS = ("trunk_tilt_change_deg", "hip_shift_pct", "shoulder_shift_pct", "trunk_length_change_pct")


def elevation_deg(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elevation above the horizontal of ``a→b`` in image pixels (y down), either horizontal direction."""
    d = np.asarray(b, dtype=np.float64) - np.asarray(a, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.degrees(np.arctan2(-d[..., 1], np.abs(d[..., 0])))


def angle_deg(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The angle between the vectors ``a`` and ``b`` (``(..., 2)``), 0-180°; NaN where one is unknown or zero."""
    na, nb = np.linalg.norm(a, axis=-1), np.linalg.norm(b, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.sum(np.asarray(a) * np.asarray(b), axis=-1) / (na * nb)
    return np.degrees(np.arccos(np.clip(c, -1.0, 1.0)))


def values(px: np.ndarray, rest_sign: float) -> dict[str, Any]:
    """Per-frame measures of ``(T, 33, 2)`` pixels (a set, or one live frame as ``px[None]``).

    Returns ``arm_elev`` / ``leg_elev`` / ``thigh_elev`` / ``arm_reach`` / ``thigh_reach``, ``arm_len_px``
    (shoulder→wrist) and ``arm_from_trunk_deg`` (the angle between shoulder→wrist and shoulder→mid-hip) as
    ``{side: (T,)}``, and ``trunk_tilt_deg`` (mid-hip→mid-shoulder elevation, + shoulders higher), ``hip_y_px``,
    ``shoulder_y_px``, ``trunk_len_px``, ``wrists_apart_px`` as ``(T,)`` arrays; NaN where a landmark is unknown.
    """
    p = np.asarray(px, dtype=np.float64)
    keys = ("arm_elev", "leg_elev", "thigh_elev", "arm_reach", "thigh_reach", "arm_len_px", "arm_from_trunk_deg")
    out: dict[str, Any] = {k: {} for k in keys}
    hip, sho = fh.mid_px(p, "HIP"), fh.mid_px(p, "SHOULDER")
    for side in SIDES:
        s = side.upper() + "_"
        sho_s, wri, hip_s = p[:, LM[s + "SHOULDER"]], p[:, LM[s + "WRIST"]], p[:, LM[s + "HIP"]]
        knee, ankle = p[:, LM[s + "KNEE"]], p[:, LM[s + "ANKLE"]]
        out["arm_elev"][side] = elevation_deg(sho_s, wri)
        out["leg_elev"][side] = elevation_deg(hip_s, ankle)
        out["thigh_elev"][side] = elevation_deg(hip_s, knee)
        out["arm_reach"][side] = 90.0 + rest_sign * out["arm_elev"][side]
        out["thigh_reach"][side] = 90.0 + rest_sign * out["thigh_elev"][side]
        out["arm_len_px"][side] = np.linalg.norm(wri - sho_s, axis=-1)
        out["arm_from_trunk_deg"][side] = angle_deg(wri - sho_s, hip - sho_s)
    out["wrists_apart_px"] = np.linalg.norm(p[:, LM["LEFT_WRIST"]] - p[:, LM["RIGHT_WRIST"]], axis=-1)
    out["trunk_tilt_deg"] = elevation_deg(hip, sho)
    out["hip_y_px"], out["shoulder_y_px"] = hip[:, 1], sho[:, 1]
    out["trunk_len_px"] = np.linalg.norm(sho - hip, axis=-1)
    return out


def live_series(v: dict[str, Any]) -> dict[str, np.ndarray]:
    """The per-frame series (and live keys): the moving thigh's reach (the larger side) and the trunk tilt."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        th = np.fmax(v["thigh_reach"]["left"], v["thigh_reach"]["right"])  # NaN only when both are unknown
    return {"thigh_reach_deg": th, "trunk_tilt_deg": np.asarray(v["trunk_tilt_deg"], dtype=np.float64)}


def close_dips(t_s: np.ndarray, x: np.ndarray, window_s: float = FLICKER_S) -> np.ndarray:
    """``x`` with dips narrower than ``window_s`` filled (grey closing over time); NaN stays NaN."""
    x = np.asarray(x, dtype=np.float64)
    ok = np.isfinite(x)
    if x.size < 3 or not np.any(ok):
        return x.copy()
    dt = float(np.median(np.diff(t_s))) if len(t_s) > 1 else 1.0
    n = int(round(window_s / dt)) if dt > 0 else 1
    if n < 2:
        return x.copy()
    lo = float(np.min(x[ok]))
    y = ndimage.grey_closing(np.where(ok, x, lo), size=n, mode="nearest")
    return np.where(ok, y, np.nan)


def strategy(cfg: Config, name: str) -> Alternating:
    """Alternating reps on the two thighs' reach (batch and stream), with the exercise's rep parameters."""
    ex, sg = cfg.exercise_config(name), cfg.signal
    cyc = Cyclic(min_rom_deg=ex.min_rom_deg, prominence_frac=ex.rep_prominence_frac, cutoff_hz=sg.lowpass_hz,
                 order=sg.lowpass_order)  # fmt: skip
    return Alternating(cyclic=cyc)


OPENING_TURN_S = 0.2  # an opening rep's turnaround must lie at least this far into the clip (else it is not seen)
OPENING_LEAD_S = 0.35  # ... and the person must be seen from within this long of the clip's start
PAD_S = 1.0  # resting samples put before the clip only so the rep code can fit the return (see opening_rep)


def opening_rep(t: np.ndarray, x: np.ndarray, windows: list[RepWindow], cyc: Cyclic) -> RepWindow | None:
    """A rep the clip opens in: already reaching at the first frame, turning inside the clip, back to rest.

    The engine's rep code counts an opening rep only when the clip opens in a *held* bottom position (a deadlift
    from the floor). A floor set filmed from part-way through a reach still shows the turnaround and the return,
    which is what counts a rep (the hand labels' rule). Its reaching phase and hold were not seen: the window is
    marked ``from_bottom`` (``eccentric_s`` and ``bottom_pause_s`` NaN, ``start_s`` = the first frame).

    The return is fitted by the engine's own rep code on the opening frames preceded by :data:`PAD_S` of resting
    samples; those samples are not measurements and no value of them reaches the rep.
    """
    x = np.asarray(x, dtype=np.float64)
    ok = np.isfinite(x)
    if x.size < 5 or not np.any(ok):
        return None
    i0 = int(np.argmax(ok))
    first = min((w.start_i for w in windows), default=len(x))
    if t[i0] - t[0] > OPENING_LEAD_S or first - i0 < 5:
        return None
    head = x[i0:first]
    if not np.any(np.isfinite(head)):
        return None
    level = float(np.percentile(x[ok], 5))
    pk = i0 + int(np.nanargmax(head))
    depth = float(x[pk] - level)
    typical = float(np.median([w.rom for w in windows])) if windows else depth
    near = 1.0 - cyc.return_frac
    if t[pk] - t[i0] < OPENING_TURN_S or depth < max(cyc.min_rom_deg, 0.5 * typical):
        return None
    if x[i0] - level < near * depth or np.nanmin(x[pk:first]) - level > near * depth:
        return None  # opened at rest (the rep code's case), or did not come back before the next rep
    dt = float(np.median(np.diff(t)))
    n_pad = max(1, int(round(PAD_S / dt)))
    tp = np.concatenate([t[i0] - dt * np.arange(n_pad, 0, -1), t[i0:first]])
    xp = np.concatenate([np.full(n_pad, level), np.where(np.isfinite(head), head, np.nan)])
    found = cyc.batch(tp, xp)
    if not found:
        return None
    w, shift = found[0], i0 - n_pad
    if w.end_i + shift <= pk:
        return None
    return dataclasses.replace(w, start_i=i0, bottom_i=max(w.bottom_i + shift, i0), end_i=w.end_i + shift,
                               start_s=float(t[i0]), bottom_start_s=max(w.bottom_start_s, float(t[i0])),
                               from_bottom=True)  # fmt: skip


def with_opening_rep(t: np.ndarray, v: dict[str, Any], windows: list[RepWindow], cyc: Cyclic) -> list[RepWindow]:
    """``windows`` with the clip's opening rep (:func:`opening_rep`, the larger side's) first, when there is one."""
    cands = [dataclasses.replace(w, side=s) for s in SIDES if (w := opening_rep(t, v["thigh_reach"][s], windows, cyc))]
    if not cands:
        return windows
    w = max(cands, key=lambda c: c.rom)
    tp = max(0.0, windows[0].start_s - w.end_s) if windows else math.nan
    return [dataclasses.replace(w, top_pause_s=tp), *windows]


def in_picture(lm: np.ndarray, name: str) -> dict[str, np.ndarray]:
    """``{side: (T,) bool}``: that side's landmark ``name`` (e.g. ``"ANKLE"``) lies inside the frame.

    ``lm`` is ``(T, 33, >=2)`` normalised image landmarks; NaN is not inside.
    """
    from formcheck.body.clean import FRAME_MARGIN

    out = {}
    for side in SIDES:
        xy = np.asarray(lm, dtype=np.float64)[:, LM[f"{side.upper()}_{name}"], :2]
        with np.errstate(invalid="ignore"):
            out[side] = np.all((xy > FRAME_MARGIN) & (xy < 1.0 - FRAME_MARGIN), axis=-1)
    return out


def seen_stat(x: np.ndarray, seen: np.ndarray | None, frames: np.ndarray) -> float:
    """Median of ``x[frames]`` over the frames where the limb was seen; NaN when it was seen on fewer than
    :data:`MIN_SEEN_FRAC` of them (``seen`` None: every frame counts as seen)."""
    if seen is None:
        return _stat(np.median, x[frames])
    ok = np.asarray(seen, dtype=bool)[frames]
    if ok.size == 0 or np.mean(ok) < MIN_SEEN_FRAC:
        return math.nan
    return _stat(np.median, x[frames][ok])


def spread_deg(x: np.ndarray) -> float:
    """How far a held value wandered: its 90th minus its 10th percentile (NaN with fewer than 2 known)."""
    y = np.asarray(x, dtype=np.float64)
    y = y[np.isfinite(y)]
    return float(np.percentile(y, 90) - np.percentile(y, 10)) if y.size >= 2 else math.nan


def arm_plausible(v: dict[str, Any], side: str, trunk_px: float) -> np.ndarray:
    """``(T,)`` bool: the ``side`` wrist label is where a reaching hand can be (:data:`ARM_LENGTH_BAND`,
    :data:`HANDS_APART_MIN`, :data:`ARM_FROM_TRUNK_MIN_DEG`, against an arm of :data:`ARM_PER_TRUNK` × the resting
    trunk length ``trunk_px``). Unknown is not plausible."""
    arm = ARM_PER_TRUNK * trunk_px
    n = len(v["wrists_apart_px"])
    if not math.isfinite(arm) or arm <= 0:
        return np.zeros(n, dtype=bool)
    with np.errstate(invalid="ignore"):
        ratio = np.asarray(v["arm_len_px"][side]) / arm
        return ((ratio >= ARM_LENGTH_BAND[0]) & (ratio <= ARM_LENGTH_BAND[1])
                & (np.asarray(v["wrists_apart_px"]) >= HANDS_APART_MIN * arm)
                & (np.asarray(v["arm_from_trunk_deg"][side]) >= ARM_FROM_TRUNK_MIN_DEG))  # fmt: skip


def held_reading(x: np.ndarray, ok: np.ndarray | None, frames: np.ndarray, ref: np.ndarray,
                 held: bool = True) -> tuple[float, str]:  # fmt: skip
    """A limb's elevation at full reach and why it is unknown: ``(median, "")``, or ``(NaN, reason)`` with reason
    ``"unseen"`` (``ok`` on fewer than :data:`MIN_SEEN_FRAC` of ``frames``) or ``"unsteady"`` (over the kept
    frames it spread more than the reference ``ref``, the moving thigh's reach, plus :data:`STILL_EXTRA_DEG`).

    ``ok``: per-frame bool, the limb's end point usable (None: every frame). ``held``: the frames are a hold seen
    from its start; False for a rep the clip opens in (its frames run from the first one, while the limbs still
    move), where stillness is not asked.
    """
    x = np.asarray(x, dtype=np.float64)
    value = seen_stat(x, ok, frames)
    if not math.isfinite(value):
        return math.nan, "unseen"
    keep = frames if ok is None else frames[np.asarray(ok, dtype=bool)[frames]]
    wander, own = spread_deg(x[keep]), spread_deg(np.asarray(ref, dtype=np.float64)[keep])
    if held and math.isfinite(wander) and wander > (own if math.isfinite(own) else 0.0) + STILL_EXTRA_DEG:
        return math.nan, "unsteady"
    return value, ""


def _stat(fn: Callable[[np.ndarray], Any], x: np.ndarray) -> float:
    return fh.nan_stat(fn, np.asarray(x, dtype=np.float64))


def _rise(x: np.ndarray, idx: np.ndarray) -> float:
    """How far a reach signal rose inside a rep: its 90th percentile minus its minimum there."""
    y = np.asarray(x, dtype=np.float64)[idx]
    y = y[np.isfinite(y)]
    return float(np.percentile(y, 90) - np.min(y)) if y.size >= 2 else math.nan


def resolve_sides(windows: list[RepWindow], v: dict[str, Any]) -> list[tuple[str | None, str]]:
    """``(leg side, how it was decided)`` per rep: ``"legs"`` (one thigh rose clearly more), ``"alternation"``
    (both rose alike: the opposite of the nearest clear rep), ``"unknown"``."""
    clear: list[str | None] = []
    for w in windows:
        idx = np.arange(w.start_i, w.end_i + 1)
        rise = {s: _rise(v["thigh_reach"][s], idx) for s in SIDES}
        known = {s: r for s, r in rise.items() if math.isfinite(r)}
        if len(known) == 1:
            clear.append(next(iter(known)))
            continue
        if not known:
            clear.append(None)
            continue
        hi, lo = max(known, key=known.get), min(known, key=known.get)
        clear.append(hi if known[lo] < AMBIGUOUS_FRAC * known[hi] else None)
    out: list[tuple[str | None, str]] = []
    for i, side in enumerate(clear):
        if side is not None:
            out.append((side, "legs"))
            continue
        near = sorted((j for j, s in enumerate(clear) if s is not None), key=lambda j: abs(j - i))
        if near:
            j = near[0]
            out.append((clear[j] if (i - j) % 2 == 0 else OTHER[clear[j]], "alternation"))  # type: ignore[index]
        else:
            out.append((None, "unknown"))
    return out


def _rest(v: dict[str, Any], t: np.ndarray, windows: list[RepWindow]) -> np.ndarray:
    """Frames at rest: outside every rep by at least :data:`REST_GAP_S`."""
    rest = np.ones(len(t), dtype=bool)
    for w in windows:
        rest &= ~((t >= w.start_s - REST_GAP_S) & (t <= w.end_s + REST_GAP_S))
    return rest


def _peak(w: RepWindow, reach: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Frame indices at full reach: inside the fitted pause at the turnaround, else near the rep's peak."""
    idx = np.arange(w.start_i, w.end_i + 1)
    lo, hi = w.bottom_start_s, w.bottom_end_s
    sel = idx[(t[idx] >= lo - 1e-9) & (t[idx] <= hi + 1e-9)]
    if sel.size >= 2:
        return sel
    r = np.asarray(reach, dtype=np.float64)[idx]
    ok = np.isfinite(r)
    if not np.any(ok):
        return np.array([w.bottom_i])
    top = float(np.max(r[ok]))
    sel = idx[ok & (r >= top - PEAK_FRAC * abs(w.rom))]
    return sel if sel.size else np.array([w.bottom_i])


def _most_risen(reach: dict[str, np.ndarray], idx: np.ndarray, among: tuple[str, ...] = SIDES) -> str:
    """The label (of ``among``) whose reach rose most in the rep's frames ``idx``."""
    return max(among, key=lambda s: r if math.isfinite(r := _rise(reach[s], idx)) else -math.inf)


def limb_readings(v: dict[str, Any], w: RepWindow, peak: np.ndarray, ref: np.ndarray,
                  trunk_px: float) -> dict[str, tuple[float, str]]:  # fmt: skip
    """``{"arm" | "leg": (elevation at full reach, why unknown)}`` of one rep (:func:`held_reading`).

    The leg is read on the thigh label that rose most (MediaPipe may have put the moving leg under either label).
    The arm is read on the label that rose most among those whose wrist is where a reaching hand can be
    (:func:`arm_plausible`) and in the picture; when neither is, the arm is unknown rather than a support arm or a
    wrist on the trunk read as the reaching arm. With the resting trunk length ``trunk_px`` unknown there is nothing
    to check a hand against: the arm is unknown for that reason (:data:`NO_REST_LENGTH`).
    """
    idx = np.arange(w.start_i, w.end_i + 1)
    held = not w.from_bottom
    leg = _most_risen(v["thigh_reach"], idx)
    out = {"leg": held_reading(v["leg_elev"][leg], v.get("ankle_seen", {}).get(leg), peak, ref, held)}
    if not (math.isfinite(trunk_px) and trunk_px > 0):
        out["arm"] = (math.nan, NO_REST_LENGTH)
        return out
    arms = {}
    for s in SIDES:
        ok = arm_plausible(v, s, trunk_px)
        if "wrist_seen" in v:
            ok = ok & v["wrist_seen"][s]
        arms[s] = held_reading(v["arm_elev"][s], ok, peak, ref, held)
    good = tuple(s for s in SIDES if math.isfinite(arms[s][0]))
    out["arm"] = arms[_most_risen(v["arm_reach"], idx, good or SIDES)]
    return out


def rep_metrics(fam: Family, v: dict[str, Any], t: np.ndarray, w: RepWindow, leg: str | None, side_from: str,
                rest: np.ndarray, index: int, off_side_deg: float = math.nan) -> Rep:  # fmt: skip
    """One rep's numbers (see the module docstring), with the set's camera angle ``off_side_deg``. Why a limb
    reading is unknown goes to ``v["unclear"]`` (``{rep index: {"arm" | "leg": reason}}``) for the plain notes
    (:func:`unseen_notes`)."""
    leg_label = leg or w.side or "left"
    ref = v["thigh_reach"][w.side or leg_label]
    peak = _peak(w, ref, t)
    base = rest if np.any(rest) else np.isin(np.arange(len(t)), [w.start_i])
    L = _stat(np.median, v["trunk_len_px"][base])
    limbs = limb_readings(v, w, peak, ref, L)
    v.setdefault("unclear", {})[index] = {k: why for k, (_, why) in limbs.items() if why}
    # The hold is the moving leg still at full reach: a leg whose tracked foot jumped about there has no known hold.
    hold = math.nan if limbs["leg"][1] == "unsteady" else w.bottom_pause_s
    trunk = {
        "trunk_tilt_change_deg": _stat(np.median, v["trunk_tilt_deg"][peak])
        - _stat(np.median, v["trunk_tilt_deg"][base]),
        # Heights: + up (image y points down), in % of the resting trunk length.
        "hip_shift_pct": 100.0 * (_stat(np.median, v["hip_y_px"][base]) - _stat(np.median, v["hip_y_px"][peak])) / L,
        "shoulder_shift_pct": 100.0 * (_stat(np.median, v["shoulder_y_px"][base])
                                       - _stat(np.median, v["shoulder_y_px"][peak])) / L,
        "trunk_length_change_pct": 100.0 * (_stat(np.median, v["trunk_len_px"][peak]) - L) / L,
    }  # fmt: skip
    metrics: dict[str, float | str | None] = {
        "arm_reach_deg": limbs["arm"][0],
        "leg_reach_deg": limbs["leg"][0],
        **{k: trunk[k] for k in fam.trunk_keys},
        "side_from": side_from,
        fv.OFF_SIDE_KEY: off_side_deg,
    }
    arm_side = OTHER[leg] if leg else None
    return Rep(
        index=index, start_s=w.start_s, bottom_s=float(t[w.bottom_i]), end_s=w.end_s, eccentric_s=w.eccentric_s,
        bottom_pause_s=hold, concentric_s=w.concentric_s, top_pause_s=w.top_pause_s,
        time_under_tension_s=w.end_s - w.start_s, rom_deg=w.rom, metrics=metrics, side=arm_side, hold_s=hold,
    )  # fmt: skip


def analyze_set(
    fam: Family, seq: PoseSequence, cfg: Config, *, opening: bool = True
) -> tuple[Body, dict[str, Any], list]:
    """Body → values → alternating reps → sides → per-rep metrics: ``(body, values, [(rep, window), ...])``.

    ``opening``: count a rep the clip opens in (:func:`opening_rep`); off for the live re-analysis, whose buffer
    starts wherever 20 s ago was.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"All-NaN slice|Mean of empty slice|invalid value|Degrees of freedom",
                                RuntimeWarning)  # fmt: skip
        body = Body.from_sequence(seq, cfg, position=fam.position)
        v = values(body.px, fam.rest_sign)
        if seq.landmarks.shape[0] == len(body.t_s):  # the limb ends in the picture (a cropped foot is a guess)
            v["ankle_seen"], v["wrist_seen"] = in_picture(seq.landmarks, "ANKLE"), in_picture(seq.landmarks, "WRIST")
        t = body.t_s
        # Reps, sides and full reach are found on the thighs' reach with label flicker closed (FLICKER_S).
        v["thigh_reach"] = {s: close_dips(t, v["thigh_reach"][s]) for s in SIDES}
        strat = strategy(cfg, fam.name)
        windows = strat.batch(t, v["thigh_reach"]["left"], v["thigh_reach"]["right"]) if len(t) else []
        if opening and len(t):
            windows = with_opening_rep(t, v, windows, strat.cyclic)
        sides = resolve_sides(windows, v)
        rest = _rest(v, t, windows)
        off_side = lying_view(body.px, body.world).off_side_deg  # the camera's angle, carried by every rep
        found = [(rep_metrics(fam, v, t, w, leg, how, rest, i + 1, off_side), w) for i, (w, (leg, how)) in
                 enumerate(zip(windows, sides, strict=True))]  # fmt: skip
    return body, v, found


def _reps_words(reps: list[str]) -> str:
    return f"rep {reps[0]}" if len(reps) == 1 else f"reps {', '.join(reps)}"


def unseen_notes(found: list, v: dict[str, Any]) -> list[str]:
    """A plain "can't tell" for the reps whose moving leg or reaching arm is unknown at full reach: the leg's foot
    out of the picture (:data:`UNSEEN_NOTE`), the leg jumping about, the hand not where a reaching hand can be
    (:data:`UNCLEAR_NOTES`), the body's resting length not seen (:data:`NO_REST_LENGTH_NOTE`)."""
    recorded = v.get("unclear", {})

    def why(r: Rep, limb: str) -> str | None:
        if r.index in recorded:
            return recorded[r.index].get(limb)
        # No record (reps made elsewhere): an unknown leg is taken as unseen.
        unknown = limb == "leg" and not math.isfinite(float(r.metrics.get("leg_reach_deg", math.nan)))
        return "unseen" if unknown else None

    out = []
    if "ankle_seen" in v:
        reps = [str(r.index) for r, _ in found if why(r, "leg") == "unseen"]
        out += [UNSEEN_NOTE.format(limb="leg", reps=_reps_words(reps))] if reps else []
    for limb, reasons in (("leg", ("unsteady",)), ("arm", ("unseen", "unsteady"))):
        reps = [str(r.index) for r, _ in found if why(r, limb) in reasons]
        out += [UNCLEAR_NOTES[limb].format(reps=_reps_words(reps))] if reps else []
    reps = [str(r.index) for r, _ in found if why(r, "arm") == NO_REST_LENGTH]
    out += [NO_REST_LENGTH_NOTE.format(reps=_reps_words(reps))] if reps else []
    return out


def summary(reps: tuple[Rep, ...]) -> dict[str, Any]:
    return {
        "rep_count": len(reps),
        "reps_left": sum(r.side == "left" for r in reps),
        "reps_right": sum(r.side == "right" for r in reps),
        "sides": ",".join(str(r.side) for r in reps),
        "sides_by_alternation": sum(r.metrics.get("side_from") == "alternation" for r in reps),
    }


class AlternatingFloorAnalyzer:
    """Batch analysis of an alternating floor set (the exercise's subclass gives its family and ``no_items``)."""

    family: Family
    no_items: str = ""  # the quality note when no rep was found (what to do)

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()

    @property
    def name(self) -> str:
        return self.family.name

    @property
    def spec(self) -> ExerciseSpec:
        return get_spec(self.family.name)

    def analyze(self, seq: PoseSequence) -> Analysis:
        spec, fam = self.spec, self.family
        if seq.n_frames == 0 or not np.any(seq.present):
            return nobody_analysis(fam.name, seq, spec.limits)
        body, v, found = analyze_set(fam, seq, self.config)
        vw, lv = fv.set_view(body)  # the horizontal width check misses a raised camera (floor_view)
        q = set_quality(
            view=vw.view, facing=vw.facing_label, side_used=vw.near_side, **body_frame_counts(seq, body),
            warnings=[*fam.angle_words.warnings(lv.off_side_deg), *fh.view_warnings(spec, vw.view),
                      *unseen_notes(found, v)], n_items=len(found), no_items=self.no_items,
        )  # fmt: skip
        q = with_position(q, body.position, spec.positions, spec.title)
        reps = tuple(r for r, _ in found)
        rep_index = np.zeros(len(body.t_s))
        for r, w in found:
            rep_index[w.start_i : w.end_i + 1] = r.index
        series = {"t_s": body.t_s, **live_series(v), "rep_index": rep_index}
        return Analysis(fam.name, reps, (), q, limits=spec.limits, summary=summary(reps), video=seq.video,
                        settings={"analyzer": fam.name, "side_from": "legs (thigh reach)"}, series=series)  # fmt: skip

    def stream(self) -> ExerciseStream:
        return ExerciseStream(self.config, AlternatingFloorLive(self.config, self.family, self.spec))


class AlternatingFloorLive:
    """The live model: both thighs' reach per frame; a finished rep is the batch code on the buffered frames,
    stamped with the set's camera angle so far (:class:`~formcheck.analyzers.floor_view.LiveAngle`, as batch judges
    the whole set's), whose warning the set gets at its end (:meth:`set_warnings`)."""

    reference_keys: tuple[str, ...] = ()
    phase_key = "thigh_reach_deg"

    def __init__(self, config: Config, family: Family, spec: ExerciseSpec) -> None:
        from formcheck.analyzers.lunge_live import BridgedAlternating  # holds back short unseen runs live

        self.config, self.family, self.spec = config, family, spec
        self.strategy = BridgedAlternating(strategy(config, family.name))
        self._angle = fv.LiveAngle(family.angle_words)

    def depth(self, px: np.ndarray, facing: float) -> tuple[float, float]:
        v = values(px[None], self.family.rest_sign)
        return float(v["thigh_reach"]["left"][0]), float(v["thigh_reach"]["right"][0])

    def live_values(self, fr: LiveFrame, refs: References) -> tuple[dict[str, float], dict[str, float]]:
        self._angle.update(fr.px, fr.world)
        s = live_series(values(fr.px[None], self.family.rest_sign))
        return {k: float(x[0]) for k, x in s.items()}, {}

    def analyze_rep(self, seq: PoseSequence, w: RepWindow, index: int, after_s: float) -> tuple[Rep, RepWindow] | None:
        body, v, found = analyze_set(self.family, seq, self.config, opening=False)
        found = [(r, x) for r, x in found if x.end_s > after_s + 1e-6]
        if not found:
            return None
        rep, best = min(found, key=lambda f: abs(f[1].end_s - w.end_s))
        seen = np.isfinite(v["thigh_reach"][best.side or "left"])
        metrics = {**rep.metrics, fv.OFF_SIDE_KEY: self._angle.off_side_deg()}  # the set's angle, not the buffer's
        rep = dataclasses.replace(rep, index=index, metrics=metrics)
        return drop_unseen_phases(rep, body.t_s, seen), best

    def set_warnings(self) -> list[str]:
        """The set's warnings at its end (the runner's ``set_warnings``): the camera angle, as in batch."""
        return self._angle.warnings()

    def set_view(self, view: ViewEstimate) -> ViewEstimate:
        """The finished set's view (the runner's ``set_view``): oblique beyond the side boundary, as in batch."""
        return self._angle.set_view(view)


# -- cue-rule helpers ---------------------------------------------------------------------------------------------


def tempo_rule(code: str, priority: int, field: str, i: int, text: str) -> CueRule:
    """A tempo rule in the exercise's words: the phase took under (1 − tolerance) × its target, by more than one
    frame interval (a shorter miss is not measurable, :func:`~formcheck.engine.cuerules.frame_precision`)."""

    def target(inp: RuleInput) -> float:
        return float(inp.exercise.target_tempo_s[i])

    def threshold(inp: RuleInput) -> float:
        t = target(inp)
        return (1.0 - inp.exercise.tempo_tolerance_frac) * t if t > 0 else math.nan

    def message(inp: RuleInput, value: float, thr: float) -> str:
        return text.format(t=f"{target(inp):g} s", v=seconds_text(value))  # to 0.01 s: judged to the frame

    return CueRule(
        code, priority, "info", field, message, op="<", threshold=threshold, views=(), precision=frame_precision
    )


def thigh_series(label: str) -> MetricSpec:
    """The moving thigh's reach as a plotted series (``label`` says where 0 and 90 are). Not on the overlay: a
    "leg 94°" there read as the tables' leg angle (another quantity); the overlay tags the rep's ``leg_reach_deg``."""
    return MetricSpec("thigh_reach_deg", label, kind="series", unit="°", plot="angles", color="#4c78a8",
                      show=frozenset({"plot"}))  # fmt: skip


# The overlay tag says "slope": it is the trunk's slope in the image (a quadruped or supine trunk rests sloped), while
# the tables' "trunk tilt" is its change from rest; tagged "trunk +6°" it read as a 6° tilt to correct.
TRUNK_TILT_SERIES = MetricSpec(
    "trunk_tilt_deg", "trunk slope (+ shoulders higher)", kind="series", unit="°", fmt="+.0f", plot="angles",
    color="#e45756", show=frozenset({"plot", "overlay"}), overlay_at="trunk", overlay_label="slope",
)  # fmt: skip


def arm_not_judged_limit(motion: str) -> str:
    """The LIMITS sentence on the hidden and misplaced arms (``motion``: "reach", "extension")."""
    return ("The far-side arm and leg are hidden behind the body: their angles are the pose tracker's guesses. The "
            "reaching arm is often misplaced even on the near side (in our test videos the pose tracker put the wrist "
            "on the reaching hand in 2 of 6 reps; the others read 15-66° off). An arm whose tracked hand is not where "
            "a reaching hand can be is left out (\"can't tell\"); one that passes can still be a few degrees off, so "
            f"the arm's {motion} is shown but not judged.")  # fmt: skip


def side_words(side: str | None) -> str:
    """ "right arm and left leg" for a rep whose reaching arm is the right one; "arm and leg" when unknown."""
    if side not in SIDES:
        return "arm and leg"
    return f"{side} arm and {OTHER[side]} leg"
