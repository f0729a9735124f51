"""Recognising the exercise: family, body position and camera view, with a plain reason and a confidence.

Explainable rules on the cleaned pose (:class:`formcheck.body.Body`), no learned model:

1. **Position** from the trunk axis and the legs (:mod:`formcheck.body.position`): standing, seated, kneeling,
   quadruped, supine, prone, side-lying. When no position holds clearly, the most frequent one is used with a
   lower confidence.
2. **Within the position, which joints move** (world landmarks, metres, y down; ranges are 5th-95th percentile):

   * standing / seated / kneeling: the trunk tipping forward at least ``TRUNK_BEND_MIN_DEG`` is a **hinge**
     (RDL, good morning, deadlift, swing, forward bend); the trunk tipping sideways at least ``SIDE_BEND_MIN_DEG``
     (more than forward) a **side_bend**; the shoulder line turning against the pelvis at least
     ``ROTATION_MIN_DEG`` a **trunk_rotation**; the hands pressing away from the chest at least
     ``PRESS_MIN_FRAC`` of the trunk length while nothing bends a **pallof_press**; otherwise repeated bending
     of the legs (the hinge analyzer's rep rule on the hip angle) is a **lunge** when the feet are split front to
     back (``STANCE_SPLIT_MIN_FRAC`` leg lengths along the pelvis' forward axis, 90th percentile) and a **squat**
     when they are side by side; standing with no repeated bending is not recognised;
     a family is only named in a position its registered analyzer checks (:func:`position_families`: no side
     bend or Pallof press seated or kneeling), and said in the reason when it is passed over;
   * quadruped: an arm and a leg each swinging away from straight down by at least ``LIMB_LIFT_MIN_DEG`` (the
     smaller of the two ranges, so an arm the pose model loses does not count) is a **bird_dog**, otherwise a
     **cat_camel**;
   * supine: the feet splitting along the body (one leg reaching out while the other stays bent,
     ``FEET_SPLIT_MIN_FRAC``) is a **dead_bug**, feet together (the pelvis rising) a **glute_bridge**;
   * prone: the trunk rising against the legs by ``PRONE_RAISE_MIN_DEG`` (median angle at the hip plus half the
     trunk's up-down range) is a **prone_extension** (cobra, sphinx, press-up), a straight held body a **plank**;
   * side-lying: a **side_plank**;
   * supine or prone, a bridge or press-up whose trunk bends forward off the legs' line (toward the face's side,
     ``TURNED_FLEXION_MIN_FRAC`` of the raised frames) moves as someone standing does — a standing set filmed
     with the phone turned on its side: not recognised, and the reason says to turn the video upright.
3. **View** from the apparent shoulder and hip width (:mod:`formcheck.body.view`).

The **confidence** (0..1) is the product of the position's confidence and, for each decision taken on the way,
how far the measured value lies from its threshold (0.5 on the threshold, → 1 far from it; :func:`_margin`).
Below ``CONFIDENCE_MIN`` the caller asks the user instead of guessing (:meth:`Recognition.require`).
``alternatives`` lists the families the other side of each decision would have given, with their confidence.

:class:`RecognitionStream` recognises from the first seconds of a live set with bounded memory.

The thresholds, what they were chosen on and how they score on the development clips are in docs/metrics.md
("Recognition (issue 13)").
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from formcheck.body.position import KNOWN_POSITIONS, Position
from formcheck.config import Config
from formcheck.errors import ExerciseNotRecognisedError
from formcheck.geometry import unit_vector
from formcheck.types import LM, PoseSequence

UNKNOWN = "unknown"

# Families recognition can name. Those without a registered analyzer are still named (the caller says so).
FAMILIES: tuple[str, ...] = (
    "hinge", "squat", "lunge", "side_bend", "trunk_rotation", "pallof_press", "bird_dog", "cat_camel",
    "glute_bridge", "dead_bug", "plank", "prone_extension", "side_plank",
)  # fmt: skip

CONFIDENCE_MIN = 0.5  # below this, ask the user to name the exercise
# A name the user gave is overruled only from this confidence (file and live alike: live.NamedCheck uses it): a plank
# sagging 10-12° that rests on its forearms reads as a prone extension at 52-53 %, and at the recognition rule's 0.5
# its sag cue was withheld ("This looks like a prone extension, not a plank"). Live's RECOGNISE_EARLY_MIN, the bar for
# deciding on a set's first seconds, is the same 0.8 but another decision.
OVERRULE_NAME_MIN = 0.8
POSITION_SURE_FRAC = 0.6  # a position seen in this fraction of the frames counts as sure (confidence factor 1)

# Thresholds. The four with development clips on both sides were set at the middle of the gap between the classes
# on the rendered clips (../shared/synthetic*) and scored on the real ones; docs/metrics.md gives both and a
# leave-one-clip-out score. The three for side bend, rotation and press have no development clip of their own: they
# sit above what every development clip of another family shows (so they never fire there) and below what the
# synthetic generators of those exercises show.
TRUNK_BEND_MIN_DEG = 30.0  # standing: trunk tipping forward this much (range, 3D) is a hinge, less a squat or lunge
STANCE_SPLIT_MIN_FRAC = 0.5  # standing: feet this far apart front to back (leg lengths, 90th pct) is a lunge
LIMB_LIFT_MIN_DEG = 30.0  # quadruped: an arm AND a leg each swinging this much from straight down is a bird-dog
FEET_SPLIT_MIN_FRAC = 0.28  # supine: feet this far apart along the body (leg lengths) is a dead bug, else a bridge
PRONE_RAISE_MIN_DEG = 19.0  # prone: the trunk rising this much against the legs (median + half its range)
SIDE_BEND_MIN_DEG = 40.0  # upright: trunk tipping sideways this much (range), more than forward, is a side bend
ROTATION_MIN_DEG = 40.0  # upright: the shoulder line turning against the pelvis line this much (range)
PRESS_MIN_FRAC = 0.5  # upright, no bending: the hands moving away from the chest this far (trunk lengths)
PRESS_KNEE_MAX_DEG = 20.0  # ... with the knees bending less than this (a squat moves the hands too)
# A body lying across the picture whose trunk bends forward off the legs' line (toward the face's side: flexion)
# moves as someone standing does: a hinge or squat filmed with the phone turned on its side, the video not turned
# back. A bridge or a press-up bends it the other way (extension: the hips rise, the chest lifts). A priori, not
# fitted: "mostly" is at least 0.8 of the raised frames (docs/metrics.md, "A camera turned on its side").
TURNED_FLEXION_MIN_FRAC = 0.8

# How far (in the feature's unit) from the threshold a value must lie for a decision to be near certain (the
# scale of measurement noise between clips of one family: about the within-family spread on the rendered clips).
_SCALES = {
    "trunk_bend_deg": 10.0,
    "stance_frac": 0.2,
    "limb_lift_deg": 12.0,
    "feet_split_frac": 0.1,
    "prone_raise_deg": 6.0,
    "side_bend_deg": 10.0,
    "rotation_deg": 10.0,
    "press_frac": 0.15,
}


def position_families(position: str) -> tuple[str, ...]:
    """The families recognition may name in ``position``: those whose registered analyzer checks that position.

    A family without a registered analyzer keeps no position list of its own, so nothing rules it out (it is named
    and then refused for want of an analyzer, :meth:`Recognition.require`).
    """
    from formcheck.engine.registry import specs

    declared = {s.name: tuple(s.positions) for s in specs()}
    return tuple(f for f in FAMILIES if f not in declared or position in declared[f])


@dataclass(frozen=True)
class Recognition:
    """What exercise a set shows.

    Attributes:
        family: the exercise family (an analyzer name such as ``"hinge"``), or ``"unknown"``.
        position: the body position (:class:`~formcheck.body.position.Position` value).
        view: ``"side"``, ``"oblique"``, ``"front"`` or ``"unknown"``.
        confidence: 0..1 (see the module docstring); below :data:`CONFIDENCE_MIN` the family is a guess.
        reason: plain words: what was seen that names the family.
        alternatives: ``(family, confidence)`` of the other candidates, most likely first.
        features: the measured values the decision read (degrees, trunk-length fractions, frame fractions).
        turned_camera: the body lies across the picture but moves as someone standing does (a standing set filmed
            with the phone turned on its side): not recognised, and an analysis the user named says so.
    """

    family: str
    position: str
    view: str
    confidence: float
    reason: str
    alternatives: tuple[tuple[str, float], ...] = ()
    features: Mapping[str, float] = field(default_factory=dict)
    turned_camera: bool = False

    @property
    def confident(self) -> bool:
        """The family is named with at least :data:`CONFIDENCE_MIN` confidence."""
        return self.family != UNKNOWN and self.confidence >= CONFIDENCE_MIN

    def sentence(self, view: str | None = None) -> str:
        """One line for the user: what was recognised and why.

        Args:
            view: the view the analyzer then read (``Analysis.quality.view``), shown instead of recognition's own
                estimate so the report names one view; when the two differ the estimate follows (a
                side bend or a turn narrows the shoulders, so a front view can look oblique to recognition).
        """
        pos = self.position.replace("_", "-")
        seen = f"{self.view} view"
        if view and view != "unknown" and view != self.view:
            seen = f"{view} view" + (f", read as {self.view} by recognition" if self.view != "unknown" else "")
        return f"recognised {_title(self.family)} ({pos}, {seen}; confidence {self.confidence:.0%}): {self.reason}"

    def require(self, names: tuple[str, ...] | None = None) -> str:
        """The family when it is recognised confidently (and, with ``names``, has an analyzer); else raise.

        Raises:
            ExerciseNotRecognisedError: below :data:`CONFIDENCE_MIN`, nothing recognised, or no analyzer for it.
        """
        listed = ", ".join(names) if names else ", ".join(FAMILIES)
        hint = f"Name it with --exercise NAME (one of: {listed})."
        if not self.confident:
            alt = "; ".join(f"{_title(f)} {c:.0%}" for f, c in self.alternatives[:2] if f != UNKNOWN)
            best = f"best guess {_title(self.family)} {self.confidence:.0%}" if self.family != UNKNOWN else "no guess"
            raise ExerciseNotRecognisedError(
                f"I can't tell which exercise this is: {self.reason} ({best}" + (f"; {alt}" if alt else "") + ").",
                hint=hint,
            )
        if names is not None and self.family not in names:
            raise ExerciseNotRecognisedError(
                f"This looks like {_title(self.family).lower()} ({self.reason}), which formcheck has no analyzer for "
                "yet.",
                hint=hint,
            )
        return self.family


def _title(family: str) -> str:
    """A family as people read it: its analyzer's title ("Hip hinge"), never the raw key ("glute_bridge")."""
    from formcheck.engine.registry import title

    return title(family)


def _bends(n: float) -> str:
    """``"no complete bend"``, ``"one bend"``, ``"repeated bends"``.

    Not a number: the bends are counted on hip flexion with the hinge's rep rule, which is not how every analyzer
    counts its reps (a squat counts on the knees), so "4 bends" beside "5 reps" read as a contradiction
    (squat_front_kbtrainer_10).
    """
    k = int(n) if math.isfinite(n) else 0
    return "no complete bend" if k == 0 else ("one bend" if k == 1 else "repeated bends")


def _margin(value: float, threshold: float, scale: float) -> float:
    """How sure a threshold decision is: 0.5 on the threshold, toward 1 as ``value`` moves away (NaN → 0.5)."""
    if not math.isfinite(value):
        return 0.5
    return 0.5 + 0.5 * math.tanh(abs(value - threshold) / scale)


def _range(x: np.ndarray) -> float:
    x = np.asarray(x, dtype=np.float64)
    x = x[np.isfinite(x)]
    return float(np.percentile(x, 95) - np.percentile(x, 5)) if x.size >= 5 else math.nan


def _each_way(x: np.ndarray) -> tuple[float, float]:
    """A signed angle's reach to each side of zero (the 95th and 5th percentiles' sizes, 0 when it never went that
    way), larger first: what a reason says per side, where :func:`_range` spans both sides of an alternating set."""
    hi, lo = max(_pct(x, 95), 0.0), max(-_pct(x, 5), 0.0)
    return (max(hi, lo), min(hi, lo)) if math.isfinite(hi) and math.isfinite(lo) else (math.nan, math.nan)


def _each_way_words(more: float, less: float) -> str:
    """ "up to 29° to one side and 28° to the other" (the words of :func:`_each_way`)."""
    return f"up to {more:.0f}° to one side and {less:.0f}° to the other"


def _pct(x: np.ndarray, q: float) -> float:
    x = np.asarray(x, dtype=np.float64)
    x = x[np.isfinite(x)]
    return float(np.percentile(x, q)) if x.size else math.nan


def _angle_deg(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return np.degrees(np.arccos(np.clip(np.sum(unit_vector(u) * unit_vector(v), axis=-1), -1.0, 1.0)))


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    ok = np.isfinite(a) & np.isfinite(b)
    if ok.sum() < 10 or np.std(a[ok]) < 1e-9 or np.std(b[ok]) < 1e-9:
        return math.nan
    return float(np.corrcoef(a[ok], b[ok])[0, 1])


def _features(body, config: Config | None = None) -> dict[str, float]:  # noqa: ANN001 - formcheck.body.Body
    """The values the rules read, from a :class:`~formcheck.body.Body` (world landmarks, metres, y down).

    ``config`` gives the hinge analyzer's rep rule the bends are counted with (default: ``Config()``).
    """
    from formcheck.geometry import interior_angle_deg
    from formcheck.reps import detect_reps

    w = body.world
    t = body.t_s
    up = np.array([0.0, -1.0, 0.0])
    down = -up
    hip_l, hip_r = w[:, LM.LEFT_HIP], w[:, LM.RIGHT_HIP]
    sho_l, sho_r = w[:, LM.LEFT_SHOULDER], w[:, LM.RIGHT_SHOULDER]
    mid_hip, mid_sho = (hip_l + hip_r) / 2, (sho_l + sho_r) / 2
    trunk = mid_sho - mid_hip
    trunk_len = float(np.nanmedian(np.linalg.norm(trunk, axis=1))) if np.any(np.isfinite(trunk)) else math.nan
    trunk_len = trunk_len if trunk_len > 0 else math.nan  # every landmark at one point: no length to divide by
    f: dict[str, float] = {}
    # Forward and sideways trunk tilt in the pelvis' frame (the pelvis' left-right axis, level).
    lat = hip_r - hip_l
    lat[:, 1] = 0.0
    lat = unit_vector(lat)
    fwd = unit_vector(np.cross(up[None, :], lat))
    tu = unit_vector(trunk)
    with np.errstate(invalid="ignore"):
        trunk_deg = _angle_deg(trunk, np.broadcast_to(up, trunk.shape))
        # asin of the sideways component: no wrap-around when a toe touch takes the trunk past horizontal.
        side_deg = np.degrees(np.arcsin(np.clip(np.sum(tu * lat, axis=1), -1.0, 1.0)))
        fwd_deg = np.degrees(np.arctan2(np.sum(tu * fwd, axis=1), np.sum(tu * up, axis=1)))
    f["trunk_bend_deg"] = _range(trunk_deg)
    f["trunk_rest_deg"] = _pct(trunk_deg, 10)
    f["side_bend_deg"] = _range(side_deg)
    f["side_bend_more_deg"], f["side_bend_less_deg"] = _each_way(side_deg)  # for the reason's words only
    f["forward_bend_deg"] = _range(fwd_deg)
    # Shoulder line against the pelvis line, turned about the vertical (top view: x, z).
    a_sho = np.degrees(np.arctan2((sho_r - sho_l)[:, 2], (sho_r - sho_l)[:, 0]))
    a_hip = np.degrees(np.arctan2((hip_r - hip_l)[:, 2], (hip_r - hip_l)[:, 0]))
    rot_deg = (a_sho - a_hip + 180.0) % 360.0 - 180.0
    f["rotation_deg"] = _range(rot_deg)
    f["rotation_more_deg"], f["rotation_less_deg"] = _each_way(rot_deg)  # for the reason's words only
    # Hands away from the chest (trunk lengths).
    hands = (w[:, LM.LEFT_WRIST] + w[:, LM.RIGHT_WRIST]) / 2
    f["press_frac"] = _range(np.linalg.norm(hands - mid_sho, axis=1)) / trunk_len
    # Legs: knee flexion per side, their difference, and repeated bending at the hips (the hinge's rep rule).
    knees = [
        180.0 - interior_angle_deg(w[:, h], w[:, k], w[:, a])
        for h, k, a in ((LM.LEFT_HIP, LM.LEFT_KNEE, LM.LEFT_ANKLE), (LM.RIGHT_HIP, LM.RIGHT_KNEE, LM.RIGHT_ANKLE))
    ]
    f["knee_asymmetry_deg"] = _pct(np.abs(knees[0] - knees[1]), 90)
    f["knee_bend_deg"] = max(_range(knees[0]), _range(knees[1]))
    thigh = (w[:, LM.LEFT_KNEE] + w[:, LM.RIGHT_KNEE]) / 2 - mid_hip
    hip_flex = 180.0 - interior_angle_deg(mid_sho, mid_hip, mid_hip + thigh)
    hc = (config or Config()).exercise_config("hinge")  # the caller's rep rule, as the analyzer will count
    ok = np.isfinite(hip_flex)
    f["bends"] = float(
        len(detect_reps(hip_flex, t, min_rom_deg=hc.min_rom_deg, prominence_frac=hc.rep_prominence_frac))
        if ok.sum() >= 5
        else 0
    )
    # Limbs against straight down (quadruped: a raised arm or a leg reaching back).
    lifts = []
    for root, end in (
        (LM.LEFT_SHOULDER, LM.LEFT_WRIST), (LM.RIGHT_SHOULDER, LM.RIGHT_WRIST),
        (LM.LEFT_HIP, LM.LEFT_ANKLE), (LM.RIGHT_HIP, LM.RIGHT_ANKLE),
    ):  # fmt: skip
        seg = w[:, end] - w[:, root]
        lifts.append(_range(_angle_deg(seg, np.broadcast_to(down, seg.shape))))
    f["arm_lift_deg"] = float(np.nanmax(lifts[:2])) if np.any(np.isfinite(lifts[:2])) else math.nan
    f["leg_lift_deg"] = float(np.nanmax(lifts[2:])) if np.any(np.isfinite(lifts[2:])) else math.nan
    # A bird-dog lifts an arm and a leg; the smaller of the two keeps an arm lost by the pose model from counting.
    f["limb_lift_deg"] = min(f["arm_lift_deg"], f["leg_lift_deg"])
    # Supine: pelvis height above the shoulders and feet (trunk lengths), hips opening together.
    feet = (w[:, LM.LEFT_ANKLE] + w[:, LM.RIGHT_ANKLE]) / 2
    base_y = (mid_sho[:, 1] + feet[:, 1]) / 2
    f["pelvis_rise_frac"] = _range(base_y - mid_hip[:, 1]) / trunk_len
    hf = [
        180.0 - interior_angle_deg(mid_sho, w[:, h], w[:, k])
        for h, k in ((LM.LEFT_HIP, LM.LEFT_KNEE), (LM.RIGHT_HIP, LM.RIGHT_KNEE))
    ]
    f["hip_sync"] = _corr(hf[0], hf[1])
    f["hip_range_deg"] = max(_range(hf[0]), _range(hf[1]))
    # Prone: trunk raised against the legs (angle at the hip between the trunk and the hip → ankle line).
    legs = feet - mid_hip
    with np.errstate(invalid="ignore"):
        lift = 180.0 - _angle_deg(trunk, legs)
    f["prone_lift_deg"] = _pct(lift, 90)
    f["prone_lift_median_deg"] = _pct(lift, 50)
    f["trunk_len_m"] = trunk_len
    f["trunk_elevation_deg"] = 90.0 - f["trunk_rest_deg"]
    # Prone: how far the trunk rises against the legs: the median angle (a cobra or sphinx held) plus half the
    # trunk's up-down range (a press-up's top). A plank holds a straight line; resting between holds (hips down,
    # on the forearms) is a short sphinx that the median leaves out.
    f["prone_raise_deg"] = f["prone_lift_median_deg"] + 0.5 * f["trunk_bend_deg"]
    # Which way the trunk bends off the legs' line: toward the front of the body (flexion: a hinge) or the back
    # (extension: a press-up). The front is where the face points, taken square to the trunk: the neck extends
    # less than 90°, so even a cobra looking ahead keeps its face on the front side. Anatomical, so the same
    # whichever way the camera is turned.
    face = w[:, LM.NOSE] - (w[:, LM.LEFT_EAR] + w[:, LM.RIGHT_EAR]) / 2
    front = unit_vector(face - np.sum(face * tu, axis=1, keepdims=True) * tu)
    with np.errstate(invalid="ignore"):
        toward_front = np.sum((tu - unit_vector(-legs)) * front, axis=1)
    raised = np.isfinite(toward_front) & (lift >= PRONE_RAISE_MIN_DEG)
    f["raise_flexion_frac"] = float(np.mean(toward_front[raised] > 0)) if raised.sum() >= 5 else math.nan
    # Split stance: the feet apart front to back (along the pelvis' forward axis), per leg length.
    leg_len = float(np.nanmedian(np.linalg.norm(hip_l - w[:, LM.LEFT_ANKLE], axis=1)))
    leg_len = leg_len if leg_len > 0 else math.nan
    f["stance_frac"] = _pct(np.abs(np.sum((w[:, LM.LEFT_ANKLE] - w[:, LM.RIGHT_ANKLE]) * fwd, axis=1)), 90) / leg_len
    return f


def recognition_features(seq: PoseSequence, config: Config | None = None) -> dict[str, float]:
    """The measured values recognition reads (for calibration scripts and reports; see :func:`_features`)."""
    from formcheck.body import Body

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"All-NaN slice|Mean of empty slice|invalid value|Degrees of freedom")
        warnings.simplefilter("ignore", RuntimeWarning)
        cfg = config or Config()
        return _features(Body.from_sequence(seq, cfg), cfg)


def _decide(family_if_above: str, family_if_below: str, name: str, value: float, threshold: float):
    """One threshold decision: (chosen family, its margin, the other family)."""
    m = _margin(value, threshold, _SCALES[name])
    if math.isfinite(value) and value >= threshold:
        return family_if_above, m, family_if_below
    return family_if_below, m, family_if_above


def _standing(f: dict[str, float], position: str) -> tuple[str, float, str, list[tuple[str, float]]]:
    """Family, decision confidence, reason and alternatives for an upright position (standing, seated, kneeling).

    Only families whose analyzer checks ``position`` are named (a side bend or Pallof press is checked standing
    only): a movement that would name another is passed over and said in the reason when nothing else fits.
    """
    allowed = position_families(position)
    alts: list[tuple[str, float]] = []
    passed_over: list[str] = []
    fwd, side, rot, total = f["forward_bend_deg"], f["side_bend_deg"], f["rotation_deg"], f["trunk_bend_deg"]
    sideways = side >= SIDE_BEND_MIN_DEG and side > fwd
    m_bend = _margin(total, TRUNK_BEND_MIN_DEG, _SCALES["trunk_bend_deg"])
    if total >= TRUNK_BEND_MIN_DEG and not sideways and "hinge" in allowed:
        why = f"the trunk tips forward by {total:.0f}° ({_bends(f['bends'])})"
        return "hinge", m_bend, why, [("squat", 1 - m_bend)] if "squat" in allowed else []
    alts.append(("hinge", 1 - m_bend))
    m_side = _margin(side, SIDE_BEND_MIN_DEG, _SCALES["side_bend_deg"])
    # The reasons say each side's amount: the ranges above span both sides of an alternating set (a side bend of
    # 29° each way has a 62° range), which read as a 62° bend beside the analyzer's 29° per rep.
    side_words = f"the trunk tips sideways {_each_way_words(f['side_bend_more_deg'], f['side_bend_less_deg'])}"
    if sideways:
        if "side_bend" in allowed:
            return "side_bend", m_side, f"{side_words} (forward {fwd:.0f}°)", alts
        passed_over.append(side_words)
    alts.append(("side_bend", 1 - m_side))
    m_rot = _margin(rot, ROTATION_MIN_DEG, _SCALES["rotation_deg"])
    rot_words = (f"the shoulders turn against the pelvis "
                 f"{_each_way_words(f['rotation_more_deg'], f['rotation_less_deg'])}")  # fmt: skip
    if rot >= ROTATION_MIN_DEG:
        if "trunk_rotation" in allowed:
            return "trunk_rotation", m_rot, rot_words, alts
        passed_over.append(rot_words)
    alts.append(("trunk_rotation", 1 - m_rot))
    press = f["press_frac"]
    m_press = _margin(press, PRESS_MIN_FRAC, _SCALES["press_frac"])
    if press >= PRESS_MIN_FRAC and f["bends"] == 0 and not f["knee_bend_deg"] >= PRESS_KNEE_MAX_DEG:
        if "pallof_press" in allowed:
            why = f"the hands press out by {press:.0%} of the trunk length while the trunk stays still"
            return "pallof_press", m_press, why, alts
        passed_over.append(f"the hands press out by {press:.0%} of the trunk length")
    alts.append(("pallof_press", 1 - m_press))
    where = position.replace("_", "-")
    if passed_over:
        why = f"{'; '.join(passed_over)} while {where}, but formcheck checks only {', '.join(allowed)} {where}"
        return UNKNOWN, 0.0, why, alts
    if position != Position.STANDING.value:
        return UNKNOWN, 0.0, f"the trunk barely moves while {where}", alts
    split = f["stance_frac"]
    m_split = _margin(split, STANCE_SPLIT_MIN_FRAC, _SCALES["stance_frac"])
    if f["bends"] == 0:
        return UNKNOWN, 0.0, "no repeated bending was found while standing", alts
    if split >= STANCE_SPLIT_MIN_FRAC:
        why = f"the feet are {split:.1f} leg lengths apart front to back, the legs bend ({_bends(f['bends'])})"
        return "lunge", m_split, why, [("squat", 1 - m_split), *alts]
    why = f"both legs bend together ({_bends(f['bends'])}), the trunk leans only {total:.0f}°"
    return "squat", m_split * m_bend, why, [("lunge", 1 - m_split), *alts]


def _moves_as_standing(f: dict[str, float]) -> bool:
    """A lying body whose trunk bends forward off the legs: a standing set filmed with the camera turned.

    Unknown (too few raised frames, no face seen) never says so.
    """
    return f.get("raise_flexion_frac", math.nan) >= TURNED_FLEXION_MIN_FRAC


def _floor_family(f: dict[str, float], position: str) -> tuple[str, float, str, list[tuple[str, float]]]:
    """Family, decision confidence, reason and alternatives for a floor position."""
    if position == Position.QUADRUPED.value:
        lift = f["limb_lift_deg"]
        fam, m, other = _decide("bird_dog", "cat_camel", "limb_lift_deg", lift, LIMB_LIFT_MIN_DEG)
        why = (
            f"on all fours, an arm and a leg lift away from the floor (by {f['arm_lift_deg']:.0f}° and "
            f"{f['leg_lift_deg']:.0f}°)"
            if fam == "bird_dog"
            else f"on all fours with the hands and knees planted (limbs move {lift:.0f}° at most)"
        )
        return fam, m, why, [(other, 1 - m)]
    if position == Position.SUPINE.value:
        split = f["stance_frac"]
        fam, m, other = _decide("dead_bug", "glute_bridge", "feet_split_frac", split, FEET_SPLIT_MIN_FRAC)
        why = (
            f"lying on the back, one leg reaches out while the other stays bent (feet {split:.1f} leg lengths apart)"
            if fam == "dead_bug"
            else f"lying on the back with the feet together, the pelvis rises by {f['pelvis_rise_frac']:.0%} of "
            "the trunk length"
        )
        return fam, m, why, [(other, 1 - m)]
    if position == Position.PRONE.value:
        raise_deg = f["prone_raise_deg"]
        fam, m, other = _decide("prone_extension", "plank", "prone_raise_deg", raise_deg, PRONE_RAISE_MIN_DEG)
        why = (
            f"face down, the trunk rises {raise_deg:.0f}° against the legs"
            if fam == "prone_extension"
            else f"face down with the body held in a straight line (the trunk rises {raise_deg:.0f}° at most)"
        )
        return fam, m, why, [(other, 1 - m)]
    if position == Position.SIDE_LYING.value:
        return "side_plank", 1.0, "lying on one side, shoulders and hips stacked", []
    return UNKNOWN, 0.0, "no body position could be read", []


def _floor(f: dict[str, float], position: str) -> tuple[str, float, str, list[tuple[str, float]]]:
    """Family, decision confidence, reason and alternatives for a floor position; a bridge or a press-up that
    moves as someone standing does (:func:`_moves_as_standing`) is not recognised."""
    fam, m, why, alts = _floor_family(f, position)
    if fam in ("glute_bridge", "prone_extension") and _moves_as_standing(f):
        return (
            UNKNOWN,
            0.0,
            "the body lies across the picture but moves as someone standing does: it bends forward at the hips "
            f"(in {f['raise_flexion_frac']:.0%} of the bent frames), where a bridge or a press-up arches back. If "
            "the phone was turned on its side, turn the video upright",
            [],
        )
    return fam, m, why, alts


def recognize_body(body, config: Config | None = None) -> Recognition:  # noqa: ANN001 - formcheck.body.Body
    """Recognise the exercise of a cleaned set (see the module docstring); ``config``: the rep rule's settings."""
    est = body.position
    view = body.view.view
    present = int(np.sum(body.present))
    if present < 5:
        return Recognition(UNKNOWN, Position.UNKNOWN.value, view, 0.0, "nobody was seen")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        f = _features(body, config)
    position = est.position.value
    pos_conf = min(1.0, est.confidence / POSITION_SURE_FRAC)
    pos_why = est.reason
    if est.position is Position.UNKNOWN:
        known = {p.value: est.fractions.get(p.value, 0.0) for p in KNOWN_POSITIONS}
        position = max(known, key=known.get)
        share = known[position]
        if share <= 0.0:
            return Recognition(UNKNOWN, Position.UNKNOWN.value, view, 0.0, est.reason, features=f)
        # Unclear position: go on with the most frequent one, at a confidence no higher than its share.
        pos_conf = min(1.0, share / POSITION_SURE_FRAC) * 0.75
        pos_why = f"mostly {position.replace('_', '-')} ({share:.0%} of the frames)"
    f = {**f, **{f"position_{k}": v for k, v in est.fractions.items()}}
    if position in (Position.STANDING.value, Position.SEATED.value, Position.KNEELING.value):
        fam, m, why, alts = _standing(f, position)
    else:
        fam, m, why, alts = _floor(f, position)
    conf = pos_conf * m if fam != UNKNOWN else 0.0
    here = position_families(position)  # an alternative is only one if its analyzer checks this position
    alts_c = sorted(((a, pos_conf * c) for a, c in alts if a in here), key=lambda x: -x[1])
    reason = why if est.position is not Position.UNKNOWN else f"{pos_why}; {why}"
    turned = fam == UNKNOWN and position in (Position.SUPINE.value, Position.PRONE.value) and _moves_as_standing(f)
    return Recognition(fam, position, view, float(conf), reason, tuple(alts_c), f, turned_camera=turned)


def contradicts(
    rec: Recognition, named: str, names: tuple[str, ...] | None = None, *, min_confidence: float = OVERRULE_NAME_MIN
) -> str:
    """The exercise recognition is confident a set shows when the user named another one; ``""`` otherwise.

    Only when recognition is sure (:data:`OVERRULE_NAME_MIN`, as sure as the live path's early decision, above the
    0.5 at which it names an exercise at all): on every labelled development clip (real and rendered) a confident
    recognition named the right family, so with the right exercise named this never fires (docs/metrics.md, "Named
    exercise vs recognition"). A family without an analyzer (not in ``names``) is not offered: there would be
    nothing to choose instead. ``min_confidence``: the live check holds feedback back from recognition's own 0.5
    while it waits to decide at this bar.
    """
    if not rec.confident or rec.confidence < min_confidence or rec.family == named:
        return ""
    if names is not None and rec.family not in names:
        return ""
    return rec.family


def recognize(seq: PoseSequence, config: Config | None = None) -> Recognition:
    """Recognise the exercise of a pose sequence: family, position, view, confidence, reason, alternatives."""
    from formcheck.body import Body

    if seq.n_frames < 5 or not np.any(seq.present):
        return Recognition(UNKNOWN, Position.UNKNOWN.value, "unknown", 0.0, "nobody was seen")
    if not np.any(np.isfinite(np.asarray(seq.world)[np.asarray(seq.present), :, :3])):
        # A person is in the image but the pose data (a pose file written without them) has no world landmarks:
        # every rule reads 3D angles, so say what is missing rather than "nobody was seen".
        # (Recognition.require's hint then says to name the exercise with --exercise.)
        why = "the pose data has a person in the image but no 3D (world) landmarks, which recognition needs"
        return Recognition(UNKNOWN, Position.UNKNOWN.value, "unknown", 0.0, why)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"All-NaN slice|Mean of empty slice|invalid value|Degrees of freedom")
        warnings.simplefilter("ignore", RuntimeWarning)
        cfg = config or Config()
        return recognize_body(Body.from_sequence(seq, cfg), cfg)


STREAM_WINDOW_S = 8.0  # the live app recognises from the first seconds of a set (a rep or two, or a hold)
STREAM_MAX_FRAMES = 1_200  # bounded memory: at most this many frames are kept (8 s at 150 fps)


class RecognitionStream:
    """Recognise the exercise from the first seconds of a live set, with bounded memory.

    Feed every frame with :meth:`update` (frames without a person as all-NaN arrays). The first ``window_s``
    seconds (at most ``max_frames`` frames) are kept; then :attr:`done` is True and later frames are ignored.
    :meth:`result` recognises from the frames kept so far (the same rules as :func:`recognize`, on the same
    frames: identical results), so the app can show a provisional answer and ask the user when it stays unsure.

    Args:
        width, height: frame size in pixels.
        window_s: seconds of the set to recognise from.
        max_frames: the most frames kept, whatever the frame rate.
        config: smoothing settings (``Config().signal``).
    """

    def __init__(self, width: int, height: int, *, window_s: float = STREAM_WINDOW_S,
                 max_frames: int = STREAM_MAX_FRAMES, config: Config | None = None) -> None:  # fmt: skip
        self.width, self.height = int(width), int(height)
        self.window_s = float(window_s)
        self.max_frames = int(max_frames)
        self.config = config or Config()
        self._lm = np.full((self.max_frames, 33, 4), np.nan)
        self._world = np.full((self.max_frames, 33, 4), np.nan)
        self._t = np.zeros(self.max_frames)
        self.n_frames = 0
        self._result: Recognition | None = None

    @property
    def done(self) -> bool:
        """The window is full (``window_s`` seconds or ``max_frames`` frames): the result no longer changes."""
        if self.n_frames >= self.max_frames:
            return True
        return self.n_frames > 1 and self._t[self.n_frames - 1] - self._t[0] >= self.window_s

    def update(self, t_s: float, landmarks: np.ndarray | None, world: np.ndarray | None) -> bool:
        """Add one frame: ``(33, 4)`` normalised image landmarks and ``(33, 4)`` world landmarks, or None.

        Returns:
            Whether the frame was kept (False once :attr:`done`, or for a time not after the last frame's).
        """
        if self.done or (self.n_frames and t_s <= self._t[self.n_frames - 1]):
            return False
        i = self.n_frames
        self._t[i] = float(t_s)
        if landmarks is not None and world is not None:
            self._lm[i] = np.asarray(landmarks, dtype=np.float64)[:33, :4]
            self._world[i] = np.asarray(world, dtype=np.float64)[:33, :4]
        self.n_frames += 1
        self._result = None
        return True

    def sequence(self) -> PoseSequence:
        """The frames kept, as a pose sequence."""
        n = self.n_frames
        return PoseSequence(self._lm[:n].copy(), self._world[:n].copy(), self._t[:n].copy(), self.width,
                            self.height)  # fmt: skip

    def result(self) -> Recognition:
        """The recognition from the frames kept so far (cached until the next frame)."""
        if self._result is None:
            self._result = recognize(self.sequence(), self.config)
        return self._result


__all__ = ["CONFIDENCE_MIN", "FAMILIES", "UNKNOWN", "Recognition", "RecognitionStream", "recognition_features",
           "recognize", "recognize_body"]  # fmt: skip
