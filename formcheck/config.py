"""Typed configuration with units in names, loadable from a commented TOML file.

``formcheck/default_config.toml`` documents every value; a user's file only needs the values it changes::

    cfg = load_config("my_thresholds.toml")   # defaults + overrides, validated
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, get_type_hints

from formcheck.errors import ConfigError


@dataclass(frozen=True)
class PoseConfig:
    model_path: str = ""  # empty: the shipped models/pose_landmarker_full.task (or $FORMCHECK_MODEL)
    num_poses: int = 2  # detect up to 2 so a second person in view can be reported, not silently mixed in
    min_detection_confidence: float = 0.5
    min_presence_confidence: float = 0.5
    min_tracking_confidence: float = 0.5
    segmentation: bool = True  # the mask gives the back outline for the spine-flexion estimate
    mask_scale: float = 0.5  # downscale factor for mask processing (speed; outline only needs ~2 px accuracy)
    # Landmarks always come from a 1-person tracker (MediaPipe stops tracking, runs its detector every frame and
    # loses accuracy when num_poses > 1); people are counted by a separate num_poses detector pass this often, s.
    people_check_s: float = 2.0


@dataclass(frozen=True)
class SignalConfig:
    lowpass_hz: float = 4.0  # zero-phase Butterworth cut-off for files; human exercise motion is < 3 Hz
    lowpass_order: int = 2
    max_gap_s: float = 0.3  # gaps up to this long are interpolated; longer ones stay NaN
    one_euro_min_cutoff_hz: float = 1.0  # live filter: lower = smoother when still
    one_euro_beta: float = 0.02  # live filter: higher = less lag when moving fast
    one_euro_d_cutoff_hz: float = 1.0


@dataclass(frozen=True)
class BodyConfig:
    height_cm: float = 170.0  # used to turn % of foot / px into cm; an assumption unless the user sets it
    body_kg: float = 70.0  # body mass, only matters relative to load_kg
    load_kg: float = 0.0  # weight held in the hands (kettlebell, dumbbells, bar); 0 = bodyweight
    sex: str = "female"  # "female" | "male": which de Leva (1996) segment-mass table to use


@dataclass(frozen=True)
class HingeConfig:
    midfoot_band_pct: tuple[float, float] = (30.0, 60.0)  # % of foot length from heel that counts as midfoot
    spine_rounding_deg: float = 12.0  # back-rounding estimate above standing baseline that triggers a cue, deg
    min_rom_deg: float = 20.0  # trunk/hip excursion below this is not a rep, deg
    rep_prominence_frac: float = 0.35  # rep peaks must rise this fraction of the person's own range
    squat_knee_deg: float = 60.0  # knee flexion above this at the bottom → "squat-like", deg
    stoop_hip_share: float = 0.5  # hip share below this → "stoop"
    heel_lift_frac: float = 0.10  # heel rise vs toe (both feet) vs standing, fraction of leg length, counts as a lift
    shoulder_elevation_frac: float = 0.08  # shoulder-to-ear shortening vs baseline, fraction of trunk length
    neck_extension_deg: float = 20.0  # head tipped back relative to the trunk line beyond this → gaze cue, deg
    knee_locked_deg: float = 5.0  # knee flexion below this at the bottom → knees locked, deg
    target_tempo_s: tuple[float, float, float, float] = (
        3.0,
        1.0,
        2.0,
        1.0,
    )  # eccentric-bottom-concentric-top, s
    tempo_tolerance_frac: float = 0.35  # a phase shorter than (1 - this) × target is "too fast"
    spine_outline_gain: float = 1.1  # deg of spinal flexion per deg of back-outline bend change (calibrated, see docs)
    spine_est_model_err_deg: float = 10.0  # expected error of the spine-flexion estimate (validation), deg
    foot_index_frac: float = 0.75  # where MediaPipe's foot_index sits along the foot from the heel (ball of foot)


@dataclass(frozen=True)
class CueConfig:
    min_display_s: float = 2.5  # a shown cue stays at least this long (no flicker)
    hysteresis_frac: float = 0.15  # a live fault must drop this fraction below its threshold to clear
    repeat_after_reps: int = 1  # a cue repeats only if the fault repeats in this many later reps
    praise_clean_reps: bool = True
    # CoM beyond the midfoot band by more than this at worst → load-path cue, cm. Above the largest excess seen on
    # clean rendered hinges (4.7 cm: 2D CoM error), below the 'weight on toes' clip (8.7 cm).
    load_excess_cm: float = 5.0
    load_min_time_s: float = 0.2  # ... and outside the band at least this long (a brief wobble is not a fault), s
    # hips travel back less than this in a real bend → "sit the hips back", cm (clean rendered hinges: 12-17 cm,
    # the 'weight on toes' clip: 6-8 cm)
    hip_back_min_cm: float = 9.0
    min_bend_deg: float = 30.0  # trunk inclination a rep must reach before hip-travel cues apply, deg
    shin_forward_deg: float = 20.0  # shin leaning forward more than this at the bottom → "knees forward", deg
    live_max_priority: int = 29  # live (in-rep) cues only up to this priority: back rounding and load path
    live_load_margin_pct: float = 20.0  # live: CoM this many % of foot beyond the midfoot band before cueing
    live_confirm_s: float = 0.2  # a live fault must last this long before it is shown (no one-frame alarms), s
    live_clear_s: float = 0.5  # a shown live fault counts as fixed only after this long without it, s
    view_full_body_min_frac: float = 0.9  # whole body visible in fewer frames than this → "body cut off"
    view_person_min_frac: float = 0.8  # person found in fewer frames than this → tracking cue
    view_multi_person_max_frac: float = 0.05  # a second person in more frames than this → multi-person cue
    side_view_only: bool = True  # from a front/oblique view give only tempo cues (angles and balance read wrong)


@dataclass(frozen=True)
class ReviewConfig:
    max_upload_mb: int = 200  # Streamlit upload limit for the review page; ~2 min of 1080p phone video


@dataclass(frozen=True)
class Config:
    pose: PoseConfig = field(default_factory=PoseConfig)
    signal: SignalConfig = field(default_factory=SignalConfig)
    body: BodyConfig = field(default_factory=BodyConfig)
    hinge: HingeConfig = field(default_factory=HingeConfig)
    cues: CueConfig = field(default_factory=CueConfig)
    review: ReviewConfig = field(default_factory=ReviewConfig)

    def replace(self, section: str, **changes: Any) -> Config:
        """A copy with some values of one section changed (validated)."""
        sec = getattr(self, section)
        return dataclasses.replace(self, **{section: _build(type(sec), {**_asdict_shallow(sec), **changes})})


DEFAULT_TOML = Path(__file__).with_name("default_config.toml")


def _asdict_shallow(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _coerce(name: str, tp: Any, value: Any) -> Any:
    origin = getattr(tp, "__origin__", None)
    if tp is float or tp == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"Config value {name} must be a number, got {value!r}.")
        return float(value)
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"Config value {name} must be a whole number, got {value!r}.")
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"Config value {name} must be true or false, got {value!r}.")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise ConfigError(f"Config value {name} must be text, got {value!r}.")
        return value
    if origin is tuple:
        args = tp.__args__
        if not isinstance(value, list | tuple) or len(value) != len(args):
            raise ConfigError(f"Config value {name} must be a list of {len(args)} numbers, got {value!r}.")
        return tuple(_coerce(name, a, v) for a, v in zip(args, value, strict=True))
    return value


def _build(cls: type, values: dict[str, Any], prefix: str = "") -> Any:
    hints = get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    unknown = set(values) - known
    if unknown:
        raise ConfigError(f"Unknown config key(s) {sorted(prefix + u for u in unknown)}; known: {sorted(known)}.")
    kwargs = {}
    for f in fields(cls):
        if f.name not in values:
            continue
        tp = hints[f.name]
        v = values[f.name]
        if is_dataclass(tp):
            if not isinstance(v, dict):
                raise ConfigError(f"Config section [{prefix}{f.name}] must be a table.")
            kwargs[f.name] = _build(tp, v, prefix=f"{prefix}{f.name}.")
        else:
            kwargs[f.name] = _coerce(prefix + f.name, tp, v)
    obj = cls(**kwargs)
    _validate(obj)
    return obj


def _validate(obj: Any) -> None:
    if isinstance(obj, PoseConfig):
        if not 1 <= obj.num_poses <= 4:
            raise ConfigError(f"pose.num_poses must be between 1 and 4, got {obj.num_poses}.")
        if not 0 < obj.mask_scale <= 1:
            raise ConfigError(f"pose.mask_scale must be > 0 and <= 1, got {obj.mask_scale}.")
        if obj.people_check_s < 0:
            raise ConfigError(f"pose.people_check_s must be >= 0 seconds, got {obj.people_check_s}.")
    if isinstance(obj, ReviewConfig) and not 1 <= obj.max_upload_mb <= 10_000:
        raise ConfigError(f"review.max_upload_mb must be between 1 and 10000 MB, got {obj.max_upload_mb}.")
    if isinstance(obj, BodyConfig):
        if not 80 <= obj.height_cm <= 250:
            raise ConfigError(f"body.height_cm must be between 80 and 250 cm, got {obj.height_cm}.")
        if not 15 <= obj.body_kg <= 300:
            raise ConfigError(f"body.body_kg must be between 15 and 300 kg, got {obj.body_kg}.")
        if not 0 <= obj.load_kg <= 300:
            raise ConfigError(f"body.load_kg must be between 0 and 300 kg, got {obj.load_kg}.")
        if obj.sex not in ("female", "male"):
            raise ConfigError(f"body.sex must be 'female' or 'male', got {obj.sex!r}.")
    if isinstance(obj, HingeConfig):
        lo, hi = obj.midfoot_band_pct
        if not 0 <= lo < hi <= 100:
            raise ConfigError(f"hinge.midfoot_band_pct must be 0 <= low < high <= 100, got {obj.midfoot_band_pct}.")
        if any(x < 0 for x in obj.target_tempo_s):
            raise ConfigError("hinge.target_tempo_s values must be >= 0 seconds.")
        if not 0.3 <= obj.foot_index_frac <= 1.0:
            raise ConfigError(f"hinge.foot_index_frac must be between 0.3 and 1.0, got {obj.foot_index_frac}.")
        if obj.spine_outline_gain <= 0:
            raise ConfigError("hinge.spine_outline_gain must be > 0.")
    if isinstance(obj, CueConfig):
        for name in ("min_display_s", "load_min_time_s", "live_confirm_s", "live_clear_s"):
            if getattr(obj, name) < 0:
                raise ConfigError(f"cues.{name} must be >= 0 seconds, got {getattr(obj, name)}.")
        if not 0 <= obj.hysteresis_frac < 1:
            raise ConfigError(f"cues.hysteresis_frac must be between 0 and 1, got {obj.hysteresis_frac}.")
        if obj.repeat_after_reps < 1:
            raise ConfigError(f"cues.repeat_after_reps must be at least 1, got {obj.repeat_after_reps}.")
        for name in ("view_full_body_min_frac", "view_person_min_frac", "view_multi_person_max_frac"):
            if not 0 <= getattr(obj, name) <= 1:
                raise ConfigError(f"cues.{name} must be between 0 and 1, got {getattr(obj, name)}.")
    if isinstance(obj, SignalConfig) and obj.lowpass_hz <= 0:
        raise ConfigError("signal.lowpass_hz must be > 0.")


def load_config(path: str | Path | None = None, overrides: dict[str, dict[str, Any]] | None = None) -> Config:
    """Defaults, then a user's TOML file, then explicit overrides (e.g. from CLI flags).

    Args:
        path: a TOML file with any subset of the sections in ``default_config.toml``; None for defaults only.
        overrides: ``{"section": {"key": value}}`` applied last.

    Raises:
        ConfigError: unreadable file, unknown key, wrong type or out-of-range value.
    """
    data: dict[str, Any] = {}
    if path is not None:
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError as e:
            raise ConfigError(f"Config file {p} does not exist.") from e
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise ConfigError(f"Config file {p} is not valid TOML: {e}.") from e
    for sec, vals in (overrides or {}).items():
        data.setdefault(sec, {}).update(vals)
    return _build(Config, data)


def parse_tempo(text: str) -> tuple[float, float, float, float]:
    """Parse a tempo like ``"3-1-2-1"`` (eccentric-bottom-concentric-top seconds).

    Raises:
        ConfigError: not four non-negative numbers separated by dashes.
    """
    parts = text.strip().split("-")
    try:
        vals = tuple(float(p) for p in parts)
    except ValueError:
        vals = ()
    if len(vals) != 4 or any(v < 0 for v in vals):
        raise ConfigError(
            f"Tempo {text!r} is not understood: use four seconds, lowering-pause-rising-pause, like 3-1-2-1."
        )
    return vals  # type: ignore[return-value]
