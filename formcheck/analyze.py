"""Orchestration: pose sequence (or video) → exercise analyzer → cues → :class:`~formcheck.types.Analysis`.

``analyze_sequence`` is pure. ``analyze_video`` adds the I/O around it: pose extraction with a cache so that
re-analysing the same video with other thresholds does not re-run the pose model.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from formcheck.analyzers import NAMES, get_analyzer
from formcheck.config import Config
from formcheck.cues import analysis_cues
from formcheck.engine import judgement
from formcheck.engine.registry import exercise_config, get_spec, specs
from formcheck.types import Analysis, Cue, PoseSequence


def analyze_sequence(seq: PoseSequence, exercise: str | None, config: Config) -> Analysis:
    """Analyse one set.

    Args:
        seq: the pose sequence of one person.
        exercise: analyzer name (e.g. ``"hinge"``) or None to recognise it from the motion
            (:func:`formcheck.recognize.recognize`; what was recognised and why is kept in the settings as
            ``recognition``).
        config: thresholds and body settings.

    Returns:
        The analysis with reps, quality, per-frame series and the cue list.

    Raises:
        ExerciseNotRecognisedError: no exercise named and none recognised confidently (or one without an analyzer).
    """
    extra: dict[str, Any] = {"exercise_detected": exercise is None}
    name = exercise
    if not name:
        from formcheck.recognize import recognize

        rec = recognize(seq, config)
        name = rec.require(NAMES)
        extra.update(recognition_confidence=round(rec.confidence, 3))
    analysis = get_analyzer(name, config).analyze(seq)
    if not exercise:
        extra.update(recognition=rec.sentence(analysis.quality.view))  # the view the report then shows
    else:
        analysis = check_named_exercise(seq, analysis, config)
    analysis = ask_for_held_load(seq, analysis, config)
    return finalize_analysis(analysis, config, analysis_cues(analysis, config), **extra)


def check_named_exercise(seq: PoseSequence, analysis: Analysis, config: Config) -> Analysis:
    """Mark a set the user named when recognition is confident it is another exercise (``quality.recognised_as``).

    Its form and tempo verdicts are then withheld by the position guard's judgement
    (:func:`formcheck.engine.quality.position_mismatch`) and a plain warning says which exercise to choose: a lunge
    analysed as a hinge read "push the hips back, not down", a wrong correction. What recognition saw is kept in the
    settings as ``recognition`` either way. Costs one recognition pass (tens of ms per set; docs/metrics.md).
    """
    from formcheck.recognize import recognize

    return mark_other_exercise(analysis, recognize(seq, config))


# A named set whose body lies across the picture but moves as someone standing does (recognize.Recognition.
# turned_camera): the numbers are read as if the person lay on the floor.
TURNED_CAMERA_WARNING = (
    "The video may be turned on its side: the body lies across the picture but moves as someone standing does "
    "(bending forward at the hips), so these numbers may not apply; turn the video upright and "
    "try again"
)


def mark_other_exercise(analysis: Analysis, rec: Any) -> Analysis:
    """``analysis`` marked as another exercise when ``rec`` (a :class:`formcheck.recognize.Recognition` of the
    set) confidently names one with an analyzer (:func:`formcheck.recognize.contradicts`); unchanged otherwise.

    The one marking of a named set recognised as another exercise: :func:`check_named_exercise` (a file, recognised
    on the whole set) and the live set (:class:`formcheck.live.LiveProcessor`, recognised on its first seconds).
    """
    from formcheck.engine.quality import with_recognition, without_classes
    from formcheck.recognize import contradicts

    other = contradicts(rec, analysis.exercise, NAMES)
    if not other:
        if getattr(rec, "turned_camera", False):
            q = analysis.quality
            warn = TURNED_CAMERA_WARNING + "."
            if warn not in q.warnings:
                analysis = dataclasses.replace(analysis, quality=dataclasses.replace(q, warnings=(*q.warnings, warn)))
        return analysis
    q = with_recognition(analysis.quality, other, rec.confidence, analysis.exercise)
    settings = {**dict(analysis.settings), "recognition": rec.sentence(analysis.quality.view)}
    return without_classes(dataclasses.replace(analysis, quality=q, settings=settings))


def ask_for_held_load(seq: PoseSequence, analysis: Analysis, config: Config) -> Analysis:
    """Mark the set ``quality.load_unknown`` when its exercise has load-dependent cues, no load was entered and the
    hands look like they hold a weight (both wrists low and together, :mod:`formcheck.body.hands`).

    The cue list then asks for the load and holds the load-dependent rules back (:func:`formcheck.cues.
    usable_rep_cues`): advice to shift the weight by some centimetres computed without the weight in the hands
    would be wrong, and a wrong correction is worse than none. Hands that only hang below the hips (dumbbells or a
    bar look the same as empty hands) mark ``quality.hands_low`` instead, with a plain warning: only the cues such
    a weight would turn wrong are held back (:func:`formcheck.cues.load_held_back`).
    """
    from formcheck.body.hands import seem_to_hang_low, seems_to_hold_a_weight
    from formcheck.cues import held_load_flags, held_load_warnings

    spec = get_spec(analysis.exercise)
    flags = held_load_flags(spec, config, seems_to_hold_a_weight(seq.world), seem_to_hang_low(seq.world))
    if not any(flags.values()):
        return analysis
    q = analysis.quality
    q = dataclasses.replace(q, **flags, warnings=(*q.warnings, *held_load_warnings(flags)))
    return dataclasses.replace(analysis, quality=q)


def finalize_analysis(analysis: Analysis, config: Config, cues: Sequence[Cue], **extra: Any) -> Analysis:
    """Attach the cue list and the settings the set was analysed with (file and live paths alike).

    Args:
        analysis: the analyzer's result.
        config: the configuration used.
        cues: the cues to attach.
        **extra: additional settings to record (e.g. ``source="live"``).
    """
    ex = exercise_config(config, analysis.exercise)
    settings = {
        **dict(analysis.settings),
        **extra,
        "height_cm": config.body.height_cm,
        "body_kg": config.body.body_kg,
        "load_kg": config.body.load_kg,
        "sex": config.body.sex,
        "target_tempo_s": "-".join(f"{x:g}" for x in ex.target_tempo_s),
        "tempo_tolerance_frac": ex.tempo_tolerance_frac,
        # every section a cue rule reads, so reports/history/app judge the set as it was judged here
        judgement.KEY: judgement.record(config, analysis.exercise),
    }
    return dataclasses.replace(analysis, cues=tuple(cues), settings=settings)


def load_or_extract(
    video_path: str | Path,
    config: Config,
    *,
    cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
    exercise: str | None = None,
) -> PoseSequence:
    """Pose sequence of a video, from the pose cache when it matches this file, model and mask probes.

    The mask probes traced are the ones the exercise declares (``ExerciseSpec.probes``), or those of every
    registered exercise when it is not named yet (recognition runs on the landmarks afterwards). A named
    exercise's analysis also reads the cache an unnamed one left (every probe: a superset, the same landmarks).

    Raises:
        InputError: the video is missing or unreadable.
        NoPersonError: nobody was found.
        ModelError: the pose model is missing or corrupt.
    """
    from formcheck.extract import extract_poses
    from formcheck.io.cache import cached_extract

    probes = probes_for(exercise)
    if cache:
        # A clip first analysed unnamed (every exercise's probes: batch, recognition) serves a named analysis too.
        return cached_extract(video_path, config, progress=progress, probes=probes, supersets=[probes_for(None)])
    return extract_poses(video_path, config, progress=progress, probes=probes)


def probes_for(exercise: str | None) -> tuple[str, ...]:
    """The mask probes an analysis needs: the exercise's, or every registered exercise's (in a stable order)."""
    chosen = [get_spec(exercise)] if exercise else list(specs())
    return tuple(dict.fromkeys(p for s in chosen for p in s.probes))


def analyze_video(
    video_path: str | Path,
    exercise: str | None,
    config: Config,
    *,
    cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[PoseSequence, Analysis]:
    """Extract (or load cached) poses from a video file and analyse them."""
    seq = load_or_extract(video_path, config, cache=cache, progress=progress, exercise=exercise)
    return seq, analyze_sequence(seq, exercise, config)
