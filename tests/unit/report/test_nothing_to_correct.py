"""'Nothing to correct' is said only when every rep's form checks had a number (user-eyes check: a bird-dog whose
foot was out of the picture got 'focus next: nothing to correct' although its leg could not be told)."""

from __future__ import annotations

import dataclasses
import io
import math
import sys
from pathlib import Path

from formcheck.batch import main_cue
from formcheck.cli import print_analysis
from formcheck.config import Config
from formcheck.cues import analysis_cues
from formcheck.report.content import nothing_to_correct_text, top_correction

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fc_report_builders import make_analysis, rep_plan  # noqa: E402

CFG = Config()


def clean_analysis(unmeasured: dict[int, str] | None = None):
    an = make_analysis(rep_plan(3))
    reps = [
        dataclasses.replace(r, metrics={**r.metrics, (unmeasured or {}).get(r.index, "_"): math.nan}) for r in an.reps
    ]
    an = dataclasses.replace(an, reps=tuple(reps))
    return dataclasses.replace(an, cues=analysis_cues(an, CFG))


def test_every_rep_checked_says_nothing_to_correct():
    an = clean_analysis()
    assert top_correction(an, CFG) is None
    assert nothing_to_correct_text(an, CFG) == "nothing to correct"
    assert main_cue(an, CFG) == "nothing to correct"


def test_a_rep_whose_back_was_not_told_is_named():
    an = clean_analysis({2: "spine_flexion_est_deg"})
    assert top_correction(an, CFG) is None
    text = nothing_to_correct_text(an, CFG)
    assert text != "nothing to correct" and "rep 2" in text and "rep 1" not in text
    assert main_cue(an, CFG) == text
    out = io.StringIO()
    print_analysis(an, out=out, config=CFG)
    assert "could not be told on rep 2" in out.getvalue()
    assert "keep these reps as they are" not in out.getvalue()
