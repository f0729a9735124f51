"""The exercise registry: every exercise module registers one :class:`~formcheck.engine.spec.ExerciseSpec`.

Exercise modules live in :mod:`formcheck.analyzers` and register themselves when imported; :func:`specs` and
:func:`get_spec` import that package first, so callers never need to know which modules exist.
"""

from __future__ import annotations

import difflib
import importlib
import re

from formcheck.engine.spec import ExerciseSpec
from formcheck.errors import UsageError

_SPECS: dict[str, ExerciseSpec] = {}

# Everyday names of movements an analyzer covers under another name (suggested, never silently taken: the user
# picks the analyzer knowingly). Keys are normalised (lower case, words joined by "_").
ALIASES: dict[str, str] = {
    **dict.fromkeys(
        (
            "deadlift",
            "romanian_deadlift",
            "rdl",
            "stiff_leg_deadlift",
            "single_leg_deadlift",
            "good_morning",
            "goodmorning",
            "kettlebell_swing",
            "kb_swing",
            "swing",
            "forward_bend",
            "hip_hinge",
        ),
        "hinge",
    ),
    **dict.fromkeys(("split_squat", "bulgarian_split_squat", "lunges", "reverse_lunge", "forward_lunge"), "lunge"),
    **dict.fromkeys(("bridge", "hip_bridge", "hip_thrust"), "glute_bridge"),
    **dict.fromkeys(("cat_cow", "catcow", "cat_camel_stretch"), "cat_camel"),
    **dict.fromkeys(("birddog",), "bird_dog"),
    **dict.fromkeys(("deadbug",), "dead_bug"),
    **dict.fromkeys(("pallof", "anti_rotation_press"), "pallof_press"),
    **dict.fromkeys(("cobra", "superman", "back_extension", "prone_press_up"), "prone_extension"),
    **dict.fromkeys(("sideplank",), "side_plank"),
    **dict.fromkeys(("goblet_squat", "front_squat", "back_squat", "air_squat", "bodyweight_squat"), "squat"),
}


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
        near = suggestions(name)
        did = f"Did you mean {' or '.join(repr(n) for n in near)}? " if near else ""
        raise UsageError(f"Unknown exercise {name!r}.", hint=f"{did}Available: {', '.join(_SPECS)}.")
    return _SPECS[key]


def resolve_name(text: str) -> str:
    """The exercise key for what a person typed: a key as it is (``hinge``), an exercise's title in any case and
    spacing (``"hip hinge"``, ``"Lunge / split squat"``) as its key; anything else unchanged, for :func:`get_spec`
    to refuse with its suggestions. The messages name exercises by title ("choose Hip hinge"), so a title works
    wherever a name is asked for."""
    _load()
    key = (text or "").strip().lower()
    if key in _SPECS:
        return key
    flat = " ".join(key.split())
    for spec in _SPECS.values():
        if " ".join(spec.title.lower().split()) == flat:
            return spec.name
    return text


def suggestions(name: str) -> list[str]:
    """Registered exercises a mistyped or everyday name probably means: the alias's analyzer (``deadlift`` →
    ``hinge``), then close spellings of the names (``sqat`` → ``squat``); ``[]`` when nothing is close."""
    _load()
    key = re.sub(r"[^a-z0-9]+", "_", (name or "").strip().lower()).strip("_")
    out: list[str] = []
    if key in _SPECS:
        out.append(key)
    if key in ALIASES and ALIASES[key] in _SPECS:
        out.append(ALIASES[key])
    singular = key[:-1] if key.endswith("s") else key
    for alias, target in ALIASES.items():
        if target in _SPECS and (alias == singular or (len(key) >= 4 and key in alias.split("_"))):
            out.append(target)
    out += difflib.get_close_matches(key, list(_SPECS), n=2, cutoff=0.75)
    for alias in difflib.get_close_matches(key, list(ALIASES), n=2, cutoff=0.8):
        if ALIASES[alias] in _SPECS:
            out.append(ALIASES[alias])
    return list(dict.fromkeys(out))[:2]


def find_spec(name: str) -> ExerciseSpec | None:
    """The spec of one exercise, or None (e.g. an analysis saved by a newer version)."""
    _load()
    return _SPECS.get((name or "").strip().lower())


def title(name: str) -> str:
    """The exercise's title for people ("Hip hinge"); for a name this version does not know (a set saved by a newer
    version, a family recognition names without an analyzer) the name with spaces ("bird dog")."""
    spec = find_spec(name)
    return spec.title if spec is not None else str(name or "").replace("_", " ")


def exercise_config(config: object, name: str) -> object:
    """The config section of one exercise (``config.exercise_config(name)``), for presentation code."""
    return config.exercise_config(name)  # type: ignore[attr-defined]
