"""The live hold table marks a number the set's view does not judge, as the review page, CLI, report and CSV do.

Truth: the plank's body-line and sway rules are declared side-only (CueRule.views), so from a front camera its body
line and sway are not judged; from the side they are. The live table called ``hold_rows`` without the view, so a
front-view plank's live numbers were shown bare while the review page marked them (review finding 4).
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from formcheck.cli import format_hold_table
from formcheck.config import Config, load_config
from formcheck.engine import cuerules
from formcheck.engine.viewjudged import NOT_JUDGED
from formcheck.live import LiveSnapshot
from formcheck.report.content import hold_table
from formcheck.report.tabular import csv_text
from formcheck.types import Analysis, Break, Hold, Quality
from formcheck.ui import tables
from formcheck.ui.live_view import live_tables

CFG = Config()
LINE, SWAY = "body_line_median_deg", "sway_rms_deg"
HOLD = Hold(1, 2.0, 32.0, 27.5, (Break(10.0, 12.5),), None, {LINE: 9.0, SWAY: 2.0, "line_ok_frac": 0.8})


def _plank(view: str) -> Analysis:
    q = Quality(view=view, facing="right", side_used="both", frames_total=900, person_fraction=1.0,
                full_body_fraction=1.0, multi_person_fraction=0.0, mean_visibility=0.95, position="prone")  # fmt: skip
    return Analysis(exercise="plank", reps=(), cues=(), quality=q, holds=(HOLD,))


def _live(an: Analysis, cfg: Config) -> set[str]:
    ((title, rows),) = live_tables(LiveSnapshot(holds=an.holds, view=an.quality.view, exercise="plank"), "plank", cfg)
    assert title == "Holds in this set"
    return {k for k, v in rows[0].items() if v.endswith(f"({NOT_JUDGED})")}


def _review(an: Analysis, cfg: Config) -> set[str]:
    rows = tables.hold_rows(an.holds, exercise="plank", view=an.quality.view, config=cfg)
    history = tables.hold_rows([h.to_dict() for h in an.holds], exercise="plank", view=an.quality.view, config=cfg)
    assert history == rows  # rows read back from the history store: the same marks
    return {k for k, v in rows[0].items() if v.endswith(f"({NOT_JUDGED})")}


def _cli(an: Analysis, cfg: Config) -> set[str]:
    head, dashes, row = format_hold_table(an, cfg).splitlines()
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", dashes)]  # the columns, as the rule line draws them
    return {head[a:b].strip() for a, b in spans if row[a:b].strip().endswith(f"({NOT_JUDGED})")}


def _report(an: Analysis, cfg: Config) -> set[str]:
    t = hold_table(an, cfg)
    return {h for h, c in zip(t.headers, t.rows[0].cells, strict=True) if c.endswith(f"({NOT_JUDGED})")}


def _csv(an: Analysis, cfg: Config) -> set[str]:
    (row,) = csv.DictReader(io.StringIO(csv_text(an, cfg)))
    return {k for k in row["not_judged"].split(";") if k}


# time in line is computed from the body line: marked with it (3c1bf57, line_ok_frac's evidence)
TITLES = {"live": ("Body line °", "In line %", "Sway °"), "review": ("Body line °", "In line %", "Sway °"),
          "cli": ("Body line °", "In line %", "Sway °"), "report": ("Body line °", "In line %", "Sway °"),
          "csv": (LINE, "line_ok_frac", SWAY)}  # fmt: skip


@pytest.mark.parametrize("out", [_live, _review, _cli, _report, _csv], ids=list(TITLES))
@pytest.mark.parametrize(("view", "side_view_only", "marked"), [
    ("front", True, True),  # the plank's line and sway rules are side-only
    ("side", True, False),
    ("front", False, False),  # the user let every rule speak from any view
])  # fmt: skip
def test_every_hold_table_marks_the_same_numbers(out, view, side_view_only, marked):
    cfg = load_config(None, {"cues": {"side_view_only": side_view_only}})
    got = out(_plank(view), cfg)
    want = set(TITLES[out.__name__[1:]]) if marked else set()
    assert got == want


@pytest.mark.parametrize("hold", [HOLD, HOLD.to_dict()], ids=["hold", "history row"])
def test_app_tables_judge_a_hold_on_the_rules_values(hold):
    # the values the CLI, report and CSV judge a hold on (its duration, time in band and breaks with its metrics)
    assert tables._values(hold, "hold") == cuerules.hold_values(HOLD)
