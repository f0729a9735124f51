"""Chart data (pandas) and interactive Altair charts for the review and history pages.

Data builders are separate from chart builders so the numbers can be tested without rendering.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from formcheck.store import SetRow
from formcheck.types import Cue, Rep

ANGLE_SERIES: dict[str, str] = {
    "trunk_inclination_deg": "Trunk lean °",
    "hip_flexion_deg": "Hip bend °",
    "knee_flexion_deg": "Knee bend °",
    "spine_flexion_est_deg": "Back rounding (estimate) °",
}
SEVERITY_COLORS = {"safety": "#c0392b", "warn": "#e67e22", "info": "#2980b9", "praise": "#27ae60"}


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


def cue_points(cues: Sequence[Cue]) -> pd.DataFrame:
    """Cues with a time, for the timeline: ``t_s, rep, severity, message, code``."""
    rows = [
        {"t_s": c.t_s, "rep": c.rep_index, "severity": c.severity, "message": c.message, "code": c.code}
        for c in cues
        if c.t_s is not None and math.isfinite(c.t_s)
    ]
    return pd.DataFrame(rows, columns=["t_s", "rep", "severity", "message", "code"])


def _rep_layer(spans: pd.DataFrame) -> Any:
    import altair as alt

    return (
        alt.Chart(spans)
        .mark_rect(opacity=0.08, color="#555")
        .encode(x="start_s:Q", x2="end_s:Q", tooltip=[alt.Tooltip("rep:O", title="Rep")])
    )


def angle_chart(series: Mapping[str, np.ndarray], reps: Sequence[Rep]) -> Any:
    """Angles over time with rep boundaries shaded; zoom and pan with the mouse, hover for values."""
    import altair as alt

    data = series_long(series, ANGLE_SERIES)
    lines = (
        alt.Chart(data)
        .mark_line()
        .encode(
            x=alt.X("t_s:Q", title="time (s)"),
            y=alt.Y("value:Q", title="degrees"),
            color=alt.Color("measure:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("t_s:Q", format=".2f"), "measure:N", alt.Tooltip("value:Q", format=".0f")],
        )
    )
    return (_rep_layer(rep_spans(reps)) + lines).properties(height=260).interactive(bind_y=False)


def com_chart(series: Mapping[str, np.ndarray], reps: Sequence[Rep], band_pct: tuple[float, float]) -> Any:
    """Centre of mass along the foot (0 % heel, 100 % toes) with the mid-foot band drawn."""
    import altair as alt

    data = series_long(series, {"com_pct_foot": "Weight over the foot %"})
    band = pd.DataFrame({"lo": [band_pct[0]], "hi": [band_pct[1]]})
    band_layer = alt.Chart(band).mark_rect(opacity=0.15, color="#27ae60").encode(y="lo:Q", y2="hi:Q")
    line = (
        alt.Chart(data)
        .mark_line(color="#8e44ad")
        .encode(
            x=alt.X("t_s:Q", title="time (s)"),
            y=alt.Y("value:Q", title="% of foot, heel → toes", scale=alt.Scale(domain=[-20, 120])),
            tooltip=[alt.Tooltip("t_s:Q", format=".2f"), alt.Tooltip("value:Q", format=".0f")],
        )
    )
    return (_rep_layer(rep_spans(reps)) + band_layer + line).properties(height=200).interactive(bind_y=False)


def cue_timeline_chart(cues: Sequence[Cue], duration_s: float | None = None) -> Any:
    """Each cue as a dot at its time, coloured by severity; hover to read it."""
    import altair as alt

    data = cue_points(cues)
    x = alt.X("t_s:Q", title="time (s)")
    if duration_s is not None and math.isfinite(duration_s):
        x = alt.X("t_s:Q", title="time (s)", scale=alt.Scale(domain=[0, duration_s]))
    return (
        alt.Chart(data)
        .mark_circle(size=140)
        .encode(
            x=x,
            y=alt.Y("severity:N", title=None, sort=list(SEVERITY_COLORS)),
            color=alt.Color(
                "severity:N",
                scale=alt.Scale(domain=list(SEVERITY_COLORS), range=list(SEVERITY_COLORS.values())),
                legend=None,
            ),
            tooltip=["message:N", "rep:O", alt.Tooltip("t_s:Q", format=".1f")],
        )
        .properties(height=140)
        .interactive(bind_y=False)
    )


# -- history -----------------------------------------------------------------------------------------------


def trend_frame(sets: Sequence[SetRow]) -> pd.DataFrame:
    """One row per saved set: ``when, exercise, reps, hip_share_pct, tempo_adherence_pct, load_kg``."""
    rows = [
        {
            "when": pd.Timestamp(s.created_at[:19]),
            "exercise": s.exercise,
            "reps": s.n_reps,
            "hip_share_pct": 100 * s.hip_share if math.isfinite(s.hip_share) else math.nan,
            "tempo_adherence_pct": 100 * s.tempo_adherence if math.isfinite(s.tempo_adherence) else math.nan,
            "load_kg": s.load_kg,
            "tempo": s.target_tempo or "",
        }
        for s in sets
    ]
    return pd.DataFrame(
        rows, columns=["when", "exercise", "reps", "hip_share_pct", "tempo_adherence_pct", "load_kg", "tempo"]
    )


def trend_chart(frame: pd.DataFrame, column: str, title: str) -> Any:
    """A per-set trend line (points joined in time order) of one percentage column."""
    import altair as alt

    data = frame.dropna(subset=[column])
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("when:T", title=None, axis=alt.Axis(format="%d %b", tickCount="day")),
            y=alt.Y(f"{column}:Q", title=title, scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("exercise:N", title=None),
            tooltip=["when:T", "exercise:N", "reps:Q", alt.Tooltip(f"{column}:Q", format=".0f"), "tempo:N"],
        )
        .properties(height=200)
    )


def weekly_chart(weeks: Sequence[tuple[Any, int]]) -> Any:
    """Bars of sessions per week (weeks without a session show as empty bars, not gaps)."""
    import altair as alt

    data = pd.DataFrame([{"week": pd.Timestamp(w), "sessions": n} for w, n in weeks], columns=["week", "sessions"])
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("week:T", title="week starting", timeUnit="yearmonthdate"),
            y=alt.Y(
                "sessions:Q",
                title="sessions",
                axis=alt.Axis(tickMinStep=1, format="d"),
                scale=alt.Scale(domain=[0, max([3, *(n for _, n in weeks)])]),
            ),
            tooltip=[alt.Tooltip("week:T", title="week of"), "sessions:Q"],
        )
        .properties(height=180)
    )
