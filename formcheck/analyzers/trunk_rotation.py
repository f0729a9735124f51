"""Gentle trunk rotation (seated or standing) filmed from the front or from behind: reps per side.

Measures (MediaPipe's 3D world landmarks, horizontal plane, :mod:`formcheck.analyzers.frontal`):

* **rotation** ``rotation_deg``: how far the shoulder line turned against the pelvis line about the vertical at
  the end of the range, from where it stood at the rep's start; ``Rep.side`` is the side turned to (the left
  shoulder going back is a turn to the left);
* **symmetry** ``side_diff_deg``: this rep's rotation minus that of the latest rep to the other side before it
  (unknown for the first rep);
* **pelvis still** ``pelvis_turn_deg``: the most the pelvis line itself turned during the rep (the rotation
  should come from the trunk, not from turning the hips and feet);
* **tempo**: the time turning and coming back (``Rep.eccentric_s``, ``Rep.concentric_s``).

**Accuracy with one camera.** A front or back view sees a turn about the vertical as the shoulders' depth, which
MediaPipe estimates from the image, not measures: on synthetic sets with MediaPipe-like depth noise (2-4 cm per
landmark, half of it wandering slowly) the rotation per rep is off by the figures in ``docs/metrics.md`` (a few
degrees; tested in ``tests/unit/analyzers/test_analyzer_trunk_rotation.py``), and real depth estimates can be
biased beyond that. Numbers below ~10° are not reliable.

Cues: "Keep the hips facing forward" (pelvis turning), "Turn about N° further to the left/right" (range), "Match
the other side" (symmetry), "Turn more slowly" (tempo); a clean rep earns praise.
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

NAME = "trunk_rotation"
TITLE = "Trunk rotation"


class TrunkRotationConfig(ExerciseConfig):
    """Trunk rotation: segmentation, range, symmetry, pelvis and tempo thresholds."""

    target_tempo_s: TempoS = Field(
        (2.0, 0.5, 2.0, 1.0), description="s: turning, pause at the end of the range, turning back, rest facing ahead"
    )
    min_rom_deg: float = Field(12.0, gt=0, le=90, description="deg of shoulder turn against the pelvis for a rep")
    rotation_min_deg: float = Field(
        25.0, ge=0, le=90, description="deg of shoulder turn against the pelvis below which 'turn further'"
    )
    side_diff_max_deg: float = Field(
        10.0, gt=0, le=90, description="deg a side may turn less than the other before a 'match the other side' cue"
    )
    pelvis_turn_max_deg: float = Field(
        10.0, gt=0, le=90, description="deg the pelvis may turn during a rep before a 'hips still' cue"
    )


def values(px: np.ndarray, world: np.ndarray, facing: float, cm_per_px: float) -> dict[str, np.ndarray]:
    """Per-frame rotation values (a set or one live frame)."""
    return {
        "trunk_rotation_deg": fr.rotation_deg(px, world, facing),
        **fr.horizontal_lines(world, facing),
        "pelvis_turn_cam_deg": fr.line_turn_deg(px, world, "HIP", facing),
    }


def live_values(px: np.ndarray, world: np.ndarray, facing: float, depth_only: bool) -> dict[str, np.ndarray]:
    """The live key, also the depth (:attr:`.frontal.FrontalExercise.live_values`)."""
    return {"trunk_rotation_deg": fr.rotation_deg(px, world, facing)}


def _pelvis_turn(v: Mapping[str, np.ndarray], w: RepWindow) -> float:
    """The hips' own turn (+ the rep's side) from the rep's start to its end of range (medians; NaN unknown)."""
    rot = fr.toward_side(v, "trunk_rotation_deg", w)
    return fr.change_over(fr.toward_side(v, "pelvis_turn_cam_deg", w), fr.end_of_range(rot, w), w)


def _rotation_of(v: Mapping[str, np.ndarray], w: RepWindow, ex: Any) -> float:
    rot = fr.toward_side(v, "trunk_rotation_deg", w)
    start = fr.start_value(rot, w)
    if not math.isfinite(start):
        return math.nan
    pel = _pelvis_turn(v, w)
    # The per-frame rotation is against the hips' usual direction. A hip turn big enough to be cued is the hips',
    # not the trunk's, so it comes off; a smaller one is mostly the estimate's noise (1-2 cm of depth noise read
    # 10-18° of hip turn on still hips: docs/metrics.md), which subtracting would add to every rep.
    hips = pel if math.isfinite(pel) and abs(pel) > float(ex.pelvis_turn_max_deg) else 0.0
    return fr.nan_stat(np.median, rot[fr.end_of_range(rot, w)]) - start - hips


def rep_metrics(v: Mapping[str, np.ndarray], w: RepWindow, ex: Any, all_w: list[RepWindow]) -> dict[str, Any]:
    """The numbers of one rep (see the module docstring)."""
    rot = _rotation_of(v, w, ex)
    pel = _pelvis_turn(v, w)
    te, _, tc, _ = ex.target_tempo_s
    return {
        "rotation_deg": rot,
        "side_diff_deg": rot - fr.other_side_value(lambda o: _rotation_of(v, o, ex), w, all_w),
        "pelvis_turn_deg": abs(pel),
        "turn_side": w.side,
        "target_eccentric_s": te,
        "target_concentric_s": tc,
    }


VIEWS = fr.FRONT_VIEWS
RULES: tuple[CueRule, ...] = (
    CueRule("rotation.pelvis", 20, "warn", "pelvis_turn_deg", threshold="pelvis_turn_max_deg", views=VIEWS,
            message=lambda i, v, t: f"Keep the hips facing forward — they turned about {fr.degrees_text(v)}; "
            "turn from the waist, the knees and feet stay put"),
    fr.range_rule("rotation.range", 30, "rotation_deg", "rotation_min_deg", "turn_side",
                  "Turn about {more} further{side} — the shoulders turned {v:.0f}° against the hips, aim for {t:.0f}°"),
    fr.symmetry_rule("rotation.symmetry", 31, "rotation_deg", "turn_side", "turn"),
    fr.tempo_rule("rotation.tempo", 40, "eccentric_s", 0,
                  "Turn more slowly: take about {t:.0f} s each way — that one took {v}"),
    fr.tempo_rule("rotation.tempo_back", 41, "concentric_s", 2,
                  "Turn back more slowly: about {t:.0f} s — that one took {v}"),
)  # fmt: skip


def praise(inp: RuleInput) -> str | None:
    """ "Good turn to the left: 40°, hips still (2°)" — what was measured; None when nothing was."""
    rot, pel = inp.num("rotation_deg"), inp.num("pelvis_turn_deg")
    if not math.isfinite(rot):
        return None
    text = f"Good turn{fr.side_words(inp, 'turn_side')}: {rot:.0f}°"
    return text + (f", hips still ({pel:.0f}°)" if math.isfinite(pel) else "")


_TABLE = frozenset({"cli", "table", "csv", "report"})
METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("rotation_deg", "Rotation (shoulders vs hips)", short="Rotation °", unit="°",
               show=_TABLE | {"trend"}, better="higher", threshold_key="rotation_min_deg", summary="mean",
               help="How far the shoulder line turned against the hip line about the vertical (3D estimate).",
               patient_ok="You turned about {value} to each side.",
               patient_fault="You turned only a little in {reps}."),
    MetricSpec("side_diff_deg", "Difference to the other side", short="vs other side °", unit="°", fmt="+.0f",
               show=_TABLE, better="", help="This rep's rotation minus that of the latest rep to the other side."),
    MetricSpec("pelvis_turn_deg", "Hips turning", short="Hips turn °", unit="°", show=_TABLE | {"trend"},
               threshold_key="pelvis_turn_max_deg", better="lower", summary="max",
               help="The most the hip line itself turned during the rep (it should stay still).",
               patient_ok="Your hips stayed still.", patient_fault="Your hips turned with the trunk in {reps}."),
    MetricSpec("target_eccentric_s", "Target turning time", unit="s", fmt=".1f"),
    MetricSpec("target_concentric_s", "Target return time", unit="s", fmt=".1f"),
    MetricSpec("trunk_rotation_deg", "rotation (+ left)", kind="series", unit="°", fmt="+.0f", plot="angles",
               color="#4c78a8", show=frozenset({"plot", "overlay"}), overlay_at="trunk", overlay_label="turn"),
)  # fmt: skip
LIMITS = (
    "The turn is measured from the pose tracker's 3D estimate of the shoulders' and hips' depth, which "
    "one camera does not "
    "measure: expect a few degrees of error per rep on a clear view (as measured in our tests), more in loose clothing "
    "or poor light; turns under about 10° are not reliable.",
    "Film from the front or from behind at about chest height, the camera level: a side view sees the shoulders "
    "overlap and is refused; from an angle the numbers are less accurate.",
    "Left and right come from the pose model's left/right labels and the nose; a model that swaps them (most likely "
    "from behind) swaps the sides reported.",
    "Arms held out or swinging move the shoulder points: cross the arms on the chest.",
)

EXERCISE = fr.FrontalExercise(
    needs_world=True,
    name=NAME, what="the shoulders overlap there and a turn shows only as their depth", values=values,
    alternating=True, depth_key="trunk_rotation_deg", metrics=rep_metrics, phase_key="rotation_abs_deg",
    live_values=live_values,
)  # fmt: skip


# What a user reads for this exercise's rep phases (Rep.eccentric_s, bottom_pause_s, concentric_s, top_pause_s).
PHASES = PhaseWords(
    names=("turning", "hold", "turning back", "rest"),
    columns=("turn", "hold", "back", "rest"),
    rest="facing forward",
    turn="furthest turn",
    first_speed="",
)


SPEC = register(ExerciseSpec(
    phases=PHASES,
    name=NAME, title=TITLE, measures="rotation per side (shoulders vs hips, 3D estimate), symmetry, hips still, tempo",
    positions=("standing", "seated"), views=VIEWS, landmarks=tuple(int(i) for i in BODY), reference="none",
    rep_strategy="alternating", metrics=METRICS, rules=RULES, limits=LIMITS, config_model=TrunkRotationConfig,
    analyzer=EXERCISE.analyzer, praise=praise, tempo_rules=False,
    no_reps_hint="No trunk rotation found: face the camera, arms crossed, and turn at least {min_rom_deg:.0f}° each "
    "way",
    live_keys=("trunk_rotation_deg",), synth=fr.lazy_synth("formcheck.analyzers.trunk_rotation_synth"),
))  # fmt: skip
