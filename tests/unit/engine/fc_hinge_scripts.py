"""The synthetic side-view hinge figure moved by a known-truth script, streamed live and analysed as a file.

Shared by the live-vs-batch tests of scripted hinge sets (floor deadlifts, misread opening frames): the figure is
:func:`formcheck.synth.hinge_clip` with its rep profile replaced by the script's progress
(``tests/unit/fc_floor_signals.py``'s :class:`Builder`), so the movement's shape is the script's, not the fitter's.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import formcheck.analyzers  # noqa: F401 - registers every exercise
import formcheck.synth as synth
from formcheck.config import Config
from formcheck.engine import registry
from formcheck.synth import RepSpec
from formcheck.types import Analysis, PoseSequence

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fc_floor_signals import Builder, progress  # noqa: E402 - the known-truth movement shapes

CFG = Config()
DEADLIFT = RepSpec(pelvis_deg=80.0, knee_deg=60.0, shin_deg=15.0)  # a floor pull bends the knees more than an RDL


def clip_of(b: Builder, monkeypatch: pytest.MonkeyPatch) -> PoseSequence:
    """The synthetic figure moved by the script (its rep profile replaced by the script's progress)."""
    monkeypatch.setattr(synth, "_profile", lambda t, *a: (progress(b, t), np.zeros(t.shape, dtype=np.int64), []))
    c = synth.hinge_clip([DEADLIFT], tempo=(0.0, 0.0, 0.0, 0.0), lead_in_s=b.t, lead_out_s=0.0, fps=30.0,
                         noise_px=0.5, seed=1)  # fmt: skip
    monkeypatch.undo()
    return c.seq


def live(seq: PoseSequence) -> Analysis:
    """The hinge's live stream fed frame by frame, then finished (the user pressed stop)."""
    stream = registry.get_spec("hinge").analyzer(CFG).stream()
    for i in range(seq.n_frames):
        stream.update(float(seq.t_s[i]), seq.landmarks[i], seq.world[i], seq.width, seq.height, None, 1)
    return stream.finish()


def batch(seq: PoseSequence) -> Analysis:
    """The hinge's file analysis of the same frames."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return registry.get_spec("hinge").analyzer(CFG).analyze(seq)
