"""The squat's declarations: config section, metric specs, cue rules and limits (data, no analysis code).

The analysis is in :mod:`formcheck.analyzers.squat`. Centimetre magnitudes in messages come from the measured
angle/fraction and the user's height with Drillis & Contini (1966) segment proportions; they are rough on purpose.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import Field

from formcheck.analyzers import standing_spec as ss
from formcheck.analyzers.standing_spec import cm_text
from formcheck.body.clean import BODY
from formcheck.config import BandPct, ExerciseConfig, TempoS
from formcheck.engine.registry import register
from formcheck.engine.spec import CueRule, ExerciseSpec, MetricSpec, RuleInput

NAME = "squat"
TITLE = "Squat"
POSITIONS = ("standing",)
REFERENCE = "standing"

THIGH_LENGTH_FRAC_HEIGHT = 0.245  # Drillis & Contini (1966), fractions of standing height
HIP_JOINT_WIDTH_FRAC_HEIGHT = 0.10  # between the hip-joint centres (MediaPipe's hip points), not the hip breadth
SIDE = ("side",)
FRONT = ("front", "oblique")


class SquatConfig(ExerciseConfig):
    """Squat (bodyweight, goblet, back squat): rep detection and cue thresholds."""

    # A squat is usually prescribed faster than a hinge: 2 s down, 1 s up (no pause asked: 0 switches that cue off).
    target_tempo_s: TempoS = Field(
        (2.0, 0.0, 1.0, 0.0), description="s: lowering, pause at the bottom, rising, pause at the top"
    )
    min_rom_deg: float = Field(30.0, gt=0, le=180, description="deg knee bend, smaller excursions are not reps")
    depth_max_thigh_deg: float = Field(
        45.0, ge=-45, le=90, description="deg the thighs may stay above level at the bottom (0 = parallel)"
    )
    trunk_shin_max_deg: float = Field(
        15.0, gt=0, le=90, description="deg the trunk may lean more than the shins at the bottom (parallel = 0)"
    )
    # Above MediaPipe's heel-point rise on clean rendered side squats (up to 6.2 cm: the foot points pitch as the
    # shins tilt); chosen leave-one-body-out on the three rendered bodies (docs/metrics.md, "Squat").
    heel_lift_cm: float = Field(7.0, gt=0, le=30, description="cm the heels may rise off the floor before a cue")
    knees_in_max_pct: float = Field(
        15.0, gt=0, le=200, description="% of hip width the knees may move inside the hip-ankle line (front view)"
    )
    spine_rounding_deg: float = Field(
        12.0, gt=0, le=90, description="deg of back rounding at the bottom (vs standing) that triggers a cue"
    )
    spine_outline_gain: float = Field(
        1.1,
        gt=0,
        le=5,
        description="deg of spine flexion per deg of back-outline bend change (set from test videos)",
    )
    spine_noise_max_deg: float = Field(
        6.0,
        gt=0,
        le=90,
        description="deg: a back outline noisier than this while standing is not trusted: the back is then unknown",
    )
    spine_est_model_err_deg: float = Field(
        10.0, ge=0, le=90, description="deg, expected error of the back-rounding estimate (measured on test videos)"
    )
    midfoot_band_pct: BandPct = Field(
        (30.0, 60.0), description="% of foot length from the heel counted as 'over midfoot'"
    )
    foot_index_frac: float = Field(
        0.75, ge=0.3, le=1.0, description="where the toe landmark sits along the foot from the heel (ball of the foot)"
    )
    load_excess_cm: float = Field(
        5.0, ge=0, le=50, description="cm the centre of mass may pass the midfoot band (at worst) before a load cue"
    )
    load_min_time_s: float = Field(
        0.2, ge=0, le=10, description="s outside the band before it counts (a brief wobble is not a fault)"
    )


_TABLE = frozenset({"cli", "table", "csv", "report"})
METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("thigh_above_parallel_deg", "Depth: thigh angle above level at the bottom", short="Thigh vs level °",
               cli="depth °", unit="°", show=_TABLE | {"trend"}, better="lower", threshold_key="depth_max_thigh_deg",
               summary="mean", help="0° = thighs level (parallel), negative = hips below the knees.",
               patient_ok="You reached a good depth (thighs about {value} above level).",
               patient_fault="You stopped high in {reps} (thighs about {value} above level)."),
    MetricSpec("trunk_minus_shin_deg", "Trunk lean minus shin lean at the bottom", short="Trunk − shin °",
               cli="trunk-shin °", unit="°", show=_TABLE | {"trend"}, better="lower",
               threshold_key="trunk_shin_max_deg",
               summary="mean", help="0° = trunk and shins parallel; positive = the chest pitched forward.",
               patient_ok="Your trunk stayed about parallel to your shins.",
               patient_fault="Your chest pitched forward in {reps}."),
    MetricSpec("knees_in_pct_hips", "Knees inside the hip–ankle line (front view)", short="Knees in % hip width",
               cli="knees in", cli_unit="%", unit="%", show=_TABLE | {"trend"}, better="lower",
               threshold_key="knees_in_max_pct", summary="max",
               help="How far the knees moved toward each other, inside the line from hip to ankle, % of hip width.",
               patient_ok="Your knees tracked over your toes.",
               patient_fault="Your knees caved inward in {reps}."),
    MetricSpec("heel_lift_cm", "Heel lift", short="Heel lift cm", cli="heel cm", unit="cm", fmt=".1f", show=_TABLE,
               threshold_key="heel_lift_cm", patient_ok="Your heels stayed down.",
               patient_fault="Your heels lifted in {reps}."),
    MetricSpec("spine_flexion_est_deg", "Back rounding at the bottom (estimate)", short="Back rounding °",
               cli="spine est °", unit="°", show=_TABLE | {"trend"}, threshold_key="spine_rounding_deg",
               better="lower", err_key="spine_flexion_est_err_deg", summary="max",
               help="From the back's outline, relative to your standing posture; empty when the outline was unclear.",
               patient_ok="Your lower back stayed steady at the bottom.",
               patient_fault="Your lower back rounded (tucked) at the bottom in {reps}."),
    ss.COM_MAX_PCT_FOOT,
    ss.COM_MIN_PCT_FOOT,
    MetricSpec("hip_knee_share", "Share of the bend at the hips (vs the knees)", short="Hips vs knees %", unit="%",
               scale=100.0, show=frozenset({"table", "csv", "report"}),
               help="Hip flexion as a share of hip plus knee flexion at the bottom (a hinge is hip-led, ~0.8)."),
    MetricSpec("knee_flexion_bottom_deg", "Knee bend at the bottom", short="Knee bend °", unit="°",
               show=frozenset({"table", "csv", "report"})),
    MetricSpec("hip_flexion_bottom_deg", "Hip bend at the bottom", short="Hip bend °", unit="°",
               show=frozenset({"csv", "report"})),
    MetricSpec("trunk_inclination_bottom_deg", "Trunk lean at the bottom", short="Trunk lean °", unit="°",
               show=frozenset({"csv", "report"})),
    MetricSpec("shin_inclination_bottom_deg", "Shin lean at the bottom", short="Shin lean °", unit="°",
               show=frozenset({"csv", "report"})),
    MetricSpec("hip_below_knee_cm", "Hip below the knee at the bottom (side view)", unit="cm",
               show=frozenset({"csv", "report"})),
    *ss.LOAD_PATH_DETAIL_METRICS,
    ss.SPINE_ERR_METRIC,
    *ss.TARGET_TEMPO_METRICS,
    # Per-frame series.
    ss.KNEE_FLEXION_SERIES,
    ss.HIP_FLEXION_SERIES,
    ss.TRUNK_INCLINATION_SERIES,
    MetricSpec("shin_inclination_deg", "shin angle from vertical", kind="series", unit="°", plot="angles",
               color="#f58518", show=frozenset({"plot", "overlay"}), overlay_at="ankle", overlay_label="shin"),
    MetricSpec("thigh_above_parallel_deg", "thigh above level", kind="series", unit="°", plot="depth",
               color="#54a24b", threshold_key="depth_max_thigh_deg", show=frozenset({"plot", "overlay"}),
               overlay_at="thigh", overlay_label="depth"),
    ss.COM_SERIES,
    MetricSpec("spine_flexion_est_deg", "back rounding (estimate)", kind="series", unit="°", plot="back",
               color="#b279a2", threshold_key="spine_rounding_deg", show=frozenset({"plot"}), fmt="+.0f",
               empty_note="back rounding not measured: it needs a side view with a clear back outline"),
    MetricSpec("knees_in_pct_hips", "knees inside the hip–ankle line", kind="series", unit="%", plot="knees",
               color="#9d755d", threshold_key="knees_in_max_pct", show=frozenset({"plot"}),
               empty_note="knee tracking is measured from the front"),
)  # fmt: skip
LIVE_KEYS = ("knee_flexion_deg", "hip_flexion_deg", "trunk_inclination_deg", "shin_inclination_deg",
             "thigh_above_parallel_deg", "com_pct_foot", "spine_flexion_est_deg", "knees_in_pct_hips")  # fmt: skip
CLASSES = {"deep": "deep (hips below knees)", "parallel": "to parallel", "partial": "partial"}


def derive(inp: RuleInput) -> dict[str, Any]:
    """Load-path values cleaned as the hinge's are (beyond the foot = tracking artefact; one direction; brief = no)."""
    if inp.live:
        return {}
    toes, heels = ss.load_excess_cm(inp)
    return {"load_toes_cm": toes, "load_heels_cm": heels}


def _depth_message(inp: RuleInput, value: float, thr: float) -> str:
    # Hip drop still to go: thigh length × (sin(value) − sin(target)), rough.
    drop = THIGH_LENGTH_FRAC_HEIGHT * inp.height_cm * (math.sin(math.radians(value)) - math.sin(math.radians(thr)))
    return (f"Squat a little deeper — about {cm_text(drop)} lower: the thighs stopped {value:.0f}° above level, "
            f"aim for {thr:.0f}° or less")  # fmt: skip


def _knees_message(inp: RuleInput, value: float, thr: float) -> str:
    cm = value / 100.0 * HIP_JOINT_WIDTH_FRAC_HEIGHT * inp.height_cm
    return f"Push the knees out over the toes — they caved about {cm_text(cm)} inside the hip–ankle line"


def _tuck_sure(inp: RuleInput) -> bool:
    """A safety cue only when the rounding is beyond the threshold even after its expected error is taken off.

    The outline estimate is ±10° (hinge validation); a value within its error of the threshold is "unclear".
    """
    v, err = inp.num("spine_flexion_est_deg"), inp.num("spine_flexion_est_err_deg")
    return math.isfinite(v) and v - (err if math.isfinite(err) else 0.0) > inp.exercise.spine_rounding_deg


RULES: tuple[CueRule, ...] = (
    CueRule("squat.back_tuck", 10, "safety", "spine_flexion_est_deg", threshold="spine_rounding_deg", views=SIDE,
            when=_tuck_sure,
            message="Stop a little higher, where your lower back stays long — it rounded about {value:.0f}° at the "
            "bottom"),
    CueRule("squat.load_toes", 20, "warn", "com_toes_excess_cm", source="load_toes_cm", threshold="load_excess_cm",
            uses_load=True,
            views=SIDE, fields=lambda i, v, t: {"cm": cm_text(v)},
            message="Sit back about {cm} — the weight moved onto the toes"),
    CueRule("squat.load_heels", 21, "warn", "com_heels_excess_cm", source="load_heels_cm", uses_load=True,
            wrong_if_weight_in_front=True,
            threshold="load_excess_cm", views=SIDE, fields=lambda i, v, t: {"cm": cm_text(v)},
            message="Shift your weight forward about {cm} — it sat back on the heels"),
    CueRule("squat.heel_lift", 22, "warn", "heel_lift_cm", threshold="heel_lift_cm", views=SIDE,
            message="Keep the heels down — they lifted about {value:.0f} cm; let the knees travel less or widen "
            "the stance"),
    CueRule("squat.knees_in", 25, "warn", "knees_in_pct_hips", threshold="knees_in_max_pct", views=FRONT,
            message=_knees_message),
    CueRule("squat.trunk_forward", 30, "warn", "trunk_minus_shin_deg", threshold="trunk_shin_max_deg", views=SIDE,
            message="Keep the chest up — the trunk leaned {value:.0f}° more than the shins; aim for them parallel"),
    CueRule("squat.shallow", 32, "info", "thigh_above_parallel_deg", threshold="depth_max_thigh_deg", views=SIDE,
            message=_depth_message),
)  # fmt: skip


def praise(inp: RuleInput) -> str | None:
    """ "Good squat: thighs 5° from level, trunk parallel to the shins" — what was measured and good."""
    parts = []
    d, ts, kn = inp.num("thigh_above_parallel_deg"), inp.num("trunk_minus_shin_deg"), inp.num("knees_in_pct_hips")
    if math.isfinite(d):
        parts.append("hips below the knees" if d < 0 else f"thighs {d:.0f}° from level")
    if math.isfinite(ts) and abs(ts) <= inp.exercise.trunk_shin_max_deg:
        parts.append("trunk parallel to the shins")
    if math.isfinite(kn) and kn <= inp.exercise.knees_in_max_pct:
        parts.append("knees over the toes")
    return "Good squat: " + ", ".join(parts) if parts else None


LIMITS = (
    "Depth, trunk and shin angles are measured in the image plane and are only judged from a side view at about "
    "hip height; from the front or at an angle they come from the pose tracker's 3D estimate and no cue "
    "is given on them.",
    "Knees caving in is judged only from the front (or at an angle): side-on the knees overlap.",
    "Back rounding at the bottom is an estimate from the silhouette's outline, relative to your standing posture; "
    "when the outline is unclear (loose clothing, a weight in front, a noisy outline while standing) it is left "
    "empty and no back cue is given.",
    "The centre of mass comes from average body-segment proportions (de Leva 1996); a held weight is not placed.",
    "Heel lift uses the pose tracker's heel and toe points, which sit on the shoe: as the shins tilt forward they rise "
    "by up to about 6 cm with the heels flat on the floor, so only lifts above about 7 cm are told apart.",
    "Trunk and shin angles at the bottom are within a few degrees on most bodies, but on one test body the "
    "trunk read 7° too steep and the shins 7° too upright: a trunk-versus-shin difference under about 15° is not "
    "reliable.",
    "Centimetres assume the body height you entered (or the default), so they scale with that number.",
)
NO_REPS_HINT = "No full reps found: bend the knees at least {min_rom_deg:.0f}° and stand back up, side-on to the camera"


def synth_clip(**kw: Any) -> Any:
    """A clean side-view squat with exact truth, its back outline and a level room's lines
    (:mod:`formcheck.analyzers.squat_synth`, :func:`formcheck.synth.with_level_room`)."""
    from formcheck.analyzers.squat_synth import synth_clip as make
    from formcheck.synth import with_level_room

    return with_level_room(make(**kw))


def analyzer(config: Any) -> Any:
    """The squat's analyzer (:class:`formcheck.analyzers.squat.SquatAnalyzer`), imported when first asked for."""
    from formcheck.analyzers.squat import SquatAnalyzer

    return SquatAnalyzer(config)


SPEC = register(
    ExerciseSpec(
        name=NAME,
        title=TITLE,
        measures="depth, trunk vs shins, heel lift, weight over the feet, back rounding at the bottom (estimate), "
        "knees over toes (front view), tempo",
        positions=POSITIONS,
        views=("side", "front", "oblique"),
        landmarks=tuple(int(i) for i in BODY),
        reference=REFERENCE,
        rep_strategy="cyclic",
        probes=("dorsal_outline", "scene_lines"),  # the back outline; the room's lines (camera roll)
        metrics=METRICS,
        rules=RULES,
        limits=LIMITS,
        config_model=SquatConfig,
        analyzer=analyzer,
        classes=CLASSES,
        class_views=("side",),  # the class is the depth, judged side-on only (from the 3D estimate elsewhere)
        praise=praise,
        no_reps_hint=NO_REPS_HINT,
        live_keys=LIVE_KEYS,
        derive=derive,
        synth=synth_clip,
    )
)
