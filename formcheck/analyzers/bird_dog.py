"""Bird-dog (quadruped, side view; oblique accepted with a warning): one arm and the opposite leg reach out.

Measures (see :mod:`formcheck.analyzers.alternating_floor` for how): reps, one per reach, counted on both sides
and labelled with the **reaching arm** (``Rep.side``; the leg is the opposite one), the moving arm's and leg's
elevation at full reach (``arm_reach_deg``, ``leg_reach_deg``: 0 = horizontal, − below, + above), the trunk's
change from rest at full reach (``trunk_tilt_change_deg``, ``hip_shift_pct``, ``shoulder_shift_pct``), the hold at
full reach (``Rep.hold_s`` = ``bottom_pause_s``), reaching and returning times.

Cues: the leg short of hip height or lifted above it (above it the low back arches: the nearest sign of a lumbar
arch a camera without spine landmarks has), the trunk tilting or the hips / shoulders shifting, reaching,
holding and returning faster than prescribed. No cue comes from the arm (see LIMITS). From a camera more than 23°
from side-on (raised above the floor or turned toward the head or feet) the leg and trunk cues and the praise are
withheld with a plain warning; reps, sides and tempo stay (:mod:`formcheck.analyzers.alternating_floor`).
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
from formcheck.engine.spec import CueRule, ExerciseSpec, MetricSpec, PhaseWords, RuleInput, seconds_text

NAME = "bird_dog"
ANGLE_WORDS = fv.AngleWords("the leg's height or a level trunk", "leg or trunk cue",
                             "the leg and trunk numbers are shown but may be off.", "hip height")  # fmt: skip
FAMILY = af.Family(NAME, "quadruped", +1.0, ("trunk_tilt_change_deg", "hip_shift_pct", "shoulder_shift_pct"),
                   ANGLE_WORDS)  # fmt: skip


class BirdDogConfig(ExerciseConfig):
    """Bird-dog: where the reach and the trunk are judged, and the tempo prescribed."""

    target_tempo_s: TempoS = Field(
        (1.5, 2.0, 1.5, 0.5), description="s: reaching out, hold at full reach, returning, rest between reps"
    )
    min_rom_deg: float = Field(30.0, gt=0, le=180, description="deg the thigh must swing from hanging for a rep")
    leg_short_max_deg: float = Field(
        20.0, gt=0, le=90, description="deg the leg may stay below horizontal at full reach before a 'reach' cue"
    )
    leg_high_max_deg: float = Field(
        15.0, gt=0, le=90, description="deg the leg may rise above horizontal before a 'hip height' cue"
    )
    trunk_tilt_max_deg: float = Field(
        8.0, gt=0, le=45, description="deg the hip-shoulder line may tilt from rest at full reach before a cue"
    )
    hip_shift_max_pct: float = Field(
        10.0, gt=0, le=100, description="% of the trunk length the hips or shoulders may rise or drop before a cue"
    )


def derive(inp: RuleInput) -> dict[str, float]:
    """Sizes the rules compare (the metrics themselves are signed); unknown (no cue) when the rep was filmed from
    a camera angle that cannot tell them (the rep carries it, so a live rep is judged as a saved set's)."""
    leg, tilt = inp.num("leg_reach_deg"), inp.num("trunk_tilt_change_deg")
    hip, sho = inp.num("hip_shift_pct"), inp.num("shoulder_shift_pct")
    shift = max((abs(x) for x in (hip, sho) if math.isfinite(x)), default=math.nan)
    sizes = {
        "leg_short_deg": max(-leg, 0.0) if math.isfinite(leg) else math.nan,
        "leg_high_deg": max(leg, 0.0) if math.isfinite(leg) else math.nan,
        "trunk_tilt_size_deg": abs(tilt) if math.isfinite(tilt) else math.nan,
        "trunk_shift_size_pct": shift,
    }
    return sizes if fv.judged_input(inp) else dict.fromkeys(sizes, math.nan)


_VIEWS = af.JUDGED_VIEWS  # the leg and trunk rules: side-on only (the tempo rules hold in any view)
RULES: tuple[CueRule, ...] = (
    CueRule("bird_dog.leg_high", 20, "warn", "leg_reach_deg", source="leg_high_deg", threshold="leg_high_max_deg",
            message=lambda i, v, t: f"Lift the leg only to hip height — it went {v:.0f}° above; higher arches the "
            "low back", views=_VIEWS),
    CueRule("bird_dog.trunk_tilt", 25, "warn", "trunk_tilt_change_deg", source="trunk_tilt_size_deg",
            threshold="trunk_tilt_max_deg", message=lambda i, v, t: f"Keep the trunk level as you reach — it tilted "
            f"{v:.0f}°", views=_VIEWS),
    CueRule("bird_dog.trunk_shift", 26, "warn", "hip_shift_pct", source="trunk_shift_size_pct",
            threshold="hip_shift_max_pct", message=lambda i, v, t: "Keep the hips and shoulders at the same height "
            f"as you reach — they moved {v:.0f}% of the trunk length", views=_VIEWS),
    CueRule("bird_dog.leg_short", 30, "info", "leg_reach_deg", source="leg_short_deg", threshold="leg_short_max_deg",
            message=lambda i, v, t: f"Reach the leg back to hip height — it stayed {fh.degrees_text(v)} below",
            views=_VIEWS),
    af.tempo_rule("bird_dog.reach_fast", 40, "eccentric_s", 0, "Reach out slowly, over {t} — that one took {v}"),
    af.tempo_rule("bird_dog.short_hold", 41, "bottom_pause_s", 1, "Hold the reach for {t} — that one was {v}"),
    af.tempo_rule("bird_dog.return_fast", 42, "concentric_s", 2, "Come back slowly, over {t} — that one took {v}"),
)  # fmt: skip


def praise(inp: RuleInput) -> str | None:
    """ "Clean bird-dog: leg to −3° of horizontal, held 2.0 s" when measured."""
    leg, hold = inp.num("leg_reach_deg"), inp.num("bottom_pause_s")
    if not math.isfinite(leg) or not fv.judged_input(inp):
        return None  # "clean" would claim what this camera angle cannot tell
    text = f"Clean bird-dog: leg to {leg:+.0f}° of horizontal"
    # Only claim what was measured: without shoulders and hips the trunk's level is unknown.
    if all(math.isfinite(inp.num(k)) for k in ("trunk_tilt_change_deg", "hip_shift_pct")):
        text += ", trunk level"
    return text + (f", held {seconds_text(hold)}" if math.isfinite(hold) else "")


_TABLE = frozenset({"cli", "table", "csv", "report"})
METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("leg_reach_deg", "Leg at full reach (0 = hip height, − below, + above)", short="Leg °", unit="°",
               fmt="+.0f", show=_TABLE | {"trend", "overlay"}, better="", summary="mean", overlay_at="hip",
               overlay_label="leg",
               help="Elevation of the moving leg (hip to ankle) above the horizontal while held at full reach.",
               patient_ok="Your leg reached back to about hip height.",
               patient_fault="Your leg did not reach hip height, or went above it, in {reps}."),
    MetricSpec("arm_reach_deg", "Arm at full reach (0 = shoulder height, − below)", short="Arm °", unit="°",
               fmt="+.0f", show=_TABLE, better="", summary="mean",
               help="Elevation of the reaching arm (shoulder to wrist) above the horizontal at full reach; the pose "
               "tracker places the arms of a body on all fours roughly, so this is shown but not judged, and left "
               "out (\"can't tell\") when the tracked hand is not where a reaching hand can be."),
    MetricSpec("trunk_tilt_change_deg", "Trunk tilt from rest at full reach", short="Trunk tilt °", unit="°",
               fmt="+.0f", show=_TABLE | {"trend"}, better="lower", threshold_key="trunk_tilt_max_deg",
               summary="max", help="Change of the hip–shoulder line's slope from rest (+ shoulders rose).",
               patient_ok="Your trunk stayed level.", patient_fault="Your trunk tilted as you reached in {reps}."),
    MetricSpec("hip_shift_pct", "Hip height change at full reach (% trunk)", short="Hips %", unit="%", fmt="+.0f",
               show=_TABLE, better="lower", threshold_key="hip_shift_max_pct", summary="max",
               help="How far the hips rose (+) or dropped (−) from rest, in % of the trunk length.",
               evidence=("trunk_tilt_change_deg",)),
    MetricSpec("shoulder_shift_pct", "Shoulder height change at full reach (% trunk)", short="Shoulders %",
               unit="%", fmt="+.0f", show=frozenset({"csv", "report", "table"}), better="lower", summary="max",
               help="How far the shoulders rose (+) or dropped (−) from rest, in % of the trunk length."),
    af.thigh_series("moving thigh (0 hanging, 90 at hip height)"),
    af.TRUNK_TILT_SERIES,
)  # fmt: skip
LIMITS = (
    "Measured in the image of a side view (joint centres): film from the side at about hip height. A camera raised "
    "above the floor or turned toward the head or feet by more than about 23° (told from how far apart the hips "
    "look) foreshortens the leg's angle and the trunk's slope and heights: they are then not judged (a warning "
    "says so).",
    "Which side moved comes from the legs: the pose tracker guesses the left/right labels of the "
    "far-side limbs of a body "
    "seen side-on (in a test video it labelled the raised near arm as the far one). When both leg labels "
    "rose alike the side is taken from alternation with the neighbouring reps, else it is unknown.",
    af.arm_not_judged_limit("reach"),
    "A lumbar sag or arch is not measured: the pose tracker has no points on the spine and this exercise "
    "does not read a "
    "back outline. The leg lifted above hip height, a trunk tilt and hips or shoulders shifting are what is "
    "judged. A low back that arches while the leg stays at hip height is not seen.",
    "Pelvic rotation (the hip of the lifted leg rolling up) happens across the camera's line of sight and is not "
    "measured.",
)


class BirdDogAnalyzer(af.AlternatingFloorAnalyzer):
    """Batch analysis of a bird-dog set."""

    family = FAMILY
    no_items = (
        "No bird-dog reach was found: kneel on all fours side-on to the camera and reach one arm and the "
        "opposite leg out."
    )


def _synth(**kw: Any) -> Any:
    from formcheck.analyzers.alternating_floor_synth import bird_dog_clip  # tests only

    return bird_dog_clip(**kw)


# What a user reads for this exercise's rep phases (Rep.eccentric_s, bottom_pause_s, concentric_s, top_pause_s).
PHASES = PhaseWords(
    names=("reach", "hold", "return", "rest"),
    columns=("reach", "hold", "return", "rest"),
    rest="on all fours",
    turn="full reach",
    first_speed="",
)


SPEC = register(ExerciseSpec(
    phases=PHASES,
    name=NAME, title="Bird-dog", measures="arm and opposite-leg reach, trunk level, hold at full reach, tempo; sides",
    positions=("quadruped",), views=af.VIEWS, landmarks=tuple(int(i) for i in BODY), reference="none",
    rep_strategy="alternating", metrics=METRICS, rules=RULES, limits=LIMITS, config_model=BirdDogConfig,
    analyzer=BirdDogAnalyzer, praise=praise, live_keys=("thigh_reach_deg", "trunk_tilt_deg"), tempo_rules=False,
    derive=derive, no_reps_hint="No bird-dog found: kneel on all fours side-on to the camera, reach one arm and "
    "the opposite leg", synth=_synth,
))  # fmt: skip
