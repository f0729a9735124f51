"""The app's rep table and live phase read the exercise's phase words (a bridge rises first)."""

from __future__ import annotations

import pytest

from formcheck.config import Config
from formcheck.types import Rep
from formcheck.ui.live_view import phase_words
from formcheck.ui.tables import rep_rows


def _rep() -> Rep:
    return Rep(index=1, start_s=0.0, bottom_s=1.5, end_s=3.0, eccentric_s=1.2, bottom_pause_s=0.4,
               concentric_s=1.4, top_pause_s=1.0, time_under_tension_s=3.0, rom_deg=40.0)  # fmt: skip


def test_bridge_table_columns():
    row = rep_rows([_rep()], exercise="glute_bridge", view="side", config=Config())[0]
    assert row["Up s"] == "1.20" and row["Hold s"] == "0.40" and row["Down s"] == "1.40" and row["Rest s"] == "1.00"
    assert "Lowering s" not in row and "Rising s" not in row


def test_hinge_table_columns_unchanged():
    row = rep_rows([_rep()], exercise="hinge", view="side", config=Config())[0]
    assert row["Lowering s"] == "1.20" and row["Rising s"] == "1.40"


@pytest.mark.parametrize(
    ("phase", "exercise", "said"),
    [("eccentric", "glute_bridge", "hips up"), ("top", "cat_camel", "on all fours"),
     ("eccentric", "hinge", "lowering"), ("eccentric", "", "lowering"), ("hold", "plank", "holding")],
)  # fmt: skip
def test_live_phase_words(phase, exercise, said):
    assert phase_words(phase, True, exercise) == said
