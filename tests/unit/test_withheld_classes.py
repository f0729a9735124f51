"""A set that is not the exercise analysed shows none of that exercise's rep classes (review fix).

Known truth: the synthetic lunge named as a hip hinge (its joint angles are posed, never computed from what the
classes read); recognition reads it as a lunge, so "squat-like" (a hinge verdict) must not be shown.
"""

from __future__ import annotations

import warnings

from formcheck.analyze import analyze_sequence
from formcheck.analyzers.lunge_synth import lunge_clip
from formcheck.config import Config

CFG = Config()


def test_a_lunge_named_as_a_hinge_shows_no_hinge_class() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        a = analyze_sequence(lunge_clip(facing=1.0, seed=3).seq, "hinge", CFG)
    assert a.quality.recognised_as == "lunge" and a.reps
    assert {r.classification for r in a.reps} == {""}  # "squat-like" is a hinge verdict
    assert a.summary.get("classes", "") == ""
