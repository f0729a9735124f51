"""The session report as a plan sees it: every filmed set (also one that could not be analysed, with why), each set
compared with its prescription, a short set never praised as complete, and "1 set" in the singular.

Synthetic analyses with known counts (no video): the prescription and what was done are both known here.
"""

from __future__ import annotations

import dataclasses
import html
import re
import sys
from pathlib import Path

import pytest

from formcheck.config import Config
from formcheck.errors import NoPersonError
from formcheck.report import write_session_report
from formcheck.report.meta import SessionLine, session_row
from formcheck.routine import Exercise, Plan
from formcheck.session import PlanStep, SessionSet, compare_set, report_lines, run_session
from formcheck.types import Analysis, Hold, Quality

sys.path.insert(0, str(Path(__file__).parent / "report"))
from fc_report_builders import make_analysis, rep_plan  # noqa: E402 - the report tests' builder

HINGE = Exercise("hip_hinge", "Hip hinge", 2, 8, "standing", "hinge", tempo="3-1-2-1")
SPHINX = Exercise("sphinx", "Sphinx hold", 3, 1, "prone", "gentle extension", hold_s=20.0)
BIRD = Exercise("bird_dog", "Bird-dog", 2, 6, "quadruped", "anti-extension", per_side=True, hold_s=3.0)


def _text(path: Path) -> str:
    """The report's visible text, one line per element."""
    return re.sub(r"\n+", "\n", html.unescape(re.sub(r"<[^>]+>", "\n", path.read_text(encoding="utf-8"))))


def _hold_analysis(held_s: float) -> Analysis:
    q = Quality(view="side", facing="right", side_used="right", frames_total=900, person_fraction=1.0,
                full_body_fraction=1.0, position="prone")  # fmt: skip
    return Analysis("prone_extension", (), (), q, holds=(Hold(1, 2.0, 2.0 + held_s, held_s),))


def test_a_failed_clip_is_in_the_session_report_as_filmed_not_analysed(tmp_path):
    plan = Plan("B", "B plan", (HINGE, SPHINX))

    def analyse(clip, step, cfg):
        if clip == "dark.mp4":
            raise NoPersonError("Nobody was found in dark.mp4 (81 frames checked).")
        return make_analysis(rep_plan(8))

    result = run_session(plan, ["h.mp4", "dark.mp4"], analyse)
    out = tmp_path / "s.html"
    write_session_report(result.analyses, [out], lines=report_lines(result))
    text = _text(out)
    table = text[text.index("The one thing to work on") : text.index("Set 1:")]
    assert "Sphinx hold\nfilmed, not analysed\n" in table
    assert "Filmed (dark.mp4) but not analysed: Nobody was found in dark.mp4" in table
    assert "Set 2: Sphinx hold\nFilmed (dark.mp4) but not analysed: Nobody was found" in text


def test_a_session_of_only_failed_clips_still_makes_a_report(tmp_path):
    def fail(clip, step, cfg):
        raise NoPersonError("Nobody was found.")

    result = run_session(Plan("B", "B plan", (HINGE,)), ["dark.mp4"], fail)
    out = tmp_path / "s.pdf"
    write_session_report(result.analyses, [out], lines=report_lines(result))
    assert out.read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize(
    ("item", "analysis", "done", "note", "short_of"),
    [
        (SPHINX, _hold_analysis(6.3), "held 6.3 s of 20 s",
         "Prescribed for this set: a 20 s hold. You held 6.3 s: 14 s short of the 20 s.",
         "Hold for the full 20 s — this time 6.3 s."),
        (SPHINX, _hold_analysis(19.7), "held 20 s of 20 s",  # within half a second: read from motion
         "Prescribed for this set: a 20 s hold. You held 20 s: the full 20 s.", ""),
        (HINGE, make_analysis(rep_plan(2)), "2 of 8 reps",
         "Prescribed for this set: 8 reps, tempo 3-1-2-1. Counted: 2, 6 short of the 8.",
         "Do all 8 reps — 2 were counted this time."),
        (HINGE, make_analysis(rep_plan(8)), "8 of 8 reps",
         "Prescribed for this set: 8 reps, tempo 3-1-2-1. Counted: 8, the full set.", ""),
    ],
)  # fmt: skip
def test_each_set_is_compared_with_its_prescription(item, analysis, done, note, short_of):
    got = compare_set(SessionSet(PlanStep(item, analysis.exercise), "c.mp4", analysis))
    assert (got.done, got.note, got.short_of) == (done, note, short_of)


def test_reps_per_side_are_compared_per_side():
    reps = [dataclasses.replace(r, side=("left", "right")[i % 2]) for i, r in enumerate(rep_plan(9))]
    a = make_analysis(reps, exercise="bird_dog")
    c = compare_set(SessionSet(PlanStep(BIRD, "bird_dog"), "c.mp4", a))
    done, note, short = c.done, c.note, c.short_of
    assert done == "5 left, 4 right of 6 reps per side"
    assert "Counted: 5 left, 4 right, 2 short of the 6 per side." in note and short.startswith("Do all 6 reps per side")


def test_a_short_set_is_not_praised_as_complete_but_a_correction_stays():
    clean = make_analysis(rep_plan(2))  # clean reps: the analysis alone would praise them
    cfg = Config()
    praise = session_row(SessionLine(clean), cfg)[2]
    short = session_row(SessionLine(clean, "Hip hinge", "2 of 8 reps", "", "Do all 8 reps — 2 were counted."), cfg)
    assert short == ("Hip hinge", "2 of 8 reps", "Do all 8 reps — 2 were counted.") and praise != short[2]
    faulty = make_analysis(rep_plan(2, {1: {"spine_flexion_est_deg": 40.0}}))
    kept = session_row(SessionLine(faulty, "Hip hinge", "2 of 8 reps", "", "Do all 8 reps."), cfg)[2]
    assert kept != "Do all 8 reps."  # the form correction comes first; the count is in the Done column


def test_the_session_pdf_says_1_set_in_the_singular():
    from formcheck.report.meta import ReportMeta
    from formcheck.report.pdf import _session_story

    story = _session_story([SessionLine(make_analysis(rep_plan(2)))], Config(), ReportMeta(), compact=True)
    texts = [f.getPlainText() for f in story[:4] if hasattr(f, "getPlainText")]
    assert "1 set" in texts and "1 sets" not in texts
