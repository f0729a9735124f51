"""The per-set CSV has one column per name (review finding C on dd45418).

The Pallof press's rep metric ``hold_s`` (the time held pressed out) has the name of the rep field ``hold_s`` (a
floor rep's hold): the header listed ``hold_s`` twice and the merged row put the metric's value in both columns. A
metric named as a field now shares the field's column: the field's value, or the metric's where the field is unknown.
"""

from __future__ import annotations

import csv
import io
import math
import sys
from pathlib import Path

import pytest

from formcheck.analyzers.pallof_synth import PallofRep, pallof_clip
from formcheck.config import Config
from formcheck.engine.registry import get_spec, specs
from formcheck.report.tabular import csv_text
from formcheck.types import Analysis, Hold, Quality, Rep

sys.path.insert(0, str(Path(__file__).parents[1] / "analyzers"))
import fc_analysis  # noqa: E402 - the analyzer tests' analyse-with-cues helper

CFG = Config()
HOLD_TOL_S = 0.1  # the analyzer's hold time against the scripted one (the pallof tests hold it as tight)


def _table(text: str) -> tuple[list[str], list[list[str]]]:
    header, *rows = list(csv.reader(io.StringIO(text)))
    return header, rows


@pytest.mark.parametrize("hold_s", [3.0, 1.5])
def test_the_pallof_press_hold_time_is_one_column_with_the_scripted_hold(hold_s: float) -> None:
    clip = pallof_clip([PallofRep(hold_s=hold_s)] * 3, seed=0)
    an = fc_analysis.analyse(get_spec("pallof_press"), clip.seq, CFG)
    assert len(an.reps) == 3
    header, rows = _table(csv_text(an, CFG))
    assert header.count("hold_s") == 1
    col = header.index("hold_s")
    for row, truth in zip(rows, clip.truth.reps, strict=True):
        assert len(row) == len(header)
        assert float(row[col]) == pytest.approx(truth["hold_s"], abs=HOLD_TOL_S)


def _rep(i: int, keys: list[str], **kw: float) -> Rep:
    return Rep(i, 2.0 * i, 2.0 * i + 0.5, 2.0 * i + 1.0, 0.5, 0.0, 0.5, 0.0, 1.0, 30.0,
               metrics=dict.fromkeys(keys, 1.0), **kw)  # fmt: skip


def _analysis(exercise: str, reps: tuple[Rep, ...], holds: tuple[Hold, ...]) -> Analysis:
    q = Quality(view="side", frames_total=100, person_fraction=1.0, full_body_fraction=1.0)
    return Analysis(exercise=exercise, reps=reps, cues=(), quality=q, holds=holds)


@pytest.mark.parametrize("shape", ["reps", "holds", "both"])
@pytest.mark.parametrize("exercise", [s.name for s in specs()])
def test_no_exercise_csv_repeats_a_column_name(exercise: str, shape: str) -> None:
    # Every declared metric of the kind on every row: each name once in the header, none lost.
    spec = get_spec(exercise)
    rep_keys = [m.key for m in spec.metrics if m.kind == "rep"]
    hold_keys = [m.key for m in spec.metrics if m.kind == "hold"]
    reps = tuple(_rep(i, rep_keys) for i in (1, 2)) if shape != "holds" else ()
    holds = (Hold(1, 0.0, 8.0, 7.5, metrics=dict.fromkeys(hold_keys, 1.0)),) if shape != "reps" else ()
    header, rows = _table(csv_text(_analysis(exercise, reps, holds), CFG))
    assert len(header) == len(set(header)), sorted(k for k in header if header.count(k) > 1)
    assert set(rep_keys if reps else []) | set(hold_keys if holds else []) <= set(header)
    assert all(len(row) == len(header) for row in rows)


@pytest.mark.parametrize(
    ("field_s", "metric_s", "cell"),
    [
        (2.0, 5.0, "2"),  # the field is the rep's own reading: it is the column
        (math.nan, 5.0, "5"),  # no field value (the Pallof press): the metric of that name fills it
        (math.nan, math.nan, ""),
    ],
)
def test_a_metric_named_as_a_field_fills_it_only_when_the_field_is_unknown(
    field_s: float, metric_s: float, cell: str
) -> None:
    rep = Rep(1, 0.0, 1.0, 2.0, 1.0, 0.0, 1.0, 0.0, 2.0, 30.0, metrics={"hold_s": metric_s}, hold_s=field_s)
    header, rows = _table(csv_text(_analysis("pallof_press", (rep,), ()), CFG))
    assert header.count("hold_s") == 1
    assert rows[0][header.index("hold_s")] == cell
