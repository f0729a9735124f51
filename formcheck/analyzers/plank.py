"""Plank (forearm or high plank), prone support seen from the side: body line, hold time, breaks, sway.

Measures (image plane, side view; :mod:`formcheck.analyzers.floor_hold` does the hold logic):

* **body line** ``body_line_deg``: signed deviation from a straight shoulder–hip–ankle line at the hips
  (mid-points of the left and right landmarks), + hips above the shoulder–ankle line (pike), − below (sag); the
  rendered truth's ``body_line_ankle_deg`` convention. Per hold: the median (``body_line_median_deg``), the
  share of the hold within the form band ``[-sag_max_deg, pike_max_deg]`` (``line_ok_frac``) and the sway
  (``sway_rms_deg``: RMS of the body line about its straight-line trend over the hold).
* **hold**: time in the plank posture (knees straight, trunk near horizontal, body line within the wide
  ``hold_band_deg``, hips and shoulders held up off the floor: :func:`lift_fracs`) while still; breaks are
  excursions out of it of 0.5–2 s (see ``floor_hold``). Lying on the floor is never a hold.
* **breathing**: prompted, not measured: a live reminder every ``breath_reminder_s`` of a hold.

Cues: "Lift the hips about N°" (sag beyond ``sag_max_deg``), "Lower the hips about N°" (pike beyond
``pike_max_deg``), "Steady the hold" (sway beyond ``sway_max_deg``); a steady hold in line earns praise. A set
with no hold but a still stretch with the hips low (a very deep sag reads as lying: :func:`hips_low`) is told so
instead of "hold the position" (:func:`hips_low_hint`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from pydantic import Field

from formcheck.analyzers import floor_hold as fh
from formcheck.body.clean import BODY
from formcheck.engine.registry import register
from formcheck.engine.spec import CueRule, ExerciseSpec, MetricSpec, PhaseWords, RuleInput

NAME = "plank"


class LineHoldConfig(fh.LyingTestConfig):
    """What the plank's and side plank's settings share beyond the lying test: the band their body line is judged in
    line, from each one's own ``sag_max_deg`` and ``pike_max_deg``."""

    @property
    def form_band_deg(self) -> tuple[float, float]:
        """The body line judged in line, ``(-sag_max_deg, pike_max_deg)``: the band a chart draws green. The wider
        ``hold_band_deg`` only says what counts as a hold at all (a 25° pike is inside it, yet cued)."""
        return -float(self.sag_max_deg), float(self.pike_max_deg)  # type: ignore[attr-defined]


class PlankConfig(LineHoldConfig):
    """Plank: the posture band a hold is timed in, the form limits that earn a cue, the breathing reminder."""

    hold_band_deg: tuple[float, float] = Field(
        (-25.0, 30.0),
        description="deg of the body line counted as holding a plank at all (minus: hips sagging, plus: hips high)",
    )
    sag_max_deg: float = Field(
        5.0, gt=0, le=45, description="deg the hips may sag below the shoulder–ankle line before a 'lift the hips' cue"
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
    knee_max_deg: float = Field(40.0, gt=0, le=120, description="deg of knee bend above which it is not a plank")
    trunk_tilt_max_deg: float = Field(
        45.0, gt=0, le=90, description="deg the trunk may tilt from horizontal and still count as a plank"
    )
    still_max_pct_s: float = Field(
        6.0, gt=0, le=100, description="% of body length per second the trunk may move and still be holding"
    )
    move_min_s: float = Field(0.3, ge=0, le=5, description="s of movement that ends a hold (getting up or down)")
    min_hold_s: float = Field(2.0, ge=0, le=60, description="s in the band before a hold counts")
    breath_reminder_s: float = Field(15.0, ge=0, le=600, description="s between live breathing reminders (0 = off)")


def _lower(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per frame the lower of two ``(T, 2)`` image points (larger y; the known one when the other is not)."""
    with np.errstate(invalid="ignore"):
        take_b = np.isnan(a[:, 1]) | (b[:, 1] > a[:, 1])
    return np.where(take_b[:, None], b, a)


def lift_fracs(px: np.ndarray, front: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """How far the hips and the shoulders are lifted off the floor, ``(T,)`` each (NaN unknown).

    The floor line is the line through the supports: in front the lower of the mid-elbow and mid-wrist (forearm
    or hand), or ``front`` (``(T, 2)``, e.g. the down arm of a side plank); behind the lower of the mid-toe and
    mid-ankle. Heights are measured square to that line in the image, so the camera's height and the body's size
    cancel.

    Returns:
        ``hip_lift_frac``: the mid-hip's height above the floor line over the mid-shoulder's. A plank holds the
        hips near the shoulders' height (0.9 on the rendered and real straight planks); a body lying on the floor
        has them down near the supports, whether the shoulders rest on the forearms or not. NaN where the
        shoulders are not above the line (no share to take). ``shoulder_lift_frac``: the mid-shoulder's height
        above the floor line per shoulder–ankle length (shoulders held up on the forearms or hands, or lying
        on the chest).
    """
    sho, hip = fh.mid_px(px, "SHOULDER"), fh.mid_px(px, "HIP")
    if front is None:
        front = _lower(fh.mid_px(px, "ELBOW"), fh.mid_px(px, "WRIST"))
    back = _lower(fh.mid_px(px, "FOOT_INDEX"), fh.mid_px(px, "ANKLE"))
    d = back - front
    with np.errstate(invalid="ignore", divide="ignore"):
        up = np.stack([d[:, 1], -d[:, 0]], axis=1)  # a normal of the floor line, turned to point image-up
        up = np.where((up[:, 1] > 0)[:, None], -up, up) / np.linalg.norm(d, axis=1)[:, None]
        hip_h = np.sum((hip - front) * up, axis=1)
        sho_h = np.sum((sho - front) * up, axis=1)
        return np.where(sho_h > 0, hip_h / sho_h, np.nan), sho_h / fh.body_length_px(px)


def values(px: np.ndarray, ex: Any) -> dict[str, np.ndarray]:
    """Per-frame plank measures of ``(T, 33, 2)`` pixels (a set or one live frame)."""
    sho, hip, ank = fh.mid_px(px, "SHOULDER"), fh.mid_px(px, "HIP"), fh.mid_px(px, "ANKLE")
    return {
        "body_line_deg": fh.signed_line_deg(sho, hip, ank),
        "knee_flexion_deg": fh.knee_flexion_deg(px),
        "trunk_tilt_deg": np.abs(fh.incline_deg(hip, sho)),
        **dict(zip(("hip_lift_frac", "shoulder_lift_frac"), lift_fracs(px), strict=True)),
    }


def hold_value(v: Mapping[str, np.ndarray], ex: Any) -> np.ndarray:
    """The body line where the body is in a plank (knees straight, trunk low, hips off the floor), else outside
    the band.

    Lying on the floor is not a plank, however straight the line: the hips down near the supports' line
    (``hip_lift_frac`` under ``hip_lift_min_frac``) or the shoulders not held up on the forearms or hands
    (``shoulder_lift_frac`` under ``shoulder_lift_min_frac``) is :data:`~formcheck.analyzers.floor_hold.LYING`,
    so a rest on the floor after a plank is neither a hold nor a "lift the hips" cue. Unknown (a support not seen)
    is not taken as lying.
    """
    line = v["body_line_deg"]
    with np.errstate(invalid="ignore"):
        posture = (v["knee_flexion_deg"] <= ex.knee_max_deg) & (v["trunk_tilt_deg"] <= ex.trunk_tilt_max_deg)
        lying = (v["hip_lift_frac"] < ex.hip_lift_min_frac) | (v["shoulder_lift_frac"] < ex.shoulder_lift_min_frac)
    out = np.where(np.isfinite(line) & ~posture, ex.hold_band_deg[1] + fh.OUT_OFFSET, line)
    return np.where(np.isfinite(line) & lying, fh.LYING, out)


def hips_low(v: Mapping[str, np.ndarray], ex: Any) -> np.ndarray:
    """Per frame: 1 in the plank posture (knees straight, trunk low) with the shoulders held up and the hips low
    (``hip_lift_frac`` under ``hip_lift_min_frac``: a very deep sag, or lying on the forearms with the pelvis down;
    the camera cannot tell them apart), 0 the same with the hips held up, -1 out of the posture or the shoulders
    down (lying on the chest: not this case), NaN unknown.

    The hold analyzer keeps the longest still stretch of it (``hips_low_still_s``) for :func:`no_hold_why`.
    """
    hip, sho = v["hip_lift_frac"], v["shoulder_lift_frac"]
    knee, trunk = v["knee_flexion_deg"], v["trunk_tilt_deg"]
    with np.errstate(invalid="ignore"):
        out_posture = (knee > ex.knee_max_deg) | (trunk > ex.trunk_tilt_max_deg) | (sho < ex.shoulder_lift_min_frac)
        known = np.isfinite(hip) & np.isfinite(sho) & np.isfinite(knee) & np.isfinite(trunk)
        low = (hip < ex.hip_lift_min_frac).astype(np.float64)
    return np.where(out_posture, -1.0, np.where(known, low, np.nan))


def hips_low_hint(text: str) -> Any:
    """A ``no_reps_why`` saying ``text`` when the set held still with the hips low for at least a minimum hold."""

    def why(inp: RuleInput) -> str | None:
        return text if inp.num("hips_low_still_s") >= float(inp.exercise.min_hold_s) else None

    return why


def line_metrics(s: Mapping[str, np.ndarray], ex: Any) -> dict[str, float | str | None]:
    """Body-line metrics of one hold (plank and side plank alike)."""
    line = s["body_line_deg"]
    return {
        "body_line_median_deg": fh.nan_stat(np.median, line),
        "line_ok_frac": fh.share_within(line, -ex.sag_max_deg, ex.pike_max_deg),
        "sway_rms_deg": fh.sway_rms(line),
    }


def derive(inp: RuleInput) -> dict[str, float]:
    """Sag and pike as positive sizes (the rules compare sizes; the body line itself is signed)."""
    line = inp.num("body_line_deg" if inp.live else "body_line_median_deg")
    return {"sag_deg": -line if line < 0 else 0.0 if math.isfinite(line) else math.nan,
            "pike_deg": line if line > 0 else 0.0 if math.isfinite(line) else math.nan}  # fmt: skip


# The breathing reminder of a timed hold (every ``breath_reminder_s``; plank, side plank, prone extension).
BREATH_RULE = CueRule("breath.remind", 25, "info", "hold_elapsed_s", op="flag", rep=False, live=True, views=(),
                      when=fh.breath_due, message="Keep breathing: slow breaths out through the mouth")  # fmt: skip


def line_rules(views: tuple[str, ...], where: str, sag_words: str, priority: int = 20) -> tuple[CueRule, ...]:
    """Sag, pike, sway and breathing rules of a body-line hold: codes ``<where>.sag`` ...; ``sag_words`` ends the
    sag message (``{v}`` is the sag in degrees)."""
    return (
        CueRule(f"{where}.sag", priority, "warn", "body_line_median_deg", source="sag_deg", threshold="sag_max_deg",
                message=lambda i, v, t: f"Lift the hips about {fh.degrees_text(v)} — they " + sag_words.format(v=v),
                views=views, live=True,
                live_message=lambda i, v, t: f"Lift the hips about {fh.degrees_text(v)}"),
        CueRule(f"{where}.pike", priority + 1, "warn", "body_line_median_deg", source="pike_deg",
                threshold="pike_max_deg",
                message=lambda i, v, t: f"Lower the hips about {fh.degrees_text(v)} — they were {v:.0f}° above "
                "the shoulder–ankle line", views=views, live=True,
                live_message=lambda i, v, t: f"Lower the hips about {fh.degrees_text(v)}"),
        CueRule(f"{where}.sway", 35, "info", "sway_rms_deg", threshold="sway_max_deg", views=views,
                message="Steady the hold: brace the belly and squeeze the glutes — the hips swayed {value:.1f}°"),
        BREATH_RULE,
    )  # fmt: skip


def praise(inp: RuleInput) -> str | None:
    """ "Steady hold: body in line, hips 1° high, sway 0.8°" when measured (None for an item without hold metrics)."""
    line, sway = inp.num("body_line_median_deg"), inp.num("sway_rms_deg")
    if not math.isfinite(line):
        return None
    # In words, not a signed number a patient cannot read ("+7°" meant hips high): the hips' side of the line.
    deg = round(abs(line))
    where = "in a straight line" if deg == 0 else f"in line, hips {deg}° {'high' if line > 0 else 'low'}"
    return f"Steady hold: body {where}" + (f", sway {sway:.1f}°" if math.isfinite(sway) else "")


_TABLE = frozenset({"cli", "table", "csv", "report"})
METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("body_line_median_deg", "Body line at the hips (− sag, + pike)", short="Body line °", kind="hold",
               unit="°", fmt="+.0f", show=_TABLE | {"trend"}, better="",
               help="Deviation from a straight shoulder–hip–ankle line, median over the hold: − hips low, + high.",
               summary="mean", patient_ok="Your body stayed in a straight line (about {value}).",
               patient_fault="Your hips were out of line in {reps}."),
    MetricSpec("line_ok_frac", "Time in a straight line", short="In line %", kind="hold", unit="%", scale=100.0,
               show=_TABLE | {"trend"}, better="higher",
               evidence=("body_line_median_deg",),  # from the body line: judged (or not) with it
               help="Share of the hold with the body line within the sag and pike limits."),
    MetricSpec("sway_rms_deg", "Sway / shaking", short="Sway °", kind="hold", unit="°", fmt=".1f",
               show=_TABLE | {"trend"}, threshold_key="sway_max_deg", better="lower",
               help="How much the body line swayed over the hold: its typical swing about its slow drift (movements "
               "quicker than about 4 a second are left out)."),
    MetricSpec("body_line_deg", "body line (− sag, + pike)", kind="series", unit="°", fmt="+.0f", plot="angles",
               color="#e45756", show=frozenset({"plot", "overlay"}), overlay_at="hip", overlay_label="line",
               band_key="form_band_deg", band_label="in line"),
)  # fmt: skip
RULES = line_rules(("side",), "plank", "sagged {v:.0f}° below the shoulder–ankle line")
LYING_LIMIT = (
    "Lying on the floor is told apart by how high the hips are held above the line from the elbows or hands to "
    "the toes, against the shoulders' height: hips less than half-way up read as lying. A very deep sag looks the "
    "same to the camera, so it is not timed and gets no angle: a set with no hold is told that the hips stayed "
    "low, close to the floor."
)
LIMITS = (
    "The body line is measured in the image: film from the side at about hip height. An oblique view "
    "foreshortens it (a warning says so) and a face-on view cannot show it.",
    "The pose tracker places the far-side arm and leg of a body lying side-on by guesswork; only the mid-points of the "
    "shoulders, hips and ankles are used, and the far limbs are not measured.",
    "A straight line is judged from joint centres (shoulder, hip, ankle), not the skin: loose clothing or a "
    "rounded upper back shift it by a few degrees.",
    "Breathing is prompted (a reminder every few seconds), not measured.",
    "Sway is the slow movement of the body line (under ~4 Hz): a fast tremor is smoothed away.",
    LYING_LIMIT,
)


def _synth(**kw: Any) -> Any:
    from formcheck.analyzers.floor_synth import plank_clip  # tests only

    return plank_clip(**kw)


HOLD = fh.HoldExercise(
    name=NAME, position="prone", values=values, hold_value=hold_value, band=lambda ex: tuple(ex.hold_band_deg),
    metrics=line_metrics, min_hold_s=lambda ex: float(ex.min_hold_s), hips_low=hips_low,
)  # fmt: skip


def analyzer(config: Any) -> fh.HoldAnalyzer:
    return fh.HoldAnalyzer(config, HOLD)


# What a user reads for this exercise's rep phases (Rep.eccentric_s, bottom_pause_s, concentric_s, top_pause_s).
PHASES = PhaseWords(
    names=(),
    columns=(),
    rest="resting",
    turn="hold",
    first_speed="",
)


SPEC = register(ExerciseSpec(
    phases=PHASES,
    name=NAME, title="Plank", measures="body line (sag / pike), hold time in line, breaks, sway",
    positions=("prone",), views=("side", "oblique"), landmarks=tuple(int(i) for i in BODY), reference="none",
    rep_strategy="hold", metrics=METRICS, rules=RULES, limits=LIMITS, config_model=PlankConfig, analyzer=analyzer,
    praise=praise, no_reps_hint="No plank hold found: hold the position, side-on to the camera, for a few seconds",
    no_reps_why=hips_low_hint("No plank hold found: your hips stayed low, close to the floor — for a plank, lift "
                              "them in line with your shoulders and ankles and hold"),
    live_keys=("body_line_deg",), tempo_rules=False, derive=derive, synth=_synth,
))  # fmt: skip
