"""Side plank (forearm or straight arm), side-lying support seen from the front or the back.

Measures (image plane; the hold logic is :mod:`formcheck.analyzers.floor_hold`):

* **frontal body line** ``body_line_deg``: the same signed shoulder–hip–ankle deviation as the plank's, seen face
  (or back) on: − the hips sag toward the floor, + lifted above the line. Per hold its median, the share of the
  hold within ``[-sag_max_deg, pike_max_deg]`` and the sway (RMS about the trend).
* **side down** (``Hold.side``): the side whose hip and shoulder are lower in the image, the majority over the
  hold (``left_down_frac``: share of the hold with the left side down). MediaPipe names left and right from
  the body it sees; filmed from the back it may swap them, so the side is as reliable as its labels.
* **arm reaches** (reps during the hold): the top arm's angle from straight up in the image (``arm_reach_deg``:
  0 pointing at the ceiling, 180 straight down: along the body or under it, as in "thread the needle"); each
  sweep of at least ``min_rom_deg`` away from the ceiling and back is one rep, counted while a hold is timed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from pydantic import Field

from formcheck.analyzers import floor_hold as fh
from formcheck.analyzers import plank
from formcheck.body.clean import BODY
from formcheck.engine.registry import register
from formcheck.engine.spec import ExerciseSpec, MetricSpec, PhaseWords
from formcheck.types import LM

NAME = "side_plank"


class SidePlankConfig(plank.LineHoldConfig):
    """Side plank: the posture band, the form limits that earn a cue, the reach reps and the breathing reminder."""

    hold_band_deg: tuple[float, float] = Field(
        (-25.0, 30.0),
        description="deg of the body line seen from the front counted as a side plank (minus: sagging, plus: high)",
    )
    sag_max_deg: float = Field(
        5.0, gt=0, le=45, description="deg the hips may sag toward the floor before a 'lift the hips' cue"
    )
    pike_max_deg: float = Field(
        10.0,
        gt=0,
        le=45,
        description="deg the hips may rise above the shoulder–ankle line before a 'lower the hips' cue",
    )
    sway_max_deg: float = Field(
        3.0, gt=0, le=30, description="deg the body line may sway (its typical swing) before a 'steady the hold' cue"
    )
    knee_max_deg: float = Field(40.0, gt=0, le=120, description="deg of knee bend above which it is not a side plank")
    trunk_tilt_max_deg: float = Field(
        50.0, gt=0, le=90, description="deg the trunk may tilt from horizontal and still count as a side plank"
    )
    still_max_pct_s: float = Field(
        6.0, gt=0, le=100, description="% of body length per second the trunk may move and still be holding"
    )
    move_min_s: float = Field(0.3, ge=0, le=5, description="s of movement that ends a hold (getting up or down)")
    min_hold_s: float = Field(2.0, ge=0, le=60, description="s in the band before a hold counts")
    breath_reminder_s: float = Field(15.0, ge=0, le=600, description="s between live breathing reminders (0 = off)")
    min_rom_deg: float = Field(60.0, gt=0, le=180, description="deg of top-arm sweep counted as one reach (rep)")
    reach_moving_deg_s: float = Field(
        60.0,
        gt=0,
        le=1000,
        description="deg/s the top arm may turn against the trunk in an arm reach while the hold goes on",
    )


def _down_left(px: np.ndarray) -> np.ndarray:
    """1 where the left hip and shoulder are lower in the image than the right ones, 0 where higher, NaN unknown."""
    dy = (px[:, int(LM.LEFT_HIP), 1] + px[:, int(LM.LEFT_SHOULDER), 1]
          - px[:, int(LM.RIGHT_HIP), 1] - px[:, int(LM.RIGHT_SHOULDER), 1])  # fmt: skip
    return np.where(np.isfinite(dy), (dy > 0).astype(np.float64), np.nan)


def _down_arm(px: np.ndarray) -> np.ndarray:
    """``(T, 2)`` the lowest elbow or wrist in the image: the forearm or hand on the floor (the top arm, along the
    body, raised or reaching under it, is above it; a mid-point would be pulled up by the top arm)."""
    pts = np.stack([px[:, int(LM[f"{s}_{j}"])] for s in ("LEFT", "RIGHT") for j in ("ELBOW", "WRIST")], axis=1)
    y = np.where(np.isfinite(pts[..., 1]), pts[..., 1], -np.inf)
    low = pts[np.arange(len(px)), np.argmax(y, axis=1)]
    return np.where(np.isfinite(y.max(axis=1))[:, None], low, np.nan)


def values(px: np.ndarray, ex: Any) -> dict[str, np.ndarray]:
    """Per-frame side-plank measures of ``(T, 33, 2)`` pixels (a set or one live frame)."""
    v = plank.values(px, ex)
    v["hip_lift_frac"], v["shoulder_lift_frac"] = plank.lift_fracs(px, front=_down_arm(px))
    left = _down_left(px)
    top_sho = np.where((left == 1)[:, None], px[:, int(LM.RIGHT_SHOULDER)], px[:, int(LM.LEFT_SHOULDER)])
    top_wri = np.where((left == 1)[:, None], px[:, int(LM.RIGHT_WRIST)], px[:, int(LM.LEFT_WRIST)])
    d = top_wri - top_sho
    trunk = fh.mid_px(px, "SHOULDER") - fh.mid_px(px, "HIP")
    with np.errstate(invalid="ignore", divide="ignore"):
        reach = np.degrees(np.arccos(np.clip(-d[:, 1] / np.linalg.norm(d, axis=1), -1.0, 1.0)))
        # The top arm against the trunk (mid-hip -> mid-shoulder), signed -180..180: still while the whole body
        # rises or lowers, moving while the arm reaches (its rate is taken unwrapped, see fh.angle_rate_deg_s).
        cross = trunk[:, 0] * d[:, 1] - trunk[:, 1] * d[:, 0]
        arm_trunk = np.degrees(np.arctan2(cross, np.sum(d * trunk, axis=1)))
    known = np.isfinite(left)
    return {**v, "left_down_frac": left, "arm_reach_deg": np.where(known, reach, np.nan),
            "arm_trunk_deg": np.where(known, arm_trunk, np.nan)}  # fmt: skip


def metrics(s: Mapping[str, np.ndarray], ex: Any) -> dict[str, float | str | None]:
    return {**plank.line_metrics(s, ex), "left_down_frac": fh.nan_stat(np.mean, s["left_down_frac"])}


def side_of(m: Mapping[str, Any]) -> str | None:
    f = m.get("left_down_frac")
    if not isinstance(f, float) or not np.isfinite(f):
        return None
    return "left" if f >= 0.5 else "right"


_TABLE = frozenset({"cli", "table", "csv", "report"})
METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("body_line_median_deg", "Body line at the hips, front view (− sag, + lifted)", short="Body line °",
               kind="hold", unit="°", fmt="+.0f", show=_TABLE | {"trend"}, summary="mean",
               help="Deviation from a straight shoulder–hip–ankle line seen face-on, median over the hold.",
               patient_ok="Your body stayed in a straight line (about {value}).",
               patient_fault="Your hips sagged or lifted in {reps}."),
    MetricSpec("line_ok_frac", "Time in a straight line", short="In line %", kind="hold", unit="%", scale=100.0,
               show=_TABLE | {"trend"}, better="higher",
               evidence=("body_line_median_deg",)),  # from the body line: judged (or not) with it
    MetricSpec("sway_rms_deg", "Sway / shaking", short="Sway °", kind="hold", unit="°", fmt=".1f",
               show=_TABLE | {"trend"}, threshold_key="sway_max_deg", better="lower"),
    MetricSpec("left_down_frac", "Share of the hold on the left side", short="Left down %", kind="hold", unit="%",
               scale=100.0, show=frozenset({"csv", "report"})),
    MetricSpec("arm_reach_max_deg", "Top arm's furthest sweep from pointing straight up", short="Arm from up °",
               unit="°", show=_TABLE,
               help="The top arm's largest angle in the rep from pointing straight up, in the image: 0° straight "
               "up, 90° level with the shoulders, 180° pointing down under the body (a reach under and back)."),
    MetricSpec("body_line_deg", "body line (− sag, + lifted)", kind="series", unit="°", fmt="+.0f", plot="angles",
               color="#e45756", show=frozenset({"plot", "overlay"}), overlay_at="hip", overlay_label="line",
               band_key="form_band_deg", band_label="in line"),
    MetricSpec("arm_reach_deg", "top arm from straight up", kind="series", unit="°", plot="arm", color="#4c78a8",
               show=frozenset({"plot"})),
)  # fmt: skip
RULES = plank.line_rules(("front", "oblique"), "side_plank", "sagged {v:.0f}° toward the floor")
LIMITS = (
    "The body line is measured in the image: film from the front or the back, at about hip height. A side view "
    "cannot show a side plank's hip sag (it is toward the camera), and an oblique view foreshortens it.",
    "The side down is read from which hip and shoulder are lower; filmed from the back the pose model may swap "
    "left and right.",
    "Hip rotation (the pelvis rolling forward or back) is not measured: one camera facing the body cannot see it.",
    plank.LYING_LIMIT,
    "Breathing is prompted (a reminder every few seconds), not measured.",
)


def _synth(**kw: Any) -> Any:
    from formcheck.analyzers.floor_synth import side_plank_clip  # tests only

    return side_plank_clip(**kw)


HOLD = fh.HoldExercise(
    name=NAME, position="side_lying", values=values, hold_value=plank.hold_value,
    band=lambda ex: tuple(ex.hold_band_deg), metrics=metrics, min_hold_s=lambda ex: float(ex.min_hold_s),
    side_of=side_of, rep_key="arm_reach_deg", reps_in_holds=True, move_joints=("HIP",), limb_key="arm_trunk_deg",
    limb_moving_deg_s=lambda ex: float(ex.reach_moving_deg_s),
    rep_metrics=lambda x: {"arm_reach_max_deg": fh.nan_stat(np.max, x)}, hips_low=plank.hips_low,
)  # fmt: skip


def analyzer(config: Any) -> fh.HoldAnalyzer:
    return fh.HoldAnalyzer(config, HOLD)


# What a user reads for this exercise's rep phases (Rep.eccentric_s, bottom_pause_s, concentric_s, top_pause_s).
PHASES = PhaseWords(
    names=("reaching", "hold", "returning", "rest"),
    columns=("reach", "hold", "return", "rest"),
    rest="resting",
    turn="full reach",
    first_speed="",
)


SPEC = register(ExerciseSpec(
    phases=PHASES,
    name=NAME, title="Side plank",
    measures="frontal body line (sag / lift), hold time, breaks, sway, side, arm reaches",
    positions=("side_lying",), views=("front", "oblique"), landmarks=tuple(int(i) for i in BODY), reference="none",
    rep_strategy="hold", metrics=METRICS, rules=RULES, limits=LIMITS, config_model=SidePlankConfig,
    analyzer=analyzer, praise=plank.praise,
    no_reps_hint="No side plank hold found: hold the position, facing the camera, for a few seconds",
    no_reps_why=plank.hips_low_hint("No side plank hold found: your hips stayed down, close to the floor — lift "
                                    "them off the floor, in line with your shoulders and ankles, and hold"),
    live_keys=("body_line_deg", "left_down_frac", "arm_reach_deg"), tempo_rules=False, derive=plank.derive,
    synth=_synth,
))  # fmt: skip
