"""Per-rep, per-hold and cue tables: columns from the exercise's specs, unknowns shown as a dash (never 0)."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

from formcheck.config import Config
from formcheck.types import Break, Cue, Hold, Rep
from formcheck.ui.tables import cue_rows, fmt, hold_rows, rep_rows, top_cue_per_hold, top_cue_per_rep

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fc_fake_exercise as fake  # noqa: E402

GENERIC = ["Rep", "Lowering s", "Pause s", "Rising s", "Top s"]


def rep(i: int, cls: str = "hinge", side: str | None = None, hold_s: float = math.nan, **metrics) -> Rep:
    return Rep(i, 0.0, 3.0, 6.0, 3.04, 1.0, 1.96, math.nan, 6.0, 70.0, cls, metrics, side, hold_s)


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


def test_hinge_rep_rows_from_reps_and_dicts():
    reps = [rep(1, hip_share=0.71, spine_flexion_est_deg=4.2), rep(2, "stoop", hip_share=math.nan)]
    cue = Cue("tempo.eccentric_fast", "warn", "Lower for 3 s", 30, rep_index=2)
    rows = rep_rows(reps, {2: cue}, exercise="hinge", view="side", config=Config())
    # the hinge declares these table columns (title = spec.short) between the phase times and the pattern
    assert list(rows[0]) == [*GENERIC, "Hip share %", "Back rounding °", "Weight % foot (min–max)", "Knee bend °",
                             "Pattern", "Cue"]  # fmt: skip
    assert rows[0]["Rep"] == "1" and rows[0]["Lowering s"] == "3.04" and rows[0]["Rising s"] == "1.96"
    assert rows[0]["Hip share %"] == "71" and rows[0]["Back rounding °"] == "4"
    assert rows[0]["Top s"] == "–" and rows[0]["Weight % foot (min–max)"] == "–"
    assert rows[1]["Hip share %"] == "–" and rows[1]["Cue"] == "Lower for 3 s" and rows[0]["Cue"] == ""
    # classes in the hinge's plain words
    assert rows[0]["Pattern"] == "hip hinge" and rows[1]["Pattern"] == "stoop (bend from the back)"
    as_dicts = rep_rows([r.to_dict() for r in reps], exercise="hinge", view="side", config=Config())
    assert as_dicts == [{k: v for k, v in r.items() if k != "Cue"} for r in rows]


def test_rep_rows_read_any_exercise_spec(monkeypatch):
    fake.install(monkeypatch)
    reps = [
        rep(1, "steady", side="left", hold_s=2.04, reach_cm=31.6, level_share=0.5, hidden_deg=3.0),
        rep(2, "", side=None, reach_cm=math.nan),
    ]
    rows = rep_rows(reps, exercise=fake.NAME, view="side", config=Config())
    # Side after Rep (some rep has one), Hold s after the phases (some rep held), the table specs, no CSV-only one
    assert list(rows[0]) == ["Rep", "Side", *GENERIC[1:], "Hold s", "Reach cm", "Level %", "Pattern"]
    assert [r["Side"] for r in rows] == ["left", "both"]
    assert rows[0]["Hold s"] == "2.04" and rows[1]["Hold s"] == "–"
    assert rows[0]["Reach cm"] == "32" and rows[0]["Level %"] == "50" and rows[1]["Reach cm"] == "–"
    assert rows[0]["Pattern"] == "steady reach" and rows[1]["Pattern"] == "–"
    assert rep_rows([r.to_dict() for r in reps], exercise=fake.NAME, view="side", config=Config()) == rows


def test_rep_rows_of_an_unknown_exercise_keep_the_generic_columns():
    rows = rep_rows([rep(1, "odd", hip_share=0.7)], exercise="not-an-exercise", view="side", config=Config())
    assert list(rows[0]) == [*GENERIC, "Pattern"] and rows[0]["Pattern"] == "odd"


def test_hold_rows(monkeypatch):
    fake.install(monkeypatch)
    holds = [
        Hold(1, 2.0, 12.0, 8.0, (Break(5.0, 6.0), Break(8.0, 9.0)), "right", {"wobble_deg": 3.4}),
        Hold(2, 20.0, 20.0, 0.0),
    ]
    rows = hold_rows(holds, exercise=fake.NAME, view="side", config=Config())
    assert rows[0] == {"Hold": "1", "Side": "right", "Start s": "2.0", "Held s": "10.0", "In position s": "8.0",
                       "In position %": "80", "Breaks": "2", "Wobble °": "3"}  # fmt: skip
    # a zero-length hold has no share; no side means both
    assert rows[1]["In position %"] == "–" and rows[1]["Side"] == "both" and rows[1]["Wobble °"] == "–"
    assert hold_rows([h.to_dict() for h in holds], exercise=fake.NAME, view="side", config=Config()) == rows
    assert "Side" not in hold_rows([Hold(1, 0.0, 5.0, 5.0)], exercise=fake.NAME, view="side", config=Config())[0]


def test_hold_rows_carry_each_holds_most_important_cue_found_by_its_time(monkeypatch):
    fake.install(monkeypatch)
    holds = [Hold(1, 2.0, 12.0, 8.0, metrics={"wobble_deg": 3.4}), Hold(2, 20.0, 30.0, 10.0)]
    cues = [
        Cue("view.not_side", "info", "Film side-on", 5),  # set-level: no time, no hold's
        Cue("reach.short", "warn", "Reach 5 cm further", 30, rep_index=1, t_s=7.0),  # rep 1's, though in hold 1's time
        Cue("praise.clean", "praise", "Steady", 90, t_s=7.0),
        Cue("reach.wobble", "warn", "Hold stiller", 40, t_s=7.0),  # hold 1's middle: its cues, this one first
        Cue("praise.clean", "praise", "Steady hold", 90, t_s=25.0),
        Cue("reach.wobble", "warn", "Between holds", 40, t_s=16.0),
    ]
    top = top_cue_per_hold(cues, holds)
    assert {i: c.message for i, c in top.items()} == {1: "Hold stiller", 2: "Steady hold"}
    assert top_cue_per_hold(cues, [h.to_dict() for h in holds]) == top  # holds read back from the history
    rows = hold_rows(holds, top, exercise=fake.NAME, view="side", config=Config())
    assert [r["Cue"] for r in rows] == ["Hold stiller", "Steady hold"] and list(rows[0])[-1] == "Cue"
    assert rows[0]["Wobble °"] == "3"  # the exercise's columns are still there
    assert (
        hold_rows(holds, {}, exercise=fake.NAME, view="side", config=Config())[1]["Cue"] == ""
    )  # a hold without a cue: an empty cell
    assert "Cue" not in hold_rows(holds, exercise=fake.NAME, view="side", config=Config())[0]


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
    # without the exercise: a label made from the key, never the key itself
    assert rows[2]["Measured"] == "Centre-of-mass max (% of foot): 71.2 (limit 60)"
    assert rows[3]["Time s"] == "–" and rows[3]["Rep"] == "" and rows[0]["Kind"] == "✅ well done"
    assert rows[1]["Kind"] == "🛑 safety"
    # with the exercise: the metric's plain label and its shown unit
    named = cue_rows(cues, "hinge")
    assert named[1]["Measured"] == "Back rounding (estimate): 15° (limit 12°)"
    assert named[2]["Measured"] == "Weight over the foot, furthest toward the toes: 71% (limit 60%)"
    assert cue_rows([Cue("x.y", "info", "m", 5, "not_declared", 2.0)], "hinge")[0]["Measured"] == "Not declared: 2"
    assert cue_rows([Cue("t.x", "info", "m", 5, "eccentric_s", 1.94, 1.95)])[0]["Measured"] == (
        "Lowering time: 1.94 s (limit 1.95 s)"
    )
    for r in rows + named:  # no column without a header, no identifier in a cell
        assert "" not in r and not any("_" in v for v in r.values())


@pytest.mark.parametrize(
    ("low", "high", "cell"),
    [(6.0, 27.0, "6–27"), (math.nan, 27.0, "max 27"), (6.0, math.nan, "min 6"), (math.nan, math.nan, "–")],
)
def test_weight_over_the_foot_is_the_clis_range(low, high, cell):
    """A cue about the heels (the low end) beside "Weight % foot (max) 27" misled: the column is the CLI's range."""
    (row,) = rep_rows([rep(1, com_min_pct_foot=low, com_max_pct_foot=high)], exercise="hinge", view="side",
                      config=Config())  # fmt: skip
    assert row["Weight % foot (min–max)"] == cell and "Weight % foot (max)" not in row
