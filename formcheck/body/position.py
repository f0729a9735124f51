"""Body position (standing, seated, kneeling, quadruped, supine, prone, side-lying) from world landmarks.

Everything here reads MediaPipe **world** landmarks: metres, origin between the hips, x right, y down, z away from
the camera (a right-handed frame). Their axes follow the camera, not gravity: y is "down" only when the camera is
level. A camera pitched or rolled by θ tilts every axis measured here by θ. The rules hold every test posture at
10° of tilt from any direction; at 20-30° some postures (kneeling and on all fours filmed obliquely, a hinge's
bottom, a bridge filmed from the head end) read ``unknown`` instead: a heights-above-the-floor check or a
vertical leg is what a tilt spoils first. A tilt does not turn one position into another below about 30°.

Per frame (:func:`position_features`, :func:`position_per_frame`) the rules, in this order, are:

1. **standing** — a leg is vertical under the hip: thigh and shank both within ``LEG_VERTICAL_DEG`` of straight
   down (whatever the trunk does: a hinge at 90° of trunk lean is still standing; one planted leg is enough).
2. **kneeling** — the trunk is upright (within ``UPRIGHT_MAX_DEG`` of vertical) and the knees carry the body:
   thigh near vertical, shank near horizontal (``SHANK_FLAT_MIN_DEG``), the knee bent; both legs (tall kneeling),
   or one whose knee is within ``KNEE_FLOOR_MAX_M`` of the floor (half-kneeling; a lunge's back knee stays up).
   The floor is the lowest knee or foot point.
3. **quadruped** — a knee supports a trunk held near horizontal: shin along the floor, thigh within
   ``THIGH_UNDER_HIP_DEG`` of vertical and near square to the trunk, knee near the floor (a bird-dog lifts the
   other leg).
4. **seated** — the trunk within ``SEATED_TRUNK_MAX_DEG`` of vertical, both thighs forward of the trunk (hip
   flexion ≥ ``SEATED_HIP_FLEX_MIN_DEG``) and not pointing up.
5. **standing** in a split stance — trunk upright, one shin vertical (a lunge or split squat on its way down).
6. **lying** — both thighs away from straight down (``LYING_THIGH_MIN_DEG``: a hinge's trunk is horizontal too)
   and the trunk near horizontal, or the legs flat and in line with a raised trunk (a press-up or cobra), then by
   which way the chest faces: **side_lying** when the left-right axis is near vertical, **supine** when the
   chest normal points up, **prone** when it points down and the knees are straight (plank, press-up, lying). The
   chest normal is the cross product of the trunk's cranial axis and the left-right axis, so a left/right swap by
   the pose model flips it; the nose (ahead of the ears) is the check: where the face clearly points the other way
   vertically, the frame is ``unknown``.
7. otherwise **unknown**.

A set (:func:`classify_position`) takes the position held in most frames with a person, when it holds in at
least ``SET_MIN_FRACTION`` of them and twice as often as the runner-up. A squat's bottom reads seated and a
lunge's bottom kneeling frame by frame (without the chair or the floor contact they are the same postures), so a
set that stands in at least ``SET_STANDING_MIN_FRACTION`` of its frames and sits or kneels otherwise is standing.
A seated or tall-kneeling hip hinge leans beyond the upright limits at the bottom (those frames read unknown, on
all fours or seated), so a set that sits (kneels) in at least ``SET_UPRIGHT_MIN_FRACTION`` of its frames, most
often of all positions, and twice as often as any position its lean does not read as, is seated (kneeling).
A set that looks seated or kneeling most often but in which the person stands up from that posture at least
``SET_RISES_MIN`` times (:func:`rises_to_standing`: each posture held ``RUN_MIN_S`` or more, not label flicker) goes up
and down on its feet: it is standing too (a deep or paused squat whose bottoms outlast its tops, or a stream that
opened at the bottom). A seated set stands up once at most (at its end); its legs are never vertical in between.
Anything else is ``unknown`` with a low confidence: never a confident guess.

A plank (forearm or high) is **prone** here: prone support on the toes is a prone position whose trunk is off
the floor. A side plank is **side_lying**.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

from formcheck.geometry import unit_vector
from formcheck.types import LM

LEG_VERTICAL_DEG = 35.0  # thigh and shank within this of straight down → a standing leg
UPRIGHT_MAX_DEG = 45.0  # trunk within this of vertical → upright (kneeling)
KNEE_FLOOR_MAX_M = 0.10  # a knee on the floor: at most this far above the floor (the lowest knee or foot point)
SHANK_FLAT_MIN_DEG = 50.0  # ... with its shin at least this far from straight down (along the floor)
KNEE_BENT_MIN_DEG = 45.0  # ... and the knee bent at least this much
THIGH_VERTICAL_DEG = 40.0  # kneeling: thigh within this of straight down
THIGH_UNDER_HIP_DEG = 60.0  # quadruped: thigh within this of straight down ...
QUADRUPED_HIP_FLEX_MIN_DEG = 50.0  # ... and near square to the trunk (a plank's sagging legs are in line with it,
QUADRUPED_HIP_FLEX_MAX_DEG = 110.0  # a deadlift's bottom folds the thighs further in)
QUADRUPED_KNEE_FLOOR_MAX_M = 0.25  # ... and the knee at most this far above the floor (loose: camera tilt)
SEATED_TRUNK_MAX_DEG = 60.0  # seated: trunk within this of vertical (a seated hinge leans forward)
SEATED_HIP_FLEX_MIN_DEG = 50.0  # seated: thighs at least this far forward of the trunk line
THIGH_UP_MAX_DEG = 120.0  # seated: thighs not pointing up (that is lying with the knees up)
LEGS_STRAIGHT_MAX_DEG = 45.0  # prone: both knees straighter than this (plank, lying, press-up)
LYING_TRUNK_MIN_DEG = 50.0  # lying: trunk at least this far from vertical ...
LYING_TRUNK_MAX_DEG = 140.0  # ... and not upside down beyond this (a bridge top reaches ~125°)
LYING_THIGH_MIN_DEG = 50.0  # ... with both thighs at least this far from straight down
LEGS_FLAT_DEG = 35.0  # a press-up / cobra: thighs within this of horizontal ...
LEGS_INLINE_MAX_DEG = 45.0  # ... and within this of the trunk line (hips extended or straight)
SIDE_LATERAL_MAX_DEG = 40.0  # side-lying: left-right axis within this of vertical
CHEST_MIN_COS = 0.35  # supine / prone: chest normal at least ~20° above / below horizontal
FACE_CONFLICT_COS = 0.5  # the nose pointing ≥ 30° the other way vertically vetoes the chest normal
SET_MIN_FRACTION = 0.5  # a set's position must hold in at least this fraction of the frames with a person
SET_MIN_LEAD = 2.0  # ... and this many times as often as the next position
SET_STANDING_MIN_FRACTION = 0.3  # standing this often, sitting/kneeling otherwise: a squat or lunge set
SET_UPRIGHT_MIN_FRACTION = 0.3  # seated / kneeling upright this often, the lean reading otherwise: a hinge set
# Standing up from the seated / kneeling look this many times is a movement on the feet (a squat, a lunge): once is
# getting up from a chair at the end of a seated set, a second time means the person went back down and up again.
SET_RISES_MIN = 2
# A posture held for less than this is label flicker, not a posture: a squat's top and bottom halves last 0.4 s or more
# even at 1 s per phase, a misread pose one or two frames (live labels come every POSITION_LABEL_EVERY_S = 0.2 s).
RUN_MIN_S = 0.25


class Position(StrEnum):
    """Body position of an exercise (values are the names used in routine files and JSON)."""

    STANDING = "standing"
    SEATED = "seated"
    KNEELING = "kneeling"
    QUADRUPED = "quadruped"
    SUPINE = "supine"
    PRONE = "prone"
    SIDE_LYING = "side_lying"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: Position | str) -> Position:
        """A position from its value, case-insensitive; older spellings (``sidelying``, ``side-lying``) accepted.

        Raises:
            ValueError: not a position.
        """
        if isinstance(value, Position):
            return value
        key = str(value).strip().lower().replace("-", "_").replace(" ", "_")
        key = _ALIASES.get(key, key)
        try:
            return cls(key)
        except ValueError:
            raise ValueError(f"{value!r} is not a position ({', '.join(p.value for p in cls)})") from None


_FLOOR_POINTS = (LM.LEFT_KNEE, LM.RIGHT_KNEE, LM.LEFT_ANKLE, LM.RIGHT_ANKLE, LM.LEFT_HEEL, LM.RIGHT_HEEL,
                 LM.LEFT_FOOT_INDEX, LM.RIGHT_FOOT_INDEX)  # fmt: skip
# What the frames of a forward lean from a seated or tall-kneeling position read (besides unknown).
_LEAN_READS = {Position.SEATED: (), Position.KNEELING: (Position.QUADRUPED, Position.SEATED)}
_LOW_READS = (Position.SEATED.value, Position.KNEELING.value)  # what a standing movement's lowest points read
_ALIASES = {"sidelying": "side_lying", "side": "side_lying", "all_fours": "quadruped", "sitting": "seated"}

# Exercise positions (everything but "unknown"), in the order people meet them.
KNOWN_POSITIONS: tuple[Position, ...] = tuple(p for p in Position if p is not Position.UNKNOWN)

_REASONS = {
    Position.STANDING: "a leg is vertical under the hips",
    Position.KNEELING: "the trunk is upright and a knee carries the body (thigh vertical, shin on the floor)",
    Position.QUADRUPED: "the trunk is horizontal over the knees (thigh vertical, shin on the floor)",
    Position.SEATED: "the trunk is upright and the thighs point forward",
    Position.SUPINE: "the trunk is horizontal and the chest faces up",
    Position.PRONE: "the trunk is horizontal (or raised on straight legs) and the chest faces down",
    Position.SIDE_LYING: "the trunk is horizontal and the shoulders and hips are stacked",
}


@dataclass(frozen=True)
class PositionEstimate:
    """The body position of a set.

    Attributes:
        position: the position held in most frames, or ``Position.UNKNOWN``.
        confidence: the fraction (0..1) of the frames with a person in which that position was seen; for
            ``unknown`` the fraction of the most frequent position (low).
        reason: one plain sentence.
        fractions: per position value, the fraction of frames with a person classified so (``unknown`` included).
    """

    position: Position
    confidence: float
    reason: str
    fractions: dict[str, float] = field(default_factory=dict)


def _angle_deg(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Unsigned angle between unit vectors, degrees (NaN in → NaN out)."""
    return np.degrees(np.arccos(np.clip(np.sum(u * v, axis=-1), -1.0, 1.0)))


def position_features(world: np.ndarray) -> dict[str, np.ndarray]:
    """Per-frame geometry the position rules read, from ``(T, 33, >=3)`` world landmarks (metres, y down).

    Returns:
        Each ``(T,)``: ``trunk_deg`` (mid-hip → mid-shoulder from straight up, 0..180); per side (``l``, ``r``)
        ``thigh_*_deg`` (hip → knee from straight down), ``shank_*_deg`` (knee → ankle from straight down),
        ``knee_flex_*_deg`` (angle between thigh and shank, 0 straight), ``hip_flex_*_deg`` (unsigned angle between
        the thigh and the trunk line continued below the hips: 0 in line, 90 square) and ``knee_floor_*_m`` (how
        far the knee is above the floor, the lowest knee or foot point, metres); ``lateral_deg`` (the left → right
        axis from vertical, 0..90: 0 when shoulders and hips are stacked, lying on one side); ``chest_up`` (cosine
        of the chest normal with straight up: +1 faces up, -1 faces down) and ``face_up`` (the same for nose −
        mid-ear; NaN without a nose).
    """
    w = np.asarray(world, dtype=np.float64)[..., :3]
    up = np.array([0.0, -1.0, 0.0])
    down = -up
    hip_l, hip_r = w[:, LM.LEFT_HIP], w[:, LM.RIGHT_HIP]
    sho_l, sho_r = w[:, LM.LEFT_SHOULDER], w[:, LM.RIGHT_SHOULDER]
    mid_hip = (hip_l + hip_r) / 2
    mid_sho = (sho_l + sho_r) / 2
    cranial = unit_vector(mid_sho - mid_hip)
    lateral = unit_vector((hip_r - hip_l) + (sho_r - sho_l))
    # Right-handed frame: anterior = cranial × right (standing facing the camera: up × (−x) = −z, toward it).
    chest = unit_vector(np.cross(cranial, lateral))
    face = unit_vector(w[:, LM.NOSE] - (w[:, LM.LEFT_EAR] + w[:, LM.RIGHT_EAR]) / 2)
    out = {
        "trunk_deg": _angle_deg(cranial, up),
        "lateral_deg": np.degrees(np.arccos(np.clip(np.abs(lateral @ up), 0.0, 1.0))),
        "chest_up": chest @ up,
        "face_up": face @ up,
    }
    # The floor: the lowest knee or foot point (world y points down; a foot up on a bench does not count).
    low = w[:, list(_FLOOR_POINTS), 1]
    has_low = np.any(np.isfinite(low), axis=1)
    floor_y = np.where(has_low, np.max(np.where(np.isfinite(low), low, -np.inf), axis=1), np.nan)
    for s, (hip, knee, ankle) in {
        "l": (LM.LEFT_HIP, LM.LEFT_KNEE, LM.LEFT_ANKLE),
        "r": (LM.RIGHT_HIP, LM.RIGHT_KNEE, LM.RIGHT_ANKLE),
    }.items():
        thigh = unit_vector(w[:, knee] - w[:, hip])
        shank = unit_vector(w[:, ankle] - w[:, knee])
        out[f"thigh_{s}_deg"] = _angle_deg(thigh, down)
        out[f"shank_{s}_deg"] = _angle_deg(shank, down)
        out[f"knee_flex_{s}_deg"] = _angle_deg(thigh, shank)
        out[f"hip_flex_{s}_deg"] = _angle_deg(thigh, -cranial)
        out[f"knee_floor_{s}_m"] = floor_y - w[:, knee, 1]
    return out


def _classify(f: dict[str, np.ndarray]) -> np.ndarray:
    """Per-frame labels (object array of position values) from :func:`position_features` (see module docs)."""
    trunk = f["trunk_deg"]
    n = trunk.shape[0]
    labels = np.full(n, Position.UNKNOWN.value, dtype=object)

    def both(name: str) -> np.ndarray:  # (2, T): left, right
        return np.stack([f[name.format("l")], f[name.format("r")]])

    thigh, shank, knee = both("thigh_{}_deg"), both("shank_{}_deg"), both("knee_flex_{}_deg")
    hip_flex, knee_floor = both("hip_flex_{}_deg"), both("knee_floor_{}_m")
    with np.errstate(invalid="ignore"):
        legs_known = np.all(np.isfinite(thigh) & np.isfinite(shank), axis=0)
        leg_vertical = np.any((thigh <= LEG_VERTICAL_DEG) & (shank <= LEG_VERTICAL_DEG), axis=0)
        # A knee carries the body: its shin along the floor, the knee bent, the thigh rising from it.
        knee_down = (shank >= SHANK_FLAT_MIN_DEG) & (knee >= KNEE_BENT_MIN_DEG)
        kneel_leg = knee_down & (thigh <= THIGH_VERTICAL_DEG)
        # Both knees down (tall kneeling), or one knee that is on the floor (half-kneeling): the back leg of a
        # lunge looks the same but its knee stays off the floor. Height is what a tilted camera spoils most, so
        # tall kneeling does without it.
        kneel = np.all(kneel_leg, axis=0) | np.any(kneel_leg & (knee_floor <= KNEE_FLOOR_MAX_M), axis=0)
        # On all fours the support thigh is near square to the trunk and its knee near the floor (looser: the
        # toes lie half a metre behind the knee, so a tilted camera lifts or drops the floor under it).
        all_fours = np.any(
            knee_down
            & (thigh <= THIGH_UNDER_HIP_DEG)
            & (hip_flex >= QUADRUPED_HIP_FLEX_MIN_DEG)
            & (hip_flex <= QUADRUPED_HIP_FLEX_MAX_DEG)
            & (knee_floor <= QUADRUPED_KNEE_FLOOR_MAX_M),
            axis=0,
        )
        upright = trunk <= UPRIGHT_MAX_DEG
        horizontal = (trunk >= LYING_TRUNK_MIN_DEG) & (trunk <= LYING_TRUNK_MAX_DEG)
        thighs_fwd = np.all((hip_flex >= SEATED_HIP_FLEX_MIN_DEG) & (thigh <= THIGH_UP_MAX_DEG), axis=0)
        seated = legs_known & (trunk <= SEATED_TRUNK_MAX_DEG) & thighs_fwd
        split_stance = upright & np.any(shank <= LEG_VERTICAL_DEG, axis=0)
        legs_straight = np.all(knee <= LEGS_STRAIGHT_MAX_DEG, axis=0)
        legs_flat = np.all((np.abs(thigh - 90.0) <= LEGS_FLAT_DEG) & (hip_flex <= LEGS_INLINE_MAX_DEG), axis=0)
        # Lying: no leg points down under the body (a hinge seen by a tilted camera has a horizontal trunk too).
        no_leg_down = np.all(thigh >= LYING_THIGH_MIN_DEG, axis=0)
        lying = np.isfinite(trunk) & legs_known & no_leg_down & (horizontal | legs_flat)
        side = f["lateral_deg"] <= SIDE_LATERAL_MAX_DEG
        chest, face = f["chest_up"], f["face_up"]
        conflict = np.isfinite(face) & (np.abs(face) >= FACE_CONFLICT_COS) & (np.sign(face) != np.sign(chest))
        supine = (chest >= CHEST_MIN_COS) & ~conflict
        prone = (chest <= -CHEST_MIN_COS) & ~conflict & legs_known & legs_straight
    rules = [
        (leg_vertical, Position.STANDING),
        (kneel & upright, Position.KNEELING),
        (all_fours & horizontal, Position.QUADRUPED),
        (seated, Position.SEATED),
        (split_stance, Position.STANDING),
        (lying & side, Position.SIDE_LYING),
        (lying & ~side & supine, Position.SUPINE),
        (lying & ~side & prone, Position.PRONE),
    ]
    done = np.zeros(n, dtype=bool)
    for sel, pos in rules:
        take = sel & ~done
        labels[take] = pos.value
        done |= take
    return labels


def position_per_frame(world: np.ndarray) -> np.ndarray:
    """Per-frame position values (``(T,)`` object array of :class:`Position` values; ``"unknown"`` where unclear).

    Args:
        world: ``(T, 33, >=3)`` world landmarks, metres, y down (NaN where nobody).
    """
    with np.errstate(invalid="ignore"):
        return _classify(position_features(world))


def classify_position(
    world: np.ndarray, labels: np.ndarray | None = None, t_s: np.ndarray | None = None
) -> PositionEstimate:
    """The position of a set: the one held in most frames with a person (see the module docstring).

    Args:
        world: ``(T, 33, >=3)`` world landmarks, metres, y down (NaN where nobody).
        labels: per-frame labels if already computed (:func:`position_per_frame`).
        t_s: ``(T,)`` frame times; without them the stand-ups from a seated / kneeling look are not counted.

    Returns:
        The :class:`PositionEstimate`; ``unknown`` with a low confidence when no position clearly dominates.
    """
    w = np.asarray(world, dtype=np.float64)
    if labels is None:
        labels = position_per_frame(w)
    present = np.any(np.isfinite(w[:, [LM.LEFT_HIP, LM.RIGHT_HIP, LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER], 0]), axis=1)
    t = None if t_s is None else np.asarray(t_s, dtype=np.float64)[present]
    return position_of_labels(np.asarray(labels, dtype=object)[present], t)


def rises_to_standing(lab: np.ndarray, t_s: np.ndarray) -> int:
    """How many times the labels go from a seated / kneeling look to standing, each held ``RUN_MIN_S`` or more.

    ``unknown`` labels are left out (a lean between two readings); a run of one group shorter than ``RUN_MIN_S``
    (to the next run's first label) is flicker and is left out too, so its neighbours join.

    Args:
        lab: position values in time order.
        t_s: their times (seconds, increasing).
    """
    lab = np.asarray(lab, dtype=object)
    t = np.asarray(t_s, dtype=np.float64)
    keep = lab != Position.UNKNOWN.value
    lab, t = lab[keep], t[keep]
    if lab.size < 2:
        return 0
    group = np.where(lab == Position.STANDING.value, 1, np.where(np.isin(lab, _LOW_READS), 0, 2))
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    step = float(np.median(np.diff(t))) if t.size > 1 else 0.0
    ends = np.r_[t[starts[1:]], t[-1] + step]
    held = [int(group[i]) for i, e in zip(starts, ends, strict=True) if e - t[i] >= RUN_MIN_S]
    runs = [g for k, g in enumerate(held) if k == 0 or g != held[k - 1]]
    return sum(1 for a, b in zip(runs, runs[1:], strict=False) if a == 0 and b == 1)


def position_of_labels(lab: np.ndarray, t_s: np.ndarray | None = None) -> PositionEstimate:
    """The set's position from the per-frame labels of the frames with a person (the rule of
    :func:`classify_position`; the live stream keeps the labels, not the landmarks). With their times ``t_s`` a set
    that stands up from a seated / kneeling look ``SET_RISES_MIN`` times is standing (module docstring)."""
    lab = np.asarray(lab, dtype=object)
    if lab.size == 0:
        return PositionEstimate(Position.UNKNOWN, 0.0, "nobody was seen", {})
    fractions = {p.value: float(np.mean(lab == p.value)) for p in Position}
    known = sorted(((fractions[p.value], p) for p in KNOWN_POSITIONS), key=lambda x: -x[0])
    (best_f, best), (second_f, second) = known[0], known[1]
    stand = fractions[Position.STANDING.value]
    on_feet = stand + fractions[Position.SEATED.value] + fractions[Position.KNEELING.value]
    floor = max(fractions[p.value] for p in (Position.QUADRUPED, Position.SUPINE, Position.PRONE, Position.SIDE_LYING))
    if best.value in _LOW_READS and t_s is not None and on_feet >= SET_MIN_FRACTION and on_feet >= SET_MIN_LEAD * floor:
        n_up = rises_to_standing(lab, t_s)
        if n_up >= SET_RISES_MIN:
            why = (
                f"standing up {n_up} times from the lowest points ({stand:.0%} of the frames standing, the lowest "
                f"points, {on_feet - stand:.0%}, look like sitting or kneeling)"
            )
            return PositionEstimate(Position.STANDING, on_feet, why, fractions)
    if best_f >= SET_MIN_FRACTION and best_f >= SET_MIN_LEAD * second_f:
        return PositionEstimate(best, best_f, f"{_REASONS[best]} in {best_f:.0%} of the frames", fractions)
    # Squat and lunge bottoms look like sitting or kneeling frame by frame; a set that also stands is standing.
    if stand >= SET_STANDING_MIN_FRACTION and on_feet >= SET_MIN_FRACTION and on_feet >= SET_MIN_LEAD * floor:
        why = (
            f"standing between movements ({stand:.0%} of the frames; the lowest points, {on_feet - stand:.0%}, "
            "look like sitting or kneeling)"
        )
        return PositionEstimate(Position.STANDING, on_feet, why, fractions)
    # A seated or tall-kneeling hip hinge leans out of its position's upright limits frame by frame: seated beyond
    # SEATED_TRUNK_MAX_DEG the frames read unknown, kneeling beyond UPRIGHT_MAX_DEG they read on all fours or
    # sitting. A set that sits (kneels) upright often enough and is in no other position is seated (kneeling).
    lean_reads = _LEAN_READS.get(best)
    if lean_reads is not None and best_f >= SET_UPRIGHT_MIN_FRACTION:
        rest = max(fractions[p.value] for p in KNOWN_POSITIONS if p is not best and p not in lean_reads)
        if best_f >= SET_MIN_LEAD * rest:
            lean = sum(fractions[p.value] for p in (*lean_reads, Position.UNKNOWN))
            why = f"{_REASONS[best]} in {best_f:.0%} of the frames, leaning forward in {lean:.0%}"
            return PositionEstimate(best, best_f, why, fractions)
    if best_f == 0.0:
        why = "no position could be read from the body (the pose is unclear or the camera strongly tilted)"
    else:
        why = (
            f"no position is held clearly: {best.value.replace('_', '-')} in {best_f:.0%} of the frames, "
            f"{second.value.replace('_', '-')} in {second_f:.0%}"
        )
    return PositionEstimate(Position.UNKNOWN, best_f, why, fractions)


def summarise_features(world: np.ndarray) -> dict[str, Any]:
    """Medians of :func:`position_features` over the frames (for reports and calibration scripts)."""
    f = position_features(world)
    return {k: (float(np.nanmedian(v)) if np.any(np.isfinite(v)) else math.nan) for k, v in f.items()}
