"""Dead bug (supine, side view; oblique accepted with a warning): one arm and the opposite leg extend, return.

Lying on the back, arms pointing up and knees bent over the hips, one arm lowers overhead while the opposite leg
straightens out toward the floor, then both return and the other pair goes. Measures (see
:mod:`formcheck.analyzers.alternating_floor` for how): reps counted on both sides and labelled with the
**extending arm** (``Rep.side``; the leg is the opposite one), the moving arm's and leg's elevation above the floor
at full extension (``arm_reach_deg``, ``leg_reach_deg``: lower = further), the trunk staying still at full
extension (``trunk_tilt_change_deg``: the hip–shoulder line's slope; ``hip_shift_pct``: the hips rising off the
floor; ``trunk_length_change_pct``: the shoulder–hip distance, the nearest a camera gets to the rib–pelvis
distance), extension, hold and return times.

Cues: the trunk moving (the low back lifting shows as the hips rising or the trunk tilting or lengthening), the
leg not extended, extending, holding and returning faster than prescribed. No cue comes from the arm. From a camera
more than 23° from side-on (raised above the floor or turned toward the head or feet) the leg and trunk cues and
the praise are withheld with a plain warning; reps, sides and tempo stay
(:mod:`formcheck.analyzers.alternating_floor`).
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import Field

from formcheck.analyzers import alternating_floor as af
from formcheck.analyzers import floor_hold as fh
from formcheck.analyzers import floor_view as fv
from formcheck.analyzers import hinge  # noqa: F401 - the default exercise (first registered) stays the hinge
from formcheck.body import BODY
from formcheck.config import ExerciseConfig, TempoS
from formcheck.engine.registry import register
from formcheck.engine.spec import CueRule, ExerciseSpec, MetricSpec, PhaseWords, RuleInput

NAME = "dead_bug"
ANGLE_WORDS = fv.AngleWords("how far the leg extends or whether the trunk stays still", "leg or trunk cue",
                             "the leg and trunk numbers are shown but may be off.", "floor height")  # fmt: skip
FAMILY = af.Family(NAME, "supine", -1.0, ("trunk_tilt_change_deg", "hip_shift_pct", "trunk_length_change_pct"),
                   ANGLE_WORDS)  # fmt: skip


class DeadBugConfig(ExerciseConfig):
    """Dead bug: where the extension and the trunk are judged, and the tempo prescribed."""

    target_tempo_s: TempoS = Field(
        (1.5, 1.0, 1.5, 0.5), description="s: extending, hold at full extension, returning, rest between reps"
    )
    min_rom_deg: float = Field(30.0, gt=0, le=180, description="deg the thigh must swing from vertical for a rep")
    leg_short_max_deg: float = Field(
        35.0, gt=0, le=90, description="deg above the floor the extended leg may stay before an 'extend further' cue"
    )
    trunk_tilt_max_deg: float = Field(
        6.0, gt=0, le=45, description="deg the hip-shoulder line may tilt from rest at full extension before a cue"
    )
    hip_shift_max_pct: float = Field(
        8.0, gt=0, le=100, description="% of the trunk length the hips may lift before a 'back down' cue"
    )
    trunk_length_change_max_pct: float = Field(
        8.0, gt=0, le=100, description="% the shoulder-hip distance may change at full extension before a cue"
    )


def derive(inp: RuleInput) -> dict[str, float]:
    """Sizes the rules compare: the hips lifting (only up counts), the trunk's tilt and length change, the leg's
    height; unknown (no cue) when the rep was filmed from a camera angle that cannot tell them (the rep carries it,
    so a live rep is judged as a saved set's)."""
    hip, tilt, length = inp.num("hip_shift_pct"), inp.num("trunk_tilt_change_deg"), inp.num("trunk_length_change_pct")
    sizes = {
        "hip_lift_pct": max(hip, 0.0) if math.isfinite(hip) else math.nan,
        "trunk_tilt_size_deg": abs(tilt) if math.isfinite(tilt) else math.nan,
        "trunk_length_size_pct": abs(length) if math.isfinite(length) else math.nan,
        "leg_up_deg": inp.num("leg_reach_deg"),
    }
    return sizes if fv.judged_input(inp) else dict.fromkeys(sizes, math.nan)


_VIEWS = af.JUDGED_VIEWS  # the leg and trunk rules: side-on only (the tempo rules hold in any view)
_BACK = "Keep the low back on the floor: ribs down, move only as far as the trunk stays still"
RULES: tuple[CueRule, ...] = (
    CueRule("dead_bug.hips_lift", 20, "warn", "hip_shift_pct", source="hip_lift_pct", threshold="hip_shift_max_pct",
            message=lambda i, v, t: f"{_BACK} — the hips lifted {v:.0f}% of the trunk length", views=_VIEWS),
    CueRule("dead_bug.trunk_tilt", 21, "warn", "trunk_tilt_change_deg", source="trunk_tilt_size_deg",
            threshold="trunk_tilt_max_deg", message=lambda i, v, t: f"{_BACK} — the trunk tilted {v:.0f}°",
            views=_VIEWS),
    CueRule("dead_bug.trunk_length", 22, "warn", "trunk_length_change_pct", source="trunk_length_size_pct",
            threshold="trunk_length_change_max_pct",
            message=lambda i, v, t: f"{_BACK} — the shoulder–hip distance changed {v:.0f}%", views=_VIEWS),
    CueRule("dead_bug.leg_short", 30, "info", "leg_reach_deg", source="leg_up_deg", threshold="leg_short_max_deg",
            message=lambda i, v, t: "Straighten the leg further, heel toward the floor — it stayed "
            f"{fh.degrees_text(v)} up", views=_VIEWS),
    af.tempo_rule("dead_bug.extend_fast", 40, "eccentric_s", 0, "Extend slowly, over {t} — that one took {v}"),
    af.tempo_rule("dead_bug.short_hold", 41, "bottom_pause_s", 1, "Pause at full extension for {t} — that one was {v}"),
    af.tempo_rule("dead_bug.return_fast", 42, "concentric_s", 2, "Come back slowly, over {t} — that one took {v}"),
)  # fmt: skip


def praise(inp: RuleInput) -> str | None:
    """ "Clean dead bug: leg to 14° above the floor, trunk still" when measured."""
    leg = inp.num("leg_reach_deg")
    if not math.isfinite(leg) or not fv.judged_input(inp):
        return None  # "clean" would claim what this camera angle cannot tell
    text = f"Clean dead bug: leg out to {leg:.0f}° above the floor"
    # Only claim what was measured: without shoulders and hips the trunk's stillness is unknown.
    if all(math.isfinite(inp.num(k)) for k in ("trunk_tilt_change_deg", "hip_shift_pct", "trunk_length_change_pct")):
        text += ", trunk still"
    return text


_TABLE = frozenset({"cli", "table", "csv", "report"})
METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("leg_reach_deg", "Leg at full extension (° above the floor)", short="Leg °", unit="°",
               show=_TABLE | {"trend", "overlay"}, better="lower", threshold_key="leg_short_max_deg", summary="mean",
               overlay_at="hip", overlay_label="leg",
               help="Elevation of the extending leg (hip to ankle) above the floor at full extension: lower is "
               "further.", patient_ok="You straightened the leg out well.",
               patient_fault="The leg stayed high (not straightened out) in {reps}."),
    MetricSpec("arm_reach_deg", "Arm at full extension (° above the floor)", short="Arm °", unit="°", show=_TABLE,
               better="", summary="mean",
               help="Elevation of the extending arm (shoulder to wrist) above the floor overhead; the pose tracker "
               "places the arms of a body lying down roughly, so this is shown but not judged, and left out "
               "(\"can't tell\") when the tracked hand is not where a reaching hand can be."),
    MetricSpec("trunk_tilt_change_deg", "Trunk tilt from rest at full extension", short="Trunk tilt °", unit="°",
               fmt="+.0f", show=_TABLE | {"trend"}, better="lower", threshold_key="trunk_tilt_max_deg",
               summary="max", help="Change of the hip–shoulder line's slope from rest (+ shoulders rose).",
               patient_ok="Your trunk stayed still.", patient_fault="Your trunk moved as you extended in {reps}."),
    MetricSpec("hip_shift_pct", "Hips lifting at full extension (% trunk)", short="Hips %", unit="%", fmt="+.0f",
               show=_TABLE, better="lower", threshold_key="hip_shift_max_pct", summary="max",
               help="How far the hips rose (+) from rest, in % of the trunk length: the low back lifting off the "
               "floor tips the pelvis and lifts the hips."),
    MetricSpec("trunk_length_change_pct", "Shoulder–hip distance change (%)", short="Trunk length %", unit="%",
               fmt="+.0f", show=_TABLE, better="lower", threshold_key="trunk_length_change_max_pct", summary="max",
               help="Change of the shoulder–hip distance from rest (the rib–pelvis distance's nearest visible "
               "stand-in: + the trunk lengthened, as when the ribs flare and the back arches)."),
    af.thigh_series("moving thigh (0 vertical, 90 at floor level)"),
    af.TRUNK_TILT_SERIES,
)  # fmt: skip
LIMITS = (
    "Measured in the image of a side view (joint centres): film from the side at about floor height. A camera "
    "raised above the floor or turned toward the head or feet by more than about 23° (told from how far apart the "
    "hips look) foreshortens the limbs and the trunk: the leg and trunk are then not judged (a warning says so).",
    "Which side moved comes from the legs: the pose tracker guesses the left/right labels of the "
    "far-side limbs of a body "
    "lying side-on. When both leg labels moved alike the side is taken from alternation with the neighbouring "
    "reps, else it is unknown.",
    af.arm_not_judged_limit("extension"),
    "The low back pressing into the floor is not seen directly (no points on the spine; this exercise does not read "
    "the back outline against the floor): the hips lifting, the trunk tilting and the shoulder–hip distance "
    "changing are what is judged. A lumbar arch with the pelvis and shoulders still is not seen.",
)


class DeadBugAnalyzer(af.AlternatingFloorAnalyzer):
    """Batch analysis of a dead-bug set."""

    family = FAMILY
    no_items = (
        "No dead-bug extension was found: lie on your back side-on to the camera, arms up, knees over the "
        "hips, and extend one arm and the opposite leg."
    )


def _synth(**kw: Any) -> Any:
    from formcheck.analyzers.alternating_floor_synth import dead_bug_clip  # tests only

    return dead_bug_clip(**kw)


# What a user reads for this exercise's rep phases (Rep.eccentric_s, bottom_pause_s, concentric_s, top_pause_s).
PHASES = PhaseWords(
    names=("reach", "hold", "return", "rest"),
    columns=("reach", "hold", "return", "rest"),
    rest="start position",
    turn="full reach",
    first_speed="",
)


SPEC = register(ExerciseSpec(
    phases=PHASES,
    name=NAME, title="Dead bug", measures="arm and opposite-leg extension, trunk still, hold, tempo; sides",
    positions=("supine",), views=af.VIEWS, landmarks=tuple(int(i) for i in BODY), reference="none",
    rep_strategy="alternating", metrics=METRICS, rules=RULES, limits=LIMITS, config_model=DeadBugConfig,
    analyzer=DeadBugAnalyzer, praise=praise, live_keys=("thigh_reach_deg", "trunk_tilt_deg"), tempo_rules=False,
    derive=derive, no_reps_hint="No dead bug found: lie on your back side-on to the camera and extend one arm and "
    "the opposite leg", synth=_synth,
))  # fmt: skip
