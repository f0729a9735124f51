"""Chart data frames and that each chart builds a valid Vega-Lite spec."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from formcheck.store import SetRow
from formcheck.types import Cue, Rep
from formcheck.ui.charts import (
    angle_chart,
    com_chart,
    cue_points,
    cue_timeline_chart,
    rep_spans,
    series_long,
    trend_chart,
    trend_frame,
    weekly_chart,
)


def series():
    t = np.arange(5) / 10
    return {
        "t_s": t,
        "hip_flexion_deg": np.array([0, 10, np.nan, 30, 40.0]),
        "trunk_inclination_deg": np.array([1, 2, 3, 4, 5.0]),
        "com_pct_foot": np.array([40, 45, 50, np.nan, 65.0]),
        "rep_index": np.array([0, 1, 1, 1, 0.0]),
    }


REPS = [Rep(1, 0.1, 0.2, 0.3, 0.1, 0, 0.1, 0, 0.2, 40.0)]


def test_series_long_drops_unknowns_and_unlisted():
    df = series_long(series(), {"hip_flexion_deg": "Hip", "trunk_inclination_deg": "Trunk", "absent": "X"})
    assert len(df) == 4 + 5
    assert set(df["measure"]) == {"Hip", "Trunk"}
    assert not df["value"].isna().any()
    assert df[df.measure == "Hip"]["value"].tolist() == [0, 10, 30, 40]
    assert series_long({}, {"a": "b"}).empty


def test_spans_and_cue_points():
    assert rep_spans(REPS).to_dict("records") == [{"rep": 1, "start_s": 0.1, "bottom_s": 0.2, "end_s": 0.3}]
    cues = [Cue("a.b", "warn", "x", t_s=1.0, rep_index=1), Cue("c.d", "info", "y"), Cue("e", "info", "z", t_s=math.nan)]
    assert cue_points(cues)["message"].tolist() == ["x"]


def test_charts_compile():
    for chart in (
        angle_chart(series(), REPS),
        com_chart(series(), REPS, (30.0, 60.0)),
        cue_timeline_chart([Cue("a.b", "warn", "x", t_s=0.2)], duration_s=0.5),
        cue_timeline_chart([]),
        angle_chart({}, []),
    ):
        spec = chart.to_dict()
        assert "layer" in spec or "mark" in spec


def test_trend_frame_and_charts():
    sets = [
        SetRow(1, 1, "2025-01-06T08:00:00+01:00", "hinge", 8, 0.0, None, 0.7, 1.0, "3-1-2-1"),
        SetRow(2, 2, "2025-01-08T08:00:00+01:00", "hinge", 6, 8.0, "a.mp4", math.nan, 0.5, None),
    ]
    df = trend_frame(sets)
    assert df["hip_share_pct"].iloc[0] == 70 and math.isnan(df["hip_share_pct"].iloc[1])
    assert df["tempo_adherence_pct"].tolist() == [100, 50] and df["tempo"].tolist() == ["3-1-2-1", ""]
    assert len(trend_chart(df, "hip_share_pct", "hip share %").to_dict()["datasets"]) == 1
    spec = weekly_chart([(dt.date(2025, 1, 6), 2), (dt.date(2025, 1, 13), 0)]).to_dict()
    assert spec["mark"]["type"] == "bar"
