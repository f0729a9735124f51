"""The recognition reason says what it saw without a count that could contradict the analyzer's rep count.

User-eyes check: squat_front_kbtrainer_10 read "both legs bend together (4 bends)" above "5 rep(s)": the bends are
counted on hip flexion with the hinge's rule, the squat counts its reps on the knees.
"""

from __future__ import annotations

import re
import warnings

import pytest

from formcheck.analyzers.squat_synth import SquatRep, squat_clip
from formcheck.recognize import recognize
from formcheck.synth import RepSpec, hinge_clip


@pytest.mark.parametrize(
    ("make", "family"),
    [(lambda: squat_clip([SquatRep(pelvis_deg=12.0)] * 3), "squat"), (lambda: hinge_clip([RepSpec()] * 3), "hinge")],
)
def test_reason_names_no_bend_count(make, family: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        rec = recognize(make().seq)
    assert rec.family == family
    assert rec.features["bends"] >= 2  # several bends were counted ...
    assert "repeated bends" in rec.reason  # ... and said as such
    assert not re.search(r"\d+ bends?\b", rec.reason), rec.reason
