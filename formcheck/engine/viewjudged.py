"""Which shown numbers the set's camera view does not let the analysis judge, for every table and summary.

The views a value can be trusted in are declared once, on the cue rules that judge it (:attr:`CueRule.views`,
e.g. the squat's depth and trunk-versus-shin rules are side-only; the glute bridge's over-arch rule is side-only
while its "lift higher" rule also holds from an oblique camera, ``body.view.lying_view``). The cues, the patient
sentences and ``form_judged`` already read them; this module lets the numbers read them too, so a table never
shows a bare number the analysis says it cannot judge from this camera angle next to the limit it would be judged
against (an oblique bridge's top line "+11" beside "Overarch max 5°").

A metric (:class:`MetricSpec`) is judged by the form rules whose evidence is its key or one of its
:attr:`MetricSpec.evidence` keys. In the set's view:

* no such rule, or every one allowed: judged (nothing marked);
* none allowed: the number is *not judged* (the squat's depth from an oblique view);
* some allowed: the number is judged where an allowed rule speaks to it, i.e. it reads the metric itself, or its
  derived size (:attr:`CueRule.source`, a positive amount in the rule's direction) is above 0; else not judged.
  An oblique bridge's top line of −10° is judged (10° short: the "lift higher" rule, valid from there); one of +11°
  is not (only the side-only over-arch rule speaks to a line past straight).

The number is kept (the value itself is measured; the reports' warning says how far it may be off) and shown with
:data:`NOT_JUDGED` beside it, never alone. An unknown view marks nothing, as the rules then let every cue through.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from formcheck.engine import cuerules
from formcheck.engine.spec import CueRule, ExerciseSpec, MetricSpec, RuleInput, number

NOT_JUDGED = "not judged"  # the words beside a number in a table cell
NOT_JUDGED_HERE = "not judged from this camera angle"  # the words beside a summary's number


def form_rules(spec: ExerciseSpec, metric: MetricSpec) -> tuple[CueRule, ...]:
    """The correction rules that judge ``metric`` (its key or an evidence key; no praise, no flag rules)."""
    keys = {metric.key, *metric.evidence}
    return tuple(
        r for r in cuerules.rules_of(spec) if r.metric in keys and r.severity != "praise" and r.op in (">", "<")
    )


def _allowed(rules: Iterable[CueRule], view: str, side_view_only: bool) -> list[CueRule]:
    return [r for r in rules if cuerules.view_allows(r, view, side_view_only)]


def _input(spec: ExerciseSpec, values: Mapping[str, Any], config: Any) -> RuleInput:
    inp = RuleInput(dict(values), config, cuerules.exercise_config(config, spec.name), "", live=False)
    return cuerules.with_derived(spec, inp)  # the sizes the rules compare, as the cues got them


def not_judged_keys(
    spec: ExerciseSpec | None, values: Mapping[str, Any], kind: str, view: str, config: Any
) -> frozenset[str]:
    """Keys of ``kind`` metrics (``"rep"`` or ``"hold"``) whose finite value in ``values`` this view does not judge.

    Args:
        spec: the exercise (None: nothing is marked).
        values: one rep's or hold's values (:func:`formcheck.engine.cuerules.rep_values` / ``hold_values``, or its
            metrics mapping).
        kind: the metrics' kind.
        view: the set's view (``Quality.view``).
        config: the set's judged configuration (:func:`formcheck.engine.judgement.judged_config`; its
            ``cues.side_view_only`` off lets every rule through: nothing marked). Required: a table that fell back
            to the defaults marked numbers the user's settings judge (an oblique bridge's "+11 (not judged)" with
            ``side_view_only = false``).
    """
    if spec is None:
        return frozenset()
    only_side = bool(config.cues.side_view_only)
    out: set[str] = set()
    inp: RuleInput | None = None
    for m in spec.metrics:
        if m.kind != kind or not math.isfinite(number(values.get(m.key))):
            continue
        rules = form_rules(spec, m)
        allowed = _allowed(rules, view, only_side)
        if len(allowed) == len(rules):
            continue
        if allowed:
            inp = inp if inp is not None else _input(spec, values, config)
            if any(not r.source or r.source == m.key or inp.num(r.source) > 0 for r in allowed):
                continue  # a rule valid in this view speaks to this value
        out.add(m.key)
    return frozenset(out)


def marked(text: str, not_judged: bool, missing: str = "–") -> str:
    """A table cell with :data:`NOT_JUDGED` beside the number when the view does not judge it ("+11 (not judged)")."""
    return f"{text} ({NOT_JUDGED})" if not_judged and text != missing else text


def summary_note(flags: Mapping[int, bool]) -> str:
    """What a set summary adds beside a number from items (rep or hold index → not judged): '' when all judged,
    " (not judged from this camera angle)" when none, else which ones ("on reps 1 and 3")."""
    off = sorted(i for i, bad in flags.items() if bad)
    if not off:
        return ""
    if len(off) == len(flags):
        return f" ({NOT_JUDGED_HERE})"
    from formcheck.report.content import rep_list

    return f" ({NOT_JUDGED_HERE} on {rep_list(off)})"
