"""The one set of colours every picture uses: app charts, report plots (HTML/PDF), report boxes.

A physio who reads the report next to the app sees the same colour for the same thing (a severity, the target
band, a cue threshold, a tempo phase, a measured series). Series colours come from each metric's spec
(``MetricSpec.color``); a series without one gets :func:`series_color` by its place in the chart.
"""

from __future__ import annotations

SEVERITY_COLORS = {"safety": "#c62828", "warn": "#d9730d", "info": "#1f5f99", "praise": "#2e7d32"}
BAND_COLOR = "#54a24b"  # a metric's target band
THRESHOLD_COLOR = "#d62728"  # a cue threshold line
REP_SHADE_COLOR = "#e8e8e8"  # reps shaded behind the series
PHASE_COLORS = ("#4c78a8", "#f2b447", "#54a24b", "#bab0ac")  # lowering, pause at bottom, rising, pause at top
SERIES_COLORS = ("#4c78a8", "#e45756", "#72b7b2", "#b279a2", "#f58518", "#54a24b", "#eeca3b", "#9d755d")


def series_color(declared: str, index: int) -> str:
    """A series' colour: its spec's, else the ``index``-th of :data:`SERIES_COLORS`."""
    return declared or SERIES_COLORS[index % len(SERIES_COLORS)]


__all__ = ["BAND_COLOR", "PHASE_COLORS", "REP_SHADE_COLOR", "SERIES_COLORS", "SEVERITY_COLORS", "THRESHOLD_COLOR",
           "series_color"]  # fmt: skip
