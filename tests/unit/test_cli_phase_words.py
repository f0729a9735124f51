"""The terminal output names the exercise by its title and its rep phases in its own words."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from formcheck.cli import _build_parser, format_rep_table, print_analysis
from formcheck.config import Config
from formcheck.engine import registry
from formcheck.engine.spec import HINGE_PHASES
from formcheck.types import Analysis, Quality, Rep

SPECS = {s.name: s for s in registry.specs()}
OWN_WORDS = sorted(n for n, s in SPECS.items() if s.phases != HINGE_PHASES and s.phases.has_reps)


def _rep(cls: str = "") -> Rep:
    times = {"eccentric_s": 1.2, "bottom_pause_s": 0.4, "concentric_s": 1.4, "top_pause_s": 1.0}
    return Rep(index=1, start_s=0.0, bottom_s=1.5, end_s=3.0, time_under_tension_s=3.0, rom_deg=40.0,
               classification=cls, **times)  # fmt: skip


@pytest.mark.parametrize("name", OWN_WORDS)
def test_rep_table_head_is_the_exercise_phases(name):
    head = format_rep_table(Analysis(name, (_rep(),), (), Quality()), Config()).splitlines()[0].split()
    words = SPECS[name].phases
    assert " ".join(head).startswith("rep " + " ".join(f"{c} s" for c in words.columns))
    assert "lower" not in head and "rise" not in head


def test_bridge_table_puts_the_hold_under_hold():
    lines = format_rep_table(Analysis("glute_bridge", (_rep(),), (), Quality()), Config()).splitlines()
    head, row = lines[0].split("  "), lines[2].split("  ")
    cells = dict(zip([h.strip() for h in head if h.strip()], [c.strip() for c in row if c.strip()], strict=False))
    assert cells["hold s"] == "0.40" and cells["rest s"] == "1.00" and cells["up s"] == "1.20"


def test_class_column_is_in_words():
    table = format_rep_table(Analysis("hinge", (_rep("squat_like"),), (), Quality()), Config())
    assert "squat_like" not in table and SPECS["hinge"].class_label("squat_like") in table


def test_header_names_the_exercise_by_its_title():
    out = io.StringIO()
    print_analysis(Analysis("glute_bridge", (_rep(),), (), Quality()), out)
    first = out.getvalue().splitlines()[0]
    assert first.startswith("formcheck — Glute bridge — ") and "glute_bridge" not in first


def test_tempo_help_does_not_claim_one_order_for_every_exercise():
    analyze = next(
        a for a in _build_parser()._subparsers._group_actions[0].choices.values() if a.prog.endswith("analyze")
    )
    said = next(a.help for a in analyze._actions if "--tempo" in a.option_strings)
    assert "lowering-pause-rising-pause" not in said
    assert "glute_bridge" in said and "up-hold-down-rest" in said


def test_focus_next_names_one_rep_in_the_singular():
    sys.path.insert(0, str(Path(__file__).parent / "report"))
    from fc_report_builders import make_analysis, rep_plan

    from formcheck.config import Config
    from formcheck.cues import analysis_cues

    an = make_analysis(rep_plan(3, {2: {"spine_flexion_est_deg": 20.0}}))
    an = Analysis(**{**an.__dict__, "cues": analysis_cues(an, Config())})
    out = io.StringIO()
    print_analysis(an, out, Config())
    focus = next(line for line in out.getvalue().splitlines() if line.startswith("focus next:"))
    assert focus.endswith("(rep 2)"), focus


@pytest.mark.parametrize(
    ("view", "said"), [("oblique", "Filmed from an oblique view"), ("side", "Filmed from a side view")]
)
def test_view_warning_article(view, said):
    from formcheck.analyzers.floor_hold import view_warnings

    spec = SPECS["side_plank"] if view == "side" else SPECS["plank"]
    assert view_warnings(spec, view)[0].startswith(said)


def test_side_plank_arm_column_says_what_it_measures():
    m = SPECS["side_plank"].metric("arm_reach_max_deg")
    assert m.help and "straight up" in m.help and m.short != "Reach °"
