"""Typed configuration with units in names, loadable from a commented TOML file.

Every section is a frozen pydantic model whose fields carry their range, so a value out of range (a negative
back-rounding threshold, a confidence of 2) is a :class:`~formcheck.errors.ConfigError` naming the key in plain
words, never a pydantic traceback. ``formcheck/default_config.toml`` is generated from these models
(``python -m formcheck.config > formcheck/default_config.toml``; a unit test keeps them equal); a user's file only
needs the values it changes::

    cfg = load_config("my_thresholds.toml")   # defaults + overrides, validated
    cfg.exercise_config(name).min_rom_deg

Exercises: each exercise has one ``[exercise.<name>]`` table, validated by the :class:`ExerciseConfig` subclass
registered for it with :func:`register_exercise_config`. Registration may happen after configs exist: a config
made before an exercise was registered returns that exercise's defaults, and :func:`load_config` imports
``formcheck.analyzers`` (lazily, so analyzer modules can import this one) so every analyzer's exercise is known
before a file is checked for unknown ``[exercise.*]`` tables.

This module names no exercise: what is specific to one lives in that exercise's module, its config model included.

Old files (before exercise sections) still load, with a ``FutureWarning`` naming what moved. An exercise model
declares its own old layout (:attr:`ExerciseConfig.legacy_section`, :attr:`ExerciseConfig.legacy_cue_keys`):
that top-level table is read as ``[exercise.<name>]``, and those keys found in ``[cues]`` move there too.
"""

from __future__ import annotations

import importlib
import math
import re
import tomllib
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, ClassVar, Literal, get_args, get_origin

import annotated_types
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializeAsAny,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from formcheck.errors import ConfigError

DEFAULT_TOML = Path(__file__).with_name("default_config.toml")

# -- base model and error wording ---------------------------------------------------------------------------------


class _Section(BaseModel):
    """A frozen, strictly typed config table: TOML's types are already exact, so "12" is not silently 12.0."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        strict=True,
        allow_inf_nan=False,  # TOML allows nan/inf; no threshold means anything as nan
        protected_namespaces=(),  # pose.model_path is a real field name, not pydantic's model_* API
        validate_default=True,  # a default out of its own range is a bug caught at first use
    )
    _section: ClassVar[str] = ""  # the TOML table name, for messages ("pose", "exercise.<name>")

    @field_validator("*", mode="before")
    @classmethod
    def _lists_to_tuples(cls, value: Any, info: ValidationInfo) -> Any:
        # TOML gives lists; the models keep tuples (hashable, immutable). Done for every tuple field of every
        # subclass (strict mode would refuse a list), with the length checked here in plain words.
        field = cls.model_fields.get(info.field_name or "")
        if field is None or get_origin(field.annotation) is not tuple:
            return value
        args = get_args(field.annotation)
        n = None if Ellipsis in args else len(args)
        if isinstance(value, list | tuple) and (n is None or len(value) == n):
            return tuple(value)
        raise PydanticCustomError("formcheck", f"must be a list of {n or 'some'} numbers")

    @field_validator("*", mode="after")
    @classmethod
    def _unit_rules(cls, value: Any, info: ValidationInfo) -> Any:
        # Rules that follow from the unit suffix, so every exercise model gets them without restating them:
        # durations (``*_s``) are never negative, a ``*_band_pct`` is an ordered (low, high) percentage.
        name = info.field_name or ""
        if isinstance(value, tuple) and name.endswith("_s") and any(v < 0 for v in value):
            raise PydanticCustomError("formcheck", "must be seconds, each at least 0")
        if (
            isinstance(value, tuple)
            and name.endswith("_band_pct")
            and not (len(value) == 2 and 0 <= value[0] < value[1] <= 100)
        ):
            raise PydanticCustomError("formcheck", "must be [low, high] with 0 <= low < high <= 100")
        return value

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as e:
            # from None: users see one sentence per bad key, never pydantic's chained traceback
            raise ConfigError(_describe(e, type(self)._prefix())) from None

    @classmethod
    def _prefix(cls) -> str:
        return cls._section


def _fmt(v: Any) -> str:
    """A limit as people write it (0, not 0.0)."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return repr(v)


def _got(v: Any) -> str:
    """A value as it was written in the TOML file (lists, not tuples)."""
    return repr(list(v) if isinstance(v, tuple) else v)


_PHRASES = {
    "greater_than": "must be greater than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "finite_number": "must be a finite number",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be text",
    "literal_error": "must be {expected}",
}


def _key(loc: tuple[Any, ...], prefix: str) -> str:
    parts = [prefix] if prefix else []
    item = ""
    for p in loc:
        if isinstance(p, int):
            item = f", item {p + 1},"  # plain words for list elements: "target_tempo_s, item 2, must be ..."
        else:
            parts.append(str(p))
    return ".".join(parts) + item


def _describe(err: ValidationError, prefix: str) -> str:
    """One plain sentence per pydantic error, naming the full dotted key (``exercise.<name>.min_rom_deg``)."""
    out = []
    for d in err.errors(include_url=False):
        key, kind, ctx, got = _key(d["loc"], prefix), d["type"], d.get("ctx") or {}, d.get("input")
        if kind == "extra_forbidden":
            out.append(f"Unknown config key {key}; check the spelling against 'formcheck config'.")
        elif kind in ("model_type", "model_attributes_type", "dict_type"):
            out.append(f"Config section [{key}] must be a table, got {_got(got)}.")
        elif kind in _PHRASES:
            phrase = _PHRASES[kind].format(**{k: _fmt(v) if k != "expected" else v for k, v in ctx.items()})
            out.append(f"Config value {key} {phrase} (got {_got(got)}).")
        elif kind == "formcheck":  # our own rules raise PydanticCustomError("formcheck", "<phrase>")
            out.append(f"Config value {key} {d['msg']} (got {_got(got)}).")
        else:  # not expected from TOML input; still name the key rather than show pydantic's internals
            out.append(f"Config value {key} is not valid: {d['msg']} (got {_got(got)}).")
    return " ".join(out)


# Tuple types for exercise models; their ranges come from the unit rules of _Section (names ending _s, _band_pct).
TempoS = tuple[float, float, float, float]  # eccentric-bottom-concentric-top, s
BandPct = tuple[float, float]  # low, high % of foot length


# -- general sections ----------------------------------------------------------------------------------------------


class PoseConfig(_Section):
    """Pose model (MediaPipe) settings."""

    _section: ClassVar[str] = "pose"

    model_path: str = Field("", description="empty = shipped models/pose_landmarker_full.task (or env FORMCHECK_MODEL)")
    num_poses: int = Field(
        2, ge=1, le=4, description="look for up to this many people so a second person is reported, not mixed in"
    )
    min_detection_confidence: float = Field(0.5, ge=0, le=1, description="MediaPipe person-detection score")
    min_presence_confidence: float = Field(0.5, ge=0, le=1, description="MediaPipe landmark-presence score")
    min_tracking_confidence: float = Field(0.5, ge=0, le=1, description="MediaPipe tracking score")
    segmentation: bool = Field(True, description="body mask -> back outline -> spine-flexion estimate")
    mask_scale: float = Field(
        0.5, gt=0, le=1, description="downscale factor for mask processing (the outline needs ~2 px accuracy)"
    )
    # Landmarks always come from a 1-person tracker (MediaPipe stops tracking, runs its detector every frame and
    # loses accuracy when num_poses > 1); people are counted by a separate num_poses detector pass this often.
    people_check_s: float = Field(
        2.0, ge=0, le=600, description="s between counts of people in view (landmarks track one person every frame)"
    )


class SignalConfig(_Section):
    """Smoothing of landmark and angle signals."""

    _section: ClassVar[str] = "signal"

    lowpass_hz: float = Field(
        4.0, gt=0, le=30, description="Hz, zero-phase Butterworth cut-off for recorded video (motion is < 3 Hz)"
    )
    lowpass_order: int = Field(2, ge=1, le=8, description="Butterworth order of one pass")
    max_gap_s: float = Field(
        0.3, ge=0, le=10, description="s, tracking gaps up to this long are interpolated, longer stay unknown"
    )
    one_euro_min_cutoff_hz: float = Field(
        1.0, gt=0, le=30, description="Hz, live filter smoothing when still (lower = smoother)"
    )
    one_euro_beta: float = Field(
        0.02, ge=0, le=10, description="live filter speed coefficient (higher = less lag on fast moves)"
    )
    one_euro_d_cutoff_hz: float = Field(1.0, gt=0, le=30, description="Hz, live filter cut-off for the speed")


class BodyConfig(_Section):
    """The person and the load: centre of mass and centimetres."""

    _section: ClassVar[str] = "body"

    height_cm: float = Field(
        170.0, ge=80, le=250, description="cm, converts foot % and pixels to centimetres (an assumption unless set)"
    )
    body_kg: float = Field(70.0, ge=15, le=300, description="kg; the weight held counts relative to body mass")
    load_kg: float = Field(
        0.0, ge=0, le=300, description="kg held in the hands; shifts the centre of mass toward the hands"
    )
    sex: Literal["female", "male"] = Field(
        "female", description="female or male: picks the body-segment masses (de Leva 1996) for the centre of mass"
    )
    load_entered: bool = Field(
        False, description="set once the weight held was entered (even 0 kg): formcheck then stops asking for it"
    )


class CueConfig(_Section):
    """The cue engine: what is shown, when, and for how long (exercise thresholds are in [exercise.*])."""

    _section: ClassVar[str] = "cues"

    min_display_s: float = Field(2.5, ge=0, le=60, description="s a shown cue stays on screen at least (no flicker)")
    hysteresis_frac: float = Field(
        0.15, ge=0, lt=1, description="a live fault must fall this fraction below threshold to clear"
    )
    repeat_after_reps: int = Field(
        1, ge=1, le=100, description="repeat a cue only if the fault repeats within this many later reps"
    )
    praise_clean_reps: bool = Field(True, description="say so when a rep is clean")
    live_max_priority: int = Field(
        29, ge=0, le=1000, description="live cues during a rep only up to this priority (10 back, 20-22 load path)"
    )
    live_confirm_s: float = Field(
        0.2, ge=0, le=10, description="s a live fault must last before it is shown (no one-frame alarms)"
    )
    live_clear_s: float = Field(
        0.5, ge=0, le=10, description="s without the fault before a shown live cue counts as fixed"
    )
    view_full_body_min_frac: float = Field(
        0.9, ge=0, le=1, description='whole body in fewer frames than this -> "step back" cue'
    )
    view_person_min_frac: float = Field(
        0.8, ge=0, le=1, description="person found in fewer frames than this -> tracking cue"
    )
    view_multi_person_max_frac: float = Field(
        0.05, ge=0, le=1, description='a second person in more frames than this -> "one person in view" cue'
    )
    side_view_only: bool = Field(
        True, description="front/oblique view: only tempo cues (angles and balance would read wrong)"
    )


class ReviewConfig(_Section):
    """The review page of the app."""

    _section: ClassVar[str] = "review"

    max_upload_mb: int = Field(
        200, ge=1, le=10_000, description="MB upload limit on the review page (~2 min of 1080p phone video)"
    )


# -- exercises -----------------------------------------------------------------------------------------------------


class ExerciseConfig(_Section):
    """Settings every exercise has; an exercise's own model subclasses this and adds its thresholds.

    Defaults suit a slow, controlled strength movement; a subclass may redeclare a field to change its default or
    range.

    Attributes:
        legacy_section: the top-level table an older formcheck used for this exercise (read as
            ``[exercise.<name>]``, with a ``FutureWarning``); empty when there was none.
        legacy_cue_keys: keys of this model that older files had in ``[cues]`` (moved here, with a warning).
    """

    legacy_section: ClassVar[str] = ""
    legacy_cue_keys: ClassVar[tuple[str, ...]] = ()

    target_tempo_s: TempoS = Field(
        (3.0, 1.0, 2.0, 1.0), description="s: lowering, pause at the bottom, rising, pause at the top"
    )
    tempo_tolerance_frac: float = Field(
        0.35, ge=0, lt=1, description='a phase more than this share quicker than its target is "too fast"'
    )
    min_rom_deg: float = Field(20.0, gt=0, le=180, description="deg, smaller excursions are not counted as reps")
    rep_prominence_frac: float = Field(
        0.35, gt=0, lt=1, description="a rep must rise this fraction of your own range of motion"
    )

    @classmethod
    def _prefix(cls) -> str:
        name = _EXERCISE_NAMES.get(cls)
        return f"exercise.{name}" if name else f"exercise.<{cls.__name__}>"


_EXERCISES: dict[str, type[ExerciseConfig]] = {}
_EXERCISE_NAMES: dict[type[ExerciseConfig], str] = {}
_NAME_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
_analyzers_imported = False


def register_exercise_config(name: str, model: type[ExerciseConfig]) -> type[ExerciseConfig]:
    """Make ``[exercise.<name>]`` a known table validated by ``model``; returns ``model``.

    Order-independent: configs built before this call return ``model()`` defaults for ``name``. Registering the
    same class again (or the same class re-created by a module reload) is a no-op.

    Raises:
        TypeError: ``model`` is not an :class:`ExerciseConfig` subclass.
        ValueError: ``name`` is not a lowercase identifier, or is already taken by a different model; or the
            model's old layout (``legacy_section``, ``legacy_cue_keys``) clashes with a section, a ``[cues]`` key
            or another exercise's old layout, or names a key the model does not have.
    """
    if not (isinstance(model, type) and issubclass(model, ExerciseConfig)) or model is ExerciseConfig:
        raise TypeError(f"register_exercise_config({name!r}, ...) needs an ExerciseConfig subclass, got {model!r}.")
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise ValueError(f"Exercise config name {name!r} must be a lowercase identifier (a-z, 0-9, _).")
    old = _EXERCISES.get(name)
    same = old is not None and (old.__module__, old.__qualname__) == (model.__module__, model.__qualname__)
    if old is not None and not same:
        raise ValueError(f"Exercise config {name!r} is already registered to {old.__module__}.{old.__qualname__}.")
    _check_legacy(name, model)
    if old is not None:
        _EXERCISE_NAMES.pop(old, None)
    _EXERCISES[name] = model
    _EXERCISE_NAMES[model] = name
    return model


def _check_legacy(name: str, model: type[ExerciseConfig]) -> None:
    """Refuse an old layout that old files could not be mapped from unambiguously (a bug in the model)."""
    where = f"{model.__module__}.{model.__qualname__}"
    others = {n: m for n, m in _EXERCISES.items() if n != name}
    sec = model.legacy_section
    if sec and (sec in (*_SECTIONS, "exercise") or sec.startswith("exercise.") or not _NAME_RE.match(sec)):
        raise ValueError(f"{where}.legacy_section {sec!r} is not a free top-level table name.")
    if sec and any(m.legacy_section == sec for m in others.values()):
        raise ValueError(f"{where}.legacy_section {sec!r} is already claimed by another exercise.")
    for key in model.legacy_cue_keys:
        if key not in model.model_fields:
            raise ValueError(f"{where}.legacy_cue_keys names {key!r}, which is not one of its settings.")
        if key in CueConfig.model_fields or any(key in m.legacy_cue_keys for m in others.values()):
            raise ValueError(f"{where}.legacy_cue_keys names {key!r}, which [cues] or another exercise uses.")


def _legacy_layout() -> tuple[dict[str, str], dict[str, str]]:
    """Old top-level table -> exercise name, and old ``[cues]`` key -> exercise name, of every registered model."""
    sections = {m.legacy_section: n for n, m in _EXERCISES.items() if m.legacy_section}
    cue_keys = {k: n for n, m in _EXERCISES.items() for k in m.legacy_cue_keys}
    return sections, cue_keys


def _import_analyzers() -> None:
    """Import ``formcheck.analyzers`` once so every analyzer's exercise config is registered.

    Lazy (inside functions) because analyzer modules import this module at import time. A re-entrant call while
    ``formcheck.analyzers`` is still being imported gets the partly imported module from ``sys.modules``.
    """
    global _analyzers_imported
    if not _analyzers_imported:
        _analyzers_imported = True  # before importing: a re-entrant call must not import again
        try:
            importlib.import_module("formcheck.analyzers")
        except BaseException:
            _analyzers_imported = False  # let a later call retry (and fail loudly again)
            raise


def exercise_config_models() -> Mapping[str, type[ExerciseConfig]]:
    """Read-only view name -> registered model, after importing the analyzers (so all are known)."""
    _import_analyzers()
    return MappingProxyType(_EXERCISES)


def exercise_defaults(name: str) -> ExerciseConfig:
    """The default settings of exercise ``name``.

    Raises:
        ConfigError: no exercise config is registered under ``name``.
    """
    return _model_for(name)()


def _model_for(name: str) -> type[ExerciseConfig]:
    key = name.strip().lower() if isinstance(name, str) else name
    if key not in _EXERCISES:
        _import_analyzers()
    if key not in _EXERCISES:
        raise ConfigError(f"Unknown exercise {name!r} in the config; known: {', '.join(sorted(_EXERCISES)) or 'none'}.")
    return _EXERCISES[key]


# -- the whole configuration ----------------------------------------------------------------------------------------

_SECTIONS = ("pose", "signal", "body", "cues", "review")


def _default_exercises() -> dict[str, ExerciseConfig]:
    _import_analyzers()
    return {name: model() for name, model in sorted(_EXERCISES.items())}


class Config(_Section):
    """The whole configuration: general sections plus one validated model per registered exercise."""

    pose: PoseConfig = Field(default_factory=PoseConfig)
    signal: SignalConfig = Field(default_factory=SignalConfig)
    body: BodyConfig = Field(default_factory=BodyConfig)
    cues: CueConfig = Field(default_factory=CueConfig)
    review: ReviewConfig = Field(default_factory=ReviewConfig)
    # name -> that exercise's model (SerializeAsAny: dump the subclass's fields, not just the shared ones).
    # Treat as read-only: use replace_exercise() for a changed copy.
    exercise: dict[str, SerializeAsAny[ExerciseConfig]] = Field(default_factory=_default_exercises)

    @field_validator("exercise", mode="before")
    @classmethod
    def _exercise_tables(cls, value: Any) -> dict[str, ExerciseConfig]:
        # Validated here (not by the field type) because the model depends on the key. ConfigError is not a
        # ValueError, so pydantic lets it through unchanged, with the full key already in its message.
        _import_analyzers()  # all exercises known: defaults for each, and no false "unknown exercise"
        if not isinstance(value, Mapping):
            raise ConfigError(
                f"Config section [exercise] must hold exercise tables like [exercise.<name>], got {_got(value)}."
            )
        out = {}
        for name, table in value.items():
            model = _model_for(name)
            key = _EXERCISE_NAMES[model]
            if isinstance(table, model):
                out[key] = table
            elif isinstance(table, Mapping):
                out[key] = model(**table)
            elif isinstance(table, ExerciseConfig):  # made with the class before a module reload: re-validate
                out[key] = model(**dict(table))
            else:
                raise ConfigError(f"Config section [exercise.{key}] must be a table, got {_got(table)}.")
        for name, model in _EXERCISES.items():
            out.setdefault(name, model())
        return dict(sorted(out.items()))

    def __hash__(self) -> int:
        # pydantic's frozen hash would fail on the dict field; exercise models are frozen, so hash their items
        return hash((self.pose, self.signal, self.body, self.cues, self.review, tuple(self.exercise.items())))

    def exercise_config(self, name: str) -> ExerciseConfig:
        """The settings of exercise ``name`` (its registered model; defaults if registered after this config).

        Raises:
            ConfigError: no exercise config is registered under ``name``.
        """
        model = _model_for(name)
        found = self.exercise.get(_EXERCISE_NAMES[model])
        return found if isinstance(found, model) else model()

    def _sections(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in (*_SECTIONS, "exercise")}

    def replace(self, section: str, **changes: Any) -> Config:
        """A copy with some values of one general section changed (validated); exercises: :meth:`replace_exercise`.

        Raises:
            ConfigError: unknown section or key, wrong type or out-of-range value.
        """
        if section not in _SECTIONS:
            hint = " (use replace_exercise(name, ...))" if section == "exercise" or section in _EXERCISES else ""
            raise ConfigError(f"Unknown config section [{section}]{hint}; known: {', '.join(_SECTIONS)}.")
        if section == "cues":
            moved = _legacy_layout()[1]
            clash = sorted(changes.keys() & moved.keys())
            if clash:  # a hint for code written against the old layout (files with it are still mapped)
                k, name = clash[0], moved[clash[0]]
                raise ConfigError(
                    f"Config value cues.{k} moved to [exercise.{name}]; use replace_exercise({name!r}, ...)."
                )
        sec = getattr(self, section)
        return Config(**{**self._sections(), section: type(sec)(**{**dict(sec), **changes})})

    def replace_exercise(self, name: str, **changes: Any) -> Config:
        """A copy with some settings of exercise ``name`` changed (validated).

        Raises:
            ConfigError: unknown exercise or key, wrong type or out-of-range value.
        """
        old = self.exercise_config(name)
        new = type(old)(**{**dict(old), **changes})
        return Config(**{**self._sections(), "exercise": {**self.exercise, _EXERCISE_NAMES[type(old)]: new}})


# -- loading --------------------------------------------------------------------------------------------------------


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"Config section [{where}] must be a table, got {_got(value)}.")
    return dict(value)


def _merge_into(dst: dict[str, Any], src: Mapping[str, Any], where: str, *, conflict: bool) -> None:
    for k, v in src.items():
        if conflict and k in dst and dst[k] != v:
            raise ConfigError(
                f"Config value {where}.{k} is given twice with different values ({_got(dst[k])} and {_got(v)}); "
                f"keep only the one in [{where}]."
            )
        dst[k] = v


def _normalise(data: Mapping[str, Any], origin: str | None) -> dict[str, Any]:
    """Sections as tables, ``{"exercise": {name: table}}``, old layouts mapped (warned about when from a file).

    Accepts ``{"exercise.<name>": {...}}`` (dotted) as well as nested ``{"exercise": {"<name>": {...}}}``; and the
    old layouts the exercise models declare (``legacy_section``, ``legacy_cue_keys``). Overrides (``origin`` None,
    code not a user's file) may also name an exercise as a top-level section, the shape the CLI once passed.
    """
    out: dict[str, Any] = {}
    exercise: dict[str, dict[str, Any]] = {}
    old_sections, old_cue_keys = _legacy_layout()
    legacy: dict[str, dict[str, Any]] = {}  # exercise name -> its values found in the old layout
    moved: list[str] = []
    for sec, vals in data.items():
        if sec == "exercise":
            for name, table in _table(vals, "exercise").items():
                _merge_into(exercise.setdefault(name, {}), _table(table, f"exercise.{name}"), f"exercise.{name}",
                            conflict=False)  # fmt: skip
        elif isinstance(sec, str) and sec.startswith("exercise."):
            name = sec.removeprefix("exercise.")
            _merge_into(exercise.setdefault(name, {}), _table(vals, sec), sec, conflict=False)
        elif sec in _SECTIONS:
            table = _table(vals, sec)
            if sec == "cues":
                for k in [k for k in table if k in old_cue_keys]:
                    name = old_cue_keys[k]
                    legacy.setdefault(name, {})[k] = table.pop(k)
                    moved.append(f"cues.{k} -> exercise.{name}.{k}")
            out[sec] = table
        elif sec in old_sections or (origin is None and sec in _EXERCISES):
            name = old_sections.get(sec, sec)
            legacy.setdefault(name, {}).update(_table(vals, sec))
            moved.append(f"[{sec}] -> [exercise.{name}]")
        else:
            known = ", ".join([*_SECTIONS, "exercise.<name>"])
            raise ConfigError(f"Unknown config section [{sec}]; known: {known}.")
    for name, values in legacy.items():
        # Old and new layout in one file: the same key twice with different values is ambiguous, so refuse it.
        _merge_into(exercise.setdefault(name, {}), values, f"exercise.{name}", conflict=True)
    if moved and origin is not None:
        targets = ", ".join(f"[exercise.{name}]" for name in legacy)
        warnings.warn(
            f"{origin} uses the old config layout; read as: {'; '.join(moved)}. "
            f"Move these values to {targets} (see 'formcheck config').",
            FutureWarning,
            stacklevel=3,
        )
    if exercise:
        out["exercise"] = exercise
    return out


def load_config(path: str | Path | None = None, overrides: Mapping[str, Mapping[str, Any]] | None = None) -> Config:
    """Defaults, then a user's TOML file, then explicit overrides (e.g. from CLI flags).

    Args:
        path: a TOML file with any subset of the tables in ``default_config.toml``; None for defaults only.
        overrides: ``{"section": {"key": value}}`` applied last; exercises as ``{"exercise.<name>": {...}}`` or
            ``{"exercise": {"<name>": {...}}}`` (the old ``{"<name>": {...}}`` is read as ``exercise.<name>``).

    Raises:
        ConfigError: unreadable file, unknown section, exercise or key, wrong type or out-of-range value.
    """
    _import_analyzers()  # every analyzer's [exercise.*] table must be known before unknown ones are refused
    data: dict[str, Any] = {}
    if path is not None:
        p = Path(path)
        try:
            data = _normalise(tomllib.loads(p.read_text(encoding="utf-8")), origin=f"Config file {p}")
        except FileNotFoundError as e:
            raise ConfigError(f"Config file {p} does not exist.") from e
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise ConfigError(f"Config file {p} is not valid TOML: {e}.") from e
    for sec, vals in _normalise(overrides or {}, origin=None).items():
        if sec == "exercise":
            for name, table in vals.items():
                data.setdefault("exercise", {}).setdefault(name, {}).update(table)
        else:
            data.setdefault(sec, {}).update(vals)
    return Config(**data)


MAX_TEMPO_PHASE_S = 20.0  # longest prescribed phase: slower is a hold, timed as one, not a tempo to follow
DEFAULT_TEMPO_ORDER = "lowering-pause-rising-pause"


def parse_tempo(
    text: str, order: str = DEFAULT_TEMPO_ORDER, *, max_phase_s: float | None = MAX_TEMPO_PHASE_S
) -> tuple[float, float, float, float]:
    """Parse a tempo like ``"3-1-2-1"``: four phases in seconds, in the exercise's own phase order.

    Each phase typed in is 0 to :data:`MAX_TEMPO_PHASE_S` seconds (20 s): a slower "phase" is a hold, and a tempo
    is something a person follows while moving. The ceiling is for NEW input only (CLI ``--tempo``, the app's
    fields, the plan editor): a routine or a history row stored before it existed (a 3-30-2-0 tempo) is read with
    ``max_phase_s=None`` so it still loads.

    Args:
        text: the tempo as typed.
        order: the exercise's phases in words, for the message (``PhaseWords.order``, e.g. "up-hold-down-rest"
            for a glute bridge); lowering-pause-rising-pause by default.
        max_phase_s: the longest phase accepted; None = no ceiling (reading what was stored).

    Raises:
        ConfigError: not four numbers separated by dashes, not a finite number, negative, or over the ceiling.
    """
    parts = str(text).strip().split("-")
    try:
        vals = tuple(float(p) for p in parts)
    except ValueError:
        vals = ()
    example = "like 3-1-2-1"
    if len(vals) != 4:
        raise ConfigError(f"Tempo {text!r} is not understood: use four seconds, {order}, {example}.")
    if not all(math.isfinite(v) for v in vals):
        raise ConfigError(f"Tempo {text!r} is not understood: each of the four phases ({order}) is a number of "
                          f"seconds, {example}.")  # fmt: skip
    if any(v < 0 for v in vals):
        raise ConfigError(f"Tempo {text!r} has a negative phase: use four seconds of 0 or more, {order}, {example}.")
    if max_phase_s is not None and any(v > max_phase_s for v in vals):
        raise ConfigError(
            f"Tempo {text!r} asks for more than {max_phase_s:g} s in one phase ({order}): each phase is at "
            f"most {max_phase_s:g} s. A longer still phase is a hold, not a tempo."
        )
    return vals  # type: ignore[return-value]


def tempo_order(exercise: str) -> str | None:
    """The exercise's phase order for tempo input ("up-hold-down-rest" for a bridge); None when it has no tempo.

    The one rule the CLI's ``--tempo`` and the app's tempo field follow: an exercise timed as a hold (a still
    position held for seconds) has no tempo to type. An exercise not registered gets the default order.
    """
    from formcheck.engine.registry import find_spec  # lazy: the registry imports the exercise modules

    spec = find_spec(exercise) if exercise else None
    if spec is None:
        return DEFAULT_TEMPO_ORDER
    if not spec.phases.has_reps or not spec.judges_tempo:
        return None
    return spec.phases.order


# -- the commented TOML, generated from the models ------------------------------------------------------------------

_HEADER = """\
# formcheck configuration. Copy this file, keep only what you change, and pass it with --config FILE.
# Units are in the names and comments; values here are the built-in defaults; ranges in [brackets] are enforced.
# Each exercise has its own [exercise.<name>] table. Generated from the config models by 'formcheck config'.
"""
_COMMENT_COL = 32  # values line up their comments here (as in the hand-written file this replaced)
_MAX_LINE = 120


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, tuple | list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return repr(v)


def _bounds(metadata: Any) -> tuple[str, str]:
    lo = hi = ""
    for m in metadata:
        if isinstance(m, FieldInfo):  # Field(...) inside Annotated[...] (tuple items)
            m_lo, m_hi = _bounds(m.metadata)
            lo, hi = m_lo or lo, m_hi or hi
            continue
        if isinstance(m, annotated_types.Gt):
            lo = f"{_fmt(m.gt)} < "
        elif isinstance(m, annotated_types.Ge):
            lo = f"{_fmt(m.ge)} <= "
        elif isinstance(m, annotated_types.Lt):
            hi = f" < {_fmt(m.lt)}"
        elif isinstance(m, annotated_types.Le):
            hi = f" <= {_fmt(m.le)}"
    return lo, hi


def _range_text(name: str, info: Any) -> str:
    """The enforced range, for the TOML comment: field bounds, item bounds of tuples, and the unit rules."""
    if get_origin(info.annotation) is tuple:
        lo, hi = "", ""
        for arg in get_args(info.annotation)[:1]:
            if get_origin(arg) is Annotated:
                lo, hi = _bounds(get_args(arg)[1:])
        if name.endswith("_band_pct"):
            return " [0 <= low < high <= 100]"
        if name.endswith("_s") and not lo:
            lo = "0 <= "
        return f" [each {_interval(lo, hi)}]" if lo or hi else ""
    lo, hi = _bounds(info.metadata)
    return f" [{_interval(lo, hi)}]" if lo or hi else ""


def _interval(lo: str, hi: str) -> str:
    if lo and not hi:  # "0 <= x" reads better as "x >= 0"
        value, op = lo.split()
        return f"x {op.replace('<', '>')} {value}"
    return f"{lo}x{hi}"


def _toml_table(title: str, model: type[_Section]) -> Iterator[str]:
    yield f"[{title}]"
    yield f"# {(model.__doc__ or '').strip().splitlines()[0].replace('``', '')}"
    for name, info in model.model_fields.items():
        line = f"{name} = {_toml_value(info.default)}"
        comment = f"# {info.description or ''}{_range_text(name, info)}".rstrip()
        if len(line) < _COMMENT_COL - 1:
            line = line.ljust(_COMMENT_COL)
        else:
            line += "  "
        if len(line) + len(comment) <= _MAX_LINE:
            yield line + comment
        else:  # too long for one line: the comment goes above the value
            yield comment
            yield line.rstrip()


def default_toml() -> str:
    """The commented default configuration (what ``formcheck config`` prints and ``default_config.toml`` holds)."""
    lines = [_HEADER]
    for sec in _SECTIONS:
        lines += [*_toml_table(sec, type(getattr(Config(), sec))), ""]
    for name, model in sorted(exercise_config_models().items()):
        lines += [*_toml_table(f"exercise.{name}", model), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":
    # via the package module, not this __main__ copy: exercise modules register into formcheck.config
    from formcheck import config as _config

    print(_config.default_toml(), end="")
