"""What a report says, independent of its format (pure: analysis in, plain text and numbers out).

HTML and PDF lay out the same content: summary facts, the per-rep (or per-hold) table, the cue list with
evidence, a plain-language summary for the patient, and what one camera cannot see. All strings here are plain
text; each writer escapes them for its format.

Nothing here knows an exercise's metrics: the columns, summary facts and patient sentences come from the
exercise's declared :class:`~formcheck.engine.spec.MetricSpec` list (``report`` place, ``summary``,
``patient_ok``/``patient_fault``, ``err_key``, ``evidence``), the class words from its spec, the targets from its
config section, and the judgements from the same cue rules the cue list uses. An analysis of an exercise this
version does not know (e.g. a JSON saved by a newer one) still renders: generic columns and the cues it carries.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from formcheck.config import Config, ExerciseConfig
from formcheck.cues import (
    TIMING_CODES,
    analysis_cues,
    filed_hold_cues,
    frame_interval_s,
    is_correction,
    judged_all,
    load_held_back,
    quality_cues,
    usable_rep_cues,
    view_allows_form_cues,
)
from formcheck.engine import cuerules, viewjudged
from formcheck.engine.judgement import judged_config
from formcheck.engine.quality import QUALITY_SPECS, position_mismatch, position_words
from formcheck.engine.registry import exercise_config, find_spec
from formcheck.engine.spec import (
    HINGE_PHASES,
    PHASE_KEYS,
    TIME_FMT,
    ExerciseSpec,
    MetricSpec,
    PhaseWords,
    phase_metric,
    shown_class,
    unit_text,
)
from formcheck.types import Analysis, Cue, Hold, Rep

# Said when neither the analysis nor its exercise lists what the camera cannot see.
DEFAULT_LIMITS = (
    "One camera sees the body from one side: twisting and side-bending of the spine are invisible.",
    "Muscle tension, breathing, effort and pain cannot be seen on video.",
    "Centimetre figures assume the body height in the settings.",
)

SEVERITY_WEIGHT = {"safety": 10, "warn": 3, "info": 1, "praise": 0}
_VIEW_PHRASE = {"side": "from the side", "front": "from the front", "oblique": "at an angle"}


def _num(x: object) -> float:
    if isinstance(x, bool) or not isinstance(x, int | float | np.floating | np.integer):
        return math.nan
    x = float(x)
    return x if math.isfinite(x) else math.nan


def fmt(x: object, spec: str = ".0f", unit: str = "", missing: str = "–") -> str:
    """A number for display; ``missing`` for NaN/None/non-numbers."""
    v = _num(x)
    return missing if math.isnan(v) else f"{v:{spec}}{unit}"


def spec_of(analysis: Analysis) -> ExerciseSpec | None:
    """The analysis' exercise spec, or None when this version does not know the exercise."""
    return find_spec(analysis.exercise)


def phase_words(analysis: Analysis) -> PhaseWords:
    """The words for the analysis' rep phases (its spec's; the hinge's for an exercise this version does not know)."""
    spec = spec_of(analysis)
    return spec.phases if spec is not None else HINGE_PHASES


def exercise_settings(analysis: Analysis, config: Config) -> Any | None:
    """The analysed exercise's config section (targets, thresholds, bands), or None for an unknown exercise."""
    spec = spec_of(analysis)
    return None if spec is None else exercise_config(config, spec.name)


def best_view(spec: ExerciseSpec | None) -> str:
    """The view the exercise is best filmed from (its first declared view)."""
    return spec.views[0] if spec is not None and spec.views else "side"


def view_phrase(view: str) -> str:
    """ "from the side" / "from the front" / "at an angle"."""
    return _VIEW_PHRASE.get(view, f"from the {view}")


def _form_rules(spec: ExerciseSpec) -> list[Any]:
    # the form checks: safety/warn rules and every rep check on form, tips included (cat-camel's only check, its
    # range, is an info cue); not tempo, not praise, not a hold's reminders
    # (a rule on a phase time, as cat-camel's own pace rules, is timing: spec.judges_tempo reads them so too)
    return [r for r in cuerules.rules_of(spec) if r.code not in TIMING_CODES and r.severity != "praise"
            and r.metric not in PHASE_KEYS and (r.severity in ("safety", "warn") or r.rep)]  # fmt: skip


def form_judged(analysis: Analysis, config: Config) -> str:
    """How much of the form the view let the rules judge: ``"all"``, ``"some"`` or ``"none"``.

    Each cue rule declares the views its value can be trusted in; the same views decide which cues the set got,
    so the plain words agree with the cues (an oblique lunge is judged on trunk and depth, not on knee travel; a
    side plank filmed side-on is not judged at all). An exercise this version does not know: the blanket
    side-view rule.
    """
    spec = spec_of(analysis)
    if spec is None:
        return "all" if view_allows_form_cues(analysis.quality, config) else "none"
    rules = _form_rules(spec)
    allowed = [cuerules.view_allows(r, analysis.quality.view, config.cues.side_view_only) for r in rules]
    if not rules or all(allowed):
        return "all"
    return "some" if any(allowed) else "none"


def _checks(spec: ExerciseSpec) -> list[Any]:
    # every rep check on form, tips included (a squat's depth is an info cue): not tempo, not praise
    return [r for r in cuerules.rules_of(spec) if r.rep and r.severity != "praise" and r.code not in TIMING_CODES]


def _unjudged_keys(analysis: Analysis, spec: ExerciseSpec, config: Config) -> set[str]:
    """Evidence keys no check can judge from this view (a metric judged by another rule stays judged)."""
    view, only_side = analysis.quality.view, config.cues.side_view_only
    rules = _checks(spec)
    judged = {k for r in rules if cuerules.view_allows(r, view, only_side) for k in (r.metric, r.source)}
    return {k for r in rules for k in (r.metric, r.source)} - judged


def cues_of(analysis: Analysis, config: Config) -> tuple[Cue, ...]:
    """The analysis' cues, or freshly computed ones when it carries none (e.g. an older JSON).

    An unknown exercise has no rules to run again: only the view and tracking cues are computed for it.
    """
    if analysis.cues:
        return analysis.cues
    if spec_of(analysis) is None:
        return tuple(quality_cues(analysis.quality, config))
    return analysis_cues(analysis, config)


def rep_cues_of(analysis: Analysis, rep: Rep, config: Config) -> list[Cue]:
    """Every cue the rep earned as far as the view supports judging it (the cue list may skip repeats).

    For an unknown exercise, the cues the analysis carries for that rep.
    """
    spec = spec_of(analysis)
    if spec is None:
        return [c for c in analysis.cues if c.rep_index == rep.index]
    return usable_rep_cues(rep, analysis.quality, config, spec, frame_interval_s(analysis))


def rep_score(analysis: Analysis, rep: Rep, config: Config) -> float:
    """How much needs fixing in a rep: severity-weighted number of corrections (0 = clean)."""
    cues = rep_cues_of(analysis, rep, config)
    return float(sum(SEVERITY_WEIGHT.get(c.severity, 1) for c in cues if is_correction(c)))


def _tie_metric(spec: ExerciseSpec | None) -> MetricSpec | None:
    # The first rep metric with a cue threshold is the one that matters most when two reps earned the same cues.
    if spec is None:
        return None
    return next((m for m in spec.metrics if m.kind == "rep" and m.threshold_key), None)


def best_and_worst(analysis: Analysis, config: Config) -> tuple[Rep | None, Rep | None]:
    """The cleanest and the most faulty rep.

    Ties between reps with the same corrections: the exercise's first rep metric with a cue threshold decides
    (its better way first; unknown counts as 0), then the earlier rep. The second is None when there is one rep
    or every rep earned the same corrections (nothing to contrast).
    """
    if not analysis.reps:
        return None, None
    tie = _tie_metric(spec_of(analysis))

    def badness(r: Rep) -> float:
        if tie is None:
            return 0.0
        v = tie.value_of(r.metrics)
        v = 0.0 if math.isnan(v) else v
        return -v if tie.better == "higher" else v

    scored = [(rep_score(analysis, r, config), badness(r), r.index, r) for r in analysis.reps]
    best = min(scored, key=lambda s: (s[0], s[1], s[2]))
    worst = max(scored, key=lambda s: (s[0], s[1], -s[2]))
    return best[3], (worst[3] if worst[0] > best[0] else None)


# ------------------------------------------------------------------------------------------------ tables ----


@dataclass(frozen=True)
class RepRow:
    """One row of the per-rep (or per-hold) table as display strings, plus which columns carry a fault."""

    cells: tuple[str, ...]
    faulty: frozenset[int]
    cue_codes: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A report table: column titles, which columns hold text (left-aligned), the rows."""

    headers: tuple[str, ...]
    text_columns: frozenset[int]
    rows: tuple[RepRow, ...]


@dataclass(frozen=True)
class _Column:
    title: str
    cell: Callable[[Any], str]
    text: bool = False
    evidence: frozenset[str] = frozenset()  # cue metrics whose correction marks this column


def metric_cell(spec: MetricSpec, values: Mapping[str, Any]) -> str:
    """A metric's table cell (a range where the spec names a low end, as every table), with ``±error`` when the spec
    names an error metric and both are known."""
    text = spec.range_cell(values)
    err = _num(values.get(spec.err_key)) if spec.err_key else math.nan
    if text != "–" and not math.isnan(err):
        text += f" ±{spec.format(err)}"
    return text


def _metric_columns(spec: ExerciseSpec | None, kind: str, view: str, config: Config) -> list[_Column]:
    """The exercise's report metrics; a number this view does not judge reads "+11 (not judged)" (by ``config``,
    the set's judged settings: :func:`~formcheck.engine.judgement.judged_config`)."""
    if spec is None:
        return []
    values = cuerules.rep_values if kind == "rep" else cuerules.hold_values
    offs: dict[int, tuple[Any, frozenset[str]]] = {}  # id(rep or hold) -> (it, its not-judged keys)

    def not_judged(x: Any) -> frozenset[str]:  # once per rep or hold, not once per cell
        got = offs.get(id(x))
        if got is None or got[0] is not x:
            got = offs[id(x)] = (x, viewjudged.not_judged_keys(spec, values(x), kind, view, config))
        return got[1]

    def cell(x: Any, m: MetricSpec) -> str:
        return viewjudged.marked(metric_cell(m, x.metrics), bool({m.key, m.cli_low_key} & not_judged(x)))

    return [
        _Column(
            m.table_title, lambda x, m=m: cell(x, m), evidence=frozenset({m.key, *m.evidence, m.cli_low_key} - {""})
        )
        for m in spec.metric_specs("report", kind)
    ]


def _rep_columns(analysis: Analysis, config: Config | None) -> list[_Column]:
    spec = spec_of(analysis)
    reps = analysis.reps

    view = analysis.quality.view

    def kind(r: Rep) -> str:
        return shown_class(spec, r.classification, view)  # "–": no class, or one this view does not judge

    cols = [
        _Column("Rep", lambda r: str(r.index)),
        _Column("Type", kind, text=True),
        _Column("Start s", lambda r: fmt(r.start_s, ".1f")),
    ]
    if any(r.side for r in reps):
        cols.append(_Column("Side", lambda r: r.side or "both", text=True))
    words = phase_words(analysis)
    timed = [phase_metric(k, words) for k in PHASE_KEYS] if words.has_reps else []  # to 0.01 s, as declared
    cols += [_Column(m.short, lambda r, m=m: m.format(getattr(r, m.key)), evidence=frozenset({m.key})) for m in timed]
    if any(math.isfinite(_num(r.hold_s)) for r in reps) and "Hold s" not in {c.title for c in cols}:
        cols.append(_Column("Hold s", lambda r: fmt(r.hold_s, TIME_FMT), evidence=frozenset({"hold_s"})))
    return cols + _metric_columns(spec, "rep", view, judged_config(analysis, config))


def rep_table(analysis: Analysis, config: Config) -> Table:
    """The per-rep table: rep, class, timing, the exercise's report metrics, the rep's corrections.

    A cell is marked faulty when one of the rep's corrections has that column's metric (or one of the metric's
    declared ``evidence`` keys) as its evidence.
    """
    return _table(
        _rep_columns(analysis, config),
        analysis.reps,
        lambda r: [c for c in rep_cues_of(analysis, r, config) if is_correction(c)],
    )


def _table(cols: Sequence[_Column], items: Sequence[Any], corrections: Callable[[Any], list[Cue]]) -> Table:
    """A table of ``items`` (reps or holds): one cell per column, then the item's corrections ("clean" when none);
    a cell is faulty when one of those corrections has that column's metric (or an evidence key) as its evidence."""
    rows = []
    for item in items:
        cues = corrections(item)
        codes = tuple(c.code for c in cues)
        # the cue's own words, never its code: this table is read by people
        said = "; ".join(dict.fromkeys(c.message for c in cues))
        cells = tuple(col.cell(item) for col in cols) + (said or "clean",)
        faulty = frozenset(i for i, col in enumerate(cols) for c in cues if c.metric in col.evidence)
        rows.append(RepRow(cells=cells, faulty=faulty, cue_codes=codes))
    headers = tuple(col.title for col in cols) + ("Cues",)
    text = frozenset(i for i, col in enumerate(cols) if col.text) | {len(cols)}
    return Table(headers, text, tuple(rows))


def rep_headers(analysis: Analysis) -> tuple[str, ...]:
    """Column titles of :func:`rep_rows` for this analysis."""
    return tuple(col.title for col in _rep_columns(analysis, None)) + ("Cues",)  # titles: no setting changes them


def rep_rows(analysis: Analysis, config: Config) -> list[RepRow]:
    """Display rows of the per-rep table (columns: :func:`rep_headers`)."""
    return list(rep_table(analysis, config).rows)


HOLD_TABLE_NOTE = (
    "Held: from taking the position to leaving it. In position: the part of that time spent in the position, still "
    "(a wobble out of it is not counted; one of 0.5 s or more is a break)."
)


def hold_table(analysis: Analysis, config: Config) -> Table:
    """The per-hold table: hold, side, start, end, duration, time in the target band, breaks, report metrics."""
    holds: Sequence[Hold] = getattr(analysis, "holds", ())
    cols = [_Column("Hold", lambda h: str(h.index))]
    if any(h.side for h in holds):
        cols.append(_Column("Side", lambda h: h.side or "both", text=True))
    cols += [
        _Column("Start s", lambda h: fmt(h.start_s, ".1f")),
        _Column("End s", lambda h: fmt(h.end_s, ".1f")),
        _Column("Held s", lambda h: fmt(h.duration_s, ".1f")),
        _Column("In position s", lambda h: fmt(h.in_band_s, ".1f")),
        _Column("Breaks", lambda h: str(len(h.breaks))),
        *_metric_columns(spec_of(analysis), "hold", analysis.quality.view, judged_config(analysis, config)),
    ]
    cues = [c for c in cues_of(analysis, config) if is_correction(c)]

    return _table(cols, holds, lambda h: filed_hold_cues(cues, h.start_s, h.end_s))


def phase_label(key: str, words: PhaseWords) -> str:
    """A Rep phase field's label in the exercise's words: "Lowering time", "Pause at the bottom", "Hips up time"."""
    name = words.name(key)
    if not name:
        return ""
    moving = key in ("eccentric_s", "concentric_s")
    return name[:1].upper() + name[1:] + (" time" if moving else "")


# Plain labels of the Rep fields and quality values cue rules compare (metrics have theirs in their spec). The
# phase fields' labels are the hinge's here: an exercise's own come from its spec (:func:`phase_label`).
FIELD_LABELS = {
    **{k: (phase_label(k, HINGE_PHASES), "s") for k in PHASE_KEYS},
    "time_under_tension_s": ("Time under tension", "s"),
    "hold_s": ("Hold", "s"),
    "rom_deg": ("Range of motion", "°"),
}
_UNIT_SUFFIXES = (("_deg", "°"), ("_pct", "%"), ("_cm", "cm"), ("_kg", "kg"), ("_hz", "Hz"), ("_s", "s"),
                  ("_frac", ""), ("_px", "px"))  # fmt: skip


# A unit then "_s" names a rate (the unit per second); the fraction's has no symbol, so its label says it.
_RATE_SUFFIXES = {"_pct_s": ("%/s", ""), "_deg_s": ("°/s", ""), "_cm_s": ("cm/s", ""), "_px_s": ("px/s", ""),
                  "_frac_s": ("", " (share per second)")}  # fmt: skip


def humanize(key: str) -> tuple[str, str]:
    """A label and unit made from an identifier: ``spine_baseline_noise_deg`` -> ("Spine baseline noise", "°").

    For values nothing declares a label for; declared labels (metric specs, :data:`FIELD_LABELS`) come first.
    """
    k, unit = str(key), ""
    for suffix, (u, words) in _RATE_SUFFIXES.items():  # "still_max_pct_s" is % per second, not seconds
        if k.endswith(suffix) and len(k) > len(suffix):
            label = k[: -len(suffix)].replace("_", " ").strip() + words
            return label[:1].upper() + label[1:], u
    for suffix, u in _UNIT_SUFFIXES if "_per_" not in k else ():  # "px_per_cm" is a ratio, not centimetres
        if k.endswith(suffix) and len(k) > len(suffix):
            k, unit = k[: -len(suffix)], u
            break
    k = k.replace("_pct_foot", " (% of foot)").replace("_per_", " per ").replace("_", " ").strip()
    k = " ".join(_ABBREVIATIONS.get(w, w) for w in k.split(" "))
    return (k[:1].upper() + k[1:]) if k else str(key), unit


# Short words in identifiers a reader would not know ("spine_est_model_err_deg", "com_sway_max_cm").
_ABBREVIATIONS = {"rom": "range of motion", "com": "centre-of-mass", "est": "estimate", "err": "error"}


_STATS = {"mean_": "mean", "max_": "largest", "min_": "smallest"}


def value_label(key: str, spec: ExerciseSpec | None) -> tuple[str, MetricSpec | None, str]:
    """(label, metric spec or None, unit) of a value a cue or summary names.

    ``mean_<metric>`` / ``max_<metric>`` / ``min_<metric>`` of a declared metric or rep field read as
    "<its label> (mean)" and so on.
    """
    for prefix, word in _STATS.items():
        if key.startswith(prefix):
            label, m, unit = value_label(key[len(prefix) :], spec)
            if m is not None or key[len(prefix) :] in FIELD_LABELS:
                return f"{label} ({word})", m, unit
    m = spec.metric(key) if spec is not None and key else None
    if m is not None:
        return m.label, m, m.unit
    if key in QUALITY_SPECS:  # a setup cue's share of frames, as a percent in words
        return QUALITY_SPECS[key].label, QUALITY_SPECS[key], "%"
    if key in PHASE_KEYS and spec is not None and spec.phases.has_reps:
        return phase_label(key, spec.phases), spec.phase_metric(key), "s"  # shown as its spec: "0.87 s"
    if key in FIELD_LABELS:
        label, unit = FIELD_LABELS[key]
        return label, None, unit
    label, unit = humanize(key)
    return label, None, unit


def _value_text(x: float, m: MetricSpec | None, unit: str) -> str:
    if m is not None:
        return with_unit(m, x)
    # an angle to the precision a camera gives (a tenth under 10°, whole degrees above), never "0.103°"; a time to
    # 0.01 s, as the phase times (a rule judges it to the frame), never "0.866 s"
    text = f"{x:.{1 if abs(x) < 10 else 0}f}" if unit == "°" else f"{x:{TIME_FMT}}" if unit == "s" else f"{x:.3g}"
    return unit_text(text, unit)


def with_unit(m: MetricSpec, v: object) -> str:
    """A metric's value with its unit as a sentence writes it: "9.1 cm", "1.94 s", but "12°" and "40%" (no space
    before a symbol; :meth:`MetricSpec.format`, one rule for every output)."""
    return m.format(v, with_unit=True)


# Direction words an amount can follow ("3° above parallel", "2 cm past the toes"), each with its opposite: a
# negative amount is said as its size with the opposite word ("-3° above parallel" is "3° below parallel").
_SIGN_WORDS = {"above": "below", "below": "above", "past": "short of", "short of": "past", "over": "under",
               "under": "over"}  # fmt: skip
_SIGN_RE = re.compile(r"\b(above|below|past|short of|over|under)\b")


def flip_sign_word(text: str) -> str:
    """``text`` with its first direction word turned around ("above parallel" -> "below parallel")."""
    return _SIGN_RE.sub(lambda m: _SIGN_WORDS[m.group(1)], text, count=1)


def signed_words(label: str, m: MetricSpec, v: float) -> tuple[str, float]:
    """(label, value) to say together: a negative value under a label with a direction word is said as its size
    with the opposite word ("Front thigh above parallel" -3 -> "Front thigh below parallel" 3); else unchanged.
    A value that shows as 0 keeps the declared word (it has no direction)."""
    if not (v < 0 and _SIGN_RE.search(label)) or m.format(v) in ("0", "–"):
        return label, v
    return flip_sign_word(label), -v


def fill_sentence(template: str, m: MetricSpec, v: float, **words: str) -> str:
    """A declared patient sentence with its ``{value}``: a negative amount just before a direction word is said
    as its size with the opposite word ("about {value} above parallel" at -3° -> "about 3° below parallel")."""
    head, sep, tail = template.partition("{value}")
    if sep and v < 0 and _SIGN_RE.match(tail.lstrip()) and m.format(v) != "0":
        template, v = head + sep + flip_sign_word(tail), -v
    return template.format(value=with_unit(m, v), **words)


def evidence_text(c: Cue, spec: ExerciseSpec | None = None) -> str:
    """``Lowering time 1.9 s (limit 2 s) at 3.1 s``: what was measured, against what, when — in labels a
    therapist can check, not identifiers."""
    parts = []
    label, m, unit = value_label(c.metric, spec) if c.metric else ("", None, "")
    if c.metric:
        has_val = c.value is not None and math.isfinite(c.value)
        parts.append(label + (f" {_value_text(c.value, m, unit)}" if has_val else ""))  # type: ignore[arg-type]
    if c.threshold is not None and math.isfinite(c.threshold):
        parts.append(f"limit {_value_text(c.threshold, m, unit)}")
    if c.t_s is not None and math.isfinite(c.t_s):
        parts.append(f"at {c.t_s:.1f} s")
    return ", ".join(parts)


# ------------------------------------------------------------------------------------------ set summary ----


def _stat(values: Sequence[float], how: str) -> float:
    vals = [v for v in values if not math.isnan(v)]
    if not vals:
        return math.nan
    if how == "max":
        return float(max(vals))
    if how == "min":
        return float(min(vals))
    return float(np.mean(vals))


def _metric_stat(spec: MetricSpec, reps: Sequence[Rep], how: str = "") -> float:
    return _stat([spec.value_of(r.metrics) for r in reps], how or spec.summary or "mean")


def _mean_field(reps: Sequence[Rep], name: str) -> float:
    return _stat([_num(getattr(r, name)) for r in reps], "mean")


def _band(spec: MetricSpec, settings: Any) -> tuple[float, float] | None:
    band = getattr(settings, spec.band_key, None) if spec.band_key and settings is not None else None
    if band is None or len(band) != 2:
        return None
    return float(band[0]), float(band[1])


def _summary_text(spec: MetricSpec, reps: Sequence[Rep], settings: Any) -> tuple[str, str] | None:
    """(label, text) of a metric's summary row; a negative mean under a label with a direction word is said with
    the opposite word ("Front thigh below parallel …: 3° on average", :func:`signed_words`) unless a target band,
    in the declared direction, follows it."""
    v = _metric_stat(spec, reps)
    if math.isnan(v):
        return None
    label = spec.label
    if (spec.summary or "mean") == "mean" and _band(spec, settings) is None:
        label, v = signed_words(label, spec, v)
    shown = with_unit(spec, v)
    text = {"max": f"up to {shown}", "min": f"down to {shown}"}.get(spec.summary, f"{shown} on average")
    if spec.err_key:
        err = _stat([_num(r.metrics.get(spec.err_key)) for r in reps], "mean")
        if not math.isnan(err):
            text += f" (±{with_unit(spec, err)})"
    band = _band(spec, settings)
    if band is not None:
        lo, hi = (x * spec.scale for x in band)
        text += f" ({spec.band_label or 'target'} {lo:g}–{hi:g}{spec.unit})"
    return label, text


def summary_facts(analysis: Analysis, config: Config) -> list[tuple[str, str]]:
    """(label, value) pairs for the summary box."""
    q, v, reps = analysis.quality, analysis.video, analysis.reps
    holds: Sequence[Hold] = getattr(analysis, "holds", ())
    spec = spec_of(analysis)
    settings = exercise_settings(analysis, config)
    facts: list[tuple[str, str]] = [("Exercise", spec.title if spec is not None else (analysis.exercise or "unknown"))]
    if v is not None:
        facts.append(("Video", f"{Path(v.path).name} — {v.duration_s:.1f} s, {v.width}×{v.height}, {v.fps:.0f} fps"))
    if reps or not holds:
        facts.append(("Reps", str(len(reps))))
    sides = "both sides" if q.side_used == "both" else f"the {q.side_used} side"
    facts.append(("View", f"{q.view}, facing {q.facing}, measured on {sides}"))
    if q.frames_total:
        full = q.full_body_fraction  # NaN: nobody was found, so whether the body fitted the picture can't be told
        whole = f"in {100 * full:.0f}%" if math.isfinite(full) else "in view: can't tell"
        facts.append(("Tracking", f"person found in {100 * q.person_fraction:.0f}% of frames, whole body {whole}"))
    words = phase_words(analysis)
    if reps and words.has_reps:
        got = [_mean_field(reps, f) for f in PHASE_KEYS]
        text = " / ".join(fmt(x, ".1f") for x in got) + " s on average"
        tgt = getattr(settings, "target_tempo_s", None) if spec is not None and spec.judges_tempo else None
        if tgt is not None:
            text += "; target " + " / ".join(f"{x:g}" for x in tgt)
        facts.append((f"Tempo ({words.order})", text))
    if reps:
        judged = judged_config(analysis, config)
        for m in spec.metrics if spec is not None else ():
            if m.kind == "rep" and m.summary:
                said = _summary_text(m, reps, settings)
                if said is not None:  # beside the number: the reps whose value this view does not judge
                    facts.append((said[0], said[1] + _not_judged_note(spec, m, reps, q.view, judged)))
    if holds:
        held = sum(h.duration_s for h in holds)
        in_band = sum(h.in_band_s for h in holds if math.isfinite(h.in_band_s))
        facts.append(("Holds", str(len(holds))))
        facts.append(("Time held", f"{held:.1f} s, {in_band:.1f} s of it in the target position"))
        facts.append(("Breaks", str(sum(len(h.breaks) for h in holds))))
    return facts


# Plain labels of analyzer summary keys every exercise may give (metrics and rep fields have theirs declared).
SUMMARY_LABELS = {
    "reps_left": ("Reps on the left", ""),
    "reps_right": ("Reps on the right", ""),
    "held_s": ("Time held", "s"),
    "in_band_s": ("Time in the target position", "s"),
    "camera_roll_deg": ("Camera tilt (roll)", "°"),
    "height_cm_assumed": ("Body height assumed", "cm"),
}


def _summary_label(key: str, spec: ExerciseSpec | None) -> tuple[str, MetricSpec | None, str] | None:
    """(label, metric spec, unit) of an analyzer summary key in plain words, or None when nothing declares it.

    ``<metric>_mean_<unit>`` (``hip_ext_top_mean_deg``) reads as the metric's mean like ``mean_<metric>``.
    """
    if spec is not None and key in spec.summary_labels:
        return spec.summary_labels[key], spec.metric(key), humanize(key)[1]
    if key in SUMMARY_LABELS:
        label, unit = SUMMARY_LABELS[key]
        return label, None, unit
    label, m, unit = value_label(key, spec)
    if m is not None or key in FIELD_LABELS or any(key.startswith(p) and key[len(p) :] in FIELD_LABELS for p in _STATS):
        return label, m, unit
    for word, prefix in (("_mean", "mean_"), ("_max", "max_"), ("_min", "min_")):
        head, sep, tail = key.partition(word)
        if sep and (not tail or tail.startswith("_")):
            label, m, unit = value_label(prefix + head + tail, spec)
            if m is not None:
                return label, m, unit
    return None


def _not_judged_note(spec: ExerciseSpec, m: MetricSpec, reps: Sequence[Rep], view: str, judged: Config) -> str:
    """What a set value of ``m`` adds when this view does not judge it on some of its reps ("" when it does)."""
    off = {r.index: m.key in viewjudged.not_judged_keys(spec, cuerules.rep_values(r), "rep", view, judged)
           for r in reps if math.isfinite(m.value_of(r.metrics))}  # fmt: skip
    return viewjudged.summary_note(off)


def extra_summary(analysis: Analysis, config: Config | None) -> list[tuple[str, str]]:
    """The analyzer's own summary values a therapist reads, labelled in words, with units (a share as %).

    Only values something declares a plain label for (the exercise's ``summary_labels``, its metric specs, the
    rep fields, :data:`SUMMARY_LABELS`); the analyzer's internal diagnostics (scale factors, reference tables,
    where a number was measured from) stay in the JSON and CSV. Unmeasured values are left out (the tables show
    them as "–"), and the rep classes only where the view lets the class mean something. A set value of a number
    the view does not judge says so, by ``config`` with the set's recorded settings (None: the defaults).
    """
    spec = spec_of(analysis)
    view = analysis.quality.view
    judged = judged_config(analysis, config)
    out = []
    for k, val in dict(analysis.summary).items():
        key = str(k)
        if key == "classes":
            if spec is not None and isinstance(val, str) and spec.class_shown(analysis.quality.view):
                out.append(("Classes", ", ".join(spec.class_label(c) for c in val.split(",") if c)))
            continue
        said = _summary_label(key, spec)
        if said is None:
            continue
        label, m, unit = said
        if isinstance(val, bool):
            text = "yes" if val else "no"
        elif isinstance(val, int | float):
            if math.isnan(_num(val)):
                continue
            text = _value_text(float(val), m, unit)
            if m is not None and m.kind == "rep":  # a set value of a metric this view does not judge: said so
                text += _not_judged_note(spec, m, analysis.reps, view, judged)
        elif val is None:
            continue
        else:
            text = str(val)
        out.append((label, text))
    return out


def rep_list(idx: Sequence[int]) -> str:
    """ "rep 2" / "reps 1, 2 and 4"."""
    if len(idx) == 1:
        return f"rep {idx[0]}"
    return "reps " + ", ".join(str(i) for i in idx[:-1]) + f" and {idx[-1]}"


def focus_rank(cue: Cue, times: int) -> tuple[bool, int, int, str]:
    """Where a correction seen ``times`` times (in that many reps, or holds) stands among a set's corrections, as a
    physio picks the one thing to work on: a safety fault first; then the fault seen in the most reps; the cue's
    priority only breaks a tie (then its code, so the pick is stable). Smaller is more important.

    A pause missed on all six reps comes before a lowering too fast on one, although the lowering's priority is
    higher: what happens most is what the next set should change. Every reader of a set's focus (CLI "focus next",
    batch ``main_cue``, the reports' headline and plain text, the history's verdict, the app's advice for the next
    set) orders corrections with this one key.
    """
    return (cue.severity != "safety", -times, cue.priority, cue.code)


def ranked_corrections(analysis: Analysis, config: Config) -> list[tuple[Cue, list[int]]]:
    """Each rep-level correction of the set once, with the reps that had it, most important first (:func:`focus_rank`).
    The cue is its first rep's."""
    reps_by_code: dict[str, list[int]] = {}
    first: dict[str, Cue] = {}
    values: dict[str, list[float]] = {}  # each rep's amount, for a message that names them all
    for r in analysis.reps:
        for c in rep_cues_of(analysis, r, config):
            if is_correction(c):
                reps_by_code.setdefault(c.code, []).append(r.index)
                first.setdefault(c.code, c)
                values.setdefault(c.code, []).append(_num(c.value))
    order = sorted(first, key=lambda k: focus_rank(first[k], len(reps_by_code[k])))
    return [(covering(first[k], values[k]), reps_by_code[k]) for k in order]


_THAT_ONE = re.compile(r"that one (took|was) (\d+(?:\.\d+)?) s\b")  # a tempo cue's one rep's time ("0.50 s")


def covering(cue: Cue, values: Sequence[float]) -> Cue:
    """A rep's correction as the focus on several reps says it: its one rep's time ("that one was 0.50 s") becomes
    theirs ("those were 0.30–0.50 s"), to the cue's precision (:data:`TIME_FMT`); a cue of one rep, or whose message
    quotes no such time, is returned as it is. A dead bug's six short pauses of 0.3–0.5 s read "that one was 0.5 s
    (reps 2, 3, 4, 5, 6 and 7)"."""
    seen = [v for v in values if math.isfinite(v)]
    m = _THAT_ONE.search(cue.message)
    if m is None or len(seen) < 2:
        return cue
    lo, hi = f"{min(seen):{TIME_FMT}}", f"{max(seen):{TIME_FMT}}"
    amount = unit_text(lo if lo == hi else f"{lo}–{hi}", "s")
    said = f"those {'took' if m.group(1) == 'took' else 'were'} {amount}"
    return dataclasses.replace(cue, message=cue.message[: m.start()] + said + cue.message[m.end() :])


def top_correction(analysis: Analysis, config: Config) -> tuple[Cue, list[int]] | None:
    """The one rep-level correction to work on next and the reps that had it (the first of
    :func:`ranked_corrections`: safety first, then the fault seen in the most reps, priority breaks ties)."""
    ranked = ranked_corrections(analysis, config)
    return ranked[0] if ranked else None


def other_correction(analysis: Analysis, config: Config) -> Cue | None:
    """The set's most important correction that is not a rep's: a hold's (the fault seen in the most holds first,
    :func:`focus_rank`), else a set-level one (view, framing, setup); None when there is none."""
    cues = cues_of(analysis, config)
    holds_by_code: dict[str, list[Cue]] = {}
    for h in getattr(analysis, "holds", ()):
        for c in filed_hold_cues(cues, h.start_s, h.end_s):
            if is_correction(c):
                holds_by_code.setdefault(c.code, []).append(c)
    if holds_by_code:
        return min((cs[0] for cs in holds_by_code.values()), key=lambda c: focus_rank(c, len(holds_by_code[c.code])))
    setup = [c for c in cues if c.rep_index is None and c.t_s is None and is_correction(c)]
    return min(setup, key=lambda c: focus_rank(c, 1)) if setup else None


def unjudged_reps(analysis: Analysis, config: Config) -> list[int]:
    """Reps with a form check the camera could not make (a judged value not measured: ``cues.judged_all``)."""
    spec = spec_of(analysis)
    if spec is None or not any(r.rep and r.severity in ("safety", "warn") for r in cuerules.rules_of(spec)):
        return []  # nothing a rep could leave unjudged (judged_all asks only for these)
    return [r.index for r in analysis.reps
            if not judged_all(spec, cuerules.rep_input(spec, r, config), analysis.quality, config)]  # fmt: skip


def withheld_reason(analysis: Analysis) -> str | None:
    """Why the set's form was not judged at all, in plain words; None when it was judged.

    The analysis withholds every rep and hold cue of a set done in a body position the exercise does not analyse
    (:func:`formcheck.engine.quality.position_mismatch`, the ``setup.wrong_position`` cue), and an analyzer can
    refuse a set it cannot measure (``summary["refused"]``, its warning says why). Then no sentence may read the
    missing cues as "nothing to correct".
    """
    spec = spec_of(analysis)
    q = analysis.quality
    if spec is not None and q.position not in ("", "unknown") and spec.positions and q.position not in spec.positions:
        want = " or ".join(position_words(p) for p in spec.positions)
        return (
            f"it looks like {_a(position_words(q.position))} exercise, and the {spec.title.lower()} analysis is for "
            f"exercises done {want}"
        )
    other = find_spec(str(getattr(q, "recognised_as", "") or ""))  # recognition sure it is another exercise
    if other is not None and spec is not None and other.name != spec.name:
        return f"it looks like {_a(_good_title(other))}"
    if spec is not None and position_mismatch(q, spec.positions):  # any other reason the engine withholds it
        return "it does not look like this exercise"
    if bool(dict(analysis.summary).get("refused", False)):
        return q.warnings[-1].rstrip(".") if q.warnings else "the video could not be measured"
    return None


def not_judged_text(analysis: Analysis) -> str | None:
    """ "this set could not be judged as a hip hinge: it looks like a supine exercise, …"; None when judged."""
    why = withheld_reason(analysis)
    if why is None:
        return None
    spec = spec_of(analysis)
    what = _a(_good_title(spec)) if spec is not None else "this exercise"
    return f"this set could not be judged as {what}: {why}"


def nothing_to_correct_text(analysis: Analysis, config: Config) -> str:
    """What to say when no rep earned a correction, for every reader (CLI "focus next", batch summary, reports).

    "nothing to correct" only when the set's form was judged (:func:`withheld_reason`), no correction was given at
    all (a hold's or a set-level one, of any severity that asks for a change: then that correction is what to say,
    :func:`other_correction`) and every rep was fully checked; otherwise it says what could not be told.
    """
    refused = not_judged_text(analysis)
    if refused is not None:
        return refused
    other = other_correction(analysis, config)
    if other is not None:  # "nothing to correct" above "steady the hold …" contradicted the cue list
        return other.message
    missed = unjudged_reps(analysis, config)
    if not missed:
        return "nothing to correct"
    which = f"rep {missed[0]}" if len(missed) == 1 else f"reps {', '.join(map(str, missed))}"
    return f"nothing to correct in what was measured; part of the form could not be told on {which}"


def focus_next_text(analysis: Analysis, config: Config) -> str:
    """The one line a reader sees first (CLI "focus next", batch ``main_cue``): the set's top correction
    (:func:`top_correction`: safety first, then the fault seen in the most reps) and the reps that had it, else
    :func:`nothing_to_correct_text` (a hold's or the set's correction when one was given); a hold-only set: its most
    important correction (:func:`other_correction`), else its praise."""
    refused = not_judged_text(analysis)
    if refused is not None:
        return refused
    if analysis.reps:
        top = top_correction(analysis, config)
        if top is None:
            return nothing_to_correct_text(analysis, config)
        cue, idx = top
        return f"{cue.message} ({rep_list(idx)})"
    holds: Sequence[Hold] = getattr(analysis, "holds", ())
    if holds:
        other = other_correction(analysis, config)  # the holds' correction, else a set-level one (view, framing)
        if other is not None:
            return other.message
        cues = cues_of(analysis, config)
        praise = [c for h in holds for c in filed_hold_cues(cues, h.start_s, h.end_s) if c.severity == "praise"]
        return min(praise, key=lambda c: c.priority).message if praise else count_text(analysis)
    warns = list(analysis.quality.warnings)
    return warns[0] if warns else "no repetition found"


DISCLAIMER = (
    "This is feedback on how you moved, not a medical assessment. If something hurts, stop and ask your therapist."
)
SEVERITY_WORDS = {"safety": "safety", "warn": "check", "info": "tip", "praise": "well done"}


def exercise_title(analysis: Analysis) -> str:
    """The exercise's title ("Hip hinge"), or its name when this version does not know it."""
    spec = spec_of(analysis)
    return spec.title if spec is not None else (analysis.exercise or "unknown exercise")


def count_text(analysis: Analysis, *, seconds: bool = True) -> str:
    """ "3 reps", "1 hold (6.0 s)" (``seconds``: with the holds' total time), "2 reps, 1 hold"; nothing found:
    "0 reps", or "0 holds" for an exercise that counts holds (:func:`formcheck.history.count_words`, the CLI's and
    the history's words)."""
    from formcheck.history import count_words, counts_holds

    holds: Sequence[Hold] = getattr(analysis, "holds", ())
    held_s = float(sum(h.duration_s for h in holds)) if seconds else None
    return count_words(len(analysis.reps), len(holds), counts_holds=counts_holds(analysis.exercise), held_s=held_s)


def headline(analysis: Analysis, config: Config) -> tuple[str, str]:
    """(severity, text) of the one message at the top of the patient's page: the set's most important
    correction (:func:`top_correction`), else a hold's or a set-level one (view, framing: :func:`other_correction`,
    as "focus next"), else praise; what the page then explains."""
    top = top_correction(analysis, config)
    if top is not None:
        return top[0].severity, top[0].message
    other = other_correction(analysis, config)
    if other is not None:
        return other.severity, other.message
    holds: Sequence[Hold] = getattr(analysis, "holds", ())
    if not analysis.reps and not holds:
        return "info", "No full repetition was found in this video."
    if form_judged(analysis, config) == "none":
        what = "your timing" if analysis.reps else "how long you held"
        return "info", f"Only {what} could be judged from this angle."
    praise = [c for c in cues_of(analysis, config) if c.severity == "praise"]
    return "praise", praise[0].message if praise else "A clean set — well done."


def _good_title(spec: ExerciseSpec) -> str:
    """ "hip hinge" from "Hip hinge" (a first word with other capitals, like a name, keeps its case)."""
    t = spec.title or spec.name
    first = t.split()[0] if t.split() else t
    return t[0].lower() + t[1:] if t[:1].isupper() and not any(ch.isupper() for ch in first[1:]) else t


def _rep_of(hold: Hold, reps: Sequence[Rep]) -> int | None:
    """The rep whose top the hold was (its middle inside the rep), or None for a hold of its own."""
    mid = 0.5 * (hold.start_s + hold.end_s)
    return next((r.index for r in reps if r.start_s <= mid <= r.end_s), None)


def hold_sentences(holds: Sequence[Hold], reps: Sequence[Rep] = ()) -> list[str]:
    """The holds in plain words. A hold inside a rep (a press-up held still at the top) is said as that rep's,
    so a set with both a "1 hold" and a "2 reps" table reads as one movement, not two."""
    in_reps = {h.index: i for h in holds if (i := _rep_of(h, reps)) is not None}
    if not in_reps or len(in_reps) != len(holds):
        return _hold_sentences(holds)
    held = sum(h.duration_s for h in holds)
    in_band = sum(h.in_band_s for h in holds if math.isfinite(h.in_band_s))
    n = len(holds)  # the reps are named in the hold table's title: a sentence naming reps reads as a fault there
    return [
        f"You held still at the top {'once' if n == 1 else f'{n} times'}, for about {held:.0f} seconds in all, "
        f"{in_band:.0f} of them in the target position."
    ]


def holds_title(analysis: Analysis) -> str:
    """The hold table's title: "Holds", or "Held still at the top of rep 2" when every hold is a rep's top."""
    holds: Sequence[Hold] = getattr(analysis, "holds", ())
    tops = [_rep_of(h, analysis.reps) for h in holds]
    if holds and analysis.reps and all(i is not None for i in tops):
        return f"Held still at the top of {rep_list(sorted(set(tops)))}"  # type: ignore[type-var]
    return "Holds"


def _hold_sentences(holds: Sequence[Hold]) -> list[str]:
    held = sum(h.duration_s for h in holds)
    in_band = sum(h.in_band_s for h in holds if math.isfinite(h.in_band_s))
    n, breaks = len(holds), sum(len(h.breaks) for h in holds)
    out = [
        f"You held the position {n} time{'s' if n != 1 else ''} for about {held:.0f} seconds in all, "
        f"{in_band:.0f} of them in the target position."
    ]
    if breaks:
        out.append(f"You lost the position {breaks} time{'s' if breaks != 1 else ''} on the way.")
    return out


def _side_of_limit(m: MetricSpec, v: float, settings: Any) -> str | None:
    """Where a summary value sits against the metric's band or threshold, in words; None when it is inside (or
    the metric declares neither)."""
    band = _band(m, settings)
    if band is not None:
        lo, hi = band
        if lo <= v <= hi:
            return None
        return f"just outside the {m.band_label or 'target'} range of {lo * m.scale:g}–{hi * m.scale:g}{m.unit}"
    thr = _num(getattr(settings, m.threshold_key, None)) if m.threshold_key and settings is not None else math.nan
    if math.isnan(thr):
        return None
    over = v > thr if m.better == "lower" else v < thr if m.better == "higher" else False
    return f"past the limit of {with_unit(m, thr)}" if over else None


def _metric_sentences(analysis: Analysis, spec: ExerciseSpec, config: Config) -> tuple[list[str], bool]:
    """The declared patient sentences, each agreeing with the tables.

    A fault sentence names the reps that earned a correction on the metric. The good sentence is said only when
    no rep earned one AND the set's value sits inside the metric's band or threshold; a value outside them
    without a correction (inside the rule's tolerance, or not judged) is stated as a fact instead. The clean-set
    praise joins the first good sentence only when no rep earned a form correction and every rep was of the
    exercise's intended class. Metrics only rules the view cannot support judge are left out (they were not
    judged). Also says whether a value outside its limits was stated (then the set is not "nothing to correct").
    """
    reps = analysis.reps
    unjudged = _unjudged_keys(analysis, spec, config)
    whole = form_judged(analysis, config) == "all"  # "a good squat" only when all of it was judged
    settings = exercise_settings(analysis, config)
    # same judgement as the cue list: a rep "rounded" exactly when it earned that correction
    evidence = {r.index: {c.metric for c in rep_cues_of(analysis, r, config) if is_correction(c)} for r in reps}
    form_faults = any(
        is_correction(c) and c.code not in TIMING_CODES for r in reps for c in rep_cues_of(analysis, r, config)
    )
    classed = spec.class_shown(analysis.quality.view)  # a class from an unjudged value says nothing
    as_meant = not classed or all(spec.is_good_class(r.classification) for r in reps if r.classification)
    # a weight in the hands that was not entered: no sentence about what it would change (the balance)
    codes = load_held_back(spec, analysis.quality)
    held_back = {r.metric for r in spec.rules if r.code in codes}
    out: list[str] = []
    praised = noted = False
    for m in spec.metrics:
        if m.kind != "rep" or not (m.patient_ok or m.patient_fault):
            continue
        keys = {m.key, *m.evidence}
        if keys & held_back or (keys & unjudged and not keys & _judged_keys(spec, unjudged)):
            continue
        faulty = [r.index for r in reps if evidence[r.index] & keys]
        if faulty and m.patient_fault:
            v = _metric_stat(m, [r for r in reps if r.index in faulty])
            out.append(fill_sentence(m.patient_fault, m, v, reps=rep_list(faulty)))
        elif not faulty and m.patient_ok:
            v = _metric_stat(m, reps)
            if math.isnan(v):
                continue  # never praise what was not measured
            outside = _side_of_limit(m, v, settings)
            if outside is not None:
                how = {"max": "at most", "min": "at least"}.get(m.summary, "on average")
                label, shown = signed_words(m.label, m, v)
                out.append(f"{label}: {with_unit(m, shown)} {how}, {outside}.")
                noted = True
                continue
            text = fill_sentence(m.patient_ok, m, v, reps=rep_list([r.index for r in reps]))
            if not form_faults and as_meant and whole and not praised:
                text += f" That is a good {_good_title(spec)}."
                praised = True
            out.append(text)
    if not as_meant:
        other = [r for r in reps if r.classification and not spec.is_good_class(r.classification)]
        kinds = sorted({spec.class_label(r.classification) for r in other})
        looked = " or ".join(_looked(k) for k in kinds)
        out.append(
            f"{rep_list([r.index for r in other]).capitalize()} looked {looked} rather than {_a(_good_title(spec))}."
        )
    return out, noted


def _a(words: str) -> str:
    """ "a hip hinge", "an oblique view": the article a word's first sound takes (vowel letters)."""
    return ("an " if words[:1].lower() in "aeiou" else "a ") + words


def _looked(kind: str) -> str:
    """ "squat-like" (a "-like" word stands on its own), "like a stoop (bend from the back)"."""
    return kind if kind.endswith("-like") else f"like {_a(kind)}"


def _judged_keys(spec: ExerciseSpec, unjudged: set[str]) -> set[str]:
    return {k for r in _checks(spec) for k in (r.metric, r.source)} - unjudged


def _tempo_sentence(analysis: Analysis, config: Config, settings: Any) -> str | None:
    """The first phase's speed, agreeing with the tempo cues: faster reps named; "good" only at or above the aim.

    A mean under the aim with no rep past the cue's tolerance is said as it is (a number under the aim is not
    "good"). None when the exercise does not talk about that speed (:attr:`PhaseWords.first_speed`).
    """
    reps = analysis.reps
    words = phase_words(analysis)
    tgt = getattr(settings, "target_tempo_s", None)
    ecc = _mean_field(reps, "eccentric_s")
    if not words.first_speed or tgt is None or math.isnan(ecc) or tgt[0] <= 0:
        return None
    fast = [r.index for r in reps if any(c.metric == "eccentric_s" and is_correction(c)
                                         for c in rep_cues_of(analysis, r, config))]  # fmt: skip
    phase = words.names[0]
    if fast:
        v = _mean_field([r for r in reps if r.index in fast], "eccentric_s")
        return f"The {phase} was faster than the {tgt[0]:g} s aim in {rep_list(fast)} (about {v:.1f} s)."
    if not _first_speed_judged(analysis, config):
        # no cue because the rule was not run on this set, not because the speed passed it: a fact, no verdict
        return (
            f"Your {words.first_speed} took about {ecc:.1f} s on average (the aim is {tgt[0]:g} s); it was not judged."
        )
    if round(ecc, 1) < tgt[0]:
        return (
            f"Your {words.first_speed} was a little quick: about {ecc:.1f} s on average, the aim is {tgt[0]:g} s "
            "(close enough not to correct)."
        )
    return f"Your {words.first_speed} was good (about {ecc:.1f} s; the aim is {tgt[0]:g} s)."


def _first_speed_judged(analysis: Analysis, config: Config) -> bool:
    """Whether the tempo rule on the first phase ran on this set: it exists, the set's form was judged
    (:func:`withheld_reason`) and the view and position let it speak. Only then does "no tempo cue" mean the
    speed was within the rule's tolerance."""
    spec = spec_of(analysis)
    if spec is None or withheld_reason(analysis) is not None:
        return False
    q = analysis.quality
    return any(
        r.metric == "eccentric_s"
        and r.code in TIMING_CODES
        and cuerules.view_allows(r, q.view, config.cues.side_view_only)
        and (not r.positions or q.position in r.positions)
        for r in cuerules.rules_of(spec)
    )


def patient_summary(analysis: Analysis, config: Config, headline_shown: bool = False) -> list[str]:
    """Short paragraphs in plain language (no jargon, no codes) for the person who exercised.

    ``headline_shown``: the page shows :func:`headline` above these; advice it already gives (film from the side)
    is then not said again. The advice to film from another view is given once either way.
    """
    reps, q = analysis.reps, analysis.quality
    holds: Sequence[Hold] = getattr(analysis, "holds", ())
    spec = spec_of(analysis)
    settings = exercise_settings(analysis, config)
    best = best_view(spec)
    out: list[str] = []
    # the advice to film from the best view is given once on the page: the headline (a view cue) may give it
    advised = headline_shown and view_phrase(best) in headline(analysis, config)[1]
    if q.view in ("front", "oblique") and q.view != best:
        advice = f" For the most reliable feedback, film {view_phrase(best)} with your whole body in the picture."
        advice = "" if advised else advice
        advised = True
        out.append(f"The video was filmed {view_phrase(q.view)}.{advice}")
    refused = not_judged_text(analysis)
    if refused is not None and (reps or holds):
        # none of the exercise's form, tempo or hold checks ran: no count, verdict or praise of another movement
        out.append(f"{refused[:1].upper()}{refused[1:]}. Choose the matching exercise and analyse the video again.")
        out.append(DISCLAIMER)
        return out
    if holds and not reps:
        out += _hold_sentences(holds)
    if not reps and not holds:
        out.append("We could not find a full repetition in this video, so there is nothing to score yet.")
        return out
    judged = form_judged(analysis, config)
    form = judged != "none"
    noted = False
    if holds and not reps and not form:
        out.append("From this angle we can only judge how long you held, not your form.")
    if reps:
        dur = reps[-1].end_s - reps[0].start_s
        out.append(f"You did {len(reps)} repetition{'s' if len(reps) != 1 else ''} in about {dur:.0f} seconds.")
        out += hold_sentences(holds, reps) if holds else []
        if not form:
            out.append("From this angle we can only judge your timing, not your form.")
        elif judged == "some":
            film = "" if advised else f"; film {view_phrase(best)} for the rest"
            out.append(f"From this angle only part of your form can be judged{film}.")
        if form and spec is not None:
            said, noted = _metric_sentences(analysis, spec, config)
            out += said
        tempo = _tempo_sentence(analysis, config, settings) if spec is not None and spec.tempo_rules else None
        if tempo is not None:
            out.append(tempo)
        top = top_correction(analysis, config)
        if top is not None:
            cue, idx = top
            out.append(f"The one thing to work on next: {cue.message} (seen in {rep_list(idx)}).")
        elif spec is None and not analysis.cues:
            pass  # an exercise this version cannot judge, and no cues were saved with it: no verdict
        elif holds and (other := other_correction(analysis, config)) is not None and other.t_s is not None:
            out.append(f"The one thing to work on next: {other.message}.")  # a hold's, as the headline says
        elif form and noted:
            out.append("No rep went far enough past a limit to need a correction: keep an eye on the point above.")
        elif (said := nothing_to_correct_text(analysis, config)) != "nothing to correct":
            if not (advised and view_phrase(best) in said):  # the advice on the view is on the page already
                out.append(f"{said[:1].upper()}{said[1:]}.")  # the same words as the CLI's "focus next"
        elif judged == "some":
            out.append("Nothing to correct in what this angle shows. Keep it up!")
        elif form:
            out.append("Nothing to correct in this set. Keep it up!")
        elif not advised:
            out.append(f"Film the next set {view_phrase(best)} to get feedback on your form.")
    elif holds and not form and not advised:
        out.append(f"Film the next set {view_phrase(best)} to get feedback on your form.")
    out.append(DISCLAIMER)
    return out


def limits_of(analysis: Analysis) -> tuple[str, ...]:
    """What the camera cannot see: the analyzer's own list, else the exercise's, else general limits."""
    spec = spec_of(analysis)
    if spec is not None and (analysis.limits or spec.limits):
        return spec.limits_for(analysis)  # the lines that apply to this set
    return tuple(analysis.limits) or DEFAULT_LIMITS


def title_of(analysis: Analysis) -> str:
    """ "Hip hinge — clip.mp4": the exercise's title (never its internal name) and the video's file name."""
    name = Path(analysis.video.path).name if analysis.video is not None and analysis.video.path else ""
    return exercise_title(analysis) + (f" — {name}" if name else "")


def _setting_value(v: object, unit: str) -> str:
    """A setting's value for a reader: "yes"/"no", "not set" for an unset number (NaN), a range "30–60%" (with
    "to" when a bound is negative: "-25 to 30°"), a tempo "2 / 0 / 1.5 / 0.5 s"; a space before a unit that is a
    word or symbol of letters ("2 s", "170 cm"), none before "°" and "%"."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "not set"
    sep = "" if unit in ("°", "%", "") or unit.startswith(("°", "%")) else " "
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, list | tuple):
        joiner = (" to " if any(isinstance(x, int | float) and x < 0 for x in v) else "–") if len(v) == 2 else " / "
        return joiner.join(f"{x:g}" if isinstance(x, int | float) else str(x) for x in v) + sep + unit
    if isinstance(v, int | float):
        return f"{v:g}{sep}{unit}"
    return str(v)


# Plain labels of settings whose name does not read as words (the rest: :func:`humanize` of the name).
SETTING_LABELS = {
    "body_kg": "Body mass",
    "load_kg": "Weight held",
    "load_entered": "Weight held entered",
    "min_rom_deg": "Smallest movement counted as a rep",
    "rep_prominence_frac": "Smallest rep (share of your range)",
}
# A config description starts with its unit ("deg of hip sag …", "s: lowering, …"); the report says it in words.
_UNIT_WORDS = {"deg/s": "degrees per second", "deg": "degrees", "cm": "centimetres", "kg": "kilograms",
               "s": "seconds", "Hz": "hertz"}  # fmt: skip
_LEADING_UNIT = re.compile(r"^(deg/s|deg|cm|kg|s|Hz)\b([:,;]?) ?")


def setting_meaning(description: str) -> str:
    """A setting's config description as the report's "Meaning": its leading unit in words ("deg of hip sag" ->
    "Degrees of hip sag"), "->" as an arrow, a capital first letter."""
    said = _LEADING_UNIT.sub(lambda m: _UNIT_WORDS[m.group(1)] + m.group(2) + " ", description.strip(), count=1)
    said = said.replace(" -> ", " → ")
    return said[:1].upper() + said[1:]


def settings_rows(analysis: Analysis, config: Config) -> list[tuple[str, str, str]]:
    """(setting, value, what it means) of the settings the set was judged with: the person, then the exercise.

    ``config`` should be the judged configuration (:func:`formcheck.engine.judgement.judged_config`), so these
    rows are the thresholds and targets behind every cue and sentence in the report.
    """
    rows: list[tuple[str, str, str]] = []
    spec = spec_of(analysis)
    body_rows = _body_fields(analysis, config)
    for name, info in type(config.body).model_fields.items():
        if name in body_rows:
            label, unit = humanize(name)
            said = setting_meaning(body_rows[name] or info.description or "")
            rows.append((SETTING_LABELS.get(name, label), _setting_value(getattr(config.body, name), unit), said))
    settings = exercise_settings(analysis, config)
    if settings is None:
        return rows
    for name, info in type(settings).model_fields.items():
        base = ExerciseConfig.model_fields.get(name)
        said = info.description or ""
        if spec is not None and base is not None and said == base.description:
            # a setting every exercise inherits, with the generic (hinge) words: only where it applies, and in
            # the exercise's own phase words
            if name in ("target_tempo_s", "tempo_tolerance_frac") and not spec.judges_tempo:
                continue
            if name in ("min_rom_deg", "rep_prominence_frac") and not spec.phases.has_reps:
                continue
            if name == "target_tempo_s":
                said = "s: " + ", ".join(spec.phases.names)
        label, unit = humanize(name)
        value = _setting_value(getattr(settings, name), unit)
        rows.append((SETTING_LABELS.get(name, label), value, setting_meaning(said)))
    return rows


def _body_fields(analysis: Analysis, config: Config) -> dict[str, str]:
    """The person's settings that apply to this set, each with its meaning for it ("" = the declared one).

    The centre of mass (which body mass, load and sex feed) is computed only by exercises with a rule on it
    (``uses_load``); elsewhere the height only turns the camera's proportions into the centimetres a cue says.
    """
    spec = spec_of(analysis)
    if spec is None or any(r.uses_load for r in spec.rules):
        return {name: "" for name in type(config.body).model_fields}
    if any(" cm" in c.message for c in cues_of(analysis, config)):
        return {"height_cm": "cm, turns the camera's proportions into the cues' centimetres (an assumption unless set)"}
    return {}


def settings_text(settings: Mapping[str, object]) -> list[tuple[str, str]]:
    """The analysis' flat settings as (label, value) text (the nested judged-with record left out)."""
    return [(humanize(str(k))[0], str(v)) for k, v in dict(settings).items() if not isinstance(v, Mapping)]
