"""Per-rep and cue tables: formatting, unknowns shown as a dash (never 0)."""

from __future__ import annotations

import math

import pytest

from formcheck.types import Cue, Rep
from formcheck.ui.tables import cue_rows, fmt, rep_rows, top_cue_per_rep


def rep(i: int, **metrics) -> Rep:
    return Rep(i, 0.0, 3.0, 6.0, 3.04, 1.0, 1.96, math.nan, 6.0, 70.0, "hinge", metrics)


@pytest.mark.parametrize(
    ("value", "spec", "text"),
    [
        (None, "{:.1f}", "–"),
        (math.nan, "pct", "–"),
        (0.0, "{:.1f}", "0.0"),
        (0.734, "pct", "73"),
        (3, "{:d}", "3"),
        ("", "{}", "–"),
        ("stoop", "{}", "stoop"),
        (12.46, "{:.0f}", "12"),
    ],
)
def test_fmt(value, spec, text):
    assert fmt(value, spec) == text


def test_rep_rows_from_reps_and_dicts():
    reps = [rep(1, hip_share=0.71, spine_flexion_est_deg=4.2), rep(2, hip_share=math.nan)]
    cue = Cue("tempo.eccentric_fast", "warn", "Lower for 3 s", 30, rep_index=2)
    rows = rep_rows(reps, {2: cue})
    assert rows[0]["Rep"] == "1" and rows[0]["Lowering s"] == "3.0" and rows[0]["Rising s"] == "2.0"
    assert rows[0]["Hip share %"] == "71" and rows[0]["Back rounding °"] == "4"
    assert rows[0]["Top s"] == "–" and rows[0]["Weight % foot (max)"] == "–"
    assert rows[1]["Hip share %"] == "–" and rows[1]["Cue"] == "Lower for 3 s" and rows[0]["Cue"] == ""
    as_dicts = rep_rows([r.to_dict() for r in reps])
    assert [{k: v for k, v in r.items()} for r in as_dicts] == [
        {k: v for k, v in r.items() if k != "Cue"} for r in rows
    ]


def test_top_cue_per_rep_and_cue_rows():
    cues = [
        Cue("praise.clean", "praise", "Clean rep", 90, rep_index=1, t_s=5.0),
        Cue("load.toes", "warn", "Shift back 2 cm", 20, "com_max_pct_foot", 71.234, 60.0, 2, 12.0),
        Cue("spine.rounding", "safety", "Keep the back long", 1, "spine_flexion_est_deg", 15.0, 12.0, 2, 11.0),
        Cue("view.not_side", "info", "Film side-on", 5),
    ]
    top = top_cue_per_rep(cues)
    assert {k: v.code for k, v in top.items()} == {1: "praise.clean", 2: "spine.rounding"}
    rows = cue_rows(cues)
    assert [r["Cue"] for r in rows] == ["Clean rep", "Keep the back long", "Shift back 2 cm", "Film side-on"]
    assert rows[2]["Measured"] == "com_max_pct_foot = 71.2 (limit 60)"
    assert rows[3]["Time s"] == "–" and rows[3]["Rep"] == "" and rows[0][""] == "✅"
