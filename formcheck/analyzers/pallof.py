"""Pallof press (anti-rotation press and hold), standing, filmed from the front or from behind.

The cable (or band) pulls the hands toward its anchor at one side; the job is to press the hands straight out
from the chest and hold them there *without* the trunk turning or leaning toward the anchor. Each press is a rep:
arms out (``Rep.eccentric_s``, the press), held (``Rep.bottom_pause_s``, the hold), back to the chest
(``Rep.concentric_s``).

Measures (:mod:`formcheck.analyzers.frontal`):

* **press** from the elbows' straightening (the mean interior elbow angle of both arms, 3D world landmarks: a press
  toward the camera is depth, which the image does not show); its phase times from the hands' reach (mid-shoulder
  to mid-wrist, % of the arm's length), which moves evenly where the elbow angle saturates near straight;
  ``elbow_max_deg`` how straight the arms got;
* **trunk turn** ``trunk_turn_deg``: how far the shoulder line had turned about the vertical (3D) while the arms
  were held out (median over the hold), from its direction at the rep's start; ``turn_side`` the way it turned;
* **lean** ``lean_deg``: how far the trunk axis had tipped sideways against the pelvis (image frontal plane)
  while the arms were held out (median over the hold), from the rep's start. Medians over the hold, not the
  largest frame: MediaPipe's depth noise alone reads several degrees of turn in single frames;
* **hold** ``hold_s``: the time the arms stayed out; tempo of the press and the return.

Cues: "Keep the chest facing forward" (turn), "Stay upright" (lean), "Hold the press about N s longer" (hold),
"Press out more slowly" / "Bring the hands back more slowly" (tempo); a steady rep earns praise.
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
from formcheck.engine.cuerules import frame_precision
from formcheck.engine.registry import register
from formcheck.engine.spec import TIME_FMT, CueRule, ExerciseSpec, MetricSpec, PhaseWords, RuleInput, seconds_text
from formcheck.reps import RepWindow
from formcheck.types import LM

NAME = "pallof_press"
TITLE = "Pallof press"


class PallofConfig(ExerciseConfig):
    """Pallof press: segmentation, the trunk's allowed turn and lean, the hold, tempo."""

    target_tempo_s: TempoS = Field(
        (1.5, 3.0, 1.5, 1.0), description="s: pressing out, holding the arms out, bringing them back, rest"
    )
    min_rom_deg: float = Field(40.0, gt=0, le=180, description="deg the elbows must straighten for a press")
    trunk_turn_max_deg: float = Field(
        6.0, gt=0, le=90, description="deg the shoulders may turn during the press and hold before a cue"
    )
    lean_max_deg: float = Field(
        5.0, gt=0, le=90, description="deg the trunk may lean sideways during the press and hold before a cue"
    )
    hold_min_s: float = Field(2.0, ge=0, le=120, description="s the arms should stay out in each press")


_ARM_JOINTS = [int(LM[f"{s}_{j}"]) for s in ("LEFT", "RIGHT") for j in ("SHOULDER", "ELBOW", "WRIST")]


def _seen_world(px: np.ndarray, world: np.ndarray) -> np.ndarray:
    """World landmarks with the arm joints unknown (NaN) where the image does not see them.

    MediaPipe places every joint in 3D, occluded or not; the image landmarks are already NaN where the visibility is
    below ``MIN_VISIBILITY`` (:func:`formcheck.body.clean.clean_landmarks`), so a world joint is kept only where its
    image point is known: a press measured on guessed arms would count reps that nobody saw.
    """
    w = np.array(world, dtype=np.float64)
    unseen = ~np.isfinite(np.asarray(px, dtype=np.float64)[:, _ARM_JOINTS, 0])
    arms = w[:, _ARM_JOINTS]
    arms[unseen] = np.nan
    w[:, _ARM_JOINTS] = arms
    return w


def values(px: np.ndarray, world: np.ndarray, facing: float, cm_per_px: float) -> dict[str, np.ndarray]:
    """Per-frame Pallof values (a set or one live frame); world values only where the image sees the arm joints."""
    world = _seen_world(px, world)
    a = fr.frontal_angles_px(px)
    return {"elbow_deg": fr.elbow_world_deg(world), "reach_pct": fr.reach_world_pct(world),
            "lateral_flexion_deg": a["lateral_flexion_deg"],
            **fr.horizontal_lines(world, facing)}  # fmt: skip


def live_values(px: np.ndarray, world: np.ndarray, facing: float, depth_only: bool) -> dict[str, np.ndarray]:
    """The live keys, the elbow angle also the depth (:attr:`.frontal.FrontalExercise.live_values`)."""
    out = {"elbow_deg": fr.elbow_world_deg(_seen_world(px, world))}
    if not depth_only:
        out["lateral_flexion_deg"] = fr.frontal_angles_px(px)["lateral_flexion_deg"]
    return out


def _held(v: Mapping[str, np.ndarray], w: RepWindow) -> np.ndarray:
    """Frame indices of the hold (arms out: from the end of the press to the start of the return)."""
    t = np.asarray(v["t_s"], dtype=np.float64)
    idx = np.flatnonzero((t >= w.bottom_start_s - 1e-9) & (t <= w.bottom_end_s + 1e-9))
    return idx if idx.size else np.array([w.bottom_i])


def rep_metrics(v: Mapping[str, np.ndarray], w: RepWindow, ex: Any, all_w: list[RepWindow]) -> dict[str, Any]:
    """The numbers of one press (see the module docstring)."""
    held = _held(v, w)
    sx, sz = (np.asarray(v[k], dtype=np.float64) for k in ("sho_x_m", "sho_z_m"))
    # The trunk's starting direction and lean: medians of the rep's first frame and the few before it.
    ref = np.array([[fr.start_value(sx, w), 0.0, fr.start_value(sz, w)]])
    line = np.stack([sx[held], np.zeros(held.size), sz[held]], axis=-1)
    turn = fr.nan_stat(np.median, fr.yaw_deg(line, np.repeat(ref, held.size, 0), float(v["facing_sign"][w.start_i])))
    lat = np.asarray(v["lateral_flexion_deg"], dtype=np.float64)
    lean = fr.change_over(lat, held, w)
    side = ("left" if turn > 0 else "right") if abs(turn) >= 1.0 else ""
    lean_side = ("left" if lean > 0 else "right") if abs(lean) >= 1.0 else ""
    reach = np.arange(w.start_i, held[-1] + 1)
    te, tb, tc, _ = ex.target_tempo_s
    return {
        "trunk_turn_deg": abs(turn),
        "lean_deg": abs(lean),
        "hold_s": w.bottom_pause_s,
        "elbow_max_deg": fr.nan_stat(np.max, np.asarray(v["elbow_deg"], dtype=np.float64)[reach]),
        "turn_side": side,
        "lean_side": lean_side,
        "target_eccentric_s": te,
        "target_bottom_s": tb,
        "target_concentric_s": tc,
    }


VIEWS = fr.FRONT_VIEWS
RULES: tuple[CueRule, ...] = (
    CueRule("pallof.turn", 20, "warn", "trunk_turn_deg", threshold="trunk_turn_max_deg", views=VIEWS,
            message=lambda i, v, t: f"Keep the chest facing forward — it turned about {fr.degrees_text(v)}"
            f"{fr.side_words(i, 'turn_side', 'toward')} as you pressed; brace and squeeze the glutes so it turns under "
            f"{t:.0f}°"),
    CueRule("pallof.lean", 21, "warn", "lean_deg", threshold="lean_max_deg", views=VIEWS,
            message=lambda i, v, t: f"Stay upright — the trunk leaned about {fr.degrees_text(v)}"
            f"{fr.side_words(i, 'lean_side', 'toward')}; stand tall and push the hands straight out"),
    CueRule("pallof.hold", 30, "info", "hold_s", op="<", threshold="hold_min_s", views=(),
            message=lambda i, v, t: f"Hold the press about {max(0.5, round(2 * (t - v)) / 2):g} s longer — the arms "
            f"stayed out {seconds_text(v)}, aim for {t:g} s", precision=frame_precision),  # a time counted in frames
    fr.tempo_rule("pallof.tempo", 40, "eccentric_s", 0, "Press out more slowly: about {t:.1f} s — that one took "
                  "{v}"),
    fr.tempo_rule("pallof.tempo_back", 41, "concentric_s", 2, "Bring the hands back more slowly: about {t:.1f} s — "
                  "that one took {v}"),
)  # fmt: skip


def praise(inp: RuleInput) -> str | None:
    """ "Steady press: trunk turned 1°, leaned 0°, held 3.0 s" — what was measured; None when nothing was."""
    turn, lean, hold = inp.num("trunk_turn_deg"), inp.num("lean_deg"), inp.num("hold_s")
    if not (math.isfinite(turn) or math.isfinite(lean)):
        return None
    parts = [f"trunk turned {turn:.0f}°" if math.isfinite(turn) else "", f"leaned {lean:.0f}°" if math.isfinite(lean)
             else "", f"held {seconds_text(hold)}" if math.isfinite(hold) else ""]  # fmt: skip
    return "Steady press: " + ", ".join(p for p in parts if p)


_TABLE = frozenset({"cli", "table", "csv", "report"})
METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("trunk_turn_deg", "Trunk turn during the hold", short="Turn °", unit="°",
               show=_TABLE | {"trend"}, threshold_key="trunk_turn_max_deg", better="lower", summary="max",
               help="How far the shoulder line had turned about the vertical while the arms were held out (3D).",
               patient_ok="Your trunk stayed square.", patient_fault="Your trunk turned with the cable in {reps}."),
    MetricSpec("lean_deg", "Sideways lean during the hold", short="Lean °", unit="°",
               show=_TABLE | {"trend"}, threshold_key="lean_max_deg", better="lower", summary="max",
               help="How far the trunk axis had tipped sideways against the pelvis while the arms were held out.",
               patient_ok="You stayed upright.", patient_fault="You leaned sideways in {reps}."),
    MetricSpec("hold_s", "Hold with the arms out", short="Hold s", unit="s", fmt=TIME_FMT, show=_TABLE | {"trend"},
               threshold_key="hold_min_s", better="higher", summary="mean",
               help="Time the arms stayed pressed out."),
    MetricSpec("elbow_max_deg", "Arms straightened to", short="Elbows °", unit="°", show=_TABLE,
               help="Interior elbow angle at full press (180° = straight; 3D estimate)."),
    MetricSpec("target_eccentric_s", "Target press time", unit="s", fmt=".1f"),
    MetricSpec("target_bottom_s", "Target hold", unit="s", fmt=".1f"),
    MetricSpec("target_concentric_s", "Target return time", unit="s", fmt=".1f"),
    MetricSpec("elbow_deg", "elbow angle (press)", kind="series", unit="°", plot="angles", color="#f58518",
               show=frozenset({"plot", "overlay"}), overlay_at="elbow", overlay_label="elbow"),
    MetricSpec("lateral_flexion_deg", "sideways lean (+ left)", kind="series", unit="°", fmt="+.0f", plot="angles",
               color="#4c78a8", show=frozenset({"plot", "overlay"}), overlay_at="trunk", overlay_label="lean"),
)  # fmt: skip
LIMITS = (
    "Film from the front or from behind, level at chest height, the cable anchor to one side: a side view sees the "
    "trunk's lean as a forward tip and its turn as depth, and is refused.",
    "The press (elbow angle) and the trunk's turn come from the pose tracker's 3D estimate of depth, "
    "which one camera does "
    "not measure: a turn of a few degrees is within its error (as measured in our tests); the lean is measured in the "
    "image and is more reliable.",
    "The hands pressing toward the camera can hide the elbows; turns and leans are measured from the start of each "
    "press, so a posture held throughout is not judged.",
    "The cable's pull and load are not seen: the cues say what the trunk did, not how heavy it was.",
)

EXERCISE = fr.FrontalExercise(
    needs_world=True,
    name=NAME, what="a lean tips the trunk toward or away from the camera there and a turn shows only as depth",
    values=values, alternating=False, depth_key="elbow_deg", metrics=rep_metrics, phase_key="elbow_deg",
    timing_key="reach_pct", live_values=live_values,
)  # fmt: skip


# What a user reads for this exercise's rep phases (Rep.eccentric_s, bottom_pause_s, concentric_s, top_pause_s).
PHASES = PhaseWords(
    names=("pressing out", "hold", "back to the chest", "rest"),
    columns=("press", "out", "back", "rest"),
    rest="hands at the chest",
    turn="arms out",
    first_speed="",
)


SPEC = register(ExerciseSpec(
    phases=PHASES,
    name=NAME, title=TITLE, measures="trunk turn and sideways lean while pressing and holding, hold time, tempo",
    positions=("standing",), views=VIEWS, landmarks=tuple(int(i) for i in BODY), reference="none",
    rep_strategy="cyclic", metrics=METRICS, rules=RULES, limits=LIMITS, config_model=PallofConfig,
    analyzer=EXERCISE.analyzer, praise=praise, tempo_rules=False,
    no_reps_hint="No press found: face the camera and press the hands straight out from the chest (the elbows "
    "straightening at least {min_rom_deg:.0f}°)",
    live_keys=("elbow_deg", "lateral_flexion_deg"), synth=fr.lazy_synth("formcheck.analyzers.pallof_synth"),
))  # fmt: skip
