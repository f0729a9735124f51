"""Chart data frames, plot groups from the exercise's specs, and that each chart builds a valid Vega-Lite spec."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from formcheck.config import Config
from formcheck.engine.registry import get_spec
from formcheck.store import SetRow
from formcheck.types import Cue, Rep
from formcheck.ui.charts import (
    SEVERITY_COLORS,
    cue_points,
    cue_timeline_chart,
    group_frame,
    metric_trend_chart,
    plot_groups,
    rep_spans,
    series_charts,
    series_long,
    set_trend_values,
    trend_chart,
    trend_frame,
    trend_specs,
    weekly_chart,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fc_fake_exercise as fake  # noqa: E402


def series():
    t = np.arange(5) / 10
    return {
        "t_s": t,
        "hip_flexion_deg": np.array([0, 10, np.nan, 30, 40.0]),
        "trunk_inclination_deg": np.array([1, 2, 3, 4, 5.0]),
        "spine_flexion_est_deg": np.full(5, np.nan),
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


def test_hinge_plot_groups_follow_its_specs_and_config():
    spec = get_spec("hinge")
    groups = plot_groups("hinge", Config())
    # one chart per plot group, every "plot" series spec in exactly one of them, declared order kept
    assert [g.name for g in groups] == list(dict.fromkeys(m.plot for m in spec.metric_specs("plot", "series")))
    assert [m for g in groups for m in g.specs] == sorted(
        spec.metric_specs("plot", "series"), key=lambda m: [g.name for g in groups].index(m.plot)
    )
    by = {g.name: g for g in groups}
    assert by["balance"].band == (30.0, 60.0) and by["balance"].axis_range == (0.0, 100.0)
    assert by["balance"].y_title == "% of foot (heel → toe)" and by["balance"].band_label == "midfoot"
    assert by["back"].thresholds == (("back rounding (estimate)", 18.0),) and by["back"].band is None
    assert by["angles"].y_title == "degrees" and not by["angles"].thresholds
    # the limits are this config's, not the defaults
    cfg = Config().replace_exercise("hinge", midfoot_band_pct=(20.0, 50.0), spine_rounding_deg=8.0)
    by = {g.name: g for g in plot_groups("hinge", cfg)}
    assert by["balance"].band == (20.0, 50.0) and by["back"].thresholds[0][1] == 8.0
    assert "midfoot 20–50" in by["balance"].caption() and "limit 8" in by["back"].caption()
    # without a config: no limits drawn
    assert all(g.band is None and not g.thresholds for g in plot_groups("hinge"))
    assert plot_groups("not-an-exercise", Config()) == []


def test_series_charts_compile_with_spec_colours_and_say_why_empty():
    out = series_charts(series(), REPS, "hinge", Config())
    by = {g.name: (g, chart) for g, chart in out}
    assert set(by) == {"angles", "back", "balance"}
    back, chart = by["back"]
    assert chart is None and "back outline" in back.empty_note  # all NaN: a note, not an empty plot
    for name in ("angles", "balance"):
        group, chart = by[name]
        vega = chart.to_dict()
        layers = vega["layer"]
        colour = next(layer["encoding"]["color"] for layer in layers if "color" in layer.get("encoding", {}))
        assert colour["scale"]["range"] == [m.color for m in group.specs]
    balance_layers = by["balance"][1].to_dict()["layer"]
    assert any(layer["mark"]["type"] == "rect" and "y2" in layer["encoding"] for layer in balance_layers)  # band
    # the declared 0-100 % range, widened by the data (65 % max stays inside it)
    line = next(layer for layer in balance_layers if layer["mark"]["type"] == "line")
    assert line["encoding"]["y"]["scale"]["domain"] == [0.0, 100.0]
    # only groups whose series the analysis has
    assert [g.name for g, _ in series_charts({"t_s": np.arange(3.0)}, [], "hinge", Config())] == []


def test_any_exercise_gets_its_own_charts(monkeypatch):
    fake.install(monkeypatch)
    groups = {g.name: g for g in plot_groups(fake.NAME, Config())}
    assert set(groups) == {"arm", "sway"}
    assert [m.key for m in groups["arm"].specs] == ["arm_lift_deg", "hip_drop_deg"]
    assert groups["arm"].thresholds == (("arm lift", 15.0),) and groups["sway"].band == (40.0, 60.0)
    assert groups["sway"].band_label == "target" and groups["sway"].axis_range is None
    assert groups["sway"].title == "Sway over the base" and groups["arm"].title == "Arm"
    s = {"t_s": np.arange(3) / 10, "arm_lift_deg": np.array([5.0, np.nan, 20.0]), "sway_pct": np.full(3, np.nan)}
    df = group_frame(s, groups["arm"])
    assert df["value"].tolist() == [5.0, 20.0] and set(df["measure"]) == {"arm lift"}
    charts = dict((g.name, c) for g, c in series_charts(s, [], fake.NAME, Config()))
    assert charts["sway"] is None and charts["arm"].to_dict()["layer"]


def test_group_frame_shows_scaled_values(monkeypatch):
    fake.install(monkeypatch)
    group = plot_groups(fake.NAME)[0]
    scaled = dataclasses.replace(group, specs=(dataclasses.replace(group.specs[0], scale=100.0),))
    df = group_frame({"t_s": np.array([0.0, 1.0]), "arm_lift_deg": np.array([0.1, 0.25])}, scaled)
    assert df["value"].tolist() == pytest.approx([10.0, 25.0])


def test_cue_timeline_compiles():
    for chart in (cue_timeline_chart([Cue("a.b", "warn", "x", t_s=0.2)], duration_s=0.5), cue_timeline_chart([])):
        spec = chart.to_dict()
        assert "layer" in spec or "mark" in spec


@pytest.mark.parametrize(
    ("severity", "word"), [("safety", "safety"), ("warn", "check"), ("info", "tip"), ("praise", "well done")]
)
def test_cue_timeline_axis_reads_the_cue_tables_words(severity: str, word: str) -> None:
    """The timeline's rows are named as the cue table names a cue's kind ("tip", "well done"), not by the severity
    codes ("info", "praise") a patient does not use; each word keeps its severity's colour."""
    spec = cue_timeline_chart([Cue("a.b", severity, "x", t_s=0.2)], duration_s=0.5).to_dict()
    enc = spec["encoding"]
    assert enc["y"]["field"] == "kind" and enc["color"]["field"] == "kind"
    data = next(iter(spec["datasets"].values()))
    assert [row["kind"] for row in data] == [word]
    scale = enc["color"]["scale"]
    assert scale["range"][scale["domain"].index(word)] == SEVERITY_COLORS[severity]


SETS = [
    SetRow(1, 1, "2025-01-06T08:00:00+01:00", "hinge", 8, 0.0, None, 1.0, "3-1-2-1", trend={"hip_share": 0.7}),
    SetRow(2, 2, "2025-01-08T08:00:00+01:00", "hinge", 6, 8.0, "a.mp4", 0.5, None, trend={"hip_share": math.nan}),
]


def test_trend_frame_addresses_trend_metrics_by_spec_key():
    specs = trend_specs("hinge")
    assert specs == get_spec("hinge").metric_specs("trend", "rep") and specs
    df = trend_frame(SETS, specs)
    share = get_spec("hinge").metric("hip_share")
    assert share in specs
    # the store's summary column of the same name (0-1) is shown scaled, as %
    assert df[share.key].iloc[0] == pytest.approx(70) and math.isnan(df[share.key].iloc[1])
    others = [m for m in specs if m is not share]
    assert all(df[m.key].isna().all() for m in others)  # not stored yet: unknown, never 0
    assert df["tempo_adherence_pct"].tolist() == [100, 50] and df["tempo"].tolist() == ["3-1-2-1", ""]
    assert len(trend_chart(df, "tempo_adherence_pct", "on tempo %").to_dict()["datasets"]) == 1
    assert metric_trend_chart(df, share).to_dict()["encoding"]["y"]["title"] == share.short
    spec = weekly_chart([(dt.date(2025, 1, 6), 2), (dt.date(2025, 1, 13), 0)]).to_dict()
    assert spec["mark"]["type"] == "bar"


def test_set_trend_values_prefer_the_stores_generic_values(monkeypatch):
    fake.install(monkeypatch)
    specs = trend_specs(fake.NAME)
    assert [m.key for m in specs] == ["reach_cm"]
    row = SimpleNamespace(**{**vars(SETS[0]), "exercise": fake.NAME, "trend": {"reach_cm": 31.0, "other": 2.0}})
    assert set_trend_values(row, specs) == {"reach_cm": 31.0}
    empty = SimpleNamespace(**{**vars(SETS[0]), "trend": {"reach_cm": None}})
    assert math.isnan(set_trend_values(empty, specs)["reach_cm"])
    df = trend_frame([row], specs)
    assert df["reach_cm"].tolist() == [31.0]
    chart = metric_trend_chart(df, specs[0]).to_dict()
    assert chart["encoding"]["y"]["scale"] == {"zero": False}  # cm, not a 0-100 percentage axis


def _altair_colors(spec_dict):
    """label -> colour from an altair chart dict (its layers' colour scales)."""
    out = {}
    for layer in spec_dict.get("layer", [spec_dict]):
        enc = layer.get("encoding", {}).get("color", {})
        scale = enc.get("scale", {}) if isinstance(enc, dict) else {}
        out |= dict(zip(scale.get("domain", []), scale.get("range", []), strict=False))
    return out


@pytest.mark.parametrize("name", [s.name for s in __import__("formcheck.engine.registry").engine.registry.specs()])
def test_app_charts_and_report_plots_use_the_same_colours(name):
    import matplotlib.colors as mcolors

    from formcheck.analyze import analyze_sequence
    from formcheck.config import Config
    from formcheck.engine.registry import get_spec
    from formcheck.report.plots import series_figure, series_panels

    spec = get_spec(name)
    an = analyze_sequence(spec.synth(n_reps=2, facing=1, fps=30.0, seed=0).seq, name, Config())
    app = {}
    for _, chart in series_charts(an.series, an.reps, name, Config()):
        if chart is not None:
            app |= _altair_colors(chart.to_dict())
    report = {}
    if series_panels(an):
        fig = series_figure(an, Config())
        for ax in fig.axes:
            for line in ax.get_lines():
                if not line.get_label().startswith("_"):
                    report[line.get_label()] = mcolors.to_hex(line.get_color())
    shared = set(app) & set(report)
    assert shared, (sorted(app), sorted(report))
    for label in shared:
        assert app[label].lower() == report[label].lower(), label


def _x_encodings(chart_dict):
    """Every x encoding of a chart (each layer's)."""
    return [layer["encoding"]["x"] for layer in chart_dict.get("layer", [chart_dict]) if "x" in layer["encoding"]]


@pytest.mark.parametrize(
    ("name", "video"),
    [
        ("hinge", "as filmed"),  # the synthetic hinge has a video of its frames' length
        ("hinge", "longer"),  # a video that runs past its last frame
        ("glute_bridge", "none"),  # no video (a pose CSV, a live set): the cue timeline had no length to go by
        ("plank", "none"),  # holds shaded, not reps
    ],
)
def test_review_time_charts_share_one_time_axis_with_the_report(name, video):
    # Acceptance #5 finding 20: the cue timeline's x axis was off the series charts' above it. Truth: the synthetic
    # set's frames (its last frame's time is the set's length); the report's panels end there too.
    from formcheck.analyze import analyze_sequence
    from formcheck.report.plots import series_figure
    from formcheck.ui.charts import TIME_TITLE, review_time_charts

    clip = get_spec(name).synth(n_reps=2, facing=1, fps=30.0, seed=0)
    an = analyze_sequence(clip.seq, name, Config())
    last_frame_s = float(clip.seq.t_s[-1])
    if video == "none":
        an = dataclasses.replace(an, video=None)
    elif video == "longer":
        an = dataclasses.replace(an, video=dataclasses.replace(an.video, duration_s=last_frame_s + 0.5))
    series, timeline = review_time_charts(an, Config())
    drawn = [chart.to_dict() for _, chart in series if chart is not None] + [timeline.to_dict()]
    assert len(drawn) >= 2 and not cue_points(an.cues).empty  # a series chart and a timeline with cues to line up
    xs = [x for d in drawn for x in _x_encodings(d)]
    assert {x["title"] for x in xs} == {TIME_TITLE}
    for x in xs:
        assert x["scale"]["domain"] == pytest.approx([0.0, last_frame_s]) and x["scale"]["nice"] is False
    # the value axes are as wide in every chart, so the plot areas start at the same place when stacked
    y_axes = [layer["encoding"]["y"] for d in drawn for layer in d.get("layer", [d]) if "axis" in layer["encoding"]
              .get("y", {})]  # fmt: skip
    widths = {(y["axis"].get("minExtent"), y["axis"].get("maxExtent")) for y in y_axes}
    assert len(y_axes) == len(drawn) and len(widths) == 1 and None not in next(iter(widths))
    assert all(y.get("title") for y in y_axes)  # a one-line title in each: it takes the same room
    fig = series_figure(an, Config())
    assert all(ax.get_xlim() == pytest.approx((0.0, last_frame_s)) for ax in fig.axes)
    assert fig.axes[-1].get_xlabel() == TIME_TITLE
