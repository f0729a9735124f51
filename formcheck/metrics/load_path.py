"""Load path over the feet: whole-body centre of mass (CoM) from de Leva (1996), as a % of foot length.

Method
------
Each segment's CoM lies at a fixed fraction of the way between two landmarks; the body CoM is the mass-weighted
mean (de Leva 1996, Table 4, female/male). MediaPipe has no vertex, C7 or 3rd-metacarpal points, so:

* trunk = mid-shoulder → mid-hip (de Leva's alternative "mid-shoulder to mid-hip" definition, Table 4 bottom);
* head CoM = mid-ear (the head's CoM sits close to the ear canal; ±2 cm);
* hand = wrist → mean(index, pinky knuckle) as the 3rd metacarpal;
* shank = knee → ankle joint centre; foot = heel → toe tip.

A load held in the hands (``load_kg``) is a point mass at the hands.

"% of foot" is the CoM's horizontal position from the heel, as a percentage of the *whole* foot (heel to toe
tip). MediaPipe's ``foot_index`` sits near the ball of the foot, not the toe tip, so the foot is extended from the
heel through ``foot_index`` to ``foot_index_frac`` of its length (default 0.75: the ball of the foot lies at about
three quarters of foot length from the heel). That keeps the midfoot band (default 30–60 %) meaning "over the
middle of your whole foot". In a set the foot is one fixed reference from the standing frames (see
:func:`foot_frame_px`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from formcheck.types import LM

# (mass fraction, CoM fraction from the proximal endpoint) — de Leva (1996) Table 4.
DE_LEVA: dict[str, dict[str, tuple[float, float]]] = {
    "female": {
        "head": (0.0668, math.nan),  # CoM placed at mid-ear (see module docstring)
        "trunk": (0.4257, 0.3782),  # mid-shoulder → mid-hip
        "upper_arm": (0.0255, 0.5754),
        "forearm": (0.0138, 0.4559),
        "hand": (0.0056, 0.7474),
        "thigh": (0.1478, 0.3612),
        "shank": (0.0481, 0.4352),  # knee → ankle joint centre
        "foot": (0.0129, 0.4014),  # heel → toe tip
    },
    "male": {
        "head": (0.0694, math.nan),
        "trunk": (0.4346, 0.4310),
        "upper_arm": (0.0271, 0.5772),
        "forearm": (0.0162, 0.4574),
        "hand": (0.0061, 0.7900),
        "thigh": (0.1416, 0.4095),
        "shank": (0.0433, 0.4395),
        "foot": (0.0137, 0.4415),
    },
}

# Segment length / stature (de Leva 1996 male means: thigh 42.22 cm, shank 43.40 cm… of 174.1 cm; the female
# ratios differ by < 1 %). Used only to turn pixels into centimetres from the user's height.


_SIDE_NAMES = ("SHOULDER", "ELBOW", "WRIST", "INDEX", "PINKY", "HIP", "KNEE", "ANKLE", "HEEL", "FOOT_INDEX")
_SIDE_IDX = np.array([[int(LM[f"{s}_{n}"]) for n in _SIDE_NAMES] for s in ("LEFT", "RIGHT")])


def _fill(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a`` with NaN rows replaced from ``b`` (mirror the other side when one side is unknown)."""
    return np.where(np.isnan(a), b, a)


def center_of_mass(
    points: np.ndarray,
    *,
    sex: str = "female",
    body_kg: float = 70.0,
    load_kg: float = 0.0,
    foot_index_frac: float = 0.75,
) -> np.ndarray:
    """Whole-body (+ held load) centre of mass per frame.

    Args:
        points: ``(T, 33, D)`` landmark coordinates (pixels ``D=2`` or world metres ``D=3``); NaN when unknown.
        sex: which de Leva table.
        body_kg: body mass.
        load_kg: mass held in the hands, placed at the mean of both hands.
        foot_index_frac: where ``foot_index`` sits along the foot (to place the toe tip for the foot segment).

    Returns:
        ``(T, D)`` CoM; NaN where the trunk or legs are unknown.
    """
    if sex not in DE_LEVA:
        raise ValueError(f"sex must be 'female' or 'male', not {sex!r}")
    tab = DE_LEVA[sex]
    p = np.asarray(points, dtype=np.float64)
    # Both sides at once: (T, 2 sides, 10 points, D); a side's unknown point takes the other side's.
    sides = p[:, _SIDE_IDX]
    sides[:, :, 3] = (sides[:, :, 3] + sides[:, :, 4]) / 2.0  # 3rd metacarpal ≈ mean of index and pinky
    sides = np.where(np.isnan(sides), sides[:, ::-1], sides)
    names = ("shoulder", "elbow", "wrist", "met3", "_pinky", "hip", "knee", "ankle", "heel", "toe")
    left = {n: sides[:, 0, i] for i, n in enumerate(names)}
    right = {n: sides[:, 1, i] for i, n in enumerate(names)}
    mid_sho = (left["shoulder"] + right["shoulder"]) / 2.0
    mid_hip = (left["hip"] + right["hip"]) / 2.0
    ears = (p[:, LM.LEFT_EAR] + p[:, LM.RIGHT_EAR]) / 2.0
    ears = _fill(_fill(ears, p[:, LM.LEFT_EAR]), p[:, LM.RIGHT_EAR])
    head = _fill(ears, p[:, LM.NOSE])

    def seg(a: np.ndarray, b: np.ndarray, frac: float) -> np.ndarray:
        return a + frac * (b - a)

    parts: list[tuple[float, np.ndarray]] = [
        (tab["head"][0], head),
        (tab["trunk"][0], seg(mid_sho, mid_hip, tab["trunk"][1])),
    ]
    for s in (left, right):
        toe_tip = s["heel"] + (s["toe"] - s["heel"]) / foot_index_frac
        parts += [
            (tab["upper_arm"][0], seg(s["shoulder"], s["elbow"], tab["upper_arm"][1])),
            (tab["forearm"][0], seg(s["elbow"], s["wrist"], tab["forearm"][1])),
            (tab["hand"][0], seg(s["wrist"], _fill(s["met3"], s["wrist"]), tab["hand"][1])),
            (tab["thigh"][0], seg(s["hip"], s["knee"], tab["thigh"][1])),
            (tab["shank"][0], seg(s["knee"], s["ankle"], tab["shank"][1])),
            (tab["foot"][0], seg(s["heel"], toe_tip, tab["foot"][1])),
        ]
    w = np.array([m for m, _ in parts])
    xs = np.stack([x for _, x in parts], axis=0)  # (S, T, D)
    body = np.tensordot(w / w.sum(), xs, axes=(0, 0))
    if load_kg > 0:
        hands = (_fill(left["met3"], left["wrist"]) + _fill(right["met3"], right["wrist"])) / 2.0
        tot = body_kg + load_kg
        body = (body_kg * body + load_kg * hands) / tot
    return body


@dataclass(frozen=True)
class FootFrame:
    """Per-frame foot reference in pixels along the facing direction."""

    heel_x_px: np.ndarray  # (T,)
    foot_len_px: np.ndarray  # (T,) whole-foot length (heel → estimated toe tip)
    ball_len_px: np.ndarray  # (T,) heel → foot_index


def foot_frame_px(
    xy_px: np.ndarray,
    side: str,
    facing: float,
    *,
    foot_index_frac: float = 0.75,
    baseline: np.ndarray | None = None,
) -> FootFrame:
    """Heel position and foot length of one foot, measured horizontally (side view).

    Feet stay planted in a hinge, but MediaPipe's foot points do not: on the rendered figure the heel point
    drifts 6–8 px (≈ 15 % of the heel → toe-landmark span) toward the toes while the trunk bends, which made clean
    reps read "weight on toes". With ``baseline`` (standing frames) the heel position and the foot length are
    the medians over those frames, one fixed foot for the set; without it the heel is taken per frame and the
    length is the clip's median.

    Args:
        xy_px: ``(T, 33, 2)`` pixel landmarks.
        side: which foot.
        facing: +1 facing image-right, -1 image-left.
        foot_index_frac: where ``foot_index`` sits along the foot (ball of the foot).
        baseline: optional bool ``(T,)`` standing frames (used when at least 3 have both foot points).
    """
    p = np.asarray(xy_px, dtype=np.float64)
    heel = p[:, int(LM[f"{side.upper()}_HEEL"])]
    toe = p[:, int(LM[f"{side.upper()}_FOOT_INDEX"])]
    ball = (toe[:, 0] - heel[:, 0]) * facing
    ball_len = np.abs(np.hypot(toe[:, 0] - heel[:, 0], toe[:, 1] - heel[:, 1]))
    ok = np.isfinite(ball) & (ball > 0)
    heel_x = heel[:, 0]
    if baseline is not None and np.sum(ok & np.asarray(baseline, dtype=bool)) >= 3:
        ok = ok & np.asarray(baseline, dtype=bool)
        heel_x = np.full(p.shape[0], float(np.median(heel_x[ok])))
    med = float(np.median(ball_len[ok])) if np.any(ok) else math.nan
    ball_med = np.full(p.shape[0], med)
    return FootFrame(heel_x_px=heel_x, foot_len_px=ball_med / foot_index_frac, ball_len_px=ball_med)


# A standing body's centre of mass stays over its base of support (heel 0 % to toe tip 100 %): well beyond either
# end the person would be falling. The margin, a fifth of the foot (about 5 cm) each way, covers the segment model
# (de Leva's CoM fractions, the mid-ear head) and MediaPipe's foot points (the toe tip is extrapolated from
# ``foot_index``). A value out there is a measurement failure (an oblique view whose foot is foreshortened, a foot
# point on the wrong object), never a position to coach. Issue 10: an oblique view printed "CoM -81 to -53 % of
# foot"; later "137-149 %" (a squat filmed obliquely) and "23-134 %" (a cartoon forward bend).
PHYSICAL_RANGE_PCT = (-20.0, 120.0)
MIN_KNOWN_FRAC = 0.5  # a rep whose CoM is known on fewer of its frames than this is not measured
OUT_OF_RANGE_NOTE_FRAC = 0.1  # out-of-range share of the known frames above which the set says "can't tell"
# Whole-foot length / stature (Drillis & Contini 1966: 0.152). Seen from the side the foot shows its whole length;
# turned by an angle a from side-on it shows cos(a) of it, and past 45 deg (cos 0.71) the fore-aft offsets of the
# body and the foot no longer shrink alike, so "% of foot" and centimetres from it are not measurements.
FOOT_PER_STATURE = 0.152
MIN_FOOT_SEEN_FRAC = 0.7
CANT_TELL_NOTE = (
    "Where your weight sits over the feet can't be told in part of this video (the feet are unclear or the view "
    "is too far from side-on); those moments are left out."
)


def pct_of_foot(
    x_px: np.ndarray, foot: FootFrame, facing: float, *, physical_range: tuple[float, float] | None = PHYSICAL_RANGE_PCT
) -> np.ndarray:
    """Horizontal position as % of whole-foot length from the heel (0 = heel, 100 = toe tip).

    Values outside ``physical_range`` (default :data:`PHYSICAL_RANGE_PCT`) are NaN: not a place a standing body's
    centre of mass can be, so the measurement failed there. ``None`` returns the raw values.
    """
    pct = 100.0 * (np.asarray(x_px, dtype=np.float64) - foot.heel_x_px) * facing / foot.foot_len_px
    if physical_range is None:
        return pct
    lo, hi = physical_range
    with np.errstate(invalid="ignore"):
        return np.where((pct >= lo) & (pct <= hi), pct, np.nan)


def range_notes(x_px: np.ndarray, foot: FootFrame, facing: float) -> list[str]:
    """``[CANT_TELL_NOTE]`` when more than :data:`OUT_OF_RANGE_NOTE_FRAC` of the known frames fell outside
    :data:`PHYSICAL_RANGE_PCT` (and were left out by :func:`pct_of_foot`), else ``[]``."""
    raw = pct_of_foot(x_px, foot, facing, physical_range=None)
    known = np.isfinite(raw)
    if not np.any(known):
        return []
    lo, hi = PHYSICAL_RANGE_PCT
    out = float(np.mean((raw[known] < lo) | (raw[known] > hi)))
    return [CANT_TELL_NOTE] if out > OUT_OF_RANGE_NOTE_FRAC else []


def foot_seen_whole(foot_len_cm: float, height_cm: float) -> bool:
    """Whether the foot's measured length is not foreshortened (at least :data:`MIN_FOOT_SEEN_FRAC` of the length
    expected from the stature, :data:`FOOT_PER_STATURE`). Unknown scale or length: False."""
    if not (math.isfinite(foot_len_cm) and math.isfinite(height_cm) and height_cm > 0):
        return False
    return foot_len_cm >= MIN_FOOT_SEEN_FRAC * FOOT_PER_STATURE * height_cm


@dataclass(frozen=True)
class LoadPath:
    """Per-frame centre of mass over the foot of a set, with the reasons it could not be told."""

    pct: np.ndarray  # (T,) % of foot; NaN outside PHYSICAL_RANGE_PCT, where unknown, or all NaN when foreshortened
    foot_len_cm: float  # whole-foot length; NaN when unknown or foreshortened (no centimetres from it)
    notes: tuple[str, ...]  # CANT_TELL_NOTE when part of the set could not be told


def load_path_series(
    com_x_px: np.ndarray, foot: FootFrame, facing: float, *, px_per_cm: float, height_cm: float
) -> LoadPath:
    """The one rule for a set's centre of mass over the foot (hinge, squat; the live hinge uses the same range).

    * Per frame: outside :data:`PHYSICAL_RANGE_PCT` is NaN ("can't tell"), see :func:`pct_of_foot`.
    * A foot seen foreshortened (:func:`foot_seen_whole` false with a known scale): every frame NaN and the note;
      the % and any centimetres from that foot would be made up.
    * Without a scale (``px_per_cm`` NaN) the % stays but there are no centimetres.

    Args:
        com_x_px: ``(T,)`` centre of mass, image x.
        foot: the set's foot reference (:func:`foot_frame_px`).
        facing: +1 facing image-right, -1 image-left.
        px_per_cm: image scale at the body; NaN when unknown.
        height_cm: the user's stature (the scale came from it, so foot / stature is the foot / leg ratio).
    """
    n = len(np.asarray(com_x_px))
    scale_ok = math.isfinite(px_per_cm) and px_per_cm > 0
    foot_len_cm = float(foot.foot_len_px[0] / px_per_cm) if scale_ok and n else math.nan
    if scale_ok and not foot_seen_whole(foot_len_cm, height_cm):
        return LoadPath(pct=np.full(n, np.nan), foot_len_cm=math.nan, notes=(CANT_TELL_NOTE,))
    pct = pct_of_foot(com_x_px, foot, facing)
    return LoadPath(pct=pct, foot_len_cm=foot_len_cm, notes=tuple(range_notes(com_x_px, foot, facing)))


def band_excursions(
    pct: np.ndarray,
    t_s: np.ndarray,
    band: tuple[float, float],
    *,
    min_known_frac: float = MIN_KNOWN_FRAC,
    foot_len_cm: float = math.nan,
    span_s: tuple[float, float] | None = None,
) -> dict[str, float]:
    """Extremes and time outside a band of a % of foot series (one rep).

    All NaN when the series is known on fewer than ``min_known_frac`` of the rep's frames: extremes of the few
    frames that were measured would not be the rep's. Values outside :data:`PHYSICAL_RANGE_PCT` are not
    readings (NaN) even if the caller passed them raw.

    The time outside is the time between the rep's samples (trapezoid: an interval counts half for each end
    outside the band), so it never exceeds the rep's duration ``t_s[-1] - t_s[0]``; with ``span_s`` (the rep's
    start and end, which fall between samples) only the time inside it counts, so it never exceeds
    ``span_s[1] - span_s[0]`` either.

    Returns:
        ``com_min_pct_foot``, ``com_max_pct_foot``, ``time_outside_midfoot_s``, ``toes_excess_pct`` (how far past
        the front of the band at worst, ≥ 0), ``heels_excess_pct`` (past the back, ≥ 0), and the same two in
        centimetres of ``foot_len_cm`` (``toes_excess_cm``, ``heels_excess_cm``; NaN without a foot length).
    """
    x = np.asarray(pct, dtype=np.float64)
    lo_p, hi_p = PHYSICAL_RANGE_PCT
    with np.errstate(invalid="ignore"):
        x = np.where((x >= lo_p) & (x <= hi_p), x, np.nan)
    t = np.asarray(t_s, dtype=np.float64)
    ok = np.isfinite(x)
    if not np.any(ok) or np.mean(ok) < min_known_frac:
        return dict.fromkeys(
            (
                "com_min_pct_foot",
                "com_max_pct_foot",
                "time_outside_midfoot_s",
                "toes_excess_pct",
                "heels_excess_pct",
                "toes_excess_cm",
                "heels_excess_cm",
            ),
            math.nan,
        )
    lo, hi = band
    outside = (ok & ((x < lo) | (x > hi))).astype(np.float64)
    tt = np.clip(t, *span_s) if span_s is not None else t
    time_out = float(np.sum(np.diff(tt) * (outside[:-1] + outside[1:]) / 2.0)) if t.size > 1 else 0.0
    toes, heels = float(max(0.0, np.nanmax(x) - hi)), float(max(0.0, lo - np.nanmin(x)))
    to_cm = foot_len_cm / 100.0 if math.isfinite(foot_len_cm) else math.nan
    return {
        "com_min_pct_foot": float(np.nanmin(x)),
        "com_max_pct_foot": float(np.nanmax(x)),
        "time_outside_midfoot_s": time_out,
        "toes_excess_pct": toes,
        "heels_excess_pct": heels,
        "toes_excess_cm": toes * to_cm,
        "heels_excess_cm": heels * to_cm,
    }


def heel_rise_frac(xy_px: np.ndarray, side: str, baseline: np.ndarray, leg_len_px: float) -> np.ndarray:
    """Heel rise vs the standing baseline, as a fraction of leg length (> 0 is a lift).

    A heel lift raises the heel both in the image and relative to the toe, which stays on the floor. The rise is
    therefore the heel's rise minus the toe's rise, where a toe landmark that *sinks* below its standing height
    is not credited (the floor is there: that is landmark error, e.g. MediaPipe pitching the whole foot when the
    shins tilt far forward in a squat, not a lift). A whole foot moving up together (camera bump, landmark
    drift) still cancels.

    Args:
        xy_px: ``(T, 33, 2)``.
        side: foot to use.
        baseline: bool ``(T,)`` standing frames.
        leg_len_px: hip → ankle length in pixels.
    """
    p = np.asarray(xy_px, dtype=np.float64)
    heel_y = p[:, int(LM[f"{side.upper()}_HEEL"]), 1]
    toe_y = p[:, int(LM[f"{side.upper()}_FOOT_INDEX"]), 1]
    base = np.asarray(baseline, dtype=bool)

    def rise(y: np.ndarray) -> np.ndarray:  # image y points down
        ref = np.nanmedian(y[base]) if np.any(base & np.isfinite(y)) else np.nanmedian(y)
        return ref - y

    return (rise(heel_y) - np.fmax(rise(toe_y), 0.0)) / leg_len_px
