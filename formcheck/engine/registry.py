"""The exercise registry: every exercise module registers one :class:`~formcheck.engine.spec.ExerciseSpec`.

Exercise modules live in :mod:`formcheck.analyzers` and register themselves when imported; :func:`specs` and
:func:`get_spec` import that package first, so callers never need to know which modules exist.
"""

from __future__ import annotations

import importlib

from formcheck.engine.spec import ExerciseSpec
from formcheck.errors import UsageError

_SPECS: dict[str, ExerciseSpec] = {}


def register(spec: ExerciseSpec) -> ExerciseSpec:
    """Add an exercise (idempotent for the same spec object; a second spec under one name is a bug)."""
    old = _SPECS.get(spec.name)
    if old is not None and old is not spec and old.analyzer is not spec.analyzer:
        raise ValueError(f"exercise {spec.name!r} is registered twice")
    _SPECS[spec.name] = spec
    from formcheck.config import register_exercise_config

    register_exercise_config(spec.name, spec.config_model)
    return spec


def _load() -> None:
    # Importing the package imports every exercise module, which registers itself.
    importlib.import_module("formcheck.analyzers")


def specs() -> tuple[ExerciseSpec, ...]:
    """All registered exercises, in registration order."""
    _load()
    return tuple(_SPECS.values())


def names() -> tuple[str, ...]:
    """CLI names of all registered exercises."""
    return tuple(s.name for s in specs())


def get_spec(name: str) -> ExerciseSpec:
    """The spec of one exercise.

    Raises:
        UsageError: no exercise of that name (the message lists the ones there are).
    """
    _load()
    key = (name or "").strip().lower()
    if key not in _SPECS:
        raise UsageError(f"Unknown exercise {name!r}.", hint=f"Available: {', '.join(_SPECS)}.")
    return _SPECS[key]


def find_spec(name: str) -> ExerciseSpec | None:
    """The spec of one exercise, or None (e.g. an analysis saved by a newer version)."""
    _load()
    return _SPECS.get((name or "").strip().lower())


def exercise_config(config: object, name: str) -> object:
    """The config section of one exercise (``config.exercise_config(name)``), for presentation code."""
    return config.exercise_config(name)  # type: ignore[attr-defined]
