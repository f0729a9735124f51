"""Prone extension (press-up, sphinx, cobra): trunk elevation, pelvis staying down, hold time, press-up reps.

Decision: one analyzer for the held forms and the repeated one. **Holds** (the engine's hold strategy, see
:mod:`formcheck.analyzers.floor_hold`) are the time with the trunk raised at least ``hold_band_deg[0]``, or at
least ``rise_min_deg`` above the set's own lying level (:class:`~formcheck.analyzers.floor_hold.RestLevel`: a camera
that under-reads the angle still finds the tops), while still: the elevation changing by less than
``still_rise_frac_s`` of its rise above that level per second (the landmarks' own movement is not used: lying down
they jitter more than a movement limit) (a sphinx or cobra held for 30 s is one hold; a press-up held at the top for
``min_hold_s`` or more is one too);
**reps** are the trunk elevation's cycles (the cyclic rep code on ``trunk_elevation_deg``, ``min_rom_deg``), so
press-ups are counted whether or not they pause at the top.

Measures (image plane, side view):

* ``trunk_elevation_deg``: mid-hip → mid-shoulder above the image horizontal (a level camera), + chest up.
* ``pelvis_height_frac``: how high the mid-hip is above the mid-ankle (the feet on the floor) in the image, as a
  fraction of the hip–ankle length (a level camera); lying flat it is the body's thickness (about 0.05–0.1), but
  MediaPipe reads far more when it loses the legs lying down (0.12 lying, 0.17 at the tops of a clean rendered
  press-up whose pelvis never leaves the floor).
* ``pelvis_rise_frac``: the pelvis height minus its own reading while the set lay flat (its running median when
  the trunk's rest level was last lowered, :class:`~formcheck.analyzers.floor_hold.RestLevel`), while the trunk is
  raised at least ``rise_min_deg`` above that level; NaN otherwise (a set that starts raised has no lying reading:
  the pelvis is not judged, and the ``pelvis.unknown`` note says so). The rule compares the hold's median with
  ``pelvis_rise_max_frac``: the same reading error lying and raised cancels.
"""

from __future__ import annotations

import math
import os
import sys
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pydantic
from pydantic import Field, model_validator

import formcheck.config
from formcheck.analyzers import floor_hold as fh
from formcheck.analyzers.plank import BREATH_RULE
from formcheck.body.clean import BODY
from formcheck.config import ExerciseConfig
from formcheck.engine.registry import register
from formcheck.engine.spec import CueRule, ExerciseSpec, MetricSpec, PhaseWords, RuleInput

NAME = "prone_extension"
LEG_LENGTH_FRAC_HEIGHT = 0.491  # hip joint to ankle as a fraction of height (Drillis & Contini 1966), for cm


class ProneExtensionConfig(ExerciseConfig):
    """Prone press-up / sphinx / cobra: the elevation band of a hold, press-up reps, the pelvis limit."""

    hold_band_deg: tuple[float, float] = Field(
        (10.0, 80.0), description="deg trunk elevation counted as holding the trunk up"
    )
    min_rom_deg: float = Field(10.0, gt=0, le=90, description="deg trunk elevation range counted as a press-up")
    pelvis_rise_max_frac: float = Field(
        0.10,
        gt=0,
        le=1,
        description="pelvis rise above its own lying level (a share of the leg length) before a 'pelvis down' cue",
    )
    rise_min_deg: float = Field(
        5.0, gt=0, le=90, description="deg above your own lying level that also counts as the trunk held up"
    )
    still_rise_frac_s: float = Field(
        1.0, gt=0, le=10, description="fraction of its rise per s the trunk may change and still be holding"
    )
    move_min_s: float = Field(0.3, ge=0, le=5, description="s of movement that ends a hold (going up or down)")
    min_hold_s: float = Field(1.0, ge=0, le=60, description="s with the trunk up before it counts as a hold")
    breath_reminder_s: float = Field(15.0, ge=0, le=600, description="s between live breathing reminders (0 = off)")

    @model_validator(mode="before")
    @classmethod
    def _replaced_keys(cls, data: Any) -> Any:
        """Keys older files have that were replaced by keys of another meaning: read and ignored, with a warning
        (an old config keeps loading; its value cannot be carried over, the new key's default applies)."""
        if not isinstance(data, Mapping) or not data.keys() & REPLACED_KEYS.keys():
            return data
        data = dict(data)
        for old in sorted(data.keys() & REPLACED_KEYS.keys()):
            new, why = REPLACED_KEYS[old]
            data.pop(old)
            warnings.warn(
                f"Config key exercise.{NAME}.{old} is no longer used and its value is ignored: it was replaced by "
                f"{new} ({why}), which keeps its own setting. Remove {old} from your config file.",
                FutureWarning,
                stacklevel=_outside_config_stacklevel(),
            )
        return data


def _outside_config_stacklevel() -> int:
    """``warnings.warn``'s stacklevel, called from a config validator, that names the code loading the config (the
    first frame outside pydantic, formcheck.config and this module) rather than pydantic's internals."""
    skip = (os.path.dirname(pydantic.__file__), formcheck.config.__file__, __file__)
    frame, level = sys._getframe(1), 1  # the validator calling warn() is stacklevel 1
    while frame is not None and frame.f_code.co_filename.startswith(skip):
        frame, level = frame.f_back, level + 1
    return level


# Old key -> (its replacement, how the meaning changed); see ProneExtensionConfig._replaced_keys.
REPLACED_KEYS: dict[str, tuple[str, str]] = {
    "pelvis_lift_max_frac": (
        "pelvis_rise_max_frac",
        "the pelvis's rise above its own lying reading, no longer its absolute height above the legs",
    ),
    "still_max_pct_s": (
        "still_rise_frac_s",
        "stillness told by the trunk elevation's own rate, no longer by the landmarks' movement",
    ),
}


def values(px: np.ndarray, ex: Any) -> dict[str, np.ndarray]:
    """Per-frame prone-extension measures of ``(T, 33, 2)`` pixels (a set or one live frame)."""
    sho, hip, ank = fh.mid_px(px, "SHOULDER"), fh.mid_px(px, "HIP"), fh.mid_px(px, "ANKLE")
    with np.errstate(invalid="ignore", divide="ignore"):
        # Height of the hip above the ankles (on the floor) in the image (y down), per hip–ankle length.
        pelvis = (ank[:, 1] - hip[:, 1]) / np.linalg.norm(hip - ank, axis=1)
    return {"trunk_elevation_deg": fh.incline_deg(hip, sho), "pelvis_height_frac": pelvis}


def at_rest(v: Mapping[str, np.ndarray], rest: Mapping[str, np.ndarray], ex: Any) -> dict[str, np.ndarray]:
    """The pelvis's rise above its own lying reading, where the trunk is raised above a known lying level."""
    trunk = np.asarray(v["trunk_elevation_deg"], dtype=np.float64)
    with np.errstate(invalid="ignore"):
        # Raised clearly above a lower level the set lay at: that level's pelvis reading is a lying one.
        raised = trunk >= np.asarray(rest["hold_value"]) + float(ex.rise_min_deg)
        rise = np.asarray(v["pelvis_height_frac"], dtype=np.float64) - np.asarray(rest["pelvis_height_frac"])
    return {"pelvis_rise_frac": np.where(raised, rise, np.nan)}


def hold_value(v: Mapping[str, np.ndarray], ex: Any) -> np.ndarray:
    return np.asarray(v["trunk_elevation_deg"], dtype=np.float64)


def metrics(s: Mapping[str, np.ndarray], ex: Any) -> dict[str, float | str | None]:
    e = s["trunk_elevation_deg"]
    return {"trunk_elevation_median_deg": fh.nan_stat(np.median, e), "trunk_elevation_max_deg": fh.nan_stat(np.max, e),
            "pelvis_height_frac": fh.nan_stat(np.median, s["pelvis_height_frac"]),
            "pelvis_rise_frac": fh.nan_stat(np.median, s["pelvis_rise_frac"])}  # fmt: skip


def praise(inp: RuleInput) -> str | None:
    e = inp.num("trunk_elevation_median_deg")
    if not math.isfinite(e):
        return None
    return f"Good hold: chest up {e:.0f}°" + (", pelvis down" if math.isfinite(inp.num("pelvis_rise_frac")) else "")


def _pelvis_unknown(inp: RuleInput) -> bool:
    """A hold (not a press-up rep) whose pelvis could not be judged: no lying level seen before it."""
    return math.isfinite(inp.num("trunk_elevation_median_deg")) and not math.isfinite(inp.num("pelvis_rise_frac"))


_TABLE = frozenset({"cli", "table", "csv", "report"})
METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("trunk_elevation_median_deg", "Chest raised (trunk from the floor)", short="Trunk up ° (median)",
               kind="hold", unit="°", show=_TABLE | {"trend"}, better="higher", summary="mean",
               help="Angle of the hip–shoulder line above the floor, median over the hold.",
               patient_ok="You held your chest up about {value}."),
    MetricSpec("trunk_elevation_max_deg", "Highest chest raise", short="Trunk max °", kind="hold", unit="°",
               show=frozenset({"csv", "report"})),
    MetricSpec("pelvis_rise_frac", "Pelvis rise above lying", short="Pelvis rise % leg", kind="hold", fmt=".0f",
               unit="% of leg length", scale=100.0,
               show=_TABLE, threshold_key="pelvis_rise_max_frac", better="lower",
               help="Hip height above the ankles minus its reading lying flat, fraction of leg length (blank: no "
               "lying level seen before the hold, can't tell).",
               patient_fault="Your pelvis came off the floor in {reps}."),
    MetricSpec("pelvis_height_frac", "Pelvis height above the legs", short="Pelvis height % leg", kind="hold",
               fmt=".0f", unit="% of leg length", scale=100.0,
               show=frozenset({"csv", "report"}),
               help="Hip above the ankles, fraction of leg length, as read (lying flat: the body's thickness)."),
    MetricSpec("trunk_elevation_max_deg", "Highest chest raise", short="Trunk max °", unit="°", show=_TABLE),
    MetricSpec("trunk_elevation_deg", "trunk from the floor", kind="series", unit="°", plot="angles",
               color="#4c78a8", show=frozenset({"plot", "overlay"}), overlay_at="trunk", overlay_label="trunk",
               band_key="hold_band_deg", band_label="held up"),
    MetricSpec("pelvis_rise_frac", "pelvis rise above lying", kind="series", fmt=".2f", plot="pelvis",
               color="#e45756", threshold_key="pelvis_rise_max_frac", show=frozenset({"plot"})),
)  # fmt: skip
RULES = (
    CueRule("pelvis.down", 20, "warn", "pelvis_rise_frac", threshold="pelvis_rise_max_frac", views=("side",),
            message=lambda i, v, t: "Keep the pelvis on the floor — it rose about "
            f"{max(1, round(v * LEG_LENGTH_FRAC_HEIGHT * i.height_cm)):d} cm above where it lay",
            live=True, live_message="Keep the pelvis on the floor"),
    CueRule("pelvis.unknown", 45, "info", "pelvis_rise_frac", op="flag", when=_pelvis_unknown, views=(),
            message="Can't tell whether the pelvis stayed down: lie flat for a moment before raising the chest"),
    BREATH_RULE,
)  # fmt: skip
LIMITS = (
    "Trunk elevation is the hip–shoulder line in the image: film from the side with a level camera at floor "
    "height. It is not the lumbar extension itself, which one camera cannot see.",
    "Lying down, the pose tracker often loses the legs (and always guesses the far-side limbs): the "
    "pelvis height needs "
    "the ankles and is rough when they are not seen, so the pelvis is judged by its rise above its own reading "
    "lying flat; a set that starts with the chest raised has no such reading and the pelvis is not judged.",
    "Lying down, the pose tracker may read the trunk's elevation far under the real one (in a test video "
    "a press-up held at 23° "
    "reads 5-9°): a hold is found against your own lying level (the trunk still, at least 5° above it), but the "
    "angle shown is the camera's reading, not corrected. A set that starts already raised has no lying level "
    "to compare with and needs the fixed 10°.",
    "Breathing is prompted (a reminder every few seconds), not measured.",
)


def _synth(**kw: Any) -> Any:
    from formcheck.analyzers.floor_synth import prone_extension_clip  # tests only

    return prone_extension_clip(**kw)


HOLD = fh.HoldExercise(
    name=NAME, position="prone", values=values, hold_value=hold_value, band=lambda ex: tuple(ex.hold_band_deg),
    metrics=metrics, min_hold_s=lambda ex: float(ex.min_hold_s), rep_key="trunk_elevation_deg",
    rep_metrics=lambda x: {"trunk_elevation_max_deg": fh.nan_stat(np.max, x)},
    rest_rise=lambda ex: float(ex.rise_min_deg), still_rise_frac_s=lambda ex: float(ex.still_rise_frac_s),
    rest_keys=("pelvis_height_frac",), at_rest=at_rest,
)  # fmt: skip


def analyzer(config: Any) -> fh.HoldAnalyzer:
    return fh.HoldAnalyzer(config, HOLD)


# What a user reads for this exercise's rep phases (Rep.eccentric_s, bottom_pause_s, concentric_s, top_pause_s).
PHASES = PhaseWords(
    names=("pressing up", "hold at the top", "lowering down", "rest"),
    columns=("up", "hold", "down", "rest"),
    rest="lying down",
    turn="highest point",
    first_speed="",
)


SPEC = register(ExerciseSpec(
    phases=PHASES,
    name=NAME, title="Prone extension", measures="trunk elevation, pelvis staying down, hold time, press-up reps",
    positions=("prone",), views=("side", "oblique"), landmarks=tuple(int(i) for i in BODY), reference="none",
    rep_strategy="hold", metrics=METRICS, rules=RULES, limits=LIMITS, config_model=ProneExtensionConfig,
    analyzer=analyzer, praise=praise,
    no_reps_hint="No hold or press-up found: raise the chest at least 10° and hold it, side-on to the camera",
    live_keys=("trunk_elevation_deg", "pelvis_height_frac", "pelvis_rise_frac"), tempo_rules=False, synth=_synth,
))  # fmt: skip
