"""Report plots with matplotlib's object API (no pyplot, so no global backend or state is touched).

* :func:`series_figure` — one panel per plot group the exercise declares (its ``MetricSpec`` list, ``plot``
  place): the series in their declared colours, cue thresholds (``threshold_key``) as dotted lines, target bands
  (``band_key``) shaded; reps and holds shaded and numbered. For the hinge: joint angles, the back-rounding
  estimate with its threshold, the centre of mass as % of foot length with the midfoot band.
* :func:`tempo_figure` — per-rep phase durations (the exercise's phase words) as stacked bars against the exercise's
  target tempo.

:func:`to_svg` gives inline SVG text for HTML (text kept as text), :func:`to_png` PNG bytes for the PDF.
"""

from __future__ import annotations

import io
import re
from typing import Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from formcheck import palette
from formcheck.config import Config
from formcheck.engine.registry import exercise_config, find_spec
from formcheck.engine.spec import HINGE_PHASES, MetricSpec
from formcheck.reps import rises_first
from formcheck.types import Analysis

PHASE_COLORS = palette.PHASE_COLORS  # lower, pause, rise, top (the app's colours too)
PHASE_LABELS = HINGE_PHASES.names  # an unknown exercise's legend; a known one's comes from its spec (PhaseWords)


def _shade_reps(ax, analysis: Analysis, label: bool) -> None:
    spans = [(r.start_s, r.end_s, f"rep {r.index}") for r in analysis.reps]
    spans += [(h.start_s, h.end_s, f"hold {h.index}") for h in getattr(analysis, "holds", ())]
    for start_s, end_s, name in spans:
        if np.isfinite(start_s) and np.isfinite(end_s):
            ax.axvspan(start_s, end_s, color=palette.REP_SHADE_COLOR, zorder=0, lw=0)
            ax.axvline(start_s, color="#9a9a9a", lw=0.6, zorder=1)
            ax.axvline(end_s, color="#9a9a9a", lw=0.6, zorder=1)
            if label:
                ax.text(
                    (start_s + end_s) / 2, 1.02, name, transform=ax.get_xaxis_transform(),
                    ha="center", va="bottom", fontsize=7, color="#555555",
                )  # fmt: skip


def _panel_note(ax: Any, text: str) -> None:
    ax.text(
        0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=8, color="#7a4b00",
        bbox={"boxstyle": "round", "fc": "#fff6e0", "ec": "#e0b44c", "lw": 0.6},
    )  # fmt: skip


def series_panels(analysis: Analysis) -> list[tuple[str, tuple[MetricSpec, ...]]]:
    """The exercise's plotted series grouped into panels: ``(plot name, specs)`` in declared order.

    Empty for an analysis without a time axis or of an exercise this version does not know.
    """
    spec = find_spec(analysis.exercise)
    if spec is None or "t_s" not in analysis.series or not len(analysis.series["t_s"]):
        return []
    groups: dict[str, list[MetricSpec]] = {}
    for m in spec.metric_specs("plot", "series"):
        groups.setdefault(m.plot or m.key, []).append(m)  # a series without a plot name gets its own panel
    return [(name, tuple(ms)) for name, ms in groups.items()]


def _axis_title(members: tuple[MetricSpec, ...]) -> str:
    declared = next((m.axis for m in members if m.axis), "")
    if declared:
        return declared
    unit = members[0].unit
    return {"°": "degrees", "s": "seconds", "cm": "cm", "%": "%"}.get(unit, unit)


def _config_pair(settings: Any, key: str) -> tuple[float, float] | None:
    v = getattr(settings, key, None) if settings is not None and key else None
    if v is None or len(v) != 2:
        return None
    return float(v[0]), float(v[1])


def _config_number(settings: Any, key: str) -> float | None:
    v = getattr(settings, key, None) if settings is not None and key else None
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) and np.isfinite(v) else None


def _draw_panel(ax: Any, analysis: Analysis, name: str, members: tuple[MetricSpec, ...], settings: Any, best: str):
    s = analysis.series
    t = np.asarray(s.get("t_s", []), dtype=float)
    unit = members[0].unit
    # bands first (under the lines, first in the legend), then the series, then the limits over them
    for m in members:
        band = _config_pair(settings, m.band_key)
        if band is not None:
            lo, hi = band[0] * m.scale, band[1] * m.scale
            words = m.band_label or "target"
            ax.axhspan(lo, hi, color=palette.BAND_COLOR, alpha=0.18, lw=0, label=f"{words} {lo:g}–{hi:g}{unit}")
    values = []
    for j, m in enumerate(members):
        y = (np.asarray(s[m.key], dtype=float) if m.key in s else np.full(t.shape, np.nan)) * m.scale
        values.append(y)
        # a third or later line is drawn thin and dashed so the first two stay readable
        style = {"lw": 1.4} if j < 2 else {"lw": 1.0, "ls": "--"}
        ax.plot(t, y, color=palette.series_color(m.color, j), label=m.label, **style)
    thresholds = []
    for m in members:
        thr = _config_number(settings, m.threshold_key)
        if thr is not None:
            thresholds.append(thr * m.scale)
            ax.axhline(
                thr * m.scale,
                color=palette.THRESHOLD_COLOR,
                lw=0.9,
                ls=":",
                label=f"cue threshold {thr * m.scale:g}{unit}",
            )
    ax.set_ylabel(_axis_title(members))
    data = np.concatenate(values) if values else np.array([])
    finite = data[np.isfinite(data)]
    fixed = next((m.axis_range for m in members if m.axis_range is not None), None)
    if fixed is not None:
        bottom = min(fixed[0], float(finite.min()) - 5) if finite.size else fixed[0]
        top = max(fixed[1], float(finite.max()) + 5) if finite.size else fixed[1]
        ax.set_ylim(bottom, top)
    if not finite.size:
        # An empty panel with an arbitrary axis looks like a plotting bug; say why it is empty instead.
        if fixed is None and thresholds:
            ax.set_ylim(min(-5.0, min(thresholds) - 5), max(20.0, max(thresholds) + 5))
        note = next((m.empty_note for m in members if m.empty_note), f"{members[0].label} not measured")
        _panel_note(ax, note)
    elif any(m.band_key for m in members) and analysis.quality.view not in (best, "unknown"):
        _panel_note(ax, f"{analysis.quality.view} view: {name} readings are unreliable, film {_view_words(best)}")
    n_entries = len(ax.get_legend_handles_labels()[1])
    if n_entries:
        ax.legend(loc="upper right", fontsize=7, ncols=min(4, n_entries), frameon=False)


def _view_words(view: str) -> str:
    return {"side": "from the side", "front": "from the front", "oblique": "at an angle"}.get(view, f"from the {view}")


def series_figure(analysis: Analysis, config: Config) -> Figure:
    """One panel per plot group the exercise declares (:func:`series_panels`), over time in seconds, reps and
    holds shaded; targets as bands, cue thresholds as dotted lines.

    Raises:
        ValueError: nothing to plot (see :func:`series_panels`).
    """
    panels = series_panels(analysis)
    if not panels:
        raise ValueError(f"no plotted series for exercise {analysis.exercise!r}")
    spec = find_spec(analysis.exercise)
    settings = exercise_config(config, spec.name) if spec is not None else None
    best = spec.views[0] if spec is not None and spec.views else "side"
    t = np.asarray(analysis.series.get("t_s", []), dtype=float)
    fig = Figure(figsize=(9.0, 2.0 * len(panels) + 0.2), dpi=100, layout="constrained")
    axes = np.atleast_1d(fig.subplots(len(panels), 1, sharex=True))
    for i, ((name, members), ax) in enumerate(zip(panels, axes, strict=True)):
        _shade_reps(ax, analysis, label=i == 0)
        _draw_panel(ax, analysis, name, members, settings, best)
    axes[-1].set_xlabel("time (s)")
    for a in axes:
        a.grid(True, axis="y", color="#dddddd", lw=0.5)
        a.tick_params(labelsize=8)
        if t.size:
            a.set_xlim(float(t[0]), float(t[-1]))
    return fig


def tempo_figure(analysis: Analysis, config: Config) -> Figure:
    """Horizontal stacked bars: the exercise's target tempo on top (when it has one), then each rep."""
    spec = find_spec(analysis.exercise)
    judged = spec is not None and spec.judges_tempo  # a target nothing is judged against is not drawn as one
    target = getattr(exercise_config(config, spec.name), "target_tempo_s", None) if judged else None
    labels = spec.phases.names if spec is not None and spec.phases.has_reps else PHASE_LABELS
    reps = list(analysis.reps)
    rows = [("target", target)] if target is not None else []
    rows += [(f"rep {r.index}", (r.eccentric_s, r.bottom_pause_s, r.concentric_s, r.top_pause_s)) for r in reps]
    # Bars in time order: a rep timed rise first (a lift from the floor) is rising, top, lowering, bottom rest.
    orders = [(0, 1, 2, 3)] * (len(rows) - len(reps)) + [(2, 3, 0, 1) if rises_first(r.metrics) else (0, 1, 2, 3)
                                                         for r in reps]  # fmt: skip
    fig = Figure(figsize=(9.0, 0.9 + 0.32 * len(rows)), dpi=100, layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(rows))[::-1]
    for (name, vals), yi, order in zip(rows, y, orders, strict=True):
        left = 0.0
        for k in order:
            v = vals[k]
            v = float(v) if v is not None and np.isfinite(v) else 0.0
            ax.barh(
                yi, v, left=left, color=PHASE_COLORS[k], edgecolor="white", height=0.7,
                hatch="//" if name == "target" else None, label=labels[k] if yi == y[0] else None,
            )  # fmt: skip
            left += v
    ax.set_yticks(y, [r[0] for r in rows], fontsize=8)
    ax.set_xlabel("seconds", fontsize=8)
    ax.tick_params(labelsize=8)
    ax.grid(True, axis="x", color="#dddddd", lw=0.5)
    ax.set_axisbelow(True)
    ax.legend(loc="lower right", fontsize=7, ncols=4, frameon=False, bbox_to_anchor=(1.0, 1.0))
    return fig


def to_svg(fig: Figure, element_id: str) -> str:
    """Inline SVG markup (no XML prolog, text kept as text, stable ids) with ``id`` and a ``role=img``."""
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": element_id}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    return svg.replace("<svg ", f'<svg id="{element_id}" role="img" ', 1)


def to_png(fig: Figure, dpi: int = 150) -> bytes:
    """PNG bytes of the figure."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
