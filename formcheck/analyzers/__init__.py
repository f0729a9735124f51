"""Exercise analyzers: one module per exercise on the shared engine, found through the registry.

Each exercise module registers its :class:`~formcheck.engine.spec.ExerciseSpec` when imported (importing this
package imports them all). ``get_analyzer(name, config)`` builds one; ``detect_exercise(seq)`` guesses the name
from the motion; ``ANALYZERS`` maps names to factories (``NAMES`` lists them).

Recognition (which exercise a clip shows, its position and view, with a reason and a confidence) lives in
:mod:`formcheck.recognize`; :func:`guess_exercise` and :func:`detect_exercise` are thin wrappers that give
``"unknown"`` below its confidence threshold. What it tells apart and how well: docs/metrics.md ("Recognition
(issue 13)").
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from formcheck.analyzers import (
    bird_dog,  # noqa: F401 - registers the exercise
    cat_camel,  # noqa: F401 - registers the exercise
    dead_bug,  # noqa: F401 - registers the exercise
    glute_bridge,  # noqa: F401 - registers the exercise
    hinge,  # noqa: F401 - registers the exercise
    lunge_spec,  # noqa: F401 - registers the exercise
    pallof,  # noqa: F401 - registers the exercise
    plank,  # noqa: F401 - registers the exercise
    prone_extension,  # noqa: F401 - registers the exercise
    side_bend,  # noqa: F401 - registers the exercise
    side_plank,  # noqa: F401 - registers the exercise
    squat_spec,  # noqa: F401 - registers the exercise
    trunk_rotation,  # noqa: F401 - registers the exercise
)
from formcheck.config import Config
from formcheck.engine.protocol import Analyzer
from formcheck.engine.registry import specs
from formcheck.errors import ExerciseNotRecognisedError, UsageError
from formcheck.types import PoseSequence

ANALYZERS: dict[str, Callable[[Config], Analyzer]] = {s.name: s.analyzer for s in specs()}
NAMES: tuple[str, ...] = tuple(ANALYZERS)
UNKNOWN = "unknown"


def get_analyzer(name: str, config: Config | None = None) -> Analyzer:
    """The analyzer called ``name`` configured with ``config``.

    Raises:
        UsageError: unknown name (including ``"unknown"`` from :func:`detect_exercise`).
    """
    key = (name or "").strip().lower()
    if key not in ANALYZERS:
        if key == UNKNOWN:
            raise ExerciseNotRecognisedError(
                "The exercise could not be recognised from the motion.",
                hint=f"Name it explicitly, e.g. --exercise hinge (available: {', '.join(NAMES)}).",
            )
        raise UsageError(f"Unknown exercise {name!r}.", hint=f"Available: {', '.join(NAMES)}.")
    return ANALYZERS[key](config if config is not None else Config())


@dataclass(frozen=True)
class ExerciseGuess:
    """Result of :func:`guess_exercise`: the name (``"unknown"`` when not confident) and the plain reason.

    ``recognition`` is the full :class:`formcheck.recognize.Recognition` (family, position, view, confidence,
    alternatives) it was made from.
    """

    name: str
    reason: str
    standing_fraction: float = math.nan  # frames read as standing (formcheck.body.position)
    bend_range_deg: float = math.nan  # trunk inclination range (3D), deg
    stance_split_frac: float = math.nan  # feet apart front to back, 90th percentile, leg lengths
    recognition: Any = None


def guess_exercise(seq: PoseSequence) -> ExerciseGuess:
    """Recognise the exercise (:func:`formcheck.recognize.recognize`); ``"unknown"`` below its confidence threshold.

    A thin wrapper kept for its callers: the name is the recognised family when it is named confidently, else
    ``"unknown"``; the reason is the recognition's.
    """
    from formcheck.recognize import recognize

    rec = recognize(seq)
    f = rec.features
    name = rec.family if rec.confident else UNKNOWN
    return ExerciseGuess(
        name,
        rec.reason,
        standing_fraction=float(f.get("position_standing", math.nan)),
        bend_range_deg=float(f.get("trunk_bend_deg", math.nan)),
        stance_split_frac=float(f.get("stance_frac", math.nan)),
        recognition=rec,
    )


def detect_exercise(seq: PoseSequence) -> str:
    """The recognised exercise's name, or ``"unknown"`` when not confident (see :func:`guess_exercise`)."""
    return guess_exercise(seq).name


__all__ = ["ANALYZERS", "NAMES", "ExerciseGuess", "detect_exercise", "get_analyzer", "guess_exercise"]
