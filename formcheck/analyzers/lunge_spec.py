"""The lunge's declarations: config section, metric specs, cue rules and limits (data, no analysis code).

Covers the static split squat, the forward and the reverse lunge, one side or alternating (CLI name ``lunge``).
The analysis is in :mod:`formcheck.analyzers.lunge`, the live model in :mod:`formcheck.analyzers.lunge_live`.
Every rep records its **front leg** as ``Rep.side`` (``"left"`` / ``"right"``): the leg whose thigh tipped
forward, which is the stepping leg in a forward lunge and the standing leg in a reverse lunge.

Centimetre figures in messages come from the measured values, which scale with the body height you entered.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import Field

from formcheck.analyzers.standing_spec import TARGET_TEMPO_METRICS, cm_text
from formcheck.body.clean import BODY
from formcheck.config import ExerciseConfig, TempoS
from formcheck.engine.registry import register
from formcheck.engine.spec import CueRule, ExerciseSpec, MetricSpec, RuleInput

NAME = "lunge"
TITLE = "Lunge / split squat"
POSITIONS = ("standing",)  # a split stance reads "standing" (formcheck.body.position, rule 5)
REFERENCE = "standing"

# Body proportions as fractions of standing height (de Leva 1996, as formcheck.body.roll), for cm magnitudes only.
THIGH_FRAC_OF_HEIGHT = 0.2425


class LungeConfig(ExerciseConfig):
    """Lunge and split squat: segmentation and cue thresholds."""

    # A lunge is usually taught about 2 s down, no set pause, about 1.5 s up.
    target_tempo_s: TempoS = Field(
        (2.0, 0.0, 1.5, 0.5), description="s: lowering, pause at the bottom, rising, pause at the top"
    )
    min_rom_deg: float = Field(
        25.0, gt=0, le=180, description="deg the front thigh must tip forward for a rep (smaller dips are not counted)"
    )
    knee_past_toes_max_cm: float = Field(
        5.0, ge=-30, le=50, description="cm the front knee may travel past the toes at the bottom before a cue"
    )
    trunk_lean_max_deg: float = Field(
        20.0, gt=0, le=90, description="deg of forward trunk lean (from vertical) in a rep before a 'trunk upright' cue"
    )
    thigh_above_parallel_max_deg: float = Field(
        25.0, ge=0, le=90, description="deg the front thigh may stay above parallel at the bottom before a 'lower' cue"
    )
    foot_index_frac: float = Field(
        0.75, ge=0.3, le=1.0, description="where the toe landmark sits along the foot from the heel (ball of the foot)"
    )
    com_sway_max_cm: float = Field(
        6.0, gt=0, le=50, description="cm of fore-aft centre-of-mass sway at the bottom before a 'steady' cue"
    )


# ---------------------------------------------------------------------------------------------------------------
# Metric specs
# ---------------------------------------------------------------------------------------------------------------

_TABLE = frozenset({"cli", "table", "csv", "report"})
METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("front_shin_incl_deg", "Front shin lean at the bottom", short="Front shin °", cli="shin °", unit="°",
               show=_TABLE | {"trend"}, better="lower", evidence=("knee_past_toes_cm",),  # judged with the knee
               help="Forward lean of the front shin from vertical at the bottom (knee ahead of the ankle > 0)."),
    MetricSpec("knee_past_toes_cm", "Front knee past the toes", short="Knee past toes cm", cli="knee>toe cm",
               unit="cm", show=_TABLE, threshold_key="knee_past_toes_max_cm", better="lower", summary="max",
               help="How far the front knee travelled ahead of the front toes at the bottom (negative: behind them).",
               patient_ok="Your front knee stayed over your foot.",
               patient_fault="Your front knee travelled well past your toes in {reps}."),
    MetricSpec("trunk_incl_max_deg", "Trunk lean (most forward)", short="Trunk lean °", cli="trunk °", unit="°",
               show=_TABLE | {"trend"}, threshold_key="trunk_lean_max_deg", better="lower", summary="max",
               help="Forward lean of the trunk (hips to shoulders) from vertical, the most in each rep.",
               patient_ok="Your trunk stayed upright.",
               patient_fault="Your trunk pitched forward in {reps} (about {value})."),
    MetricSpec("front_thigh_above_parallel_deg", "Front thigh above parallel at the bottom", short="Thigh > parallel °",
               cli="thigh>par °", unit="°", show=_TABLE | {"trend"}, threshold_key="thigh_above_parallel_max_deg",
               better="lower", summary="mean",
               help="Depth: how far the front thigh stayed above horizontal at the bottom (0 = parallel to the floor).",
               patient_ok="You lowered to a good depth (front thigh about {value} above parallel).",
               patient_fault="You stayed high in {reps}: the front thigh was about {value} above parallel."),
    MetricSpec("back_knee_height_cm", "Back knee height above the floor", short="Back knee cm", cli="back knee cm",
               unit="cm", show=_TABLE, better="lower",
               help="Height of the back knee joint centre above the floor at the bottom (the kneecap is ~5 cm lower)."),
    MetricSpec("step_length_leg_frac", "Step length (× leg length)", short="Step × leg", cli="step×leg", fmt=".2f",
               show=_TABLE, help="Front ankle to back ankle along the direction you face, over your leg length."),
    MetricSpec("com_sway_cm", "Balance sway at the bottom", short="Sway cm", unit="cm", fmt=".1f",
               show=frozenset({"csv", "report"}), threshold_key="com_sway_max_cm", better="lower",
               help="Fore-aft range of the centre of mass while at the bottom (5th to 95th percentile).",
               patient_fault="You wobbled at the bottom of {reps}."),
    MetricSpec("front_knee_flexion_deg", "Front knee bend at the bottom", short="Front knee °", unit="°",
               show=frozenset({"csv", "report"})),
    MetricSpec("back_knee_flexion_deg", "Back knee bend at the bottom", short="Back knee °", unit="°",
               show=frozenset({"csv"})),
    *TARGET_TEMPO_METRICS,
    # Per-frame series: plots, overlay and the live values.
    MetricSpec("front_thigh_incl_deg", "front thigh from vertical", kind="series", unit="°", plot="angles",
               color="#e45756", show=frozenset({"plot", "overlay"}), overlay_at="hip", overlay_label="thigh"),
    MetricSpec("trunk_inclination_deg", "trunk angle from vertical", kind="series", unit="°", plot="angles",
               color="#4c78a8", threshold_key="trunk_lean_max_deg", show=frozenset({"plot", "overlay"}),
               overlay_at="trunk", overlay_label="trunk"),
    MetricSpec("front_shin_incl_deg", "front shin from vertical", kind="series", unit="°", plot="angles",
               color="#72b7b2", show=frozenset({"plot", "overlay"}), overlay_at="knee", overlay_label="shin"),
    MetricSpec("front_knee_flexion_deg", "front knee flexion", kind="series", unit="°", plot="knees",
               color="#f58518", show=frozenset({"plot"})),
)  # fmt: skip
LIVE_KEYS = ("front_thigh_incl_deg", "trunk_inclination_deg", "front_shin_incl_deg", "front_knee_flexion_deg")


# ---------------------------------------------------------------------------------------------------------------
# Cue rules (safety 10 < balance 20 < pattern 30 < tempo 40 (common))
# ---------------------------------------------------------------------------------------------------------------


def _knee_message(inp: RuleInput, value: float, thr: float) -> str:
    txt = (
        "Take a slightly longer step so the front knee stays over the foot — it went about "
        f"{cm_text(value)} past the toes"
    )
    shin = inp.num("front_shin_incl_deg")
    return txt + (f" (shin leaning {shin:.0f}°)" if math.isfinite(shin) else "")


def _depth_message(inp: RuleInput, value: float, thr: float) -> str:
    # Lowering the hips by thigh × (sin(value) − sin(thr)) brings the thigh to the threshold angle.
    drop_cm = THIGH_FRAC_OF_HEIGHT * inp.height_cm * (math.sin(math.radians(value)) - math.sin(math.radians(thr)))
    return (f"Lower about {cm_text(drop_cm)} further — the front thigh stayed {value:.0f}° above parallel, "
            f"aim for under {thr:.0f}°")  # fmt: skip


RULES: tuple[CueRule, ...] = (
    CueRule("balance.sway", 20, "warn", "com_sway_cm", threshold="com_sway_max_cm", uses_load=True,
            message="Hold the bottom steady — your weight rocked about {cm} forward and back; slow down there",
            fields=lambda i, v, t: {"cm": cm_text(v)}),
    CueRule("knee.past_toes", 30, "warn", "knee_past_toes_cm", threshold="knee_past_toes_max_cm",
            message=_knee_message),
    CueRule("trunk.upright", 31, "warn", "trunk_incl_max_deg", threshold="trunk_lean_max_deg",
            message="Keep the chest up — the trunk leaned {value:.0f}° forward, aim for under {threshold:.0f}°",
            live=True, live_source="trunk_inclination_deg",  # side only, as the squat's angles (docs L2)
            live_message="Chest up — the trunk is leaning {value:.0f}°"),
    CueRule("depth.shallow", 32, "warn", "front_thigh_above_parallel_deg", threshold="thigh_above_parallel_max_deg",
            message=_depth_message),
)  # fmt: skip


def praise(inp: RuleInput) -> str | None:
    """ "Good lunge: trunk 4°, thigh 2° above parallel, shin 12°" — what was measured; None when nothing was."""
    parts = []
    trunk, thigh, shin = (inp.num(k) for k in ("trunk_incl_max_deg", "front_thigh_above_parallel_deg",
                                                "front_shin_incl_deg"))  # fmt: skip
    if math.isfinite(trunk):
        parts.append(f"trunk {trunk:.0f}°")
    if math.isfinite(thigh):
        parts.append(f"thigh {abs(thigh):.0f}° {'above' if thigh >= 0.5 else 'below'} parallel"
                     if abs(thigh) >= 0.5 else "thigh parallel")  # fmt: skip
    if math.isfinite(shin):
        parts.append(f"shin {shin:.0f}°")
    return "Good lunge: " + ", ".join(parts) if parts else None


LIMITS = (
    "Angles are measured in the image when the camera looks at your side (best at hip height) and judged only "
    "then; from an angle they come from the pose tracker's 3D estimate, projected on your own front-back plane, "
    "and are shown but not judged.",
    "Which leg is in front is read from the pose model's left and right labels; a model that swaps them "
    "(most likely face-on) swaps the side reported.",
    "Centimetres (knee past the toes, back knee height, sway) assume the body height you entered; they and the "
    "step length are measured only from a side view. The back knee height is the knee joint centre, a few "
    "centimetres above the kneecap.",
    "The toes are placed from the pose tracker's heel and toe-tip points on the shoe, assuming the foot index sits at "
    "the ball of the foot (three quarters of the foot from the heel); the floor is the lowest foot point seen.",
    "Sway is front-to-back only: side-to-side wobble and weight shift between the feet are not visible to one camera.",
    "The centre of mass comes from average body-segment proportions (de Leva 1996), not your own; a held weight "
    "is placed at the hands.",
)
NO_REPS_HINT = "No full reps found: step into a lunge until the front thigh tips forward at least {min_rom_deg:.0f}°"


def synth_clip(**kw: Any) -> Any:
    """A side-view alternating lunge set with exact truth and a level room's lines
    (:func:`formcheck.analyzers.lunge_synth.lunge_clip`, :func:`formcheck.synth.with_level_room`)."""
    from formcheck.analyzers.lunge_synth import lunge_clip  # tests only: not loaded for an analysis
    from formcheck.synth import with_level_room

    return with_level_room(lunge_clip(**kw))


def analyzer(config: Any) -> Any:
    """The lunge's analyzer (:class:`formcheck.analyzers.lunge.LungeAnalyzer`), imported when first asked for."""
    from formcheck.analyzers.lunge import LungeAnalyzer

    return LungeAnalyzer(config)


SPEC = register(
    ExerciseSpec(
        name=NAME,
        title=TITLE,
        measures="front leg per rep, front shin and knee past the toes, trunk upright, depth, step length, sway, tempo",
        positions=POSITIONS,
        views=("side", "oblique"),
        landmarks=tuple(int(i) for i in BODY),
        reference=REFERENCE,
        rep_strategy="alternating",
        probes=("scene_lines",),  # the room's lines (camera roll, formcheck.body.roll.scene_roll_deg)
        metrics=METRICS,
        rules=RULES,
        limits=LIMITS,
        config_model=LungeConfig,
        analyzer=analyzer,
        praise=praise,
        no_reps_hint=NO_REPS_HINT,
        live_keys=LIVE_KEYS,
        synth=synth_clip,
    )
)
