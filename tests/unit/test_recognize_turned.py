"""A standing set filmed with the phone turned on its side (no rotation flag): the body lies across the picture.

Acceptance check #4 found the bundled hinge, turned sideways, recognised as a glute bridge (72 %) and praised
("Clean bridge: hips 3° past a straight line"); turned the other way it read as a prone press-up (100 %). Truth
here: synthetic standing sets (a hinge, a squat; formcheck.synth generators posed by joint angles) turned by ±90° in
the image plane exactly as MediaPipe reports a turned picture (measured on the bundled clip turned: image and world
landmarks both turn with the picture). They must not be recognised as a floor exercise; the genuine floor sets keep
their family (tests/unit/test_recognize.py, tests/integration/test_recognition_clips.py).
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

from formcheck.analyze import TURNED_CAMERA_WARNING, analyze_sequence
from formcheck.analyzers.floor_synth import plank_clip, prone_extension_clip
from formcheck.analyzers.glute_bridge_synth import bridge_clip
from formcheck.analyzers.squat_synth import SquatRep, squat_clip
from formcheck.config import Config
from formcheck.errors import ExerciseNotRecognisedError
from formcheck.recognize import UNKNOWN, recognize
from formcheck.synth import RepSpec, hinge_clip
from formcheck.types import PoseSequence


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def turned(seq: PoseSequence, clockwise: bool) -> PoseSequence:
    """``seq`` as a camera turned 90° would film it: normalised image points and world points turned in the image
    plane (a W×H picture becomes H×W)."""
    lm, w = np.array(seq.landmarks, dtype=float), np.array(seq.world, dtype=float)
    x, y = lm[..., 0].copy(), lm[..., 1].copy()
    wx, wy = w[..., 0].copy(), w[..., 1].copy()
    if clockwise:
        lm[..., 0], lm[..., 1] = 1.0 - y, x
        w[..., 0], w[..., 1] = -wy, wx
    else:
        lm[..., 0], lm[..., 1] = y, 1.0 - x
        w[..., 0], w[..., 1] = wy, -wx
    return dataclasses.replace(seq, landmarks=lm, world=w, width=seq.height, height=seq.width)


STANDING = {
    "hinge": lambda s: hinge_clip([RepSpec()] * 3, seed=s, noise_px=1.0).seq,
    "deep hinge, soft knees": lambda s: hinge_clip([RepSpec(pelvis_deg=80.0, knee_deg=30.0)] * 3, seed=s).seq,
    "stoop": lambda s: hinge_clip([RepSpec(pelvis_deg=30.0, spine_deg=40.0)] * 3, seed=s, noise_px=1.0).seq,
    "squat": lambda s: squat_clip([SquatRep(pelvis_deg=12.0)] * 3, facing=1, seed=s).seq,
}


@pytest.mark.parametrize("clockwise", [True, False], ids=["clockwise", "anticlockwise"])
@pytest.mark.parametrize("name", list(STANDING))
def test_a_standing_set_turned_on_its_side_is_not_a_floor_exercise(name: str, clockwise: bool) -> None:
    seq = STANDING[name](3)
    assert recognize(seq).position == "standing"  # the generator's set, upright
    rec = recognize(turned(seq, clockwise))
    assert rec.family not in ("glute_bridge", "prone_extension", "dead_bug", "plank"), rec.reason
    if rec.position in ("supine", "prone"):
        # The trunk bends forward off the legs, where a bridge or press-up arches back: said, with what to do.
        assert rec.family == UNKNOWN and rec.turned_camera and not rec.confident
        assert "turn the video upright" in rec.reason
        with pytest.raises(ExerciseNotRecognisedError, match="turned on its side"):
            rec.require()


@pytest.mark.parametrize(
    ("make", "family"),
    [
        (lambda f: bridge_clip(facing=f, seed=1).seq, "glute_bridge"),
        (lambda f: prone_extension_clip(facing=f, seed=1).seq, "prone_extension"),
        (lambda f: plank_clip(facing=f, seed=1).seq, "plank"),
    ],
    ids=["bridge", "press-up", "plank"],
)
@pytest.mark.parametrize("facing", [1.0, -1.0])
def test_floor_sets_are_not_taken_for_a_turned_camera(make, family: str, facing: float) -> None:
    rec = recognize(make(facing))
    assert rec.family == family and not rec.turned_camera, rec.reason
    assert not rec.features["raise_flexion_frac"] >= 0.5  # extension (or too few raised frames: NaN)


def test_a_named_floor_analysis_of_a_turned_hinge_warns() -> None:
    seq = turned(hinge_clip([RepSpec()] * 3, seed=2, noise_px=1.0).seq, clockwise=False)
    an = analyze_sequence(seq, "glute_bridge", Config())
    assert any(w.startswith(TURNED_CAMERA_WARNING) for w in an.quality.warnings)
    upright = analyze_sequence(bridge_clip(facing=1.0, seed=2).seq, "glute_bridge", Config())
    assert not any(w.startswith(TURNED_CAMERA_WARNING) for w in upright.quality.warnings)
