"""Report plots with matplotlib's object API (no pyplot, so no global backend or state is touched).

* :func:`series_figure` — hip flexion, trunk inclination and knee flexion; the back-rounding estimate with its
  threshold; the centre of mass as % of foot length with the midfoot band; reps shaded and numbered.
* :func:`tempo_figure` — per-rep lowering/pause/rising/top durations as stacked bars against the target.

:func:`to_svg` gives inline SVG text for HTML (text kept as text), :func:`to_png` PNG bytes for the PDF.
"""

from __future__ import annotations

import io
import re
from typing import Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from formcheck.config import Config
from formcheck.types import Analysis

PHASE_COLORS = ("#4c78a8", "#f2b447", "#54a24b", "#bab0ac")  # lower, pause, rise, top
PHASE_LABELS = ("lowering", "pause at bottom", "rising", "pause at top")


def _shade_reps(ax, analysis: Analysis, label: bool) -> None:
    for r in analysis.reps:
        if np.isfinite(r.start_s) and np.isfinite(r.end_s):
            ax.axvspan(r.start_s, r.end_s, color="#e8e8e8", zorder=0, lw=0)
            ax.axvline(r.start_s, color="#9a9a9a", lw=0.6, zorder=1)
            ax.axvline(r.end_s, color="#9a9a9a", lw=0.6, zorder=1)
            if label:
                ax.text(
                    (r.start_s + r.end_s) / 2, 1.02, f"rep {r.index}", transform=ax.get_xaxis_transform(),
                    ha="center", va="bottom", fontsize=7, color="#555555",
                )  # fmt: skip


def _panel_note(ax: Any, text: str) -> None:
    ax.text(
        0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=8, color="#7a4b00",
        bbox={"boxstyle": "round", "fc": "#fff6e0", "ec": "#e0b44c", "lw": 0.6},
    )  # fmt: skip


def series_figure(analysis: Analysis, config: Config) -> Figure:
    """Three stacked panels over time (seconds), reps shaded."""
    s = analysis.series
    fig = Figure(figsize=(9.0, 6.2), dpi=100, layout="constrained")
    axes = fig.subplots(3, 1, sharex=True)
    t = np.asarray(s.get("t_s", []), dtype=float)

    def get(k: str) -> np.ndarray:
        return np.asarray(s[k], dtype=float) if k in s else np.full(t.shape, np.nan)

    ax = axes[0]
    _shade_reps(ax, analysis, label=True)
    ax.plot(t, get("hip_flexion_deg"), color="#e45756", lw=1.4, label="hip flexion")
    ax.plot(t, get("trunk_inclination_deg"), color="#4c78a8", lw=1.4, label="trunk angle from vertical")
    ax.plot(t, get("knee_flexion_deg"), color="#72b7b2", lw=1.0, ls="--", label="knee flexion")
    ax.set_ylabel("degrees")
    ax.legend(loc="upper right", fontsize=7, ncols=3, frameon=False)

    ax = axes[1]
    _shade_reps(ax, analysis, label=False)
    spine = get("spine_flexion_est_deg")
    ax.plot(t, spine, color="#b279a2", lw=1.4, label="back rounding (estimate)")
    thr = config.hinge.spine_rounding_deg
    ax.axhline(thr, color="#d62728", lw=0.9, ls=":", label=f"cue threshold {thr:g}°")
    ax.set_ylabel("degrees")
    if not np.isfinite(spine).any():
        # An empty panel with an arbitrary axis looks like a plotting bug; say why it is empty instead.
        ax.set_ylim(-5, max(20.0, thr + 5))
        _panel_note(ax, "back rounding not measured: it needs a side view with the back outline visible")
    ax.legend(loc="upper right", fontsize=7, ncols=2, frameon=False)

    ax = axes[2]
    _shade_reps(ax, analysis, label=False)
    lo, hi = config.hinge.midfoot_band_pct
    ax.axhspan(lo, hi, color="#54a24b", alpha=0.18, lw=0, label=f"midfoot {lo:g}–{hi:g}%")
    ax.plot(t, get("com_pct_foot"), color="#333333", lw=1.4, label="centre of mass")
    ax.set_ylabel("% of foot\n(heel → toe)")
    ax.set_xlabel("time (s)")
    com = get("com_pct_foot")
    finite = com[np.isfinite(com)]
    top = max(100.0, float(finite.max()) + 5) if finite.size else 100.0
    bottom = min(0.0, float(finite.min()) - 5) if finite.size else 0.0
    ax.set_ylim(bottom, top)
    ax.legend(loc="upper right", fontsize=7, ncols=2, frameon=False)
    if analysis.quality.view not in ("side", "unknown") and finite.size:
        _panel_note(ax, f"{analysis.quality.view} view: balance readings are unreliable, film from the side")
    for a in axes:
        a.grid(True, axis="y", color="#dddddd", lw=0.5)
        a.tick_params(labelsize=8)
        if t.size:
            a.set_xlim(float(t[0]), float(t[-1]))
    return fig


def tempo_figure(analysis: Analysis, config: Config) -> Figure:
    """Horizontal stacked bars: the target tempo on top, then each rep."""
    target = config.hinge.target_tempo_s
    reps = list(analysis.reps)
    rows = [("target", target)] + [
        (f"rep {r.index}", (r.eccentric_s, r.bottom_pause_s, r.concentric_s, r.top_pause_s)) for r in reps
    ]
    fig = Figure(figsize=(9.0, 0.9 + 0.32 * len(rows)), dpi=100, layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(rows))[::-1]
    for (name, vals), yi in zip(rows, y, strict=True):
        left = 0.0
        for k, v in enumerate(vals):
            v = float(v) if v is not None and np.isfinite(v) else 0.0
            ax.barh(
                yi, v, left=left, color=PHASE_COLORS[k], edgecolor="white", height=0.7,
                hatch="//" if name == "target" else None, label=PHASE_LABELS[k] if name == "target" else None,
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
