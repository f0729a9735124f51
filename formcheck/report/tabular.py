"""CSV (one row per rep and one per hold, every metric) and JSON (the full analysis, ``formcheck.analysis/2``)."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable

from formcheck.config import Config
from formcheck.cues import filed_hold_cues, is_correction
from formcheck.engine import cuerules
from formcheck.engine.registry import find_spec
from formcheck.engine.spec import ExerciseSpec
from formcheck.engine.viewjudged import not_judged_keys
from formcheck.report.content import cues_of
from formcheck.types import Analysis, Cue, Hold, Rep

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
# A set with both (press-ups held at the top, a side plank with arm reaches, a bridge held while marching): one row
# per rep and one per hold in time order, told apart by ``kind``; the rep columns, then the hold's own.
MIXED_FIELDS = ("kind", *REP_FIELDS, *(f for f in HOLD_FIELDS if f not in REP_FIELDS))


def metric_columns(exercise: str, kind: str | tuple[str, ...], present: Iterable[str] | None) -> list[str]:
    """Metric columns: the exercise's declared metrics of ``kind`` in declared order, then undeclared ones sorted.

    Args:
        exercise: the exercise name (an unknown one has no declared order: all columns sorted).
        kind: ``"rep"`` or ``"hold"``, or both (``("rep", "hold")``: a key declared for both is one column).
        present: the keys the rows carry; None (no rows) lists every declared metric.
    """
    kinds = (kind,) if isinstance(kind, str) else kind
    spec = find_spec(exercise)
    declared = list(dict.fromkeys(m.key for m in spec.metrics if m.kind in kinds)) if spec is not None else []
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
    """One header row, then one row per rep and one per hold: timing, every metric (units in the names, the
    exercise's declared order first), the correction codes, and ``not_judged``: the metric keys whose number is kept
    but the set's camera view does not judge (:mod:`formcheck.engine.viewjudged`; ``;``-separated, empty when all
    are judged).

    A set of reps only has the columns :data:`REP_FIELDS`, a set of holds only :data:`HOLD_FIELDS`, each followed
    by its metrics. A set with both has :data:`MIXED_FIELDS` (``kind`` first: ``rep`` or ``hold``), then the rep and
    hold metrics in declared order (a key declared for both, e.g. the press-up's trunk maximum, is one column read by
    the row's kind); a cell of the other kind's column is empty. Its rows are in time order (a hold before a rep
    starting at the same moment). A metric named as a field (the Pallof press's ``hold_s``) is no second column: it
    fills the field's cell where the field is unknown.
    """
    holds = tuple(getattr(analysis, "holds", ()))
    reps = analysis.reps
    rep_metrics = metric_columns(analysis.exercise, "rep", {k for r in reps for k in dict(r.metrics)} if reps else None)
    hold_metrics = metric_columns(analysis.exercise, "hold", {k for h in holds for k in dict(h.metrics)})
    cues = cues_of(analysis, config)
    spec, view = find_spec(analysis.exercise), analysis.quality.view
    rows = [(_hold_row(h, hold_metrics, cues, spec, view, config), h.start_s, 0) for h in holds]
    rows += [(_rep_row(r, rep_metrics, cues, spec, view, config), r.start_s, 1) for r in reps]
    if holds and reps:
        both = metric_columns(analysis.exercise, ("rep", "hold"), {*rep_metrics, *hold_metrics})
        header = [*MIXED_FIELDS, *_not_in(both, MIXED_FIELDS)]
        rows.sort(key=lambda row: (row[1] if math.isfinite(row[1]) else math.inf, row[2]))
    elif holds:
        header = [*HOLD_FIELDS, *_not_in(hold_metrics, HOLD_FIELDS)]
    else:
        header = [*REP_FIELDS, *_not_in(rep_metrics, REP_FIELDS)]
    header += ["cues", "not_judged"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([row.get(col, "") for col in header] for row, _, _ in rows)
    return buf.getvalue()


def _not_in(keys: Iterable[str], fields: Iterable[str]) -> list[str]:
    """``keys`` less the names of ``fields``: a metric named as a field (the Pallof press's ``hold_s``, the rep's hold
    time) is that field's column, not a second column of the same name."""
    have = set(fields)
    return [k for k in keys if k not in have]


def _cells(fields: dict[str, object], metrics: list[str], m: dict[str, object]) -> dict[str, str]:
    """A row's field and metric cells by column. A metric named as one of the row's fields shares its column: the
    field's value, or the metric's where the field is unknown (the Pallof press's hold time is a metric only)."""
    out = {f: _cell(v) for f, v in fields.items()}
    for k in metrics:
        if k not in fields or out[k] == "":
            out[k] = _cell(m.get(k))
    return out


def _rep_row(r: Rep, metrics: list[str], cues: Iterable[Cue], spec: ExerciseSpec | None, view: str,
             config: Config) -> dict[str, str]:  # fmt: skip
    """A rep's cells by column: its fields, metrics, correction codes and the metric keys its view does not judge."""
    m = dict(r.metrics)
    off = not_judged_keys(spec, cuerules.rep_values(r), "rep", view, config)
    codes = [c.code for c in cues if c.rep_index == r.index and is_correction(c)]
    return {"kind": "rep", **_cells({f: getattr(r, f) for f in REP_FIELDS}, metrics, m),
            "cues": ";".join(codes), "not_judged": ";".join(k for k in metrics if k in off)}  # fmt: skip


def _hold_row(h: Hold, metrics: list[str], cues: Iterable[Cue], spec: ExerciseSpec | None, view: str,
              config: Config) -> dict[str, str]:  # fmt: skip
    """A hold's cells by column; its corrections are the ones the cue list files for it (:func:`filed_hold_cues`)."""
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
    codes = [c.code for c in filed_hold_cues(cues, h.start_s, h.end_s) if is_correction(c)]
    off = not_judged_keys(spec, cuerules.hold_values(h), "hold", view, config)
    return {"kind": "hold", **_cells(fields, metrics, m),
            "cues": ";".join(codes), "not_judged": ";".join(k for k in metrics if k in off)}  # fmt: skip


def json_text(analysis: Analysis) -> str:
    """``Analysis.to_json_dict()`` as strict JSON (NaN → null, UTF-8 text kept readable)."""
    return json.dumps(analysis.to_json_dict(), indent=1, allow_nan=False, ensure_ascii=False)
