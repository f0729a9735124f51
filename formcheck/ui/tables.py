"""Per-rep, per-hold and cue tables as plain rows (list of dicts) for ``st.dataframe``.

The exercise's numbers come from its metric specs (:meth:`ExerciseSpec.metric_specs
<formcheck.engine.spec.ExerciseSpec.metric_specs>` for the place ``"table"``): column title ``spec.short``, cell
``spec.cell`` (a min–max range where the spec names a low end, as the CLI), with "(not judged)" beside a number
the set's view does not judge. Only the generic rep fields (index, phase times, side, hold, class) are named here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from formcheck.config import Config
from formcheck.cues import filed_hold_cues
from formcheck.engine.cuerules import PHASE_FIELDS, hold_values, rep_values
from formcheck.engine.registry import find_spec
from formcheck.engine.spec import HINGE_PHASES, TIME_FMT, ExerciseSpec, MetricSpec, shown_class, unit_text
from formcheck.engine.viewjudged import marked, not_judged_keys
from formcheck.report.content import SEVERITY_WORDS, value_label
from formcheck.types import Cue, Hold, Rep

# Generic rep columns: title → (Rep field, format). The exercise's metric columns follow these. Phase times to
# 0.01 s, as their spec declares (engine.spec.phase_metric: a tempo rule judges them to the frame).
_TIME = "{:" + TIME_FMT + "}"
REP_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("Rep", "index", "{:d}"),
    ("Lowering s", "eccentric_s", _TIME),
    ("Pause s", "bottom_pause_s", _TIME),
    ("Rising s", "concentric_s", _TIME),
    ("Top s", "top_pause_s", _TIME),
)
SIDE_TITLE = "Side"
HOLD_TITLE = "Hold s"
PATTERN_TITLE = "Pattern"


def _get(item: Rep | Hold | Mapping[str, Any], key: str) -> Any:
    return item.get(key) if isinstance(item, Mapping) else getattr(item, key, None)


def _metrics(item: Rep | Hold | Mapping[str, Any]) -> Mapping[str, Any]:
    return _get(item, "metrics") or {}


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


def table_specs(exercise: str, kind: str = "rep") -> tuple[MetricSpec, ...]:
    """The exercise's metric specs shown in app tables for ``kind`` (none for an exercise this version lacks)."""
    spec = find_spec(exercise)
    return spec.metric_specs("table", kind) if spec is not None else ()


def _values(item: Rep | Hold | Mapping[str, Any], kind: str) -> dict[str, Any]:
    """The values the rules judge ``item`` on, as the CLI, report and CSV build them (``cuerules.rep_values`` /
    ``hold_values``: a hold's adds its duration, time in band and breaks); a row read back from the history is
    a plain dict, read into its type first."""
    if kind == "rep":  # a rep's metrics and phase times, as rep_values gives them
        return (
            rep_values(item)
            if isinstance(item, Rep)
            else {**_metrics(item), **{f: _get(item, f) for f in PHASE_FIELDS}}
        )
    return hold_values(item if isinstance(item, Hold) else Hold.from_dict(item))


def column_title(m: MetricSpec) -> str:
    """``m``'s column title (:attr:`MetricSpec.table_title`, as the report's)."""
    return m.table_title


def _marked_cell(spec: ExerciseSpec | None, m: MetricSpec, item: Any, kind: str, view: str, config: Config) -> str:
    """``m``'s cell, "+11 (not judged)" where this view does not judge the number (one rule for every table:
    :mod:`formcheck.engine.viewjudged`). A metric with a low end reads "6–27", the range the CLI shows
    (:meth:`MetricSpec.cli_cell`): a cue about the heels (the low end) next to the toes' value alone misled."""
    off = not_judged_keys(spec, _values(item, kind), kind, view, config) if spec is not None else frozenset()
    values = _metrics(item)
    return marked(m.range_cell(values), m.key in off or m.cli_low_key in off)


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def rep_rows(
    reps: Sequence[Rep | Mapping[str, Any]],
    rep_cues: Mapping[int, Cue] | None = None,
    *,
    exercise: str,
    view: str,
    config: Config,
) -> list[dict[str, str]]:
    """One row per rep with the numbers a user acts on, plus that rep's most important cue.

    Columns: Rep, Side (when any rep has one), the phase times, Hold s (when any rep held), the exercise's table
    metrics, Pattern (its class in plain words, "–" where the CLI and the report withhold it:
    :func:`~formcheck.engine.spec.shown_class`), and Cue when ``rep_cues`` is given.

    Args:
        reps: ``Rep`` objects or their ``to_dict()`` form (as read back from the history store).
        rep_cues: optional ``{rep index: cue}``; adds a "Cue" column.
        exercise: the exercise the reps belong to (its specs name the metric columns); rows read back from the
            history are plain dicts, so the name is passed, not read from the reps.
        view: the set's view (``analysis.quality.view``; a live set's view so far): a class read from a value this
            view does not judge (a squat's depth from an oblique view) is not shown. Required, so no caller shows
            a class by forgetting it.
        config: the set's judged configuration (:func:`formcheck.engine.judgement.judged_config`): which numbers
            the view does not judge follows its settings (``cues.side_view_only``). Required, as ``view`` is.
    """
    spec = find_spec(exercise)
    metrics = spec.metric_specs("table", "rep") if spec is not None else ()
    with_side = any(_get(r, "side") for r in reps)
    with_hold = any(_finite(_get(r, "hold_s")) for r in reps)
    first, *phases = REP_COLUMNS
    words = spec.phases if spec is not None else HINGE_PHASES
    if words != HINGE_PHASES:  # the exercise's own phase words (a bridge: "Up s", "Hold s", ...), none for holds
        phases = [(f"{words.column(key).capitalize()} s", key, f) for _, key, f in phases if words.has_reps]
    rows = []
    for r in reps:
        row = {first[0]: fmt(_get(r, first[1]), first[2])}
        if with_side:
            row[SIDE_TITLE] = _get(r, "side") or "both"
        row |= {title: fmt(_get(r, key), f) for title, key, f in phases}
        if with_hold:
            row[HOLD_TITLE] = fmt(_get(r, "hold_s"), _TIME)  # a rep's hold, judged to the frame too
        row |= {column_title(m): _marked_cell(spec, m, r, "rep", view, config) for m in metrics}
        row[PATTERN_TITLE] = shown_class(spec, _get(r, "classification"), view)
        if rep_cues is not None:
            cue = rep_cues.get(int(_get(r, "index")))
            row["Cue"] = cue.message if cue is not None else ""
        rows.append(row)
    return rows


def hold_rows(
    holds: Sequence[Hold | Mapping[str, Any]],
    hold_cues: Mapping[int, Cue] | None = None,
    *,
    exercise: str,
    view: str,
    config: Config,
) -> list[dict[str, str]]:
    """One row per held position: when, how long, time in the target band, breaks, and the exercise's hold metrics,
    plus that hold's most important cue (as :func:`rep_rows` gives a rep's).

    Args:
        holds: ``Hold`` objects (``analysis.holds``) or their ``to_dict()`` form.
        hold_cues: optional ``{hold index: cue}`` (:func:`top_cue_per_hold`, or a live set's own); adds a "Cue"
            column.
        exercise: the exercise the holds belong to (its ``"table"`` hold specs add columns).
        view: the set's view: a number it does not judge reads "+3 (not judged)" ("unknown": none marked).
            Required, so the live table cannot leave its holds unmarked by forgetting it.
        config: the set's judged configuration (as :func:`rep_rows`).
    """
    metrics = table_specs(exercise, "hold")
    spec = find_spec(exercise)
    with_side = any(_get(h, "side") for h in holds)
    rows = []
    for h in holds:
        start, end = _get(h, "start_s"), _get(h, "end_s")
        duration = end - start if _finite(start) and _finite(end) else math.nan
        in_band = _get(h, "in_band_s")
        row = {"Hold": fmt(_get(h, "index"), "{:d}")}
        if with_side:
            row[SIDE_TITLE] = _get(h, "side") or "both"
        row |= {
            "Start s": fmt(start, "{:.1f}"),
            "Held s": fmt(duration, "{:.1f}"),
            "In position s": fmt(in_band, "{:.1f}"),
            "In position %": fmt(in_band / duration if _finite(in_band) and duration > 0 else math.nan, "pct"),
            "Breaks": str(len(_get(h, "breaks") or ())),
        }
        row |= {column_title(m): _marked_cell(spec, m, h, "hold", view, config) for m in metrics}
        if hold_cues is not None:
            cue = hold_cues.get(int(_get(h, "index")))
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


def top_cue_per_hold(cues: Sequence[Cue], holds: Sequence[Hold | Mapping[str, Any]]) -> dict[int, Cue]:
    """The most important cue of each hold (lowest priority number), from a set's cue list.

    A hold's cues carry no rep index but a time inside the hold (:func:`formcheck.cues.filed_hold_cues`).
    """
    out: dict[int, Cue] = {}
    for h in holds:
        start, end = _get(h, "start_s"), _get(h, "end_s")
        if not (_finite(start) and _finite(end)):
            continue
        own = filed_hold_cues(cues, start, end)
        if own:
            out[int(_get(h, "index"))] = min(own, key=lambda c: c.priority)
    return out


SEVERITY_ICON = {"safety": "🛑", "warn": "⚠️", "info": "ℹ️", "praise": "✅"}


def cue_rows(cues: Sequence[Cue], exercise: str | None = None) -> list[dict[str, str]]:
    """Cue list in time order for the cue timeline table.

    With ``exercise`` the "Measured" column names the metric in plain words with its shown unit (its spec);
    without it (or for a metric the exercise does not declare) it shows the raw key and value.
    """
    spec = find_spec(exercise) if exercise else None

    def key(c: Cue) -> tuple[float, int]:
        return (c.t_s if c.t_s is not None and math.isfinite(c.t_s) else math.inf, c.priority)

    return [
        {
            "Time s": fmt(c.t_s, "{:.1f}"),
            "Rep": "" if c.rep_index is None else str(c.rep_index),
            "Kind": f"{SEVERITY_ICON.get(c.severity, '')} {SEVERITY_WORDS.get(c.severity, c.severity)}".strip(),
            "Cue": c.message,
            "Measured": _evidence(c, spec),
        }
        for c in sorted(cues, key=key)
    ]


def _evidence(c: Cue, spec: ExerciseSpec | None = None) -> str:
    """What the cue measured, in words and units ("Knee bend at the bottom: 71° (limit 60°)"), never a raw key."""
    if not c.metric or c.value is None or not math.isfinite(c.value):
        return ""
    label, m, unit = value_label(c.metric, spec)
    if m is None and spec is not None:
        m = spec.metric(c.metric, "series")
        label = m.label[:1].upper() + m.label[1:] if m is not None else label

    def shown(x: float) -> str:
        if m is not None:
            return m.format(x, with_unit=True)
        return unit_text(f"{x:.3g}", unit)  # a value without a spec (the report's value_label gives phases one)

    has_thr = c.threshold is not None and math.isfinite(c.threshold)
    return f"{label}: {shown(c.value)}" + (f" (limit {shown(c.threshold)})" if has_thr else "")
