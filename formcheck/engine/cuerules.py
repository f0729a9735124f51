"""One evaluator for cue rules, shared by finished reps (batch and live) and live frames.

A rule fires when its value is known (never on NaN: the engine only speaks about what was measured), its
condition holds, the view and position allow it, and the value passes the threshold by more than the rule's
precision (:attr:`CueRule.precision`: a phase time is counted in frames, so a tempo miss smaller than one frame
interval of the set is not a fault it can measure). Live, the cue on screen
keeps its place until the value is back on the good side by a margin (hysteresis). The margin is *additive*:
``hysteresis_frac × |threshold|`` moved toward the good side, so it works the same for negative thresholds (a
multiplication would move a negative threshold the wrong way).

The common rules every rep-based exercise shares — tempo against the prescription — are defined here once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from formcheck.engine.registry import exercise_config
from formcheck.engine.spec import CueRule, ExerciseSpec, RuleInput, Threshold, number
from formcheck.engine.spec import seconds_text as judged_seconds
from formcheck.reps import rises_first
from formcheck.types import Cue, Hold, Rep

FRAME_S = "frame_s"  # rule-input key: one frame interval of the set, seconds (NaN when unknown)
PHASE_FIELDS = ("eccentric_s", "bottom_pause_s", "concentric_s", "top_pause_s", "time_under_tension_s", "rom_deg")
TARGET_KEYS = ("target_eccentric_s", "target_bottom_s", "target_concentric_s", "target_top_s")


def threshold_value(threshold: Threshold, inp: RuleInput) -> float:
    """A rule threshold as a number: a config field of the exercise, a constant or a function of the input."""
    if callable(threshold):
        return number(threshold(inp))
    if isinstance(threshold, str):
        return number(getattr(inp.exercise, threshold))
    return number(threshold)


def frame_precision(inp: RuleInput) -> float:
    """A phase time's precision: one frame interval of the set (:data:`FRAME_S`, from the analysis' own timestamps,
    :func:`formcheck.cues.frame_interval_s`); 0 when the input does not carry it (a live frame)."""
    f = inp.num(FRAME_S)
    return f if f > 0 else 0.0


def relaxed(op: str, threshold: float, hysteresis_frac: float) -> float:
    """The threshold of the cue already on screen: moved toward the good side by ``hysteresis_frac × |threshold|``."""
    margin = hysteresis_frac * abs(threshold)
    return threshold - margin if op == ">" else threshold + margin


def view_allows(rule: CueRule, view: str, side_view_only: bool = True) -> bool:
    """The view can support the rule's value (``side_view_only`` off lets every rule through, as configured)."""
    if not rule.views or not side_view_only:
        return True
    return view in rule.views or view == "unknown"


def _message(rule: CueRule, inp: RuleInput, value: float, threshold: float, live: bool) -> str:
    msg = rule.live_message if live and rule.live_message is not None else rule.message
    if callable(msg):
        return msg(inp, value, threshold)
    extra = dict(rule.fields(inp, value, threshold)) if rule.fields is not None else {}
    return msg.format(value=value, threshold=threshold, **extra)


def one_per_group(cues: Iterable[Cue], rules: Iterable[CueRule]) -> list[Cue]:
    """At most one cue of each rule group (:attr:`CueRule.group`): the most important (priority, then code) of those
    given; cues of ungrouped rules (and of codes not in ``rules``) all kept, in the order given."""
    group = {r.code: r.group for r in rules if r.group}
    given = list(cues)
    best: dict[str, Cue] = {}
    for c in sorted(given, key=lambda q: (q.priority, q.code)):
        if c.code in group:
            best.setdefault(group[c.code], c)
    return [c for c in given if c.code not in group or best[group[c.code]] is c]


def evaluate(
    rules: Iterable[CueRule],
    inp: RuleInput,
    *,
    view: str = "unknown",
    position: str | None = None,
    active_code: str | None = None,
    hysteresis_frac: float = 0.0,
    side_view_only: bool = True,
    evidence: Mapping[str, Any] | None = None,
    grouped: bool = True,
) -> list[Cue]:
    """The cues of the rules that fire on ``inp``, most important first (ties by code), one per rule group.

    Args:
        rules: the rules to run (rep rules for a finished rep, live rules for a live frame).
        inp: values, config and context (``inp.live`` selects the live source/threshold/message).
        view: the view of the set (rules declare the views they need).
        position: the set's body position (``unknown``: position-specific rules do not fire); None evaluates every
            rule whatever the position (the caller gates them, as :func:`formcheck.cues.usable_rep_cues` does).
        active_code: the cue on screen; its threshold is relaxed by the hysteresis margin.
        hysteresis_frac: the margin as a fraction of the threshold's size.
        side_view_only: False lets rules fire in any view (config ``cues.side_view_only``).
        evidence: ``rep_index`` / ``t_s`` to record on the cues.
        grouped: keep only the most important cue of each rule group (:func:`one_per_group`); False for a caller
            that gates the cues afterwards and groups what is left (:func:`formcheck.cues.usable_rep_cues`).
    """
    out: list[Cue] = []
    ev = dict(evidence or {})
    rules = tuple(rules)
    for rule in rules:
        if inp.live and not rule.live:
            continue
        if not inp.live and not rule.rep:
            continue
        if not view_allows(rule, view, side_view_only):
            continue
        if rule.positions and position is not None and position not in rule.positions:
            continue
        if rule.when is not None and not rule.when(inp):
            continue
        source = rule.live_source if inp.live else rule.source
        value = inp.num(source)
        if inp.live and math.isfinite(value) and not rule.live_valid[0] <= value <= rule.live_valid[1]:
            value = math.nan  # outside what a body can do: a tracking artefact, not a fault
        raw_thr = rule.live_threshold if inp.live and rule.live_threshold is not None else rule.threshold
        thr = threshold_value(raw_thr, inp) if not (isinstance(raw_thr, float) and math.isnan(raw_thr)) else math.nan
        op = rule.live_op if inp.live else rule.op
        if op == "flag":
            fired = True
        else:
            if not (math.isfinite(value) and math.isfinite(thr)):
                continue
            test_thr = relaxed(op, thr, hysteresis_frac) if rule.code == active_code else thr
            prec = threshold_value(rule.precision, inp)
            prec = prec if prec > 0 else 0.0  # unknown (NaN) or none
            fired = value > test_thr + prec if op == ">" else value < test_thr - prec
        if not fired:
            continue
        out.append(
            Cue(
                code=rule.code,
                severity=rule.severity,
                message=_message(rule, inp, value, thr, inp.live),
                priority=rule.priority,
                metric=rule.metric,
                value=value if math.isfinite(value) else None,
                threshold=thr if math.isfinite(thr) else None,
                **ev,
            )
        )
    out.sort(key=lambda q: (q.priority, q.code))
    return one_per_group(out, rules) if grouped else out


# ---------------------------------------------------------------------------------------------------------------
# Common rules: tempo against the prescription (every rep-based exercise)
# ---------------------------------------------------------------------------------------------------------------


def _seconds(x: float) -> str:
    return f"{x:g} s" if float(x).is_integer() else f"{x:.1f} s"


def _target(i: int, from_rep: bool = True):
    key = TARGET_KEYS[i]

    def target(inp: RuleInput) -> float:
        # The rep records the tempo it was judged against; older analyses fall back to the config.
        t = inp.num(key) if from_rep else math.nan
        return t if math.isfinite(t) else float(inp.exercise.target_tempo_s[i])

    return target


def tempo_rule(
    code: str,
    priority: int,
    field: str,
    i: int,
    text: str,
    *,
    from_rep: bool = True,
    seconds_text: Callable[[float], str] = _seconds,
    rise_first_text: str | None = None,
) -> CueRule:
    """An info cue when a tempo phase ran faster than its target less the tolerance (and one frame interval: a
    shorter miss cannot be measured, :func:`frame_precision`).

    Args:
        code: The cue code.
        priority: The cue priority.
        field: The rep field timed (e.g. ``"eccentric_s"``).
        i: Index of the phase in ``target_tempo_s`` (0 eccentric, 1 bottom, 2 concentric, 3 top).
        text: Message with ``{t}`` (the target) and ``{v}`` (the rep's value) placeholders.
        from_rep: Read the target the rep records first (config as fallback); False reads the config only.
        seconds_text: How the target is written.
        rise_first_text: Message for a rep timed rise first (a lift from the floor, :func:`formcheck.reps.rises_first`),
            whose phase is named differently there (its bottom pause is the rest on the floor before the next pull).

    Returns:
        The rule; it never fires on a zero target (threshold NaN).
    """
    target = _target(i, from_rep)

    def threshold(inp: RuleInput) -> float:
        t = target(inp)
        return (1.0 - inp.exercise.tempo_tolerance_frac) * t if t > 0 else math.nan

    def message(inp: RuleInput, value: float, thr: float) -> str:
        words = rise_first_text if rise_first_text and rises_first(inp.values) else text
        return words.format(t=seconds_text(target(inp)), v=judged_seconds(value))  # to 0.01 s: judged to the frame

    return CueRule(
        code=code,
        priority=priority,
        severity="info",
        metric=field,
        op="<",
        threshold=threshold,
        message=message,
        views=(),  # timing reads right from any view
        precision=frame_precision,
    )


def config_tempo_rule(code: str, priority: int, field: str, i: int, text: str) -> CueRule:
    """A tempo rule against the configured target only, written as ``f"{t:g} s"``.

    For exercises whose phases are not the engine's lowering/pause/rising (a bridge rises first, a cat-camel
    rounds first) and whose reps do not record the target they were judged against.
    """
    return tempo_rule(code, priority, field, i, text, from_rep=False, seconds_text=lambda t: f"{t:g} s")


TEMPO_RULES: tuple[CueRule, ...] = (
    tempo_rule("tempo.eccentric_fast", 40, "eccentric_s", 0, "Lower for {t} — that one took {v}"),
    tempo_rule(
        "tempo.no_pause",
        41,
        "bottom_pause_s",
        1,
        "Pause {t} at the bottom — that one was {v}",
        rise_first_text="Rest {t} at the bottom before the next pull — that rest was {v}",
    ),
    tempo_rule("tempo.concentric_fast", 42, "concentric_s", 2, "Rise over {t} — that one took {v}"),
)
TEMPO_CODES = tuple(r.code for r in TEMPO_RULES)


def rules_of(spec: ExerciseSpec) -> tuple[CueRule, ...]:
    """The exercise's rules plus the common ones it uses."""
    return spec.rules + (TEMPO_RULES if spec.tempo_rules else ())


def rep_values(rep: Rep) -> dict[str, Any]:
    """A rep's metrics plus its phase times, as one mapping for the rules."""
    return {**dict(rep.metrics), **{f: getattr(rep, f) for f in PHASE_FIELDS}}


def rep_input(spec: ExerciseSpec, rep: Rep, config: Any, frame_s: float = math.nan) -> RuleInput:
    """The rule input of a finished rep (with the values the exercise derives for its rules); ``frame_s``: one frame
    interval of the set (:data:`FRAME_S`, the precision of its phase times; NaN: unknown)."""
    values = {**rep_values(rep), FRAME_S: frame_s}
    return with_derived(
        spec, RuleInput(values, config, exercise_config(config, spec.name), rep.classification, live=False)
    )


def hold_values(hold: Hold) -> dict[str, Any]:
    """A finished hold's metrics plus its times (``start_s``, ``end_s``, ``duration_s``, ``in_band_s``, breaks)."""
    return {**dict(hold.metrics), "start_s": hold.start_s, "end_s": hold.end_s, "duration_s": hold.duration_s,
            "in_band_s": hold.in_band_s, "n_breaks": float(len(hold.breaks))}  # fmt: skip


def hold_input(spec: ExerciseSpec, hold: Hold, config: Any) -> RuleInput:
    """The rule input of a finished hold (its rules run like a finished rep's, on the hold's values)."""
    return with_derived(spec, RuleInput(hold_values(hold), config, exercise_config(config, spec.name), "", live=False))


def live_input(spec: ExerciseSpec, values: Mapping[str, Any], config: Any) -> RuleInput:
    """The rule input of a live frame."""
    return with_derived(spec, RuleInput(dict(values), config, exercise_config(config, spec.name), "", live=True))


def with_derived(spec: ExerciseSpec, inp: RuleInput) -> RuleInput:
    """``inp`` with the values the exercise derives for its rules (:attr:`ExerciseSpec.derive`: cleaned or combined
    metrics, the positive sizes a rule compares, e.g. a bridge's ``overarch_deg`` from its top line) added to its
    values; ``inp`` itself when the exercise derives none.

    Every rule input goes through it (:func:`rep_input`, :func:`hold_input`, :func:`live_input`), and so must any
    caller that reads a rule's :attr:`CueRule.source` outside the evaluator (which numbers a view does not judge,
    :mod:`formcheck.engine.viewjudged`), so it sees the values the cues were given.
    """
    if spec.derive is None:
        return inp
    return RuleInput({**dict(inp.values), **dict(spec.derive(inp))}, inp.config, inp.exercise, inp.classification,
                     inp.live)  # fmt: skip


def codes_of(specs: Sequence[ExerciseSpec]) -> dict[str, tuple[int, str]]:
    """``code -> (priority, severity)`` of every rule of the given exercises (for legends and tests)."""
    out: dict[str, tuple[int, str]] = {}
    for s in specs:
        for r in rules_of(s):
            out[r.code] = (r.priority, r.severity)
    return out
