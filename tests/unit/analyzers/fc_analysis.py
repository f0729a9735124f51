"""One exercise's analysis with its cues, for the analyzer tests (tests/unit/analyzers) and the integration tests.

The analyzer tests assert on what the user gets: the analyzer's reps and series *and* the cue engine's cues, so
:func:`analyse` runs both, the way each test file used to with its own copy; :func:`stream` feeds the streaming
analyzer frame by frame, for the live-equals-batch checks. Import it with ``sys.path.insert(0,
<this folder>)`` from another folder (as tests/unit/test_session.py does for the report builders).
"""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path

import numpy as np

from formcheck import cues as cue_engine
from formcheck.config import Config
from formcheck.engine.protocol import LiveState
from formcheck.engine.spec import ExerciseSpec
from formcheck.types import Analysis, PoseSequence

# Shoulders, elbows, wrists and hands (MediaPipe 11-22): the landmarks a floor exercise's trunk is measured from.
TRUNK_AND_ARMS = slice(11, 23)


def analyse(spec: ExerciseSpec, seq: PoseSequence, cfg: Config) -> Analysis:
    """``spec``'s analyzer on ``seq`` under ``cfg``, with the cue engine's cues in ``cues``.

    RuntimeWarnings are silenced: unknown landmarks are NaN, and numpy warns on all-NaN windows, which the tests
    create on purpose.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        an = spec.analyzer(cfg).analyze(seq)
    return dataclasses.replace(an, cues=tuple(cue_engine.analysis_cues(an, cfg)))


def analyse_video(spec: ExerciseSpec, path: Path, cfg: Config) -> Analysis:
    """:func:`analyse` on a video's poses from formcheck's pose cache (``load_or_extract``: one extraction a run)."""
    from formcheck.analyze import load_or_extract

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        seq = load_or_extract(path, cfg)
    return analyse(spec, seq, cfg)


def stream(spec: ExerciseSpec, seq: PoseSequence, cfg: Config) -> tuple[Analysis, list[LiveState]]:
    """``spec``'s streaming analyzer fed ``seq`` frame by frame (one person, no back outline), as live feeds it.

    Returns the finished analysis (no cues: the cue engine is not run) and each frame's live state. RuntimeWarnings
    are silenced as in :func:`analyse`.
    """
    st = spec.analyzer(cfg).stream()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        states = [st.update(float(seq.t_s[i]), seq.landmarks[i], seq.world[i], seq.width, seq.height, None, 1)
                  for i in range(seq.n_frames)]  # fmt: skip
        return st.finish(), states


def cue_codes(an: Analysis) -> set[str]:
    """The codes of the analysis' cues."""
    return {c.code for c in an.cues}


def without_trunk(seq: PoseSequence) -> PoseSequence:
    """``seq`` with the shoulders and arms unknown (NaN) in both the image and the world landmarks."""
    lm = np.array(seq.landmarks, dtype=np.float64)
    world = np.array(seq.world, dtype=np.float64)
    lm[:, TRUNK_AND_ARMS, :3] = np.nan
    world[:, TRUNK_AND_ARMS, :3] = np.nan
    return dataclasses.replace(seq, landmarks=lm, world=world)
