"""Per-set summary numbers kept in the history (pure functions, no I/O).

A set's summary has two parts:

* **Generic numbers** every exercise has, kept as columns of ``sets``: rep count, tempo adherence, the target
  tempo (and the load, which :meth:`~formcheck.store.Store.save_set` takes from the analysis settings).
* **The exercise's own trend numbers**, kept as JSON in ``sets.summary_json``: for every metric spec of the set's
  exercise that is shown in ``"trend"`` and has kind ``"rep"``, the set's mean over reps, keyed by the spec key;
  plus the rep count and hold totals. Which numbers these are comes from the registered exercise spec
  (:func:`formcheck.engine.registry.find_spec`); this module never names an exercise's metric keys.

``summary_json`` layout (:data:`SUMMARY_SCHEMA`)::

    {"schema": "formcheck.set_summary/1", "exercise": "<name>", "rep_count": 3,
     "trend": {"<metric key>": 0.71, "<other key>": null},         # null = no rep had a finite value
     "hold_count": 0, "hold_s": 0.0, "hold_in_band_s": 0.0,       # sums over holds (0 when there are none)
     "tempo_tolerance_frac": 0.35}                                 # the tolerance adherence was judged with

An exercise this version does not know (a set saved by a newer formcheck) gets an empty ``trend`` when summarised
here, and :func:`trend_of` shows no trend for it; its JSON is kept as it is.

Tempo adherence is deliberately one-sided: for back care a phase that is *slower* than prescribed is fine, a
phase that is rushed is not. A phase is "on tempo" when it lasts at least ``(1 - tolerance) × target`` — the
same rule the tempo cues use. The tolerance is the one recorded in the analysis settings
(``tempo_tolerance_frac``), else the exercise's config section (``registry.exercise_config(config, exercise)``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from formcheck.engine import registry
from formcheck.engine.cuerules import TARGET_KEYS
from formcheck.engine.spec import ExerciseSpec, number
from formcheck.errors import ConfigError
from formcheck.types import FrozenMap

SUMMARY_SCHEMA = "formcheck.set_summary/1"
TREND_PLACE = "trend"

# (actual duration field of a rep, index into the target tempo) — the top pause is left out: the last rep has none.
_PHASES = (("eccentric_s", 0), ("bottom_pause_s", 1), ("concentric_s", 2))

_AUTO: Any = object()  # "look the spec up in the registry" (None means "no spec": an unknown exercise)


ReadOnlyMap = FrozenMap  # the store's name for it (SetRow.trend)


def _frozen(d: Mapping[str, float]) -> Mapping[str, float]:
    return ReadOnlyMap(d)


@dataclass(frozen=True)
class SetSummary:
    """What the history keeps about one set besides the analysis itself.

    Attributes:
        exercise: the set's exercise (spec name).
        n_reps: number of reps.
        tempo_adherence: fraction of timed phases that were not rushed (0..1), NaN when no target, no tolerance
            or no reps.
        target_tempo: prescribed tempo as ``"3-1-2-1"`` text, or None when unknown.
        tempo_tolerance_frac: tolerance the adherence was judged with, NaN when unknown.
        trend: spec key -> the set's mean over reps (NaN when no rep had a value), for the exercise's rep metrics
            shown in ``"trend"``; empty for an exercise this version does not know.
        n_holds: number of holds (0 for a rep exercise).
        hold_s: summed hold duration in seconds (0 without holds, NaN when a hold's duration is unknown).
        hold_in_band_s: summed time inside the target band in seconds (same rules as ``hold_s``).
    """

    exercise: str
    n_reps: int
    tempo_adherence: float
    target_tempo: str | None
    tempo_tolerance_frac: float = math.nan
    trend: Mapping[str, float] = field(default_factory=dict)
    n_holds: int = 0
    hold_s: float = 0.0
    hold_in_band_s: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "trend", _frozen(self.trend))

    def to_json_dict(self) -> dict[str, Any]:
        """The ``sets.summary_json`` document (NaN → null, so it is valid JSON)."""
        return {
            "schema": SUMMARY_SCHEMA,
            "exercise": self.exercise,
            "rep_count": self.n_reps,
            "trend": {k: _json_num(v) for k, v in self.trend.items()},
            "hold_count": self.n_holds,
            "hold_s": _json_num(self.hold_s),
            "hold_in_band_s": _json_num(self.hold_in_band_s),
            "tempo_tolerance_frac": _json_num(self.tempo_tolerance_frac),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_json_dict(), allow_nan=False, sort_keys=True)


def _json_num(v: float) -> float | None:
    return v if math.isfinite(v) else None


def _num(v: Any) -> float:
    """A JSON number as float; null, bool, text and non-finite values are NaN (unknown, never 0)."""
    if isinstance(v, str):
        return math.nan
    return number(v)


def _metrics(item: Mapping[str, Any]) -> Mapping[str, Any]:
    m = item.get("metrics")
    return m if isinstance(m, Mapping) else {}


def format_tempo(t: Sequence[float]) -> str:
    """``(3.0, 1.0, 2.0, 1.0)`` → ``"3-1-2-1"`` (decimals kept only when needed)."""
    return "-".join(f"{x:g}" for x in t)


def parse_tempo_text(text: str) -> tuple[float, float, float, float] | None:
    """``"3-1-2-1"`` → ``(3.0, 1.0, 2.0, 1.0)``; None when it is not four non-negative numbers."""
    from formcheck.config import parse_tempo  # lazy: config imports the exercise modules

    try:
        return parse_tempo(text, max_phase_s=None)  # a stored set from before the 20 s ceiling still reads
    except (ConfigError, ValueError):
        return None


def rep_tempo_adherence(rep: Mapping[str, Any], target_s: Sequence[float] | None, tolerance_frac: float) -> float:
    """Fraction of a rep's timed phases that lasted at least ``(1 - tolerance) × target``.

    Args:
        rep: a rep as a dict (``Rep.to_dict()``); per-rep targets in ``metrics`` (the engine's tempo target keys)
            win over ``target_s``.
        target_s: set-level target tempo (eccentric, bottom, concentric, top) in seconds, or None.
        tolerance_frac: allowed shortfall as a fraction of the target (NaN: adherence unknown).

    Returns:
        Value in [0, 1], or NaN when no phase has both a positive target and a measured duration.
    """
    if not math.isfinite(tolerance_frac):
        return math.nan
    metrics = _metrics(rep)
    ok = n = 0
    for fld, i in _PHASES:
        target = _num(metrics.get(TARGET_KEYS[i]))
        if not math.isfinite(target) and target_s is not None:
            target = float(target_s[i])
        actual = _num(rep.get(fld))
        if not (math.isfinite(target) and target > 0 and math.isfinite(actual)):
            continue
        n += 1
        ok += actual >= (1.0 - tolerance_frac) * target
    return ok / n if n else math.nan


def _target_from_settings(settings: Mapping[str, Any]) -> tuple[float, float, float, float] | None:
    t = settings.get("target_tempo_s")
    if isinstance(t, str):  # analyze_sequence() stores it as "3-1-2-1"
        return parse_tempo_text(t)
    if isinstance(t, list | tuple) and len(t) == 4:
        vals = tuple(_num(x) for x in t)
        if all(math.isfinite(v) for v in vals):
            return vals  # type: ignore[return-value]
    return None


def _target_from_rep(rep: Mapping[str, Any]) -> tuple[float, float, float, float] | None:
    m = _metrics(rep)
    vals = tuple(_num(m.get(k)) for k in TARGET_KEYS)
    return vals if all(math.isfinite(v) for v in vals) else None  # type: ignore[return-value]


def lookup_spec(exercise: str) -> ExerciseSpec | None:
    """The registered spec of ``exercise``, or None when this version does not know it."""
    return registry.find_spec(exercise) if isinstance(exercise, str) else None


def tempo_tolerance(settings: Mapping[str, Any], spec: ExerciseSpec | None, config: object | None) -> float:
    """The tolerance a set's tempo is judged with: the recorded one, else the exercise's config section.

    Args:
        settings: the analysis settings (``tempo_tolerance_frac`` wins when recorded).
        spec: the set's exercise spec; None (unknown exercise) leaves only the recorded value.
        config: configuration to read the exercise section from; None = the defaults.

    Returns:
        The tolerance, or NaN when neither is available.
    """
    tol = _num(settings.get("tempo_tolerance_frac"))
    if math.isfinite(tol) or spec is None:
        return tol
    if config is None:
        config = _default_config()
    try:
        section = registry.exercise_config(config, spec.name)
    except (ConfigError, AttributeError, KeyError):
        return math.nan  # no config section for this exercise: adherence unknown rather than a lost set
    return _num(getattr(section, "tempo_tolerance_frac", None))


@functools.cache
def _default_config() -> object:
    """The default configuration, built once (it validates every exercise section)."""
    from formcheck.config import Config  # lazy: config imports the exercise modules

    return Config()


def trend_specs(spec: ExerciseSpec | None) -> tuple[str, ...]:
    """Keys of the exercise's per-rep metrics that belong in the history trends (none for an unknown exercise)."""
    if spec is None:
        return ()
    return tuple(m.key for m in spec.metric_specs(TREND_PLACE, kind="rep"))


def _mean(values: Sequence[float]) -> float:
    vals = [v for v in values if math.isfinite(v)]
    return sum(vals) / len(vals) if vals else math.nan


def _hold_total(holds: Sequence[Mapping[str, Any]], key: str) -> float:
    """Sum of one duration over holds: 0 without holds, NaN when any hold's value is unknown."""
    total = 0.0
    for h in holds:
        v = _num(h.get(key))
        if key == "duration_s" and not math.isfinite(v):  # derived field: fall back to end - start
            v = _num(h.get("end_s")) - _num(h.get("start_s"))
        if not math.isfinite(v):
            return math.nan
        total += v
    return total


def _dicts(items: Any) -> list[Mapping[str, Any]]:
    return [x for x in items if isinstance(x, Mapping)] if isinstance(items, list | tuple) else []


def set_summary_from_json(d: Mapping[str, Any], *, spec: Any = _AUTO, config: object | None = None) -> SetSummary:
    """Summary of one analysed set given as ``Analysis.to_json_dict()`` (any schema version; never raises).

    The target tempo comes from ``settings["target_tempo_s"]`` or, failing that, from the first rep's target
    metrics; the tolerance from :func:`tempo_tolerance`.

    Args:
        d: the analysis document. Missing or malformed parts count as absent (a document written by a newer
            formcheck is summarised as far as it is understood).
        spec: the exercise spec; default: looked up by ``d["exercise"]`` in the registry. None = unknown exercise.
        config: configuration for the tolerance when the settings lack it; None = the defaults.
    """
    if not isinstance(d, Mapping):
        d = {}
    exercise = d.get("exercise") if isinstance(d.get("exercise"), str) else ""
    if spec is _AUTO:
        spec = lookup_spec(exercise)
    reps = _dicts(d.get("reps"))
    holds = _dicts(d.get("holds"))
    settings = d.get("settings") if isinstance(d.get("settings"), Mapping) else {}
    target = _target_from_settings(settings)
    if target is None and reps:
        target = _target_from_rep(reps[0])
    tol = tempo_tolerance(settings, spec, config)
    trend = {}
    for key in trend_specs(spec):
        m = spec.metric(key, kind="rep")
        trend[key] = _mean([m.value_of(_metrics(r)) for r in reps])
    return SetSummary(
        exercise=exercise,
        n_reps=len(reps),
        tempo_adherence=_mean([rep_tempo_adherence(r, target, tol) for r in reps]),
        target_tempo=format_tempo(target) if target is not None else None,
        tempo_tolerance_frac=tol,
        trend=trend,
        n_holds=len(holds),
        hold_s=_hold_total(holds, "duration_s"),
        hold_in_band_s=_hold_total(holds, "in_band_s"),
    )


def summary_json_from_analysis_json(text: str, *, config: object | None = None) -> str:
    """``sets.summary_json`` for a stored ``analysis_json`` (unreadable JSON gives an empty summary, no error)."""
    try:
        d = json.loads(text)
    except (TypeError, ValueError):
        d = {}
    return set_summary_from_json(d, config=config).to_json()


def parse_summary_json(text: str | None) -> Mapping[str, Any]:
    """A stored ``summary_json`` as a dict (empty when missing or unreadable)."""
    if not text:
        return {}
    try:
        d = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return d if isinstance(d, Mapping) else {}


def trend_of(summary: Mapping[str, Any], spec: ExerciseSpec | None) -> Mapping[str, float]:
    """The trend values to show for a stored summary: spec key -> value (NaN when unknown), read-only.

    Every trend metric the exercise declares *now* is present (NaN when the set was saved before the metric was a
    trend, or no rep had a value); stored keys the spec no longer shows in trends are left out. An unknown
    exercise (``spec`` None) shows no trend.
    """
    stored = summary.get("trend")
    stored = stored if isinstance(stored, Mapping) else {}
    return _frozen({k: _num(stored.get(k)) for k in trend_specs(spec)})


def week_start(day: dt.date) -> dt.date:
    """Monday of the ISO week containing ``day``."""
    return day - dt.timedelta(days=day.weekday())


def weekly_counts(days: Sequence[dt.date], *, until: dt.date, weeks: int) -> list[tuple[dt.date, int]]:
    """How many of ``days`` fall in each of the ``weeks`` weeks ending with the week of ``until``.

    Weeks with nothing are included with 0 (a gap in training is information, not missing data).

    Returns:
        ``(monday, count)`` pairs, oldest week first.
    """
    last = week_start(until)
    starts = [last - dt.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    counts = dict.fromkeys(starts, 0)
    for d in days:
        w = week_start(d)
        if w in counts:
            counts[w] += 1
    return [(w, counts[w]) for w in starts]
