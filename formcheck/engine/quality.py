"""A set's :class:`~formcheck.types.Quality` and its plain-words warnings, the same for every exercise."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from formcheck.engine.spec import MetricSpec
from formcheck.types import Analysis, Quality

# The set-level values the setup cues compare (cue ``metric``: Quality fields), in plain words and shown as a
# percent: the cue says "42% of frames", so what it measured reads "Frames with more than one person: 42% (limit 5%)",
# never "Multi person fraction: 0.421 (limit 0.05)". Read by every evidence text
# (:func:`formcheck.report.content.value_label`).
QUALITY_SPECS: dict[str, MetricSpec] = {
    m.key: m
    for m in (
        MetricSpec("multi_person_fraction", "Frames with more than one person", unit="%", scale=100.0),
        MetricSpec("full_body_fraction", "Frames with the whole body in view", unit="%", scale=100.0),
        MetricSpec("person_fraction", "Frames with a person found", unit="%", scale=100.0),
        MetricSpec("recognised_confidence", "How sure the recognition was", unit="%", scale=100.0),
    )
}


def set_quality(
    *,
    view: str,
    facing: str,
    side_used: str,
    frames_total: int,
    n_present: int,
    n_full: int,
    n_multi: int,
    mean_visibility: float = math.nan,
    warnings: Sequence[str] = (),
    n_items: int | None = None,
    no_items: str = "No complete repetition was found.",
) -> Quality:
    """Quality of a set from frame counts, with the warnings a user acts on.

    Args:
        view, facing, side_used: the set's view estimate.
        frames_total: frames seen (with or without a person).
        n_present, n_full, n_multi: frames with a person, with a person whose body is not cut off by the
            picture's edge (:func:`formcheck.body.clean.whole_body_in_view`), with more than one person.
        mean_visibility: mean landmark visibility over frames with a person.
        warnings: the exercise's own warnings (first).
        n_items: reps (or holds) found; None = not judged here (live sets say it elsewhere).
        no_items: the warning when ``n_items`` is 0.
    """
    out = list(warnings)
    person = n_present / frames_total if frames_total else 0.0
    # Of the frames with a person: a frame where nobody was found is not "cut off" (the tracking cue covers it), and
    # with nobody found at all the share is unknown (NaN), not "cut off in every frame".
    full = n_full / n_present if n_present else math.nan
    multi = n_multi / frames_total if frames_total else 0.0
    if n_items is not None:
        if person < 0.5:
            out.append("You are out of view for much of the clip.")
        if full < 0.8 and person > 0:
            out.append("Feet or head are cut off in many frames: step back so your whole body is visible.")
        if multi > 0.05:
            out.append(
                "More than one person was in view: formcheck measured the tallest one in the picture (nearest the "
                "camera) and ignored the others."
            )
        if n_items == 0:
            out.append(no_items)
    return Quality(
        view=view,
        facing=facing,
        side_used=side_used,
        frames_total=frames_total,
        person_fraction=person,
        full_body_fraction=full,
        multi_person_fraction=multi,
        mean_visibility=mean_visibility,
        warnings=tuple(out),
    )


def body_frame_counts(seq: Any, body: Any) -> dict[str, int]:
    """The frame counts :func:`set_quality` takes, of a set and its :class:`formcheck.body.Body`.

    Returns ``frames_total`` (frames seen), ``n_present`` (with a person), ``n_full`` (with the whole body in view)
    and ``n_multi`` (with more than one person; 0 when the sequence did not count people), as keyword arguments.
    """
    return {
        "frames_total": seq.n_frames,
        "n_present": int(body.present.sum()),
        "n_full": int(body.full_body.sum()),
        "n_multi": int(np.sum(np.asarray(seq.n_people) > 1)) if seq.n_people is not None else 0,
    }


def position_mismatch(quality: Quality, positions: Sequence[str]) -> bool:
    """The set is clearly not the exercise analysed, so its form and tempo verdicts are withheld (one judgement for
    the cue list, reports, app and session tick).

    True when the set was clearly done in a position the exercise does not analyse (unknown is never a mismatch),
    or when recognition is confident it shows another exercise (``quality.recognised_as``, set by
    :func:`with_recognition`).
    """
    if quality.recognised_as:
        return True
    return quality.position not in ("", "unknown") and bool(positions) and quality.position not in positions


def position_words(position: str) -> str:
    """``side_lying`` → ``side-lying``."""
    return position.replace("_", "-")


_POSITION_WARNING_END = ", so its form numbers do not apply."  # ends the position warning (with_recognition)


def with_position(quality: Quality, estimate: Any, positions: Sequence[str], title: str) -> Quality:
    """The quality with the set's body position, and a plain warning when the exercise is not done in it.

    Args:
        quality: the set's quality so far.
        estimate: a :class:`formcheck.body.position.PositionEstimate`.
        positions: the positions the exercise analyses.
        title: the exercise's name for people.
    """
    pos = str(getattr(estimate.position, "value", estimate.position))
    q = dataclasses.replace(quality, position=pos, position_confidence=float(estimate.confidence))
    if position_mismatch(q, positions):
        want = " or ".join(position_words(p) for p in positions)
        warn = (
            f"This looks like a {position_words(pos)} exercise ({estimate.reason}); the {title.lower()} analysis is "
            f"for {want}{_POSITION_WARNING_END}"
        )
        q = dataclasses.replace(q, warnings=(*q.warnings, warn))
    return q


def without_classes(analysis: Analysis) -> Analysis:
    """``analysis`` with its rep classes cleared, for a set that is not the exercise analysed
    (:func:`position_mismatch`): a class ("squat-like") is a form verdict of that exercise and says nothing about
    another one. Batch, live and a named set recognised as another exercise all clear them here."""
    reps = tuple(dataclasses.replace(r, classification="") for r in analysis.reps)
    summary = {**analysis.summary, **({"classes": ""} if "classes" in analysis.summary else {})}
    return dataclasses.replace(analysis, reps=reps, summary=summary)


def wrong_exercise_words(recognised_title: str, named_title: str) -> str:
    """The plain warning for a set recognised as another exercise than the one named."""
    return (
        f"This looks like {_a(recognised_title.lower())}, not {_a(named_title.lower())}: choose {recognised_title} "
        "to get its checks"
    )


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def with_recognition(quality: Quality, recognised: str, confidence: float, named: str) -> Quality:
    """The quality of a set the user named ``named`` that recognition confidently reads as ``recognised``: marked
    (``recognised_as``, which :func:`position_mismatch` reads, so no form or tempo verdict is given) with a plain
    warning. Unchanged when the two agree or nothing was recognised (``""``).
    """
    if not recognised or recognised == named:
        return quality
    from formcheck.engine.registry import get_spec

    rec_title, named_title = get_spec(recognised).title, get_spec(named).title
    warn = f"{wrong_exercise_words(rec_title, named_title)}; its form and tempo are not judged here."
    # One reason, not two: the exercise it looks like says more than the body position it is done in (a bridge named
    # as a hip hinge read both "looks like a supine exercise" and "looks like a glute bridge").
    kept = tuple(w for w in quality.warnings if not w.endswith(_POSITION_WARNING_END))
    return dataclasses.replace(
        quality, recognised_as=recognised, recognised_confidence=float(confidence), warnings=(*kept, warn)
    )


def nobody_analysis(exercise: str, seq: Any, limits: tuple[str, ...]) -> Analysis:
    """The analysis of a set in which nobody was seen (no frames, or no frame with a person): no reps, an unknown
    view, and the two plain warnings every exercise gives for it."""
    nobody = ("Nobody was found in the video.", "No complete repetition was found.")
    q = set_quality(view="unknown", facing="unknown", side_used="unknown", frames_total=seq.n_frames,
                    n_present=0, n_full=0, n_multi=0, warnings=nobody)  # fmt: skip
    return Analysis(exercise=exercise, reps=(), cues=(), quality=q, video=seq.video, limits=limits)
