"""The per-set CSV of a set with both reps and holds carries both (issue 12: each analyzer's CSV shows its own
measures).

Three sets from the synthetic generators, each with its truth by construction: a side plank with arm reaches
counted as reps inside the hold, press-ups held at the top with the pelvis lifting (a fault), and a glute bridge
held over-arched while marching (the marches are reps, the top is the hold). The CSV used to keep the reps and
drop the holds: no hold time, body line, side down, trunk elevation, pelvis rise nor the hold's cue.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import math
import sys
from pathlib import Path

import pandas as pd
import pytest

from formcheck.analyzers import glute_bridge, prone_extension, side_plank
from formcheck.analyzers.floor_synth import REACH_DEG, SHANK_M, THIGH_M, HoldSpec, prone_extension_clip, side_plank_clip
from formcheck.analyzers.glute_bridge_synth import BridgeRep, bridge_clip
from formcheck.config import Config
from formcheck.report.tabular import HOLD_FIELDS, REP_FIELDS, csv_text

sys.path.insert(0, str(Path(__file__).parents[1] / "analyzers"))
import fc_analysis  # noqa: E402 - the analyzer tests' analyse-with-cues helper

CFG = Config()
HOLD_TOL_S = 0.3  # a hold's bounds against the script (the analyzer tests hold them tighter)
PELVIS_LIFT_M = 0.25
MARCH_DEG = 70.0


def _side_plank():
    clip = side_plank_clip(holds=[HoldSpec(hold_s=8.0, line_deg=-10.0, sway_deg=0.5, reaches=3)], down="left")
    return side_plank.SPEC, clip, clip.truth.reps, clip.truth.phases


def _press_up():
    clip = prone_extension_clip(holds=[HoldSpec(hold_s=2.5, line_deg=25.0)] * 2, pelvis_lift_m=PELVIS_LIFT_M)
    return prone_extension.SPEC, clip, clip.truth.reps, clip.truth.phases


def _marching_bridge():
    clip = bridge_clip(reps=[BridgeRep(top_line_deg=10.0, marches=("left", "right"), march_deg=MARCH_DEG)])
    marches = [(m["start_s"], m["end_s"]) for m in clip.truth.marches]
    hold = [{"start_s": p["bottom_start_s"], "end_s": p["bottom_end_s"]} for p in clip.truth.phases]
    return glute_bridge.SPEC, clip, marches, hold


@functools.cache
def _case(name: str):
    """(spec, analysis with cues, truth reps as (start_s, end_s), truth holds as {start_s, end_s}, its CSV)."""
    spec, clip, reps, holds = {"side_plank": _side_plank, "press_up": _press_up, "bridge": _marching_bridge}[name]()
    an = fc_analysis.analyse(spec, clip.seq, CFG)
    text = csv_text(an, CFG)
    return spec, an, reps, holds, text


# (case, the fault cue the script put in the hold, per kind: a column and its truth with tolerance)
CASES = [
    (
        "side_plank",
        "side_plank.sag",  # hips 10° low, past the 5° limit
        {
            "hold": {"body_line_median_deg": (-10.0, 1.0), "left_down_frac": (1.0, 0.05), "side": "left"},
            "rep": {"arm_reach_max_deg": (REACH_DEG, 3.0)},
        },
    ),
    (
        "press_up",
        "pelvis.down",  # the pelvis rises 25 cm at the top
        {
            "hold": {
                "trunk_elevation_median_deg": (25.0, 1.0),
                "pelvis_rise_frac": (PELVIS_LIFT_M / (THIGH_M + SHANK_M), 0.02),
            },  # fmt: skip
            "rep": {"trunk_elevation_max_deg": (25.0, 1.0)},
        },
    ),
    (
        "bridge",
        "bridge.overarch",  # 10° past a straight line
        {
            "hold": {"hip_ext_top_deg": (10.0, 1.0), "march_count": (2.0, 0.0)},
            "rep": {"march_lift_deg": (MARCH_DEG, 2.0)},
        },
    ),
]


@pytest.mark.parametrize(("name", "fault", "truth"), CASES)
def test_csv_has_every_rep_and_every_hold_with_their_own_measures(name: str, fault: str, truth: dict) -> None:
    spec, an, true_reps, true_holds, text = _case(name)
    assert an.reps and an.holds  # the set has both, as scripted
    rows = list(csv.DictReader(io.StringIO(text)))
    header = next(csv.reader(io.StringIO(text)))
    frame = pd.read_csv(io.StringIO(text))  # a spreadsheet reads it too: one table, one header
    assert list(frame.columns) == header and len(frame) == len(rows)

    # Every rep and every hold is a row, told apart by ``kind``, in time order.
    assert header[0] == "kind" and set(REP_FIELDS) | set(HOLD_FIELDS) <= set(header)
    assert sorted(r["kind"] for r in rows) == sorted(["rep"] * len(true_reps) + ["hold"] * len(true_holds))
    starts = [float(r["start_s"]) for r in rows]
    assert starts == sorted(starts)
    by_kind = {k: [r for r in rows if r["kind"] == k] for k in ("rep", "hold")}
    for row, t in zip(by_kind["hold"], true_holds, strict=True):
        assert float(row["start_s"]) == pytest.approx(t["start_s"], abs=HOLD_TOL_S)
        assert float(row["end_s"]) == pytest.approx(t["end_s"], abs=HOLD_TOL_S)
        assert float(row["duration_s"]) == pytest.approx(t["end_s"] - t["start_s"], abs=2 * HOLD_TOL_S)
        assert row["bottom_s"] == "" and row["eccentric_s"] == ""  # a rep's phases: not a hold's
    for row, (a, b) in zip(by_kind["rep"], true_reps, strict=True):
        assert float(row["start_s"]) == pytest.approx(a, abs=HOLD_TOL_S)
        assert float(row["end_s"]) == pytest.approx(b, abs=HOLD_TOL_S)
        assert row["duration_s"] == "" and row["breaks"] == ""  # a hold's fields: not a rep's

    # Each kind's declared measures are columns, and each row carries its own kind's values.
    for kind in ("rep", "hold"):
        assert {m.key for m in spec.metric_specs("csv", kind)} <= set(header)
        items = an.reps if kind == "rep" else an.holds
        for row, item in zip(by_kind[kind], items, strict=True):
            for m in spec.metric_specs("csv", kind):
                v = m.value_of(item.metrics)
                assert (row[m.key] == "") if math.isnan(v) else (float(row[m.key]) == pytest.approx(v, rel=1e-5))
            for key, want in truth[kind].items():
                if isinstance(want, str):
                    assert row[key] == want
                else:
                    assert float(row[key]) == pytest.approx(want[0], abs=want[1]), key

    # The hold's fault is in the hold's row, not in a rep's.
    assert all(fault in r["cues"].split(";") for r in by_kind["hold"])
    assert not any(fault in r["cues"].split(";") for r in by_kind["rep"])


@pytest.mark.parametrize("name", ["side_plank", "press_up", "bridge"])
def test_sets_of_one_kind_keep_their_columns(name: str) -> None:
    # Without the reps (or the holds) the CSV is the per-hold (per-rep) table it always was: no ``kind`` column.
    an = _case(name)[1]
    holds_only = csv_text(dataclasses.replace(an, reps=()), CFG)
    reps_only = csv_text(dataclasses.replace(an, holds=()), CFG)
    assert next(csv.reader(io.StringIO(holds_only)))[: len(HOLD_FIELDS)] == list(HOLD_FIELDS)
    assert next(csv.reader(io.StringIO(reps_only)))[: len(REP_FIELDS)] == list(REP_FIELDS)
    assert len(list(csv.DictReader(io.StringIO(holds_only)))) == len(an.holds)
    assert len(list(csv.DictReader(io.StringIO(reps_only)))) == len(an.reps)
