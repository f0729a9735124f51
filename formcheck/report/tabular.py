"""CSV (one row per rep or hold, every metric) and JSON (the full analysis, schema ``formcheck.analysis/2``)."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable

from formcheck.config import Config
from formcheck.cues import is_correction
from formcheck.engine import cuerules
from formcheck.engine.registry import find_spec
from formcheck.engine.viewjudged import not_judged_keys
from formcheck.report.content import cues_of
from formcheck.types import Analysis

REP_FIELDS = (
    "index",
    "start_s",
    "bottom_s",
    "end_s",
    "eccentric_s",
    "bottom_pause_s",
    "concentric_s",
    "top_pause_s",
    "time_under_tension_s",
    "rom_deg",
    "classification",
    "side",
    "hold_s",
)
# A hold exercise (no reps): one row per hold instead.
HOLD_FIELDS = ("index", "side", "start_s", "end_s", "duration_s", "in_band_s", "in_band_frac", "breaks", "break_s")


def metric_columns(exercise: str, kind: str, present: Iterable[str] | None) -> list[str]:
    """Metric columns: the exercise's declared metrics of ``kind`` in declared order, then undeclared ones sorted.

    Args:
        exercise: the exercise name (an unknown one has no declared order: all columns sorted).
        kind: ``"rep"`` or ``"hold"``.
        present: the keys the rows carry; None (no rows) lists every declared metric.
    """
    spec = find_spec(exercise)
    declared = [m.key for m in spec.metrics if m.kind == kind] if spec is not None else []
    if present is None:
        return declared
    have = set(present)
    return [k for k in declared if k in have] + sorted(have - set(declared))


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "" if not math.isfinite(v) else f"{v:.6g}"
    return str(v)


def csv_text(analysis: Analysis, config: Config) -> str:
    """One header row, then one row per rep (or per hold for a hold exercise): timing, every metric (units in the
    names, the exercise's declared order first), the correction codes, and ``not_judged``: the metric keys whose
    number is kept but the set's camera view does not judge (:mod:`formcheck.engine.viewjudged`; ``;``-separated,
    empty when all are judged)."""
    holds = getattr(analysis, "holds", ())
    if holds and not analysis.reps:
        return _holds_csv(analysis, config)
    present = {k for r in analysis.reps for k in dict(r.metrics)} if analysis.reps else None
    metrics = metric_columns(analysis.exercise, "rep", present)
    by_rep: dict[int, list[str]] = {}
    for c in cues_of(analysis, config):
        if c.rep_index is not None and is_correction(c):
            by_rep.setdefault(c.rep_index, []).append(c.code)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*REP_FIELDS, *metrics, "cues", "not_judged"])
    spec, view = find_spec(analysis.exercise), analysis.quality.view
    for r in analysis.reps:
        m = dict(r.metrics)
        off = not_judged_keys(spec, cuerules.rep_values(r), "rep", view, config)
        w.writerow(
            [_cell(getattr(r, f)) for f in REP_FIELDS]
            + [_cell(m.get(k)) for k in metrics]
            + [";".join(by_rep.get(r.index, [])), ";".join(k for k in metrics if k in off)]
        )
    return buf.getvalue()


def _holds_csv(analysis: Analysis, config: Config) -> str:
    holds = analysis.holds
    metrics = metric_columns(analysis.exercise, "hold", {k for h in holds for k in dict(h.metrics)})
    cues = [c for c in cues_of(analysis, config) if is_correction(c) and c.rep_index is None and c.t_s is not None]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*HOLD_FIELDS, *metrics, "cues", "not_judged"])
    spec, view = find_spec(analysis.exercise), analysis.quality.view
    for h in holds:
        fields = {
            "index": h.index,
            "side": h.side,
            "start_s": h.start_s,
            "end_s": h.end_s,
            "duration_s": h.duration_s,
            "in_band_s": h.in_band_s,
            "in_band_frac": h.in_band_frac,
            "breaks": len(h.breaks),
            "break_s": float(sum(b.duration_s for b in h.breaks)),
        }
        m = dict(h.metrics)
        codes = [c.code for c in cues if h.start_s <= c.t_s <= h.end_s]  # type: ignore[operator]
        off = not_judged_keys(spec, cuerules.hold_values(h), "hold", view, config)
        w.writerow([_cell(fields[f]) for f in HOLD_FIELDS] + [_cell(m.get(k)) for k in metrics]
                   + [";".join(codes), ";".join(k for k in metrics if k in off)])  # fmt: skip
    return buf.getvalue()


def json_text(analysis: Analysis) -> str:
    """``Analysis.to_json_dict()`` as strict JSON (NaN → null, UTF-8 text kept readable)."""
    return json.dumps(analysis.to_json_dict(), indent=1, allow_nan=False, ensure_ascii=False)
