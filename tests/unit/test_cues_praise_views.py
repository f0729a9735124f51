"""A clean rep's praise names only what its view let the rules judge (cues._praise_of_judged).

Truth: the synthetic squat's reps are clean (exact geometry), and each squat rule declares the views it is valid in
(depth and trunk from the side, knees caving in from the front). From the front the depth and trunk are not judged,
so the praise must not say "hips below the knees" or "trunk parallel to the shins"; from the side the knees overlap,
so it must not say "knees over the toes".
"""

from __future__ import annotations

from functools import cache

import pytest

from formcheck import cues as cue_engine
from formcheck.analyzers.squat import SquatAnalyzer
from formcheck.analyzers.squat_synth import FAULTS, squat_clip
from formcheck.config import Config

CFG = Config()
DEPTH_TRUNK = ("hips below the knees", "thighs", "trunk parallel")
KNEES = ("knees over the toes",)


@cache
def praises(view: str) -> list[str]:
    clip = squat_clip([FAULTS["clean"]] * 3, view=view, contour=view == "side")
    an = SquatAnalyzer(CFG).analyze(clip.seq)
    assert an.quality.view == view and len(an.reps) == 3
    return [c.message for c in cue_engine.analysis_cues(an, CFG) if c.code == "praise.clean"]


@pytest.mark.parametrize(
    ("view", "said", "not_said"), [("front", KNEES, DEPTH_TRUNK), ("side", DEPTH_TRUNK[::2], KNEES)]
)
def test_praise_names_only_what_the_view_judges(view: str, said: tuple[str, ...], not_said: tuple[str, ...]) -> None:
    msgs = praises(view)
    assert msgs, f"a clean squat seen from the {view} is praised"
    for m in msgs:
        assert any(s in m for s in said), m
        assert not any(s in m for s in not_said), m
