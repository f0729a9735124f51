"""The "5% correction" cue engine: measurements in, one short imperative sentence out (pure, no I/O).

A :class:`~formcheck.types.Cue` names the fault (``code``), how much it matters (``priority``, lower first;
``severity``), what to do with a small magnitude in human units (``message``) and the evidence (``metric``,
``value``, ``threshold``, ``rep_index``, ``t_s``).

The corrections themselves are data: each exercise declares its :class:`~formcheck.engine.spec.CueRule` list
(e.g. :mod:`formcheck.analyzers.hinge_spec`) and one evaluator (:mod:`formcheck.engine.cuerules`) runs them for
finished reps, batch and live, and for live frames. This module adds what every exercise shares: setup and view
cues, the common tempo rules, praise for a clean rep, view gating, repetition control and the one-at-a-time
:class:`CueSelector`. Priorities put safety first; view and setup cues come before all of them because, without a
usable view, every other number is unreliable.

Entry points:

* :func:`rep_cues` — everything one finished rep deserves, sorted, or a short praise when it was clean.
* :func:`analysis_cues` — the cue list of a whole set (view quality + per-rep cues, repeated only when the fault
  repeats).
* :func:`live_candidates` + :class:`CueSelector` — during a rep only the top priorities, one at a time, with
  hysteresis and a minimum display time so the banner does not flicker; a finished rep's or hold's cues go in as
  a one-off event keyed by :class:`CueEvent`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from formcheck.body.roll import ROLL_CUE_DEG
from formcheck.config import Config
from formcheck.engine import cuerules
from formcheck.engine.protocol import LiveState
from formcheck.engine.quality import position_mismatch, position_words, wrong_exercise_words
from formcheck.engine.registry import exercise_config, find_spec, get_spec, specs
from formcheck.engine.spec import CueRule, ExerciseSpec, RuleInput
from formcheck.types import Analysis, Cue, Hold, Quality, Rep

# Cues every exercise shares: code -> (priority, severity). Lower priority number = more important.
CUE_TABLE: dict[str, tuple[int, str]] = {
    "setup.away": (0, "info"),
    "setup.position": (1, "info"),
    "setup.no_reps": (2, "info"),
    "setup.wrong_position": (2, "warn"),
    "setup.load_unknown": (7, "warn"),
    "setup.camera_roll": (2, "info"),
    "view.not_side": (3, "warn"),
    "view.body_cut": (4, "warn"),
    "view.multi_person": (5, "warn"),
    "view.tracking": (6, "warn"),
    **{r.code: (r.priority, r.severity) for r in cuerules.TEMPO_RULES},
    "praise.clean": (90, "praise"),
}

LOAD_UNKNOWN_MESSAGE = (
    "Your hands seem to hold a weight: enter it (Held load in the app, --load-kg on the command line; 0 if none) — "
    "the balance cues are held back until then, as they would be off by that weight"
)

HANDS_LOW_MESSAGE = (
    "Your hands hang low, where dumbbells or a bar would be: if you held a weight, enter it (Held load in the app, "
    "--load-kg on the command line; 0 if none) — until then 'weight on the heels' is not judged, as a weight in "
    "front moves your balance toward the toes"
)

IN_REP_PHASES = ("eccentric", "bottom", "concentric")
LIVE_CUE_PHASES = (*IN_REP_PHASES, "hold")  # live form cues while moving through a rep or holding a position
TIMING_CODES = cuerules.TEMPO_CODES


def cue_table() -> dict[str, tuple[int, str]]:
    """``code -> (priority, severity)`` of the shared cues and of every registered exercise's rules."""
    return {**CUE_TABLE, **cuerules.codes_of(specs())}


def make_cue(code: str, message: str, **evidence: object) -> Cue:
    """A shared cue (setup, view, praise) with the priority and severity of its code (see :data:`CUE_TABLE`)."""
    priority, severity = CUE_TABLE[code]
    return Cue(code=code, severity=severity, message=message, priority=priority, **evidence)  # type: ignore[arg-type]


def is_correction(cue: Cue) -> bool:
    """True for cues that ask for a change (everything except praise)."""
    return cue.severity != "praise"


def _title(name: str) -> str:
    """An exercise's title; its name when this version has no such exercise (a set saved by another version)."""
    found = find_spec(name)
    return found.title if found is not None else name.replace("_", " ")


def _spec(exercise: str | ExerciseSpec) -> ExerciseSpec:
    return exercise if isinstance(exercise, ExerciseSpec) else get_spec(exercise)


def frame_interval_s(analysis: Analysis) -> float:
    """One frame interval of the set, seconds (:meth:`formcheck.types.Analysis.frame_interval_s`). Phase times are
    counted in frames, so this is the precision of its tempo (:func:`formcheck.engine.cuerules.frame_precision`)."""
    return analysis.frame_interval_s()


def rep_cues(rep: Rep, config: Config, exercise: str | ExerciseSpec, frame_s: float = math.nan) -> list[Cue]:
    """Cues for one finished rep, most important first; a praise cue when nothing needs changing.

    Unknown (NaN/missing) metrics never produce a cue: the engine only speaks about what was measured. Every rule
    is evaluated here whatever the view (see :func:`usable_rep_cues` for the view-gated list): a rep with a fault
    the view cannot confirm earns no praise either.

    Args:
        rep: a finished rep (metrics named with units, as the exercise declares them).
        config: thresholds (the exercise's section and ``[cues]``) and the user's height for cm magnitudes.
        exercise: the exercise's name or spec.
        frame_s: one frame interval of the set (:func:`frame_interval_s`): a tempo miss within it is not cued.
            NaN (unknown): no such allowance.

    Returns:
        Cues sorted by priority (ties by code). Praise only when there is no correction and
        ``cues.praise_clean_reps`` is on.
    """
    spec = _spec(exercise)
    inp = cuerules.rep_input(spec, rep, config, frame_s)
    ev = {"rep_index": rep.index, "t_s": rep.bottom_s}
    # every cue of a rule group: the view gating of usable_rep_cues comes first, then one per group
    out = cuerules.evaluate(cuerules.rules_of(spec), inp, view="any", side_view_only=False, evidence=ev, grouped=False)
    if not out and config.cues.praise_clean_reps and spec.praise is not None:
        text = spec.praise(inp)
        if text is not None:
            key = next((m.key for m in spec.metrics if m.kind == "rep" and math.isfinite(inp.num(m.key))), "")
            out.append(make_cue("praise.clean", text, metric=key, value=inp.num(key) if key else None, **ev))
    return out


def view_allows_form_cues(quality: Quality, config: Config) -> bool:
    """False when the view is front/oblique and ``cues.side_view_only`` is on: then angles, back rounding and
    balance read wrong, so only the rules valid in any view (timing) are given."""
    return not (config.cues.side_view_only and quality.view in ("front", "oblique"))


def usable_rep_cues(
    rep: Rep, quality: Quality, config: Config, exercise: str | ExerciseSpec, frame_s: float = math.nan
) -> list[Cue]:
    """:func:`rep_cues` restricted to what the view and the body position can support (``frame_s``: as there), and
    to one cue per rule group (:attr:`~formcheck.engine.spec.CueRule.group`: one change, one amount).

    Each rule declares the views and positions it needs; a set clearly done in a position the exercise does not
    analyse gets no rep cues at all (the position cue of :func:`analysis_cues` says why).
    """
    spec = _spec(exercise)
    if position_mismatch(quality, spec.positions):
        return []  # another exercise done in another position: none of this one's numbers apply
    cues = rep_cues(rep, config, spec, frame_s)
    rules = {r.code: r for r in cuerules.rules_of(spec)}
    # Rules for one position fire only when the set was seen in it (an unknown position is not a yes).
    cues = [c for c in cues if c.code not in rules or not rules[c.code].positions
            or quality.position in rules[c.code].positions]  # fmt: skip
    held_back = load_held_back(spec, quality)  # a weight in the hands that was not entered: balance would mislead
    cues = [c for c in cues if c.code not in held_back]
    inp = cuerules.rep_input(spec, rep, config)
    if not judged_all(spec, inp, quality, config):
        cues = [c for c in cues if c.code != "praise.clean"]
    cues = [_praise_of_judged(c, spec, inp, quality, config) for c in cues]
    cues = [c for c in cues if c is not None]
    if config.cues.side_view_only:
        cues = [c for c in cues if c.code not in rules or cuerules.view_allows(rules[c.code], quality.view)]
    return cuerules.one_per_group(cues, rules.values())


def _praise_of_judged(cue: Cue, spec: ExerciseSpec, inp: RuleInput, quality: Quality, config: Config) -> Cue | None:
    """A praise cue reworded from the values the view and position let the rules judge; other cues unchanged.

    The praise names what was good ("hips below the knees, trunk parallel to the shins"); from a front view the
    depth and trunk rules are not judged, so the praise must not vouch for them. Metrics read only by rules the
    view or position cannot support are unknown to the praise; with nothing judged left there is no praise.
    """
    if cue.code != "praise.clean" or spec.praise is None:
        return cue

    def supported(r: CueRule) -> bool:
        view_ok = not config.cues.side_view_only or cuerules.view_allows(r, quality.view)
        return view_ok and (not r.positions or quality.position in r.positions)

    rules = cuerules.rules_of(spec)
    hidden = {r.metric for r in rules if not supported(r)} - {r.metric for r in rules if supported(r)}
    # a metric judged with hidden ones only (its MetricSpec.evidence: the lunge's shin with its knee travel) too
    hidden |= {m.key for m in spec.metrics if m.evidence and set(m.evidence) <= hidden}
    if not hidden:
        return cue
    seen = dataclasses.replace(inp, values={k: (math.nan if k in hidden else v) for k, v in inp.values.items()})
    text = spec.praise(seen)
    if text is None:
        return None
    kind = "rep" if cue.rep_index is not None else "hold"  # the evidence: a judged value too
    key = next((m.key for m in spec.metrics if m.kind == kind and math.isfinite(seen.num(m.key))), "")
    return dataclasses.replace(cue, message=text, metric=key, value=seen.num(key) if key else None)


def judged_all(spec: ExerciseSpec, inp: RuleInput, quality: Quality, config: Config) -> bool:
    """Whether every form check (``safety``/``warn`` rules the view and position support) had a number.

    Praise says "nothing to correct": a rep whose judged value was not measured (NaN: the limb out of the
    picture, the foot unreadable) cannot earn it, it was not checked. Rules the view cannot support and rules on
    a held load that was not entered are not asked for.
    """
    for r in cuerules.rules_of(spec):
        if r.severity not in ("safety", "warn") or not r.rep or r.op == "flag":
            continue
        if config.cues.side_view_only and not cuerules.view_allows(r, quality.view):
            continue
        if r.positions and quality.position not in r.positions:
            continue
        if r.code in load_held_back(spec, quality):
            continue
        if not math.isfinite(inp.num(r.metric)):
            return False
    return True


def held_load_flags(spec: ExerciseSpec, config: Config, holds_a_weight: bool, hang_low: bool) -> dict[str, bool]:
    """``Quality.load_unknown`` / ``hands_low`` of a set with no load entered (not even 0), from what its hands did
    (:mod:`formcheck.body.hands`): batch over the whole set, live over the frames so far — one decision for both.

    Hands together and low: a weight, every balance rule held back and the load asked for. Hands that only hang low:
    maybe dumbbells or a bar, only the rules such a weight would turn wrong held back (:func:`load_held_back`).
    """
    none = {"load_unknown": False, "hands_low": False}
    if config.body.load_entered or config.body.load_kg > 0 or not any(r.uses_load for r in spec.rules):
        return none
    if holds_a_weight:
        return {"load_unknown": True, "hands_low": False}
    return {"load_unknown": False, "hands_low": hang_low and any(r.wrong_if_weight_in_front for r in spec.rules)}


def held_load_warnings(flags: Mapping[str, bool]) -> tuple[str, ...]:
    """The plain warning of each flag of :func:`held_load_flags` that is set."""
    return tuple(m + "." for k, m in (("load_unknown", LOAD_UNKNOWN_MESSAGE), ("hands_low", HANDS_LOW_MESSAGE))
                 if flags.get(k))  # fmt: skip


def load_held_back(spec: ExerciseSpec, quality: Quality) -> frozenset[str]:
    """Codes of the rules held back for a weight that may be in the hands but was not entered: every rule on the
    held load when the hands look like they hold one (``quality.load_unknown``), those a weight in front would
    make wrong (``wrong_if_weight_in_front``) when they merely hang low where one would be (``quality.hands_low``)."""
    return frozenset(
        r.code
        for r in spec.rules
        if (r.uses_load and quality.load_unknown) or (r.wrong_if_weight_in_front and quality.hands_low)
    )


def hold_cues(hold: Hold, quality: Quality, config: Config, exercise: str | ExerciseSpec) -> list[Cue]:
    """Cues for one finished hold (the exercise's rules on its metrics), view- and position-gated like a rep's.

    The cues carry the middle of the hold as their time (``rep_index`` None: a hold is not a rep); a steady hold
    with nothing to correct earns the exercise's praise.
    """
    spec = _spec(exercise)
    if position_mismatch(quality, spec.positions):
        return []
    inp = cuerules.hold_input(spec, hold, config)
    ev = {"t_s": 0.5 * (hold.start_s + hold.end_s)}
    out = cuerules.evaluate(cuerules.rules_of(spec), inp, view=quality.view, position=quality.position,
                            side_view_only=config.cues.side_view_only, evidence=ev)  # fmt: skip
    # Praise says the form was good: only from the view the exercise is judged in (a side plank from the front).
    judged = quality.view in ("unknown", *spec.views[:1]) or not config.cues.side_view_only
    judged = judged and judged_all(spec, inp, quality, config)  # nothing unmeasured among the checks
    if not out and config.cues.praise_clean_reps and spec.praise is not None and judged:
        text = spec.praise(inp)
        if text is not None:
            key = next((m.key for m in spec.metrics if m.kind == "hold" and math.isfinite(inp.num(m.key))), "")
            praised = make_cue("praise.clean", text, metric=key, value=inp.num(key) if key else None, **ev)
            out += [c for c in (_praise_of_judged(praised, spec, inp, quality, config),) if c is not None]
    return out


def filed_hold_cues(cues: Iterable[Cue], start_s: float, end_s: float) -> list[Cue]:
    """The cues a set's cue list (:func:`analysis_cues`) filed for the hold from ``start_s`` to ``end_s``.

    A hold's cues carry no rep index but the time of the hold's middle (:func:`hold_cues`); set-level cues carry no
    time, so a cue without a rep index whose time falls in the hold is that hold's.
    """
    return [c for c in cues if c.rep_index is None and c.t_s is not None and start_s <= c.t_s <= end_s]


def quality_cues(quality: Quality, config: Config) -> list[Cue]:
    """View and tracking cues from a set's :class:`~formcheck.types.Quality`, most important first."""
    c = config.cues
    out: list[Cue] = []
    if quality.frames_total > 0 and quality.view in ("front", "oblique"):
        out.append(
            make_cue(
                "view.not_side",
                f"Film from the side: move the camera about {90 if quality.view == 'front' else 45}° around you — "
                f"this was {'a front' if quality.view == 'front' else 'an oblique'} view, so bend angles and balance "
                "are less reliable",
                metric="view",
            )
        )
    # NaN (nobody found in any frame) is no framing reading: the tracking cue says it, not "cut off in 100%".
    full = quality.full_body_fraction
    if quality.frames_total > 0 and math.isfinite(full) and full < c.view_full_body_min_frac:
        out.append(
            make_cue(
                "view.body_cut",
                "Step back so head to feet fit in the picture — the body was cut off in "
                f"{100 * (1 - quality.full_body_fraction):.0f}% of frames",
                metric="full_body_fraction",
                value=quality.full_body_fraction,
                threshold=c.view_full_body_min_frac,
            )
        )
    if quality.frames_total > 0 and quality.multi_person_fraction > c.view_multi_person_max_frac:
        out.append(
            make_cue(
                "view.multi_person",
                "Keep only one person in the picture — someone else was in view in "
                f"{100 * quality.multi_person_fraction:.0f}% of frames",
                metric="multi_person_fraction",
                value=quality.multi_person_fraction,
                threshold=c.view_multi_person_max_frac,
            )
        )
    if quality.frames_total > 0 and quality.person_fraction < c.view_person_min_frac:
        out.append(
            make_cue(
                "view.tracking",
                "Use brighter, even light and a plain background — you were found in only "
                f"{100 * quality.person_fraction:.0f}% of frames",
                metric="person_fraction",
                value=quality.person_fraction,
                threshold=c.view_person_min_frac,
            )
        )
    return out


def analysis_cues(analysis: Analysis, config: Config) -> tuple[Cue, ...]:
    """The cue list of a whole set: view/setup cues first, then each rep's cues in rep order.

    Rules that need a side view are dropped for a front or oblique view (see :func:`usable_rep_cues`). A
    correction is repeated for a later rep only when its fault came back in ``cues.repeat_after_reps`` reps
    since it was last given (1 = every rep that has the fault). Clean reps get praise when enabled.

    Args:
        analysis: the analyzer's result (its ``cues`` are ignored and rebuilt).
        config: thresholds.

    Returns:
        Cues in display order (set-level first, then by rep and priority).
    """
    spec = get_spec(analysis.exercise)
    out = quality_cues(analysis.quality, config)
    if analysis.quality.view in spec.views[:1] or spec.views[:1] != ("side",):
        # Filmed from the exercise's best view (a side plank's is the front), or an exercise not filmed from the side
        # (a side bend): "film from the side" would be wrong advice; such exercises word their own view warning.
        out = [c for c in out if c.code != "view.not_side"]
    from formcheck.analyzers.floor_view import angle_warned  # lazy: the analyzers load through the registry

    if angle_warned(analysis.quality.warnings):
        # A floor set made oblique by its camera angle (raised above the floor or turned toward head or feet): its
        # warning says how to film it; "move the camera 45° around you" is wrong for a raised camera.
        out = [c for c in out if c.code != "view.not_side"]
    if analysis.quality.recognised_as:  # recognised as another exercise: name it (one cue, the same withholding)
        out.append(make_cue(
            "setup.wrong_position",
            wrong_exercise_words(_title(analysis.quality.recognised_as), spec.title),
            metric="recognised_confidence", value=analysis.quality.recognised_confidence,
        ))  # fmt: skip
    elif position_mismatch(analysis.quality, spec.positions):
        want = " or ".join(position_words(p) for p in spec.positions)
        out.append(make_cue(
            "setup.wrong_position",
            f"This looks like a {position_words(analysis.quality.position)} exercise: choose the matching exercise — "
            f"the {spec.title.lower()} analysis is for exercises done {want}",
            metric="position",
        ))  # fmt: skip
    if analysis.quality.load_unknown and any(r.uses_load for r in spec.rules):
        out.append(make_cue("setup.load_unknown", LOAD_UNKNOWN_MESSAGE, metric="load_kg", value=config.body.load_kg))
    roll = float(analysis.summary.get("camera_roll_deg", math.nan))
    if abs(roll) > ROLL_CUE_DEG:  # measured and undone before measuring (formcheck.body.roll); NaN: unknown
        out.append(make_cue(
            "setup.camera_roll",
            f"Level the camera: it is tilted about {abs(roll):.0f}° (this set was straightened before measuring, "
            "but a level camera measures more reliably)",
            metric="camera_roll_deg", value=roll, threshold=ROLL_CUE_DEG,
        ))  # fmt: skip
    refused = bool(analysis.summary.get("refused", False))  # could not be measured at all: the warning says why
    if not analysis.reps and not getattr(analysis, "holds", ()) and analysis.quality.frames_total > 0 and not refused:
        ex = exercise_config(config, spec.name)
        why = spec.no_reps_why(RuleInput(analysis.summary, config, ex)) if spec.no_reps_why is not None else None
        out.append(make_cue("setup.no_reps", why or spec.no_reps_hint.format(**dict(ex)), metric="reps", value=0.0))
    since_given: dict[str, int] = {}
    frame_s = frame_interval_s(analysis)
    for rep in sorted(analysis.reps, key=lambda r: r.index):
        for cue in usable_rep_cues(rep, analysis.quality, config, spec, frame_s):
            if cue.code == "praise.clean":
                out.append(cue)
                continue
            if cue.code in since_given:
                since_given[cue.code] += 1
                if since_given[cue.code] < config.cues.repeat_after_reps:
                    continue
            since_given[cue.code] = 0
            out.append(cue)
    for hold in sorted(getattr(analysis, "holds", ()), key=lambda h: h.index):
        out.extend(hold_cues(hold, analysis.quality, config, spec))
    return tuple(out)


def live_rep_cues(state: LiveState, config: Config, frame_s: float = math.nan) -> list[Cue]:
    """The cues of the rep that finished on this live frame, gated by the live view like a saved set's (``frame_s``:
    the stream's frame interval, the precision of the rep's phase times, as :func:`usable_rep_cues`)."""
    if state.new_rep is None:
        return []
    quality = Quality(view=state.view, position=state.position, load_unknown=state.load_unknown,
                      hands_low=state.hands_low)  # fmt: skip
    return usable_rep_cues(state.new_rep, quality, config, state.exercise, frame_s)


def live_candidates(state: LiveState, config: Config, active_code: str | None = None) -> list[Cue]:
    """In-rep cues from the live measurements, only the top priorities (``cues.live_max_priority``).

    Args:
        state: the streaming analyzer's state for this frame (its ``exercise`` names the rules, its ``view``
            gates them).
        config: thresholds.
        active_code: the cue currently on screen (:attr:`CueSelector.active_code`). Its threshold is relaxed by
            ``cues.hysteresis_frac`` so a value hovering at the threshold keeps it on instead of flickering.

    Returns:
        Candidate cues (``rep_index`` None), most important first. Setup cues when not ready / nobody in view.
    """
    if state.phase == "away":
        return [make_cue("setup.away", "Step into the picture, side-on, head to feet in view", t_s=state.t_s)]
    if not state.ready:
        msg = state.setup_message or "Stand side-on to the camera with your whole body in view"
        return [make_cue("setup.position", msg, t_s=state.t_s)]
    if state.phase not in LIVE_CUE_PHASES:
        return []
    spec = get_spec(state.exercise)
    c = config.cues
    out = cuerules.evaluate(
        cuerules.rules_of(spec),
        cuerules.live_input(spec, state.values, config),
        view=state.view,
        position=state.position,
        active_code=active_code,
        hysteresis_frac=c.hysteresis_frac,
        side_view_only=c.side_view_only,
        evidence={"t_s": state.t_s},
    )
    held = load_held_back(spec, Quality(load_unknown=state.load_unknown, hands_low=state.hands_low))
    return [q for q in out if q.priority <= c.live_max_priority and q.code not in held]


EVENT_KINDS = ("rep", "hold")  # what a one-off cue can be feedback on


@dataclass(frozen=True)
class CueEvent:
    """What a one-off cue is feedback on: a finished rep or a finished hold.

    Rep and hold indices are separate counts (a bridge held while marching has hold 1 and reps 1, 2 ...), so the
    kind is part of the key: ``CueEvent("rep", 1)`` and ``CueEvent("hold", 1)`` are two events, each shown once.

    Attributes:
        kind: ``"rep"`` or ``"hold"``.
        index: the rep's or hold's own 1-based index (:attr:`Rep.index <formcheck.types.Rep.index>`,
            :attr:`Hold.index <formcheck.types.Hold.index>`).
    """

    kind: Literal["rep", "hold"]
    index: int

    def __post_init__(self) -> None:
        if self.kind not in EVENT_KINDS:
            raise ValueError(f"CueEvent.kind must be one of {EVENT_KINDS}, not {self.kind!r}")


# The events a CueSelector remembers (first-seen times of finished reps/holds), bounded for a long live set.
EVENTS_REMEMBERED = 256


class CueSelector:
    """Shows one cue at a time without flicker.

    Rules, per :meth:`update`:

    * A live fault (a ``candidates`` cue) must be a candidate for ``cues.live_confirm_s`` before it is shown (a
      one-frame spike says nothing) and counts as gone only after ``cues.live_clear_s`` without it (a one-frame
      dip does not clear it).
    * A shown cue stays at least ``cues.min_display_s``; only a live safety cue may cut a non-safety cue short.
    * After that, a live cue stays while its fault persists unless a more important candidate appears; when the
      fault is gone the best remaining candidate (or nothing) is shown.
    * The feedback on a finished rep or hold (``events``, keyed by :class:`CueEvent`) is a one-off: the most
      important cue of the newest event waits until it can be shown, is shown once for the minimum time, and
      nothing more from that event is shown even if passed in again. The newest event is the one first passed in
      last; a newer event replaces a waiting older one (stale feedback is dropped, also when passed in again).
      Events first passed in on the same frame (a rep and a hold ending together) are equally new: the most
      important cue among them is the one shown.

    Use with :func:`live_candidates` passing ``active_code=selector.active_code`` for value hysteresis.
    """

    def __init__(self, config: Config) -> None:
        self._min_display_s = config.cues.min_display_s
        self._confirm_s = config.cues.live_confirm_s
        self._clear_s = config.cues.live_clear_s
        self.reset()

    def reset(self) -> None:
        """Forget what is shown and pending (new set)."""
        self._current: Cue | None = None
        self._current_event: CueEvent | None = None  # the event the cue on screen belongs to (None: a live cue)
        self._since_s = -math.inf
        self._pending: tuple[CueEvent, Cue] | None = None  # the newest event's top cue, waiting for the screen
        self._first_seen_s: dict[CueEvent, float] = {}  # event -> frame time it was first passed in (its age)
        self._newest_s = -math.inf  # first-seen time of the newest event
        self._done_s = -math.inf  # events first seen up to this time are done (one was shown; the rest are older)
        self._run_start: dict[str, float] = {}  # live code -> start of its current (gap-tolerant) run
        self._last_seen: dict[str, float] = {}

    @property
    def current(self) -> Cue | None:
        """The cue on screen, or None."""
        return self._current

    @property
    def current_event(self) -> CueEvent | None:
        """The rep or hold the cue on screen is feedback on; None for a live cue or nothing shown."""
        return self._current_event

    @property
    def active_code(self) -> str | None:
        """Code of the cue on screen, or None."""
        return None if self._current is None else self._current.code

    def _show(self, pick: tuple[Cue, CueEvent | None] | None, t_s: float) -> Cue | None:
        cue, event = pick if pick is not None else (None, None)
        self._current, self._current_event = cue, event
        self._since_s = t_s
        if event is not None:
            self._done_s = self._first_seen_s[event]
            self._pending = None  # the pending cue is the only event cue ever shown
        return cue

    def update(
        self, t_s: float, candidates: Iterable[Cue] = (), events: Mapping[CueEvent, Sequence[Cue]] | None = None
    ) -> Cue | None:
        """Feed this frame's live candidate cues and finished-event feedback; returns the cue to show now (or None).

        Args:
            t_s: frame time, seconds (non-decreasing).
            candidates: live cues for this frame (:func:`live_candidates`; their ``rep_index`` is None).
            events: the cues of a rep or hold that just finished (``{CueEvent("rep", rep.index): cues}``), each
                cue as filed for that rep or hold (its own ``rep_index``, None for a hold's).

        Raises:
            ValueError: a candidate carries a ``rep_index`` (a finished rep's cue belongs in ``events``; as a
                candidate it would be taken for a live fault).
        """
        cands = list(candidates)
        if any(q.rep_index is not None for q in cands):
            raise ValueError("a finished rep's cues go in events={CueEvent('rep', index): cues}, not in candidates")
        live = {q.code: q for q in sorted(cands, key=_rank, reverse=True)}
        for code in live:
            if t_s - self._last_seen.get(code, -math.inf) > self._clear_s:
                self._run_start[code] = t_s
            self._last_seen[code] = t_s
        self._take_events(t_s, events or {})
        pool: list[tuple[Cue, CueEvent | None]] = [
            (q, None) for c, q in live.items() if t_s - self._run_start[c] >= self._confirm_s - 1e-9
        ]
        if self._pending is not None:
            pool.append((self._pending[1], self._pending[0]))
        best = min(pool, key=lambda p: _rank(p[0])) if pool else None
        cur = self._current
        if cur is None:
            return self._show(best, t_s)
        is_live = self._current_event is None
        fresh = live.get(cur.code) if is_live else None
        if fresh is not None:
            self._current = fresh  # same code with a fresher value: not a change on screen
        if t_s - self._since_s < self._min_display_s:
            if best is not None and best[1] is None and best[0].severity == "safety" and cur.severity != "safety":
                return self._show(best, t_s)
            return self._current
        persists = is_live and t_s - self._last_seen.get(cur.code, -math.inf) <= self._clear_s
        if persists and (best is None or best[0].priority >= cur.priority):
            return self._current
        return self._show(best, t_s)

    def withdraw(self, t_s: float, keep_live: Iterable[str] = ()) -> None:
        """Take off the screen what no longer describes the person: a recorded set's next rep or hold has begun.

        The cue on screen from a finished rep or hold goes now, a waiting one is dropped (never shown), and a live
        cue goes unless its code is in ``keep_live`` (the new rep is given it too). Live faults keep their runs.
        The live view does not call this: there a finished rep's cue is advice for the rep being done.
        """
        if self._pending is not None:
            self._done_s = max(self._done_s, self._first_seen_s[self._pending[0]])
            self._pending = None
        if self._current is not None and (self._current_event is not None or self._current.code not in set(keep_live)):
            self._current, self._current_event, self._since_s = None, None, t_s

    def _take_events(self, t_s: float, events: Mapping[CueEvent, Sequence[Cue]]) -> None:
        """Keep the newest events' most important cue as the pending one (see the class rules)."""
        passed = [(ev, min(cues, key=_rank)) for ev, cues in events.items() if cues]
        for ev, _ in passed:
            self._newest_s = max(self._newest_s, self._first_seen_s.setdefault(ev, t_s))
        # Bounded state for a long live set: forget the events first seen longest ago (insertion order), never one
        # passed in now nor the pending one (whatever the clock did). An event passed in again only after
        # EVENTS_REMEMBERED newer ones would count as new; live passes each event when it finishes, not later.
        excess = len(self._first_seen_s) - EVENTS_REMEMBERED
        if excess > 0:
            keep = {ev for ev, _ in passed} | ({self._pending[0]} if self._pending else set())
            for ev in [e for e in self._first_seen_s if e not in keep][:excess]:
                del self._first_seen_s[ev]
        if self._newest_s <= self._done_s:
            return  # the newest events' feedback was given: nothing newer is waiting
        if self._pending is not None and self._first_seen_s[self._pending[0]] < self._newest_s:
            self._pending = None  # stale: a newer rep or hold has finished since
        for ev, top in passed:
            if self._first_seen_s[ev] == self._newest_s and (
                self._pending is None or _rank(top) < _rank(self._pending[1])
            ):
                self._pending = (ev, top)


def _rank(q: Cue) -> tuple[int, str]:
    return (q.priority, q.code)


def count_changes(shown: Sequence[Cue | None]) -> int:
    """How often the displayed cue code changes in a per-frame sequence (a flicker measure)."""
    codes = [None if q is None else q.code for q in shown]
    return sum(1 for a, b in zip(codes, codes[1:], strict=False) if a != b)
