"""Standing side bend (lateral trunk flexion) filmed from the front or from behind: reps per side.

Measures (image frontal plane, :mod:`formcheck.analyzers.frontal`):

* **side bend** ``side_bend_deg``: how far the trunk axis (mid-hip → mid-shoulder) tipped sideways against the
  pelvis's up axis at the end of the range, from where it stood at the rep's start; ``shoulder_tilt_deg`` the
  shoulder line against the pelvis line at the same moment (it includes the upper spine's curve, so it reads
  larger); ``Rep.side`` is the side bent toward;
* **symmetry** ``side_diff_deg``: this rep's bend minus the bend of the latest rep to the other side before it
  (negative: this side bent less; unknown for the first side's first rep);
* **hips over the feet** ``hip_sway_cm``: how far the mid-hip slid sideways (from over the mid-ankle) during the
  rep, from where it was at the start, in centimetres of the body height you entered;
* **tempo**: the time bending over and coming back (``Rep.eccentric_s``, ``Rep.concentric_s``).

Cues: "Keep the hips over the feet" (sway), "Bend about N° further to the left/right" (range), "Match the other
side: bend about N° further to the right" (symmetry), "Bend more slowly" (tempo); a clean rep earns praise.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from pydantic import Field

from formcheck.analyzers import frontal as fr
from formcheck.body.clean import BODY
from formcheck.config import ExerciseConfig, TempoS
from formcheck.engine.registry import register
from formcheck.engine.spec import CueRule, ExerciseSpec, MetricSpec, PhaseWords, RuleInput
from formcheck.reps import RepWindow

NAME = "side_bend"
TITLE = "Standing side bend"


class SideBendConfig(ExerciseConfig):
    """Standing side bend: segmentation, range, symmetry, sway and tempo thresholds."""

    target_tempo_s: TempoS = Field(
        (2.0, 0.5, 2.0, 1.0), description="s: bending over, pause at the end of the range, coming back, rest upright"
    )
    min_rom_deg: float = Field(8.0, gt=0, le=90, description="deg of sideways trunk tip that counts as a rep")
    bend_min_deg: float = Field(
        20.0, ge=0, le=90, description="deg of sideways trunk tip (trunk axis vs pelvis) below which 'bend further'"
    )
    side_diff_max_deg: float = Field(
        8.0, gt=0, le=90, description="deg a side may bend less than the other before a 'match the other side' cue"
    )
    hip_sway_max_cm: float = Field(
        5.0, gt=0, le=50, description="cm the hips may slide sideways from over the feet during a rep"
    )
    forward_lean_max_deg: float = Field(
        25.0, gt=0, le=90, description="deg of forward trunk tip (3D) above which a movement is not a side bend"
    )


def values(px: np.ndarray, world: np.ndarray, facing: float, cm_per_px: float) -> dict[str, np.ndarray]:
    """Per-frame side-bend values (a set or one live frame)."""
    a = fr.frontal_angles_px(px)
    return {"lateral_flexion_deg": a["lateral_flexion_deg"], "shoulder_tilt_deg": a["shoulder_tilt_deg"],
            "hip_shift_cm": a["hip_shift_px"] * cm_per_px,
            "forward_lean_deg": fr.forward_lean_world_deg(world)}  # fmt: skip


def live_values(px: np.ndarray, world: np.ndarray, facing: float, depth_only: bool) -> dict[str, np.ndarray]:
    """The live keys, the lateral flexion also the depth (:attr:`.frontal.FrontalExercise.live_values`)."""
    a = fr.frontal_angles_px(px)
    return {"lateral_flexion_deg": a["lateral_flexion_deg"], "shoulder_tilt_deg": a["shoulder_tilt_deg"]}


def _bend_of(v: Mapping[str, np.ndarray], w: RepWindow) -> float:
    lat = fr.toward_side(v, "lateral_flexion_deg", w)
    return fr.change_over(lat, fr.end_of_range(lat, w), w)


def rep_metrics(v: Mapping[str, np.ndarray], w: RepWindow, ex: Any, all_w: list[RepWindow]) -> dict[str, Any]:
    """The numbers of one rep (see the module docstring)."""
    lat = fr.toward_side(v, "lateral_flexion_deg", w)
    shift = np.asarray(v["hip_shift_cm"], dtype=np.float64)
    idx = np.arange(w.start_i, w.end_i + 1)
    bend = _bend_of(v, w)
    te, tb, tc, tt = ex.target_tempo_s
    return {
        "side_bend_deg": bend,
        "shoulder_tilt_deg": fr.change_over(fr.toward_side(v, "shoulder_tilt_deg", w), fr.end_of_range(lat, w), w),
        "side_diff_deg": bend - fr.other_side_value(lambda o: _bend_of(v, o), w, all_w),
        "hip_sway_cm": fr.nan_stat(np.max, np.abs(shift[idx] - fr.start_value(shift, w))),
        "bend_side": w.side,
        "target_eccentric_s": te,
        "target_concentric_s": tc,
    }


VIEWS = fr.FRONT_VIEWS
RULES: tuple[CueRule, ...] = (
    CueRule("side_bend.hips", 20, "warn", "hip_sway_cm", threshold="hip_sway_max_cm", views=VIEWS,
            message=lambda i, v, t: f"Keep the hips over the feet — they slid about {max(1, round(v))} cm sideways; "
            "bend from the waist instead"),
    fr.range_rule("side_bend.range", 30, "side_bend_deg", "bend_min_deg", "bend_side",
                  "Bend about {more} further{side} — the trunk tipped {v:.0f}°, aim for {t:.0f}°"),
    fr.symmetry_rule("side_bend.symmetry", 31, "side_bend_deg", "bend_side", "bend"),
    fr.tempo_rule("side_bend.tempo", 40, "eccentric_s", 0,
                  "Bend more slowly: take about {t:.0f} s each way — that one took {v}"),
    fr.tempo_rule("side_bend.tempo_back", 41, "concentric_s", 2,
                  "Come back up more slowly: about {t:.0f} s — that one took {v}"),
)  # fmt: skip


def praise(inp: RuleInput) -> str | None:
    """ "Good side bend to the left: 29°, hips steady (1 cm)" — what was measured; None when nothing was."""
    bend, sway = inp.num("side_bend_deg"), inp.num("hip_sway_cm")
    if not math.isfinite(bend):
        return None
    text = f"Good side bend{fr.side_words(inp, 'bend_side')}: {bend:.0f}°"
    return text + (f", hips steady ({sway:.0f} cm)" if math.isfinite(sway) else "")


_TABLE = frozenset({"cli", "table", "csv", "report"})
METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("side_bend_deg", "Side bend (trunk axis vs pelvis)", short="Bend °", unit="°",
               show=_TABLE | {"trend"}, better="higher", threshold_key="bend_min_deg", summary="mean",
               help="How far the trunk axis (mid-hip to mid-shoulder) tipped sideways against the pelvis, from the "
               "start of the rep to the end of the range.",
               patient_ok="You bent about {value} to each side.",
               patient_fault="You bent only a little in {reps}."),
    MetricSpec("shoulder_tilt_deg", "Shoulder line vs pelvis line", short="Shoulders °", unit="°", show=_TABLE,
               help="The shoulder line's tilt against the pelvis line at the end of the range (includes the upper "
               "spine's curve)."),
    MetricSpec("side_diff_deg", "Difference to the other side", short="vs other side °", unit="°", fmt="+.0f",
               show=_TABLE, better="", help="This rep's bend minus that of the latest rep to the other side."),
    MetricSpec("hip_sway_cm", "Hips sliding sideways", short="Hip sway cm", unit="cm", fmt=".1f",
               show=_TABLE | {"trend"}, threshold_key="hip_sway_max_cm", better="lower", summary="max",
               help="How far the hips slid sideways from over the feet during the rep.",
               patient_ok="Your hips stayed over your feet.",
               patient_fault="Your hips slid sideways in {reps}."),
    MetricSpec("target_eccentric_s", "Target bending time", unit="s", fmt=".1f"),
    MetricSpec("target_concentric_s", "Target return time", unit="s", fmt=".1f"),
    MetricSpec("lateral_flexion_deg", "side bend (+ left)", kind="series", unit="°", fmt="+.0f", plot="angles",
               color="#4c78a8", show=frozenset({"plot", "overlay"}), overlay_at="trunk", overlay_label="bend"),
    MetricSpec("shoulder_tilt_deg", "shoulder tilt (+ left lower)", kind="series", unit="°", fmt="+.0f",
               plot="angles", color="#e45756", show=frozenset({"plot"})),
)  # fmt: skip
LIMITS = (
    "Measured in the image, which shows the side bend only from the front or from behind: a side view sees the "
    "trunk tip toward or away from the camera and is refused; from an angle the numbers are less accurate.",
    "The trunk axis runs from the middle of the hips to the middle of the shoulders (joint centres, not the skin); "
    "the shoulder line also tilts with the upper spine's curve, so it reads larger.",
    "Left and right come from the pose model's left/right labels; a model that swaps them (most likely from behind) "
    "swaps the sides reported.",
    "Hip sway in centimetres assumes the body height you entered and the camera level at about hip height.",
    "A trunk that also leans forward or turns while bending tips the image's trunk axis too: bend straight sideways.",
)


def not_sideways(v: Mapping[str, np.ndarray], w: RepWindow, ex: Any) -> bool:
    """A rep whose trunk tipped forward (or back) more than ``forward_lean_max_deg`` at the end of its range is a
    forward bend or a squat seen from the front, whose foreshortened trunk reads as a sideways tip in the image."""
    lat = fr.toward_side(v, "lateral_flexion_deg", w)
    lean = fr.nan_stat(np.median, np.asarray(v["forward_lean_deg"], dtype=np.float64)[fr.end_of_range(lat, w)])
    return math.isfinite(lean) and lean > float(ex.forward_lean_max_deg)


EXERCISE = fr.FrontalExercise(
    name=NAME, what="a side bend tips the trunk toward or away from the camera there", values=values,
    alternating=True, depth_key="lateral_flexion_deg", metrics=rep_metrics, phase_key="side_bend_abs_deg",
    reject=not_sideways, reject_words="{n} movement(s) tipped the trunk forward rather than sideways (a forward bend "
    "or a squat?): not counted as side bends.", live_values=live_values,
)  # fmt: skip


# What a user reads for this exercise's rep phases (Rep.eccentric_s, bottom_pause_s, concentric_s, top_pause_s).
PHASES = PhaseWords(
    names=("bending", "hold", "coming back", "rest"),
    columns=("bend", "hold", "back", "rest"),
    rest="standing",
    turn="furthest bend",
    first_speed="",
)


SPEC = register(ExerciseSpec(
    phases=PHASES,
    name=NAME, title=TITLE, measures="side bend per side (trunk axis and shoulder line vs pelvis), symmetry, hips "
    "over the feet, tempo", positions=("standing",), views=VIEWS, landmarks=tuple(int(i) for i in BODY),
    reference="none", rep_strategy="alternating", metrics=METRICS, rules=RULES, limits=LIMITS,
    config_model=SideBendConfig, analyzer=EXERCISE.analyzer, praise=praise, tempo_rules=False,
    no_reps_hint="No side bend found: face the camera and bend sideways at least {min_rom_deg:.0f}°",
    live_keys=("lateral_flexion_deg", "shoulder_tilt_deg"),
    synth=fr.lazy_synth("formcheck.analyzers.side_bend_synth"),
))  # fmt: skip
