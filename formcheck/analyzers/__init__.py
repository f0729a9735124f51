"""Exercise analyzers and the registry.

``get_analyzer(name, config)`` builds one; ``detect_exercise(seq)`` guesses the name from the motion;
``ANALYZERS`` maps names to factories (``NAMES`` lists them).

What :func:`detect_exercise` can tell apart, honestly: a *standing bend* done in repetitions (hip hinge, RDL,
good morning, deadlift, kettlebell swing, forward bend — and also squat-like bends, which the hinge analyzer
labels per rep) from floor exercises (lying or on hands and knees), from split-stance work (lunges) and from
clips with no repeated bending. It cannot tell an RDL from a good morning or a deadlift: they are all "hinge".
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from formcheck.analyzers.base import Analyzer
from formcheck.analyzers.hinge import HingeAnalyzer
from formcheck.config import Config
from formcheck.errors import UsageError
from formcheck.types import LM, PoseSequence

ANALYZERS: dict[str, Callable[[Config], Analyzer]] = {"hinge": HingeAnalyzer}
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
            raise UsageError(
                "The exercise could not be recognised from the motion.",
                hint=f"Name it explicitly, e.g. --exercise hinge (available: {', '.join(NAMES)}).",
            )
        raise UsageError(f"Unknown exercise {name!r}.", hint=f"Available: {', '.join(NAMES)}.")
    return ANALYZERS[key](config if config is not None else Config())


@dataclass(frozen=True)
class ExerciseGuess:
    """Result of :func:`guess_exercise`: the name and the plain-language reason."""

    name: str
    reason: str
    standing_fraction: float = math.nan
    bend_range_deg: float = math.nan
    stance_split_frac: float = math.nan


def guess_exercise(seq: PoseSequence) -> ExerciseGuess:
    """Recognise a standing bend done in repetitions (see module docstring for what this can and cannot tell)."""
    from formcheck.analyzers.hinge import _clean, _smooth, mid  # same cleaning as the analysis
    from formcheck.reps import detect_reps

    cfg = Config()
    if seq.n_frames < 5 or not np.any(seq.present):
        return ExerciseGuess(UNKNOWN, "nobody was seen")
    t = np.asarray(seq.t_s, dtype=np.float64)
    px, world, _ = _clean(seq)
    world = _smooth(world, t, cfg)
    mid_hip = mid(world[:, LM.LEFT_HIP], world[:, LM.RIGHT_HIP])
    mid_sho = mid(world[:, LM.LEFT_SHOULDER], world[:, LM.RIGHT_SHOULDER])
    ankles = mid(world[:, LM.LEFT_ANKLE], world[:, LM.RIGHT_ANKLE])
    knees_l, knees_r = world[:, LM.LEFT_KNEE], world[:, LM.RIGHT_KNEE]
    # World y points down: standing means ankles well below hips, in the orientation-free 3D frame.
    leg = np.linalg.norm(world[:, LM.LEFT_HIP] - world[:, LM.LEFT_ANKLE], axis=1)
    below = (ankles[:, 1] - mid_hip[:, 1]) / leg
    standing = float(np.nanmean(below > 0.6)) if np.any(np.isfinite(below)) else 0.0
    # Trunk angle from vertical in 3D (view-independent) and 3D hip flexion.
    trunk_vec = mid_sho - mid_hip
    trunk_from_up = np.degrees(np.arccos(np.clip(-trunk_vec[:, 1] / np.linalg.norm(trunk_vec, axis=1), -1, 1)))
    thigh = mid(knees_l, knees_r) - mid_hip
    cosang = np.sum(trunk_vec * thigh, axis=1) / (np.linalg.norm(trunk_vec, axis=1) * np.linalg.norm(thigh, axis=1))
    hip_flex = 180.0 - np.degrees(np.arccos(np.clip(cosang, -1, 1)))
    upright = trunk_from_up[np.isfinite(trunk_from_up)]
    upright_rest = float(np.percentile(upright, 10)) if upright.size else math.nan
    # Split stance: fore-aft distance between the ankles relative to leg length, at its largest.
    split = np.linalg.norm((world[:, LM.LEFT_ANKLE] - world[:, LM.RIGHT_ANKLE])[:, [0, 2]], axis=1) / leg
    split_p90 = float(np.nanpercentile(split, 90)) if np.any(np.isfinite(split)) else math.nan
    reps = detect_reps(hip_flex, t, min_rom_deg=cfg.hinge.min_rom_deg, prominence_frac=cfg.hinge.rep_prominence_frac)
    rng = (
        float(np.nanpercentile(hip_flex, 95) - np.nanpercentile(hip_flex, 5)) if np.any(np.isfinite(hip_flex)) else 0.0
    )
    if standing < 0.5 or not (math.isfinite(upright_rest) and upright_rest < 35.0):
        return ExerciseGuess(
            UNKNOWN, "the body is not upright between repetitions (a floor exercise?)", standing, rng, split_p90
        )
    if math.isfinite(split_p90) and split_p90 > 0.7:
        return ExerciseGuess(UNKNOWN, "the feet are in a split stance (a lunge?)", standing, rng, split_p90)
    if not reps:
        return ExerciseGuess(UNKNOWN, "no repeated bending at the hips was found", standing, rng, split_p90)
    return ExerciseGuess("hinge", f"{len(reps)} repeated standing bend(s) at the hips", standing, rng, split_p90)


def detect_exercise(seq: PoseSequence) -> str:
    """``"hinge"`` for a standing bend done in repetitions, else ``"unknown"`` (see :func:`guess_exercise`)."""
    return guess_exercise(seq).name


__all__ = ["ANALYZERS", "NAMES", "ExerciseGuess", "detect_exercise", "get_analyzer", "guess_exercise"]
