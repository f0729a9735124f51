"""What a rolled camera changes in a hinge analysis: the set filmed by a rolled camera and the figures to compare.

The camera-roll checks (issue 10: tests/integration/test_roll_clips.py, tests/unit/body/test_body_level.py and
``scripts/lobo_roll.py --e2e``) turn a set's image landmarks as a rolled phone would film them
(:func:`rolled_sequence`) and compare the hinge analyzer's outcome on it with the level camera's
(:func:`hinge_roll_outcome`). They share these two helpers so that the tests and the script measure the same thing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from formcheck.analyzers import get_analyzer
from formcheck.body.roll import rotate_px
from formcheck.config import Config
from formcheck.cues import analysis_cues
from formcheck.types import PoseSequence

ROLL_CUE = "setup.camera_roll"


def rolled_sequence(seq: PoseSequence, roll_deg: float) -> PoseSequence:
    """The same set seen by a camera rolled by ``roll_deg`` (picture turned clockwise) about the image centre.

    The image landmarks (normalised, turned in pixels so the aspect ratio holds) and every probe's points (pixels:
    the back outline, the room's straight lines) turn; the world landmarks are kept as they are. (A real rolled
    phone would also crop the picture's corners differently; tests/unit/probes/test_probes_scene.py turns the frames
    themselves.)
    """
    c = (seq.width / 2.0, seq.height / 2.0)
    lm = np.array(seq.landmarks, dtype=np.float64)
    wh = np.array([seq.width, seq.height], dtype=np.float64)
    lm[:, :, :2] = rotate_px(lm[:, :, :2] * wh, roll_deg, c) / wh
    probes = {name: rotate_px(pts, roll_deg, c) for name, pts in seq.probes.items()}
    return dataclasses.replace(seq, landmarks=lm, probes=probes)


@dataclass(frozen=True)
class HingeRollOutcome:
    """The hinge analysis' figures a camera roll could change.

    Attributes:
        reps: the number of reps.
        com_bottom_pct_foot: each rep's bottom centre of mass as a percentage of the foot (heel → toe tip).
        form: the codes of the form cues (no praise, no ``setup.`` cue).
        roll_cue: whether the ``setup.camera_roll`` cue is given.
        roll_deg: the camera roll the analysis read (``summary["camera_roll_deg"]``).
    """

    reps: int
    com_bottom_pct_foot: np.ndarray
    form: frozenset[str]
    roll_cue: bool
    roll_deg: float


def hinge_roll_outcome(seq: PoseSequence, config: Config) -> HingeRollOutcome:
    """The hinge analyzer on ``seq`` under ``config`` with the cue engine's cues, as :class:`HingeRollOutcome`."""
    an = get_analyzer("hinge", config).analyze(seq)
    cues = analysis_cues(an, config)
    return HingeRollOutcome(
        reps=len(an.reps),
        com_bottom_pct_foot=np.array([float(r.metrics["com_bottom_pct_foot"]) for r in an.reps]),
        form=frozenset(c.code for c in cues if c.severity != "praise" and not c.code.startswith("setup.")),
        roll_cue=ROLL_CUE in {c.code for c in cues},
        roll_deg=float(an.summary["camera_roll_deg"]),
    )


__all__ = ["ROLL_CUE", "HingeRollOutcome", "hinge_roll_outcome", "rolled_sequence"]
