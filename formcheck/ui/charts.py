"""Chart data (pandas) and interactive Altair charts for the review and history pages.

Data builders are separate from chart builders so the numbers can be tested without rendering. What is plotted
comes from the exercise's metric specs: one chart per plot group of its ``"plot"`` series specs (colours from
``spec.color``, the same as the report), with the band (``band_key``) and threshold (``threshold_key``) read from
the exercise's config section; history trends are its ``"trend"`` rep specs, addressed by their keys.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from formcheck import palette
from formcheck.engine import registry
from formcheck.engine.spec import MetricSpec, number
from formcheck.errors import FormcheckError
from formcheck.store import SetRow
from formcheck.types import Cue, Hold, Rep

# the report's colours (formcheck/palette.py): the same thing looks the same in the app and in the report
SEVERITY_COLORS = palette.SEVERITY_COLORS
BAND_COLOR = palette.BAND_COLOR
THRESHOLD_COLOR = palette.THRESHOLD_COLOR
UNIT_TITLES = {"°": "degrees", "%": "%", "s": "seconds", "cm": "cm"}
TIME_TITLE = "time (s)"  # the x axis of every chart over a set's time (the report's too)
# Width of the value axis (ticks and labels) of every chart over a set's time: stacked on the Review page, their plot
# areas start at the same place only if this is fixed (measured: 29-44 px from the labels' own widths, 6 chart kinds)
TIME_CHART_Y_AXIS_PX = 44


def series_long(series: Mapping[str, np.ndarray], names: Mapping[str, str]) -> pd.DataFrame:
    """Per-frame series as long rows ``t_s, measure, value`` (NaN rows dropped: unknown is not plotted as 0).

    Only series present in ``series`` are included; ``names`` maps keys to legend labels.
    """
    if "t_s" not in series:
        return pd.DataFrame(columns=["t_s", "measure", "value"])
    t = np.asarray(series["t_s"], dtype=float)
    parts = []
    for key, label in names.items():
        if key not in series:
            continue
        v = np.asarray(series[key], dtype=float)
        ok = np.isfinite(v) & np.isfinite(t)
        parts.append(pd.DataFrame({"t_s": t[ok], "measure": label, "value": v[ok]}))
    if not parts:
        return pd.DataFrame(columns=["t_s", "measure", "value"])
    return pd.concat(parts, ignore_index=True)


def rep_spans(reps: Sequence[Rep]) -> pd.DataFrame:
    """One row per rep: ``rep, start_s, bottom_s, end_s`` for shading rep boundaries."""
    return pd.DataFrame(
        [{"rep": r.index, "start_s": r.start_s, "bottom_s": r.bottom_s, "end_s": r.end_s} for r in reps],
        columns=["rep", "start_s", "bottom_s", "end_s"],
    )


def shaded_spans(reps: Sequence[Rep], holds: Sequence[Hold] = ()) -> pd.DataFrame:
    """One row per rep and per hold a chart shades: ``what, start_s, end_s`` ("Rep 2", "Hold 1")."""
    rows = [{"what": f"Rep {r.index}", "start_s": r.start_s, "end_s": r.end_s} for r in reps]
    rows += [{"what": f"Hold {h.index}", "start_s": h.start_s, "end_s": h.end_s} for h in holds]
    return pd.DataFrame(rows, columns=["what", "start_s", "end_s"])


def shaded_words(reps: Sequence[Rep], holds: Sequence[Hold] = ()) -> str:
    """What a chart's grey bands are, in the set's own words: "reps", "holds", "reps and holds"; "" for none (a
    plank's chart said "grey bands: reps" with no rep in it)."""
    return " and ".join(w for w, items in (("reps", reps), ("holds", holds)) if items)


def cue_points(cues: Sequence[Cue]) -> pd.DataFrame:
    """Cues with a time, for the timeline: ``t_s, rep, severity, kind, message, code`` (``kind``: the severity in the
    words the cue tables use, "tip", "well done", ..., for the chart's axis)."""
    from formcheck.report.content import SEVERITY_WORDS

    rows = [
        {"t_s": c.t_s, "rep": c.rep_index, "severity": c.severity, "kind": SEVERITY_WORDS.get(c.severity, c.severity),
         "message": c.message, "code": c.code}
        for c in cues
        if c.t_s is not None and math.isfinite(c.t_s)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["t_s", "rep", "severity", "kind", "message", "code"])


def set_length_s(series: Mapping[str, np.ndarray], duration_s: float | None = None) -> float | None:
    """The set's length in seconds, the end of every chart's time axis: its last frame's time, where the report's
    charts end too (:func:`formcheck.report.plots.series_figure`); the video's ``duration_s`` only when no frame has
    a time. None when neither is known."""
    t = np.asarray(series.get("t_s", []), dtype=float)
    t = t[np.isfinite(t)]
    if t.size:
        length = float(t.max())
    else:
        length = float(duration_s) if duration_s is not None and math.isfinite(duration_s) else math.nan
    return length if length > 0 else None


def _time_x(field: str, length_s: float | None) -> Any:
    """The x encoding of a chart over the set's time: "time (s)" from 0 to the set's length (not rounded out to a
    "nice" number), the same for every such chart so they line up when stacked; fitted to the data when the length
    is unknown."""
    import altair as alt

    if length_s is None:
        return alt.X(f"{field}:Q", title=TIME_TITLE)
    return alt.X(f"{field}:Q", title=TIME_TITLE, scale=alt.Scale(domain=[0, length_s], nice=False, zero=True))


def _time_chart_y_axis(**kw: Any) -> Any:
    import altair as alt

    return alt.Axis(minExtent=TIME_CHART_Y_AXIS_PX, maxExtent=TIME_CHART_Y_AXIS_PX, **kw)


def _span_layer(spans: pd.DataFrame, length_s: float | None = None) -> Any:
    import altair as alt

    return (
        alt.Chart(spans)
        .mark_rect(opacity=0.08, color="#555")
        .encode(x=_time_x("start_s", length_s), x2="end_s:Q", tooltip=[alt.Tooltip("what:N", title="")])
    )


@dataclass(frozen=True)
class PlotGroup:
    """One chart of an exercise's per-frame series: the specs sharing a ``plot`` name, with its limits.

    Attributes:
        name: the specs' ``plot`` group name.
        specs: the series specs in declared order.
        title: a heading (the one spec's label, or the group name).
        y_title: the value axis title (a spec's ``axis``, else from the unit: ``°`` → "degrees").
        band: ``(lo, hi)`` target band from the exercise config (a spec's ``band_key``), or None.
        band_label: words naming the band (the spec's ``band_label``, default "target").
        thresholds: ``(label, value)`` limit lines from the exercise config (specs' ``threshold_key``).
        axis_range: ``(low, high)`` the axis always shows (a spec's ``axis_range``), data beyond widens it; None:
            fitted to the data.
    """

    name: str
    specs: tuple[MetricSpec, ...]
    title: str
    y_title: str
    band: tuple[float, float] | None = None
    band_label: str = "target"
    thresholds: tuple[tuple[str, float], ...] = ()
    axis_range: tuple[float, float] | None = None

    @property
    def labels(self) -> dict[str, str]:
        """Series key → legend label."""
        return {m.key: m.label for m in self.specs}

    @property
    def empty_note(self) -> str:
        """Why the chart may be empty (the first spec's note)."""
        return next((m.empty_note for m in self.specs if m.empty_note), "")

    def caption(self, shaded: str = "reps") -> str:
        """What the shading and lines mean, in plain words; ``shaded`` names the grey bands (:func:`shaded_words`:
        "holds" for a plank, none when nothing is shaded)."""
        parts = [f"grey bands: {shaded}"] if shaded else []
        if self.band is not None:
            parts.append(f"green band: {self.band_label} {self.band[0]:g}–{self.band[1]:g}")
        parts += [f"red line: {label} limit {value:g}" for label, value in self.thresholds]
        return "; ".join(parts) + "; drag to pan, scroll to zoom"


def _exercise_settings(config: Any, name: str) -> Any:
    if config is None:
        return None
    try:
        return registry.exercise_config(config, name)
    except (FormcheckError, AttributeError, KeyError):
        return None  # a config without this exercise: plot without limits


def _y_title(specs: Sequence[MetricSpec]) -> str:
    declared = next((m.axis for m in specs if m.axis), "")
    if declared:
        return " ".join(declared.split())  # one line: Vega-Lite draws "\n" literally in a string title
    units = {m.unit for m in specs}
    if len(units) == 1:
        unit = next(iter(units))
        return UNIT_TITLES.get(unit, unit)
    return ""


def plot_groups(exercise: str, config: Any = None) -> list[PlotGroup]:
    """The exercise's charts: its ``"plot"`` series specs grouped by ``plot`` name, in declared order.

    Args:
        exercise: the exercise name (none for an exercise this version does not know).
        config: the whole configuration; its exercise section gives the bands and thresholds (None: no limits).
    """
    spec = registry.find_spec(exercise)
    if spec is None:
        return []
    settings = _exercise_settings(config, spec.name)
    grouped: dict[str, list[MetricSpec]] = {}
    for m in spec.metric_specs("plot", "series"):
        grouped.setdefault(m.plot or m.key, []).append(m)
    out = []
    for name, specs in grouped.items():
        band, band_label = None, "target"
        thresholds = []
        for m in specs:
            # getattr(None, ...) and an empty key give None: no band / no line
            b = getattr(settings, m.band_key, None) if m.band_key else None
            if band is None and isinstance(b, tuple | list) and len(b) == 2:
                band, band_label = (float(b[0]), float(b[1])), m.band_label or band_label
            t = number(getattr(settings, m.threshold_key, None)) if m.threshold_key else math.nan
            if math.isfinite(t):
                thresholds.append((m.label, t * m.scale))
        title = specs[0].label if len(specs) == 1 else name
        out.append(
            PlotGroup(
                name=name,
                specs=tuple(specs),
                title=title[:1].upper() + title[1:],
                y_title=_y_title(specs),
                band=band,
                band_label=band_label,
                thresholds=tuple(thresholds),
                axis_range=next((m.axis_range for m in specs if m.axis_range is not None), None),
            )
        )
    return out


def group_frame(series: Mapping[str, np.ndarray], group: PlotGroup) -> pd.DataFrame:
    """Long rows ``t_s, measure, value`` of one group's series, shown values (× ``scale``), unknowns dropped."""
    scaled = {k: v for k, v in series.items()}
    for m in group.specs:
        if m.key in series and m.scale != 1.0:
            scaled[m.key] = np.asarray(series[m.key], dtype=float) * m.scale
    return series_long(scaled, group.labels)


def group_chart(
    series: Mapping[str, np.ndarray],
    reps: Sequence[Rep],
    group: PlotGroup,
    holds: Sequence[Hold] = (),
    length_s: float | None = None,
) -> Any:
    """One group's series over time, reps and holds shaded, its band and limit lines; zoom and pan, hover for
    values. The time axis runs from 0 to ``length_s`` (:func:`set_length_s`; None: to the last frame's time)."""
    import altair as alt

    length_s = set_length_s(series) if length_s is None else length_s
    data = group_frame(series, group)
    colors = [palette.series_color(m.color, j) for j, m in enumerate(group.specs)]
    legend = alt.Legend(orient="bottom")
    color = alt.Color(
        "measure:N", title=None, legend=legend, scale=alt.Scale(domain=list(group.labels.values()), range=colors)
    )
    y_scale = alt.Undefined
    if group.axis_range is not None:
        values = data["value"].to_numpy(dtype=float) if len(data) else np.zeros(0)
        lo, hi = group.axis_range
        if values.size:  # data beyond the declared range widens the axis (with a margin), as in the report
            lo, hi = min(lo, float(values.min()) - 5), max(hi, float(values.max()) + 5)
        y_scale = alt.Scale(domain=[lo, hi])
    fmt = group.specs[0].fmt if len({m.fmt for m in group.specs}) == 1 else ".1f"
    lines = (
        alt.Chart(data)
        .mark_line()
        .encode(
            x=_time_x("t_s", length_s),
            y=alt.Y("value:Q", title=group.y_title, scale=y_scale, axis=_time_chart_y_axis()),
            color=color,
            tooltip=[alt.Tooltip("t_s:Q", format=".2f"), "measure:N", alt.Tooltip("value:Q", format=fmt)],
        )
    )
    layers = [_span_layer(shaded_spans(reps, holds), length_s)]
    if group.band is not None:
        band = pd.DataFrame({"lo": [group.band[0]], "hi": [group.band[1]]})
        layers.append(alt.Chart(band).mark_rect(opacity=0.18, color=BAND_COLOR).encode(y="lo:Q", y2="hi:Q"))
    if group.thresholds:
        thr = pd.DataFrame([{"limit": label, "value": v} for label, v in group.thresholds])
        layers.append(
            alt.Chart(thr)
            .mark_rule(color=THRESHOLD_COLOR, strokeDash=[4, 3])
            .encode(y="value:Q", tooltip=["limit:N", alt.Tooltip("value:Q", format="g")])
        )
    layers.append(lines)
    return alt.layer(*layers).properties(height=220).interactive(bind_y=False)


def series_charts(
    series: Mapping[str, np.ndarray],
    reps: Sequence[Rep],
    exercise: str,
    config: Any = None,
    holds: Sequence[Hold] = (),
    duration_s: float | None = None,
) -> list[tuple[PlotGroup, Any | None]]:
    """``(group, chart)`` for each plot group whose series the analysis has; chart None when no value is known
    (show ``group.empty_note`` instead of an empty plot). The reps and ``holds`` are shaded (caption:
    ``group.caption(shaded_words(reps, holds))``); ``config`` is the set's judged configuration (its bands and
    limits are drawn); ``duration_s`` the video's (the time axis ends at :func:`set_length_s`)."""
    length_s = set_length_s(series, duration_s)
    out: list[tuple[PlotGroup, Any | None]] = []
    for group in plot_groups(exercise, config):
        present = [m for m in group.specs if m.key in series]
        if not present:
            continue
        known = any(np.isfinite(np.asarray(series[m.key], dtype=float)).any() for m in present)
        out.append((group, group_chart(series, reps, group, holds, length_s) if known else None))
    return out


def cue_timeline_chart(cues: Sequence[Cue], duration_s: float | None = None) -> Any:
    """Each cue as a dot at its time, coloured by severity; hover to read it.

    Args:
        cues: the set's cues (those without a time are not drawn).
        duration_s: the set's length (:func:`set_length_s`, as the series charts above it are given it): the time
            axis runs from 0 to it, as theirs do; None: fitted to the cues.
    """
    import altair as alt

    from formcheck.report.content import SEVERITY_WORDS

    data = cue_points(cues)
    kinds = [SEVERITY_WORDS.get(k, k) for k in SEVERITY_COLORS]
    length_s = duration_s if duration_s is not None and math.isfinite(duration_s) and duration_s > 0 else None
    return (
        alt.Chart(data)
        .mark_circle(size=140)
        .encode(
            x=_time_x("t_s", length_s),
            # a one-line title and the value axis width of the series charts: the plot areas line up when stacked
            # the axis in the cue tables' words ("tip", "well done"), not the severity codes
            y=alt.Y("kind:N", title="cues", sort=kinds, axis=_time_chart_y_axis()),
            color=alt.Color("kind:N", scale=alt.Scale(domain=kinds, range=list(SEVERITY_COLORS.values())), legend=None),
            tooltip=["message:N", "rep:O", alt.Tooltip("t_s:Q", format=".1f")],
        )
        .properties(height=140)
        .interactive(bind_y=False)
    )


def review_time_charts(analysis: Any, config: Any = None) -> tuple[list[tuple[PlotGroup, Any | None]], Any]:
    """The Review page's charts over the set's time: the series charts (:func:`series_charts`, reps and holds
    shaded) and the cue timeline, all with one time axis from 0 to the set's length (:func:`set_length_s` of its
    frames and its video), so that they line up when stacked.

    Args:
        analysis: the set's :class:`~formcheck.types.Analysis`.
        config: the configuration the set was judged with (its bands and limits are drawn).
    """
    video = getattr(analysis, "video", None)
    length_s = set_length_s(analysis.series, video.duration_s if video is not None else None)
    holds = getattr(analysis, "holds", ())
    series = series_charts(analysis.series, analysis.reps, analysis.exercise, config, holds, duration_s=length_s)
    return series, cue_timeline_chart(analysis.cues, length_s)


# -- history -----------------------------------------------------------------------------------------------


def trend_specs(exercise: str) -> tuple[MetricSpec, ...]:
    """The exercise's per-set trend metrics (its ``"trend"`` rep specs; none for an unknown exercise)."""
    spec = registry.find_spec(exercise)
    return spec.metric_specs("trend", "rep") if spec is not None else ()


def set_trend_values(s: SetRow, specs: Sequence[MetricSpec]) -> dict[str, float]:
    """One saved set's trend values by spec key, as stored (unscaled); NaN when the set has none."""
    return {m.key: number(s.trend.get(m.key)) for m in specs}


TREND_COLUMNS = ("when", "exercise", "exercise_title", "reps", "tempo_adherence_pct", "load_kg", "tempo")


def _title(exercise: str) -> str:
    spec = registry.find_spec(exercise)
    return spec.title if spec is not None else exercise


def trend_frame(
    sets: Sequence[SetRow],
    specs: Sequence[MetricSpec] = (),
    not_judged: Mapping[int, frozenset[str]] | None = None,
) -> pd.DataFrame:
    """One row per saved set: ``when, exercise, reps, tempo_adherence_pct, load_kg, tempo`` and one column per
    trend spec, named by its key, holding the shown value (× ``scale``: a 0–1 share as %).

    ``not_judged`` (set id → keys, :func:`formcheck.ui.history_view.trend_not_judged`): a value the set's camera
    angle does not judge is NaN, so it is not plotted as if judged.
    """
    not_judged = not_judged or {}
    rows = []
    for s in sets:
        row = {
            "when": pd.Timestamp(s.created_at[:19]),
            "exercise": s.exercise,
            "exercise_title": _title(s.exercise),
            "reps": s.n_reps,
            "tempo_adherence_pct": 100 * s.tempo_adherence if math.isfinite(s.tempo_adherence) else math.nan,
            "load_kg": s.load_kg,
            "tempo": s.target_tempo or "",
        }
        values = set_trend_values(s, specs)
        off = not_judged.get(s.id, frozenset())
        row |= {m.key: math.nan if m.key in off else values[m.key] * m.scale for m in specs}
        rows.append(row)
    return pd.DataFrame(rows, columns=[*TREND_COLUMNS, *(m.key for m in specs)])


def set_label(when: Any) -> str:
    """A saved set's x-axis label: its date and time ("6 Dec 07:30")."""
    ts = pd.Timestamp(when)
    return f"{ts.day} {ts:%b %H:%M}"


def trend_chart(frame: pd.DataFrame, column: str, title: str, *, percent: bool = True, fmt: str = ".0f") -> Any:
    """A per-set trend line (points joined in time order) of one column (0–100 axis when ``percent``).

    The x axis has one labelled tick per set (its date and time, in order): a time axis drew no date at all when
    the sets were hours apart, and squeezed sets of one day together.
    """
    import altair as alt

    data = frame.dropna(subset=[column]).sort_values("when").copy()
    data["set"] = [set_label(w) for w in data["when"]]
    order = list(dict.fromkeys(data["set"]))
    scale = alt.Scale(domain=[0, 100]) if percent else alt.Scale(zero=False)
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("set:O", title=None, sort=order, axis=alt.Axis(labelAngle=-35, labelOverlap="greedy")),
            y=alt.Y(f"{column}:Q", title=title, scale=scale, axis=alt.Axis(format=fmt)),
            color=alt.Color("exercise_title:N", title=None),
            tooltip=[
                alt.Tooltip("when:T", title="when", format="%d %b %Y %H:%M"),
                alt.Tooltip("exercise_title:N", title="exercise"),
                "reps:Q",
                alt.Tooltip(f"{column}:Q", format=fmt),
                "tempo:N",
            ],  # fmt: skip
        )
        .properties(height=200)
    )


def metric_trend_chart(frame: pd.DataFrame, m: MetricSpec) -> Any:
    """The trend chart of one trend spec (its column in :func:`trend_frame`), titled with ``spec.short``."""
    return trend_chart(frame, m.key, m.short, percent=m.unit == "%", fmt=m.fmt)


def _week_label(w: Any) -> str:
    ts = pd.Timestamp(w)
    return f"{ts.day} {ts:%b}"


def weekly_chart(weeks: Sequence[tuple[Any, int]]) -> Any:
    """Bars of sessions per week, one evenly spaced bar per week labelled with its Monday (weeks without a session
    show as empty bars, not gaps; a time axis squeezed the bars to the right)."""
    import altair as alt

    data = pd.DataFrame([{"week": _week_label(w), "start": pd.Timestamp(w), "sessions": n} for w, n in weeks],
                        columns=["week", "start", "sessions"])  # fmt: skip
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("week:O", title="week starting", sort=list(data["week"]), axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "sessions:Q",
                title="sessions",
                axis=alt.Axis(tickMinStep=1, format="d"),
                scale=alt.Scale(domain=[0, max([3, *(n for _, n in weeks)])]),
            ),
            tooltip=[alt.Tooltip("start:T", title="week of", format="%d %b %Y"), "sessions:Q"],
        )
        .properties(height=180)
    )


def plan_mix_chart(weeks: Sequence[tuple[Any, int, int]]) -> Any:
    """Days per week on which the A plan or the B plan was done, stacked: both count the same (no "missed" bar,
    no red: a B day is the habit kept on a bad day)."""
    import altair as alt

    rows = []
    for w, a, b in weeks:
        rows += [{"week": _week_label(w), "plan": "A plan", "days": a}, {"week": _week_label(w), "plan": "B plan",
                                                                          "days": b}]  # fmt: skip
    data = pd.DataFrame(rows, columns=["week", "plan", "days"])
    order = list(dict.fromkeys(data["week"]))
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("week:O", title="week starting", sort=order, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "days:Q",
                title="days",
                stack="zero",
                scale=alt.Scale(domain=[0, 7]),
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),  # fmt: skip
            color=alt.Color(
                "plan:N", title=None, scale=alt.Scale(domain=["A plan", "B plan"], range=["#4c78a8", "#72b7b2"])
            ),  # fmt: skip
            tooltip=["week:N", "plan:N", "days:Q"],
        )
        .properties(height=180)
    )
