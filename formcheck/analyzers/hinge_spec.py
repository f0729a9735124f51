"""The hip hinge's declarations: config section, metric specs, cue rules and limits (data, no analysis code).

The analysis itself is in :mod:`formcheck.analyzers.hinge`; everything here is read by the engine's cue evaluator
and by the presentation (CLI, reports, app, overlay, history) through :class:`~formcheck.engine.spec.ExerciseSpec`.

Centimetre magnitudes in messages come from the measured fraction/percentage and the user's height with Drillis &
Contini (1966) segment proportions; they are rough ("about 3 cm") on purpose.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from pydantic import Field

from formcheck.analyzers import standing_spec as ss
from formcheck.analyzers.standing_spec import FOOT_LENGTH_FRAC_HEIGHT, cm_text
from formcheck.body.clean import BODY
from formcheck.config import BandPct, ExerciseConfig, TempoS
from formcheck.engine.registry import register
from formcheck.engine.spec import CueRule, ExerciseSpec, Limit, MetricSpec, RuleInput
from formcheck.types import LM

NAME = "hinge"
TITLE = "Hip hinge"
# Standing (RDL, good morning, deadlift pattern), seated (lean from the hips on a chair) and tall kneeling; the
# set's position is detected (formcheck.body.position). The first is the one the view rules start from.
POSITIONS = ("standing", "seated", "kneeling")
# The reference posture strategy (formcheck.engine.reference): the low end of hip flexion, i.e. standing tall,
# or sitting / kneeling upright in those positions.
REFERENCE = "standing"
# Rules on the feet and the knees: the load path, heel lift, hips travelling back, knee bend. A set whose position
# is unknown is analysed as a standing one, so they apply there too.
STANDING_RULES = ("standing", "unknown")
# Seated or kneeling the feet may be hidden (under a desk, behind the body) and carry no load worth measuring:
# the setup needs the shoulders, hips and knees in view, as (left, right) pairs.
UPPER_BODY = (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP, LM.LEFT_KNEE, LM.RIGHT_KNEE)

# Body proportions as fractions of standing height (Drillis & Contini 1966), for cm magnitudes only (the foot's:
# standing_spec.FOOT_LENGTH_FRAC_HEIGHT).
SHANK_LENGTH_FRAC_HEIGHT = 0.246
LEG_LENGTH_FRAC_HEIGHT = 0.491  # hip joint to ankle
TRUNK_LENGTH_FRAC_HEIGHT = 0.288  # hip to shoulder


class HingeConfig(ExerciseConfig):
    """Hip hinge (RDL, good morning, deadlift pattern): segmentation, classification and cue thresholds."""

    # Old files: a top-level [hinge] table, and these cue thresholds in [cues], are read as [exercise.hinge].
    legacy_section: ClassVar[str] = "hinge"
    legacy_cue_keys: ClassVar[tuple[str, ...]] = (
        "load_excess_cm", "load_min_time_s", "hip_back_min_cm", "min_bend_deg", "shin_forward_deg",
        "live_load_margin_pct",
    )  # fmt: skip

    target_tempo_s: TempoS = Field(
        (3.0, 1.0, 2.0, 1.0), description="s: lowering, pause at the bottom, rising, pause at the top"
    )
    midfoot_band_pct: BandPct = Field(
        (30.0, 60.0), description="% of foot length from the heel counted as 'over midfoot'"
    )
    # 18 (was 12): chosen leave-one-body-out on the three rendered bodies, two folds of three (the third 15),
    # docs/metrics.md §8.5.
    spine_rounding_deg: float = Field(
        18.0, gt=0, le=90, description="deg of back rounding above your standing baseline that triggers a cue"
    )
    squat_knee_deg: float = Field(
        60.0, gt=0, le=160, description="deg knee flexion at the bottom above which the rep is 'squat-like'"
    )
    stoop_hip_share: float = Field(
        0.5, ge=0, le=1, description="hip share of the bend below which the rep is a 'stoop'"
    )
    heel_lift_frac: float = Field(
        0.10, gt=0, le=1, description="heel rise vs toe (both feet), fraction of leg length, that counts as a lift"
    )
    shoulder_elevation_frac: float = Field(
        0.08,
        gt=0,
        le=1,
        description="shoulder-to-ear shortening (a share of the trunk length) before a 'let the shoulders drop' cue",
    )
    neck_extension_deg: float = Field(
        20.0,
        gt=0,
        le=90,
        description="deg the head may tip back against the trunk before a 'look at the floor ahead' cue",
    )
    knee_locked_deg: float = Field(
        5.0, ge=0, le=45, description="deg knee flexion at the bottom below which knees count as locked"
    )
    # 1.1: two of the three leave-one-body-out folds choose it (the third 0.9), docs/metrics.md §8.5.
    spine_outline_gain: float = Field(
        1.1,
        gt=0,
        le=5,
        description="deg of spine flexion per deg of back-outline bend change (set from measured test videos)",
    )
    # Issue 10: when the back's outline cannot be read (chosen leave-one-body-out, docs/metrics.md §8.5).
    spine_outline_noise_max_deg: float = Field(
        4.0,
        gt=0,
        le=90,
        description="deg: a standing back outline flickering more than this is not read: the back is then unknown",
    )
    spine_agree_tol_deg: float = Field(
        15.0, gt=0, le=90, description="deg the two readings of the back outline may differ before it is unclear"
    )
    spine_min_confidence: float = Field(
        0.5,
        ge=0,
        le=1,
        description="a rep's back estimate below this confidence is not given: the back is then unknown, no cue",
    )
    chord_share: float = Field(
        0.45, ge=0, le=1, description="share of a spinal bend that turns the hip-shoulder line (hip vs back split)"
    )
    spine_est_model_err_deg: float = Field(
        10.0, ge=0, le=90, description="deg, expected error of the back-rounding estimate (measured on test videos)"
    )
    foot_index_frac: float = Field(
        0.75, ge=0.3, le=1.0, description="where the toe landmark sits along the foot from the heel (ball of the foot)"
    )
    # Above the largest excess seen on clean rendered hinges (4.7 cm: 2D CoM error), below 'weight on toes' (8.7 cm).
    load_excess_cm: float = Field(
        5.0, ge=0, le=50, description="cm the centre of mass may pass the midfoot band (at worst) before a load cue"
    )
    load_min_time_s: float = Field(
        0.2, ge=0, le=10, description="s outside the band before it counts (a brief wobble is not a fault)"
    )
    # Clean rendered hinges travel 12-17 cm, the 'weight on toes' clip 6-8 cm.
    hip_back_min_cm: float = Field(
        9.0,
        ge=0,
        le=60,
        description="cm: hips travelling back less than this in a real bend earns a 'sit the hips back' cue",
    )
    # Issue 10: hip travel relative to the thigh (body-relative); below the smallest clean rep of every rendered
    # body and of formcheck.synth's clean hinge (0.17-0.19 of the thigh), docs/metrics.md §8.5.
    hip_back_min_thigh_frac: float = Field(
        0.15,
        ge=0,
        le=2,
        description="hips travelling back less than this share of the thigh earns a 'sit the hips back' cue",
    )
    min_bend_deg: float = Field(
        30.0, ge=0, le=120, description="deg trunk inclination a rep must reach before hip-travel cues apply"
    )
    shin_forward_deg: float = Field(
        20.0, gt=0, le=90, description="deg shin lean at the bottom above which the knees are 'too far forward'"
    )
    live_load_margin_pct: float = Field(
        20.0, ge=0, le=100, description="live: % of foot length beyond the midfoot band before a load cue"
    )


# ---------------------------------------------------------------------------------------------------------------
# Metric specs: what is shown where (display order)
# ---------------------------------------------------------------------------------------------------------------

_TABLE = frozenset({"cli", "table", "csv", "report"})
METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("hip_share", "Share of the bend that came from the hips", short="Hip share %", cli="hip share",
               cli_unit="%", unit="%", scale=100.0, show=_TABLE | {"trend"}, better="higher",
               help="Hip rotation as a share of the whole forward bend (hips plus estimated back rounding).",
               summary="mean", patient_ok="Your hips did most of the bending (about {value}).",
               patient_fault="Your hips did only about {value} of the bending in {reps}, so your back did the rest. "
               "Think “hips back” rather than “chest down”."),
    MetricSpec("spine_flexion_est_deg", "Back rounding (estimate)", short="Back rounding °", cli="spine est °",
               unit="°", show=_TABLE | {"trend"}, threshold_key="spine_rounding_deg", better="lower",
               help="Estimated from the back's outline, relative to your standing posture (± the stated error).",
               err_key="spine_flexion_est_err_deg", summary="max",
               patient_ok="Your back stayed steady in every repetition.",
               patient_fault="Your back rounded more than it should in {reps}."),
    ss.COM_MIN_PCT_FOOT,
    ss.COM_MAX_PCT_FOOT,
    MetricSpec("knee_flexion_bottom_deg", "Knee bend at the bottom", short="Knee bend °", unit="°",
               show=frozenset({"table", "csv", "report"})),
    MetricSpec("trunk_inclination_max_deg", "Deepest trunk lean", short="Trunk lean °", unit="°",
               show=frozenset({"csv", "report"})),
    MetricSpec("hip_flexion_max_deg", "Deepest hip bend", short="Hip bend °", unit="°",
               show=frozenset({"csv", "report"})),
    MetricSpec("shin_inclination_max_deg", "Shin lean forward", unit="°"),
    ss.SPINE_ERR_METRIC,
    MetricSpec("spine_flexion_conf_frac", "Back rounding: confidence (0-1)", fmt=".2f"),
    MetricSpec("hip_contribution_deg", "Bend from the hips", unit="°"),
    MetricSpec("hip_share_0_30", "Hip share, first 30° of the bend", unit="%", scale=100.0),
    MetricSpec("hip_share_30_60", "Hip share, 30–60° of the bend", unit="%", scale=100.0),
    MetricSpec("hip_share_60_90", "Hip share, 60–90° of the bend", unit="%", scale=100.0),
    MetricSpec("com_bottom_pct_foot", "Weight over the foot at the bottom", unit="%", summary="mean",
               band_key="midfoot_band_pct", band_label="midfoot",
               evidence=("com_toes_excess_cm", "com_heels_excess_cm"),
               patient_ok="Your weight stayed over the middle of your feet."),
    *ss.LOAD_PATH_DETAIL_METRICS,
    MetricSpec("heel_lift_frac", "Heel lift (fraction of leg length)", fmt=".2f"),
    MetricSpec("hip_back_cm", "Hips travelled back", unit="cm"),
    MetricSpec("thigh_length_cm", "Thigh length (standing, at the set's scale)", unit="cm"),
    MetricSpec("shoulder_elevation_frac", "Shoulders toward the ears (fraction of trunk)", fmt=".2f"),
    MetricSpec("neck_extension_deg", "Head tipped back", unit="°"),
    MetricSpec("velocity_sign_changes", "Changes of direction (smoothness)"),
    *ss.TARGET_TEMPO_METRICS,
    # Per-frame series: plots, overlay and the live values.
    ss.HIP_FLEXION_SERIES,
    ss.TRUNK_INCLINATION_SERIES,
    ss.KNEE_FLEXION_SERIES,
    MetricSpec("spine_flexion_est_deg", "back rounding (estimate)", kind="series", unit="°", plot="back",
               color="#b279a2", threshold_key="spine_rounding_deg", show=frozenset({"plot", "overlay"}),
               fmt="+.0f", overlay_at="trunk", overlay_label="back",
               empty_note="back rounding not measured: it needs a side view with the back outline visible"),
    ss.COM_SERIES,
    MetricSpec("shoulder_elevation_frac", "shoulders toward the ears", kind="series", fmt=".2f"),
    MetricSpec("neck_extension_deg", "head tipped back", kind="series", unit="°"),
)  # fmt: skip
LIVE_KEYS = (
    "trunk_inclination_deg", "hip_flexion_deg", "knee_flexion_deg", "spine_flexion_est_deg", "com_pct_foot",
    "shoulder_elevation_frac", "neck_extension_deg",
)  # fmt: skip
CLASSES = {"hinge": "hip hinge", "squat_like": "squat-like", "stoop": "stoop (bend from the back)"}


# ---------------------------------------------------------------------------------------------------------------
# Cue rules (priorities: safety 10 < load path 20 < pattern 30 < tempo 40 (common) < tone 50 < gaze 60)
# ---------------------------------------------------------------------------------------------------------------


def derive(inp: RuleInput) -> dict[str, Any]:
    """Values the hinge's rules compare, cleaned of what a standing body cannot do.

    * Load path: a centre of mass beyond the foot's end + 10 % of the foot is a tracking artefact (cueing "about
      25 cm" would be nonsense); when one rep went both ways past the threshold only the bigger one is said
      ("back" and "forward" together would confuse); a brief excursion (< ``load_min_time_s``) is not a fault.
    * Pattern: a stoop or squat-like rep by class or by its numbers.
    """
    h = inp.exercise
    if inp.live:
        com = inp.num("com_pct_foot")
        # The centre of mass cannot be that far outside the foot: tracking artefact.
        return {"com_live_pct_foot": com if -10.0 <= com <= 110.0 else math.nan}
    toes, heels = ss.load_excess_cm(inp)
    share, knee = inp.num("hip_share"), inp.num("knee_flexion_bottom_deg")
    return {
        "load_toes_cm": toes,
        "load_heels_cm": heels,
        "is_stoop": inp.classification == "stoop" or share < h.stoop_hip_share,
        "is_squat": inp.classification == "squat_like" or knee > h.squat_knee_deg,
    }


def _not_squat(inp: RuleInput) -> bool:
    return not inp.values.get("is_squat", False)


def _stoop_message(inp: RuleInput, value: float, thr: float) -> str:
    txt = "Bend more at the hips, less in the back"
    if math.isfinite(value):
        txt += f" — they did {100 * value:.0f}% of the bend, aim for over {100 * thr:.0f}%"
    return txt


def _squat_message(inp: RuleInput, value: float, thr: float) -> str:
    txt = "Push the hips back, not down"
    if math.isfinite(value):
        txt += f" — knees bent {value:.0f}°" + ("" if inp.live else f", keep them under {thr:.0f}°")
    return txt


def _hips_back_ok(inp: RuleInput) -> bool:
    return _not_squat(inp) and inp.num("trunk_inclination_max_deg") >= inp.exercise.min_bend_deg


def _hips_back_min_cm(inp: RuleInput) -> float:
    """Body-relative hip travel (issue 10): ``hip_back_min_thigh_frac`` of the set's own thigh length, in cm; the
    fixed ``hip_back_min_cm`` when the thigh was not measured (an older analysis, a bare metric dict)."""
    thigh = inp.num("thigh_length_cm")
    if math.isfinite(thigh) and thigh > 0:
        return inp.exercise.hip_back_min_thigh_frac * thigh
    return inp.exercise.hip_back_min_cm


def _toes_live_thr(inp: RuleInput) -> float:
    return inp.exercise.midfoot_band_pct[1] + inp.exercise.live_load_margin_pct


def _heels_live_thr(inp: RuleInput) -> float:
    return inp.exercise.midfoot_band_pct[0] - inp.exercise.live_load_margin_pct


def _back_confident(inp: RuleInput) -> bool:
    """A safety cue on the back only when its estimate is confident (issue 10); live frames have no confidence."""
    return inp.live or not inp.num("spine_flexion_conf_frac") < inp.exercise.spine_min_confidence


def _foot_cm(inp: RuleInput) -> float:
    return FOOT_LENGTH_FRAC_HEIGHT * inp.height_cm


RULES: tuple[CueRule, ...] = (
    CueRule("spine.rounding", 10, "safety", "spine_flexion_est_deg", threshold="spine_rounding_deg",
            when=_back_confident,
            message="Keep your back long and bend from the hips — it rounded about {value:.0f}°",
            live=True, live_message="Keep your back long — it is rounding about {value:.0f}°"),
    CueRule("load.toes", 20, "warn", "com_toes_excess_cm", source="load_toes_cm", threshold="load_excess_cm",
            positions=STANDING_RULES, uses_load=True,
            message="Shift your weight back about {cm} — it moved onto the toes",
            fields=lambda i, v, t: {"cm": cm_text(v)},
            live=True, live_source="com_live_pct_foot", live_threshold=_toes_live_thr,
            live_message=lambda i, v, t: "Shift your weight back about "
            f"{cm_text(max(v - i.exercise.midfoot_band_pct[1], 0) / 100 * _foot_cm(i))} — you are on the toes"),
    CueRule("load.heels", 21, "warn", "com_heels_excess_cm", source="load_heels_cm", threshold="load_excess_cm",
            positions=STANDING_RULES, uses_load=True, wrong_if_weight_in_front=True,
            message="Shift your weight forward about {cm} — it sat back on the heels",
            fields=lambda i, v, t: {"cm": cm_text(v)},
            live=True, live_source="com_live_pct_foot", live_threshold=_heels_live_thr, live_op="<",
            live_message=lambda i, v, t: "Shift your weight forward about "
            f"{cm_text(max(i.exercise.midfoot_band_pct[0] - v, 0) / 100 * _foot_cm(i))} — you are on the heels"),
    CueRule("heel.lift", 22, "warn", "heel_lift_frac", threshold="heel_lift_frac",
            positions=STANDING_RULES,
            message="Keep the heels down — they lifted about {cm}",
            fields=lambda i, v, t: {"cm": cm_text(v * LEG_LENGTH_FRAC_HEIGHT * i.height_cm)}),
    CueRule("pattern.stoop", 30, "warn", "hip_share", op="flag", threshold="stoop_hip_share",
            when=lambda i: bool(i.values.get("is_stoop")), message=_stoop_message),
    CueRule("hips.back", 31, "warn", "hip_back_cm", op="<", threshold=_hips_back_min_cm, when=_hips_back_ok,
            positions=STANDING_RULES,
            message="Sit the hips back about {cm} more", fields=lambda i, v, t: {"cm": cm_text(t - v)}),
    CueRule("pattern.squat", 32, "warn", "knee_flexion_bottom_deg", op="flag", threshold="squat_knee_deg",
            positions=STANDING_RULES,
            when=lambda i: bool(i.values.get("is_squat")), message=_squat_message,
            live=True, live_op=">", live_source="knee_flexion_deg"),
    CueRule("knees.forward", 33, "warn", "shin_inclination_max_deg", threshold="shin_forward_deg", when=_not_squat,
            positions=STANDING_RULES,
            message="Keep the shins upright — the knees moved about {cm} past the ankles",
            fields=lambda i, v, t: {"cm": cm_text(SHANK_LENGTH_FRAC_HEIGHT * i.height_cm * math.sin(math.radians(v)))}),
    CueRule("knees.locked", 34, "warn", "knee_flexion_bottom_deg", op="<", threshold="knee_locked_deg",
            positions=STANDING_RULES,
            message="Soften the knees a little (about 15°) — they stayed straight at {value:.0f}°"),
    CueRule("tone.shoulders_up", 50, "info", "shoulder_elevation_frac", threshold="shoulder_elevation_frac",
            message="Let the shoulders drop away from the ears — they rose about {cm}",
            fields=lambda i, v, t: {"cm": cm_text(v * TRUNK_LENGTH_FRAC_HEIGHT * i.height_cm)},
            live=True, live_message="Let the shoulders drop away from the ears"),
    CueRule("gaze.up", 60, "info", "neck_extension_deg", threshold="neck_extension_deg",
            message="Look at the floor about 1 m ahead — the head tipped back {value:.0f}°",
            live=True, live_message="Look at the floor about 1 m ahead"),
)  # fmt: skip


def praise(inp: RuleInput) -> str | None:
    """ "Good hinge: hips 85%, back steady" — what was measured and good; None when nothing was measured."""
    share, spine = inp.num("hip_share"), inp.num("spine_flexion_est_deg")
    parts = []
    if math.isfinite(share):
        parts.append(f"hips {100 * share:.0f}%")
    if math.isfinite(spine) and spine <= inp.exercise.spine_rounding_deg:
        parts.append("back steady")
    if not parts:
        return None
    what = "hinge" if inp.classification in ("", "hinge") else "rep"
    return f"Good {what}: " + ", ".join(parts)


def _from_the_floor(analysis: Any) -> bool:
    """A set lifted from the floor (its reps timed pull first)."""
    from formcheck.reps import rises_first

    return any(rises_first(r.metrics) for r in analysis.reps)


LIMITS = (
    "One camera sees the body's outline, not the spine: back rounding is an estimate from the silhouette, "
    "relative to your own standing posture, with the stated expected error.",
    Limit(  # from the front or at an angle they come from the 3D estimate (a warning says so)
        "Angles are measured in the image plane; they are only accurate when the camera looks at your side "
        "at about hip height. Turning toward or away from the camera makes them read smaller.",
        lambda a: a.quality.view in ("side", "unknown"),
    ),
    "The centre of mass comes from average body-segment proportions (de Leva 1996), not your own; "
    "a held weight is placed at the hands.",
    "Foot position uses the pose tracker's heel and toe points, which sit on the shoe; % of foot assumes the "
    "toe point is near the ball of the foot.",
    "Centimetres assume the body height you entered (or the default), so they scale with that number.",
    "Hip and knee points are estimated joint centres; loose clothing or a weight in front of the hips "
    "moves them by a few centimetres.",
    Limit(
        "A lift from the floor (a conventional deadlift) is timed pull first (pull, lockout, lowering) once the set "
        "is seen to end resting on the floor. During a live set its end is not known yet, so its reps are counted and "
        "shown from standing (lowering, pause at the bottom, rising); the finished set is re-timed pull first when "
        "you stop, as a recorded video is.",
        _from_the_floor,
    ),
)
# Per-rep metrics of the feet and knees: not measured seated or kneeling (NaN), see not_measured_note.
STANDING_ONLY_METRICS = (
    "com_min_pct_foot", "com_max_pct_foot", "com_bottom_pct_foot", "time_outside_midfoot_s", "com_toes_excess_cm",
    "com_heels_excess_cm", "heel_lift_frac", "hip_back_cm", "knee_flexion_bottom_deg", "shin_inclination_max_deg",
    "thigh_length_cm",
)  # fmt: skip


def analysed_position(position: str) -> str:
    """The position a set is analysed in: seated or kneeling when detected so, else standing.

    An unknown position is analysed as standing (as before positions were detected); a set clearly in a position
    the hinge does not analyse (lying, on all fours) is analysed as standing too and refused with a warning and the
    ``setup.wrong_position`` cue (:func:`formcheck.engine.quality.with_position`).
    """
    return position if position in POSITIONS[1:] else POSITIONS[0]


def landmarks_needed(position: str) -> tuple[int, ...]:
    """(left, right) landmark pairs that must be in frame in a position: the whole body standing, the shoulders,
    hips and knees seated or kneeling (the feet may be hidden and are not measured there)."""
    return tuple(int(i) for i in (BODY if analysed_position(position) == "standing" else UPPER_BODY))


def not_measured_note(position: str) -> str:
    """The plain note a seated or kneeling set carries: what is not measured there and why."""
    return (
        f"Not measured {position}: weight over the feet, heel lift, knee bend and how far the hips travel back. "
        f"They are standing measures; {position} the feet carry little of the load and may be out of view, and "
        "the knees do not move."
    )


NO_REPS_HINT = "No full reps found: bend forward at least {min_rom_deg:.0f}° and come back up, side-on to the camera"


def synth_clip(**kw: Any) -> Any:
    """A synthetic side-view set with exact truth, its back outline and a level room's lines
    (:func:`formcheck.synth.hinge_clip`, :func:`formcheck.synth.with_level_room`)."""
    from formcheck.synth import hinge_clip, with_level_room  # tests and benchmarks only: not loaded for an analysis

    return with_level_room(hinge_clip(contour=True, **kw))


def analyzer(config: Any) -> Any:
    """The hinge's analyzer (:class:`formcheck.analyzers.hinge.HingeAnalyzer`), imported when first asked for."""
    from formcheck.analyzers.hinge import HingeAnalyzer

    return HingeAnalyzer(config)


SPEC = register(
    ExerciseSpec(
        name=NAME,
        title=TITLE,
        measures="hip vs back share of the bend, back rounding (estimate), weight over the feet, tempo, tone",
        positions=POSITIONS,
        views=("side", "oblique", "front"),
        landmarks=tuple(int(i) for i in BODY),
        reference=REFERENCE,
        rep_strategy="cyclic",
        probes=("dorsal_outline", "scene_lines"),  # the back outline; the room's lines (camera roll)
        metrics=METRICS,
        rules=RULES,
        limits=LIMITS,
        config_model=HingeConfig,
        analyzer=analyzer,
        classes=CLASSES,
        praise=praise,
        no_reps_hint=NO_REPS_HINT,
        live_keys=LIVE_KEYS,
        derive=derive,
        synth=synth_clip,
    )
)
