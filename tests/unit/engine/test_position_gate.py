"""The body position travels with a set: recorded in its quality, and a set clearly done in a position the exercise
does not analyse gets a plain position cue instead of that exercise's form cues (batch and live)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from formcheck.analyzers.hinge import HingeAnalyzer
from formcheck.config import Config
from formcheck.cues import analysis_cues
from formcheck.synth import hinge_clip
from formcheck.types import PoseSequence

CFG = Config()


def _lying(seq: PoseSequence, about: str) -> PoseSequence:
    """The same movement with the world landmarks turned 90° (the body lying face down; the rules for lying on the
    back are tested on real lying postures in tests/unit/body)."""
    w = np.array(seq.world, dtype=np.float64)
    xyz = w[..., :3]
    # The generator films the body side-on: its left-right axis is the world z axis. A quarter turn about it lays
    # the vertical (y) along x and the facing direction (x) along y; the sign picks chest up or chest down.
    s = 1.0 if about == "back" else -1.0
    x, y = xyz[..., 0].copy(), xyz[..., 1].copy()
    xyz[..., 0], xyz[..., 1] = s * y, -s * x
    w[..., :3] = xyz
    return dataclasses.replace(seq, world=w)


@pytest.fixture(scope="module")
def clip():
    # Lowering in 0.8 s against the default 3 s: every standing rep has a real correction to give (a clean hinge
    # gets none since thresholds are body-relative), so the test can see the lying set lose them.
    return hinge_clip(n_reps=3, tempo=(0.8, 0.5, 1.0, 1.0), facing=1, seed=3)


def test_standing_hinge_is_standing_and_cued(clip) -> None:
    a = HingeAnalyzer(CFG).analyze(clip.seq)
    assert a.quality.position == "standing" and a.quality.position_confidence > 0.9
    codes = {c.code for c in analysis_cues(a, CFG)}
    assert "setup.wrong_position" not in codes and any(c.rep_index is not None for c in analysis_cues(a, CFG))


@pytest.mark.parametrize(("about", "expected"), [("front", "prone")])
def test_a_lying_set_gets_the_position_cue_and_no_form_cues(clip, about: str, expected: str) -> None:
    a = HingeAnalyzer(CFG).analyze(_lying(clip.seq, about))
    assert a.quality.position == expected
    assert any("looks like a" in w for w in a.quality.warnings)
    cues = analysis_cues(a, CFG)
    assert "setup.wrong_position" in {c.code for c in cues}
    assert not [c for c in cues if c.rep_index is not None]  # none of the hinge's numbers apply


@pytest.mark.slow  # a long stream simulation: main CI step only (see pyproject's markers)
def test_live_set_records_the_position_and_asks_for_the_right_one(clip) -> None:
    for seq, want in ((clip.seq, "standing"), (_lying(clip.seq, "front"), "prone")):
        st = HingeAnalyzer(CFG).stream()
        states = [st.update(float(t), seq.landmarks[i], seq.world[i], seq.width, seq.height)
                  for i, t in enumerate(seq.t_s)]  # fmt: skip
        assert states[-1].position == want
        a = st.finish()
        assert a.quality.position == want
        if want != "standing":
            assert not states[-1].ready and "looks like prone" in (states[-1].setup_message or "")
