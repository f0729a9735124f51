"""Per-rep tables and cue lists as plain rows (list of dicts) for ``st.dataframe``."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from formcheck.types import Cue, Rep

# column title → (source, format). Source is a Rep field or "m:<metrics key>".
REP_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("Rep", "index", "{:d}"),
    ("Lowering s", "eccentric_s", "{:.1f}"),
    ("Pause s", "bottom_pause_s", "{:.1f}"),
    ("Rising s", "concentric_s", "{:.1f}"),
    ("Top s", "top_pause_s", "{:.1f}"),
    ("Hip share %", "m:hip_share", "pct"),
    ("Back rounding °", "m:spine_flexion_est_deg", "{:.0f}"),
    ("Weight % foot (max)", "m:com_max_pct_foot", "{:.0f}"),
    ("Knee bend °", "m:knee_flexion_bottom_deg", "{:.0f}"),
    ("Pattern", "classification", "{}"),
)


def _get(rep: Rep | Mapping[str, Any], key: str) -> Any:
    if key.startswith("m:"):
        metrics = rep.metrics if isinstance(rep, Rep) else rep.get("metrics") or {}
        return metrics.get(key[2:])
    return getattr(rep, key) if isinstance(rep, Rep) else rep.get(key)


def fmt(value: Any, spec: str) -> str:
    """Format a value for a table cell; unknown (None/NaN) shows as an en dash, never as 0."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if spec == "pct":
        return f"{100 * float(value):.0f}"
    if spec == "{:d}":
        return str(int(value))
    if spec == "{}":
        return str(value) or "–"
    return spec.format(float(value))


def rep_rows(
    reps: Sequence[Rep | Mapping[str, Any]], rep_cues: Mapping[int, Cue] | None = None
) -> list[dict[str, str]]:
    """One row per rep with the numbers a user acts on, plus that rep's most important cue.

    Args:
        reps: ``Rep`` objects or their ``to_dict()`` form (as read back from the history store).
        rep_cues: optional ``{rep index: cue}``; adds a "Cue" column.
    """
    rows = []
    for r in reps:
        row = {title: fmt(_get(r, key), spec) for title, key, spec in REP_COLUMNS}
        if rep_cues is not None:
            cue = rep_cues.get(int(_get(r, "index")))
            row["Cue"] = cue.message if cue is not None else ""
        rows.append(row)
    return rows


def top_cue_per_rep(cues: Sequence[Cue]) -> dict[int, Cue]:
    """The most important cue of each rep (lowest priority number)."""
    out: dict[int, Cue] = {}
    for c in cues:
        if c.rep_index is None:
            continue
        best = out.get(c.rep_index)
        if best is None or c.priority < best.priority:
            out[c.rep_index] = c
    return out


SEVERITY_ICON = {"safety": "🛑", "warn": "⚠️", "info": "ℹ️", "praise": "✅"}


def cue_rows(cues: Sequence[Cue]) -> list[dict[str, str]]:
    """Cue list in time order for the cue timeline table."""

    def key(c: Cue) -> tuple[float, int]:
        return (c.t_s if c.t_s is not None and math.isfinite(c.t_s) else math.inf, c.priority)

    return [
        {
            "Time s": fmt(c.t_s, "{:.1f}"),
            "Rep": "" if c.rep_index is None else str(c.rep_index),
            "": SEVERITY_ICON.get(c.severity, ""),
            "Cue": c.message,
            "Measured": _evidence(c),
        }
        for c in sorted(cues, key=key)
    ]


def _evidence(c: Cue) -> str:
    if not c.metric or c.value is None or not math.isfinite(c.value):
        return ""
    thr = "" if c.threshold is None or not math.isfinite(c.threshold) else f" (limit {c.threshold:.3g})"
    return f"{c.metric} = {c.value:.3g}{thr}"
