"""The app's rep tables (review, history, live) show a rep class exactly where the CLI and the report do.

A squat's class is its depth, judged side-on only (``class_views``): from an oblique or front view the CLI and the
report withhold it ("–"). The app table once showed it anyway (a physio read "deep" beside a report that said "–").
"""

from __future__ import annotations

import math

import pytest

from formcheck.cli import format_rep_table
from formcheck.config import Config
from formcheck.live import LiveSnapshot
from formcheck.report import content as rc
from formcheck.types import Analysis, Quality, Rep
from formcheck.ui.live_view import live_tables
from formcheck.ui.tables import rep_rows

DEEP, PARTIAL = "deep (hips below knees)", "partial"  # the squat's declared words for its classes


def _squat(view: str) -> Analysis:
    reps = (
        Rep(1, 0.0, 1.5, 3.0, 1.5, 0.0, 1.5, math.nan, 3.0, 90.0, "deep", {}),
        Rep(2, 4.0, 5.5, 7.0, 1.5, 0.0, 1.5, math.nan, 3.0, 60.0, "partial", {}),
    )
    quality = Quality(view=view, frames_total=210, person_fraction=1.0, full_body_fraction=1.0)
    return Analysis("squat", reps, (), quality)


@pytest.mark.parametrize(
    ("view", "truth"),
    [
        ("side", [DEEP, PARTIAL]),  # the view that judges depth: the class in words
        ("unknown", [DEEP, PARTIAL]),  # no view known: the class is not withheld (as the CLI does)
        ("oblique", ["–", "–"]),  # depth not judged from here: withheld everywhere
        ("front", ["–", "–"]),
    ],
)
def test_app_tables_show_the_class_where_the_cli_and_report_do(view: str, truth: list[str]) -> None:
    an = _squat(view)
    review = [row["Pattern"] for row in rep_rows(an.reps, exercise="squat", view=view, config=Config())]
    history = [
        row["Pattern"] for row in rep_rows([r.to_dict() for r in an.reps], exercise="squat", view=view, config=Config())
    ]
    (_, live), *_ = live_tables(LiveSnapshot(reps=an.reps, view=view, exercise="squat"), "squat", Config())
    table = rc.rep_table(an, Config())
    report = [row.cells[table.headers.index("Type")] for row in table.rows]
    assert review == history == [row["Pattern"] for row in live] == report == truth
    cli = format_rep_table(an, Config())
    assert (DEEP in cli) == (truth[0] == DEEP) and ("partial" in cli) == (truth[1] == PARTIAL)


def test_a_live_snapshot_carries_the_sets_view() -> None:
    assert LiveSnapshot().view == "unknown"  # before anything is seen: nothing withheld, nothing claimed


@pytest.mark.parametrize(("view", "said"), [("side", f"({DEEP})"), ("oblique", "(rep)")])
def test_the_cli_live_lines_withhold_the_class_as_the_tables_do(view: str, said: str) -> None:
    import io

    from formcheck.cli import _LivePrinter

    out = io.StringIO()
    an = _squat(view)
    _LivePrinter(out)(LiveSnapshot(running=True, ready=True, rep_count=1, reps=an.reps[:1], view=view,
                                   exercise="squat"))  # fmt: skip
    line = next(x for x in out.getvalue().splitlines() if x.startswith("rep 1:"))
    assert line.endswith(said)
