"""A routine session: the A or B plan done as a sequence of sets, each checked by its own analyzer.

The plan's items that the camera checks (:func:`formcheck.routine.camera_check`) are filmed in plan order; the other
items are a checklist tick. Clips are matched to the checkable items in order, either **one clip per item** (a set
of each) or **one clip per set** (every set of every checkable item filmed); any other count is a
:class:`~formcheck.errors.PlanMismatchError` that lists what the plan expects. Each set is analysed with its item's
analyzer and the item's prescribed tempo, and the sets make one session report
(:func:`formcheck.report.write_session_report`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formcheck.config import Config, parse_tempo
from formcheck.engine.spec import number
from formcheck.errors import FormcheckError, PlanMismatchError
from formcheck.routine import CameraCheck, Exercise, Plan, camera_check
from formcheck.types import Analysis, Hold

SCHEMA = "formcheck.session/1"


@dataclass(frozen=True)
class PlanStep:
    """One set to film and check.

    Attributes:
        item: the plan item.
        analyzer: the registered analyzer that checks it.
        set_no: which set of the item (1-based); 0 when one clip stands for the item (all its sets).
    """

    item: Exercise
    analyzer: str
    set_no: int = 0

    @property
    def label(self) -> str:
        """``Split squat, set 2 of 2`` (or just the name for one clip per item)."""
        if self.set_no == 0 or self.item.sets == 1:
            return self.item.name
        return f"{self.item.name}, set {self.set_no} of {self.item.sets}"


def checkable_steps(
    plan: Plan, *, per_set: bool = False, items: Sequence[str] | None = None, specs: Sequence[Any] | None = None
) -> list[PlanStep]:
    """The plan's sets the camera checks, in plan order.

    Args:
        plan: the plan.
        per_set: one step per set of each item (else one per item).
        items: only these item keys, in this order (default: every checkable item in plan order).
        specs: exercise specs to match against (default: the registry's).

    Raises:
        PlanMismatchError: ``items`` names an item the plan does not have, or one the camera does not check.
    """
    checks = {c.key: c for c in (camera_check(e, specs) for e in plan.exercises)}
    by_key = {e.key: e for e in plan.exercises}
    if items is None:
        chosen = [e for e in plan.exercises if checks[e.key].checked]
    else:
        chosen = []
        for key in items:
            if key not in by_key:
                raise PlanMismatchError(f"Plan {plan.key} has no item {key!r}.",
                                        hint=f"Its items are: {', '.join(by_key)}.")  # fmt: skip
            if not checks[key].checked:
                raise PlanMismatchError(f"{by_key[key].name} is not checked by the camera: {checks[key].why}")
            chosen.append(by_key[key])
    steps = []
    for e in chosen:
        sets = range(1, e.sets + 1) if per_set else (0,)
        steps.extend(PlanStep(e, checks[e.key].analyzer, n) for n in sets)
    return steps


def match_clips(
    plan: Plan, clips: Sequence[Any], *, items: Sequence[str] | None = None, specs: Sequence[Any] | None = None
) -> list[tuple[PlanStep, Any]]:
    """Pair clips with the plan's checkable sets in order: one clip per item, or one per set.

    Raises:
        PlanMismatchError: the plan has nothing the camera checks, or the number of clips fits neither way.
    """
    per_item = checkable_steps(plan, items=items, specs=specs)
    if not per_item:
        raise PlanMismatchError(f"Nothing in plan {plan.key} is checked by the camera, so there is nothing to film.",
                                hint="Tick its items in the app's Routine page instead.")  # fmt: skip
    per_set = checkable_steps(plan, per_set=True, items=items, specs=specs)
    if len(clips) == len(per_item):
        return list(zip(per_item, clips, strict=True))
    if len(clips) == len(per_set):
        return list(zip(per_set, clips, strict=True))
    expected = "; ".join(f"{s.item.key} ({s.analyzer}, {s.item.sets} set{'s' if s.item.sets != 1 else ''})"
                         for s in per_item)  # fmt: skip
    counts = f"{len(per_item)}" if len(per_item) == len(per_set) else f"{len(per_item)} (one per item) or "
    counts += "" if len(per_item) == len(per_set) else f"{len(per_set)} (one per set)"
    raise PlanMismatchError(
        f"Plan {plan.key} has {len(per_item)} item(s) the camera checks, in this order: {expected}. "
        f"Got {len(clips)} clip(s); give {counts}.",
        hint="Or name the items the clips are of with --items KEY,KEY.",
    )


TEMPO_STEP_S = 0.5  # a scaled phase under 2 s is rounded to half seconds ("over 1.5 s")
TEMPO_WHOLE_FROM_S = 2.0  # from 2 s on, to whole seconds: nobody follows "over 2.5 s" while moving slowly


def followable_s(seconds: float) -> float:
    """A phase time a person can follow: half seconds under 2 s, whole seconds from 2 s; a phase that is there
    stays at least half a second (0 stays 0)."""
    if seconds <= 0:
        return 0.0
    if seconds >= TEMPO_WHOLE_FROM_S - TEMPO_STEP_S / 2:
        return float(max(round(seconds), TEMPO_WHOLE_FROM_S))
    return max(TEMPO_STEP_S, round(seconds / TEMPO_STEP_S) * TEMPO_STEP_S)


def step_config(step: PlanStep, config: Config) -> Config:
    """``config`` with the item's prescription for its analyzer: tempo, hold and seconds per rep.

    * ``tempo`` ("3-1-2-1") becomes ``target_tempo_s`` as written.
    * Without a tempo, ``rep_s`` scales the analyzer's own ``target_tempo_s`` to that many seconds per rep (the
      phases keep their proportions), and ``hold_s`` sets its second phase, which every rep analyzer times as the
      pause or hold at the far end of the rep (bird-dog: hold at full reach). Scaled phases are rounded to what a
      person can follow (:func:`followable_s`: half seconds under 2 s, whole seconds from 2 s), so a 5 s cat-camel
      is 1.5-1-2-1, not 1.36-0.91-1.82-0.91; the rounded rep may be up to about a second off ``rep_s``.
    * ``hold_s`` also sets ``hold_min_s`` where the analyzer has one (Pallof press: seconds the arms stay out).
    * Hold analyzers (plank, side plank, sphinx) are left alone: their ``min_hold_s`` is how long a still body must
      be in the band before it counts as a hold at all, not a target, so a 20 s plan hold must not make a 19 s
      hold vanish from the report.
    """
    item = step.item
    section = config.exercise_config(step.analyzer)
    if getattr(section, "min_hold_s", None) is not None:
        return config
    changes: dict[str, object] = {}
    tempo = getattr(section, "target_tempo_s", None)
    if tempo is not None:
        if item.tempo:
            changes["target_tempo_s"] = parse_tempo(item.tempo, max_phase_s=None)  # as stored: no new-input ceiling
        elif item.rep_s > 0 or item.hold_s > 0:
            phases = [float(t) for t in tempo]
            if item.rep_s > 0 and sum(phases) > 0:
                phases = [followable_s(t * item.rep_s / sum(phases)) for t in phases]
            if item.hold_s > 0:
                phases[1] = float(item.hold_s)
            changes["target_tempo_s"] = tuple(phases)
    if item.hold_s > 0 and getattr(section, "hold_min_s", None) is not None:
        changes["hold_min_s"] = float(item.hold_s)
    return config.replace_exercise(step.analyzer, **changes) if changes else config


@dataclass(frozen=True)
class SessionSet:
    """One filmed set of a session: its plan step, where it came from, and its analysis or why it has none."""

    step: PlanStep
    source: str
    analysis: Analysis | None = None
    error: str = ""
    exit_code: int = 0

    @property
    def not_judged(self) -> str:
        """Why the set was not judged as the prescribed exercise, in plain words; "" when it was (or failed).

        A set the position check withheld (a bridge filmed for a standing hip hinge) or that the analyzer refused
        has no form numbers for the item, so it is not the item done.
        """
        a = self.analysis
        if a is None:
            return ""
        from formcheck.engine.quality import position_mismatch, position_words
        from formcheck.engine.registry import find_spec

        spec = find_spec(a.exercise)
        name = self.step.item.name
        other = find_spec(str(getattr(a.quality, "recognised_as", "") or ""))  # recognition: another exercise
        if other is not None and spec is not None and other.name != spec.name:
            what = other.title.lower()
            what = ("an " if what[:1] in "aeiou" else "a ") + what
            return f"this set looks like {what}, not the {name.lower()}, so it was not judged as that exercise"
        if spec is not None and position_mismatch(a.quality, spec.positions):
            want = " or ".join(position_words(p) for p in spec.positions)
            return (f"this set looks like a {position_words(a.quality.position)} exercise, not the {name.lower()} "
                    f"(done {want}), so it was not judged as that exercise")  # fmt: skip
        if a.summary.get("refused", False):
            return f"this set could not be measured as the {name.lower()}" + (f" ({a.quality.warnings[-1]})"
                                                                   if a.quality.warnings else "")  # fmt: skip
        return ""

    @property
    def other_position(self) -> str:
        """Plain words when the set was clearly filmed in another body position than its plan item's ("" when not,
        when the position is unknown, or when the set was not judged at all).

        An analyzer that checks several positions (a hip hinge standing, seated or kneeling) judges the set in the
        position it was done in, so its numbers stand; but a standing hinge is not the seated hinge prescribed, and
        it is not ticked as that item.
        """
        a = self.analysis
        if a is None or self.not_judged:
            return ""
        from formcheck.engine.quality import position_words

        done, want = str(a.quality.position or ""), self.step.item.position.value
        if done in ("", "unknown") or done == want:
            return ""
        return (f"it was filmed {position_words(done)}, and the plan's {self.step.item.name.lower()} is done "
                f"{position_words(want)}")  # fmt: skip

    @property
    def counted(self) -> bool:
        """The analyzer found at least one rep or hold in it, judged as the prescribed exercise in its position."""
        a = self.analysis
        return (a is not None and bool(a.reps or getattr(a, "holds", ())) and not self.not_judged
                and not self.other_position)  # fmt: skip

    def why_not_counted(self) -> str:
        """Plain words for why this set does not count as the item done ("" when it does)."""
        if self.analysis is None:
            return f"it could not be analysed ({self.error.rstrip('.')})" if self.error else "it was not analysed"
        if self.not_judged:
            return self.not_judged
        if self.other_position:
            return self.other_position
        if not self.counted:
            return "no repetition or hold was found in it"
        return ""


@dataclass(frozen=True)
class SessionResult:
    """A plan done as a session: the filmed sets and the items the camera does not check."""

    plan: Plan
    sets: tuple[SessionSet, ...]
    unchecked: tuple[CameraCheck, ...]

    @property
    def analyses(self) -> list[Analysis]:
        return [s.analysis for s in self.sets if s.analysis is not None]

    @property
    def failed(self) -> tuple[SessionSet, ...]:
        return tuple(s for s in self.sets if s.analysis is None)

    def _by_item(self) -> dict[str, list[SessionSet]]:
        by_item: dict[str, list[SessionSet]] = {}
        for s in self.sets:
            by_item.setdefault(s.step.item.key, []).append(s)
        return by_item

    def items_done(self) -> list[str]:
        """Keys of the filmed items done as prescribed, plan order: every filmed set of the item was analysed as
        that exercise with a rep or hold found (:attr:`SessionSet.counted`) and met its prescription as the session
        report compares it (:func:`compare_set`: 8 of 8 reps, the full 20 s hold)."""
        by_item = self._by_item()
        return [e.key for e in self.plan.exercises
                if e.key in by_item and all(s.counted and compare_set(s).met for s in by_item[e.key])]  # fmt: skip

    def items_partly(self) -> list[tuple[str, str]]:
        """(item key, what was done) for each filmed item partly done, plan order: every filmed set of it counted,
        but one or more fell short of the prescription. What was done is the report's Done column ("3 of 8 reps",
        "held 12 s of 30 s"), with each set's number when several sets of the item were filmed."""
        out, by_item = [], self._by_item()
        for e in self.plan.exercises:
            sets = by_item.get(e.key, [])
            if not sets or not all(s.counted for s in sets):
                continue
            compared = [(s, compare_set(s)) for s in sets]
            if all(c.met for _, c in compared):
                continue
            if len(sets) == 1:
                out.append((e.key, compared[0][1].done))
            else:
                out.append((e.key, "; ".join(f"set {s.step.set_no or i}: {c.done}"
                                             for i, (s, c) in enumerate(compared, 1))))  # fmt: skip
        return out

    def not_done(self) -> list[tuple[str, str]]:
        """(item name, why) for each filmed item that is not ticked: the first of its sets that does not count."""
        out = []
        for e in self.plan.exercises:
            for s in (s for s in self.sets if s.step.item.key == e.key):
                why = s.why_not_counted()
                if why:
                    out.append((e.name, why))
                    break
        return out

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "plan": self.plan.key,
            "title": self.plan.title,
            "sets": [
                {
                    "item": s.step.item.key,
                    "name": s.step.item.name,
                    "analyzer": s.step.analyzer,
                    "set": s.step.set_no or None,
                    "source": s.source,
                    "error": s.error or None,
                    "counted": s.counted,  # judged as the item (what --tick goes by, with prescription_met)
                    "why_not_counted": s.why_not_counted() or None,
                    "prescription_met": compare_set(s).met if s.counted else None,  # False: a short set
                    "analysis": s.analysis.to_json_dict() if s.analysis is not None else None,
                }
                for s in self.sets
            ],
            "not_checked": [{"item": c.key, "name": c.name, "why": c.why} for c in self.unchecked],
            "items_done": self.items_done(),
            "items_partly": [{"item": k, "done": d} for k, d in self.items_partly()],
        }


def run_session(
    plan: Plan,
    clips: Sequence[Any],
    analyse: Callable[[Any, PlanStep, Config], Analysis],
    config: Config | None = None,
    *,
    items: Sequence[str] | None = None,
    specs: Sequence[Any] | None = None,
    on_set: Callable[[SessionSet], None] | None = None,
) -> SessionResult:
    """Analyse each clip with its plan item's analyzer, in plan order.

    A clip that cannot be analysed (unreadable, nobody in view, another position) is recorded with its error and
    the session goes on: the other sets still make the report.

    Args:
        plan: the plan done.
        clips: one per checkable item or per checkable set (see :func:`match_clips`); anything ``analyse`` reads.
        analyse: ``(clip, step, config) -> Analysis`` for one set.
        config: the base configuration (each set gets its item's tempo on top).
        items: only these item keys (see :func:`checkable_steps`).
        specs: exercise specs to match against (default: the registry's).
        on_set: called with each set once analysed (for progress output).

    Raises:
        PlanMismatchError: the clips do not fit the plan.
    """
    cfg = config or Config()
    pairs = match_clips(plan, clips, items=items, specs=specs)
    done = []
    for step, clip in pairs:
        source = Path(clip).name if isinstance(clip, str | Path) else str(getattr(clip, "name", clip))
        try:
            analysis = analyse(clip, step, step_config(step, cfg))
        except FormcheckError as e:
            s = SessionSet(step, source, None, str(e), e.exit_code)
        else:
            s = SessionSet(step, source, analysis)
        done.append(s)
        if on_set is not None:
            on_set(s)
    checks = (camera_check(e, specs) for e in plan.exercises)
    return SessionResult(plan, tuple(done), tuple(c for c in checks if not c.checked))


def _secs(x: float) -> str:
    return f"{x:.0f} s" if x >= 10 or float(x).is_integer() else f"{x:.1f} s"


def _reps_done(analysis: Analysis, item: Exercise) -> tuple[int, int, str, str, str]:
    """(reps counted, reps prescribed, what was counted, the prescription short and long) of one set: e.g.
    ``(4, 6, "5 left, 4 right", "6 per side", "6 reps per side")``.

    For an item done on each side the side with fewer reps is compared with the reps per side ("5 left, 6 right"
    of "6 per side"). A rep whose side the analyzer did not tell (``side`` None) could be either, so it is given to
    the side with fewer: the set is called short only when it is short whatever side those reps were on. When the
    analyzer tells no side at all, the total is compared with reps × 2 ("10 in all of 12 reps (6 per side)"),
    never with the per-side number.
    """
    reps = analysis.reps
    many = "s" if item.reps != 1 else ""
    if not item.per_side:
        return len(reps), item.reps, str(len(reps)), str(item.reps), f"{item.reps} rep{many}"
    left = sum(r.side == "left" for r in reps)
    right = sum(r.side == "right" for r in reps)
    unknown = len(reps) - left - right
    if left == right == 0:
        return (unknown, 2 * item.reps, f"{unknown} in all (sides not told apart)",
                f"{2 * item.reps} ({item.reps} per side)", f"{2 * item.reps} reps ({item.reps} per side)")  # fmt: skip
    words = f"{left} left, {right} right" + (f", {unknown} side not told" if unknown else "")
    for _ in range(unknown):  # each unknown-side rep to the side with fewer: the benefit of the doubt
        if left <= right:
            left += 1
        else:
            right += 1
    return min(left, right), item.reps, words, f"{item.reps} per side", f"{item.reps} rep{many} per side"


def _longest_holds(holds: Sequence[Any], per_side: bool) -> tuple[float, str, str]:
    """(the longest hold judged, the side it is on ("" = not per side), words for what was held).

    For an item held on each side the longest hold of each side is found and the shorter side is judged ("20 s
    left, 8 s right" → 8 s, right). A hold whose side was not told could be either: it counts for the side whose
    longest is shorter. When no hold has a side (the analyzer does not tell them), the longest hold is judged.
    """
    longest = max(h.duration_s for h in holds)
    sided = [h for h in holds if h.side in ("left", "right")]
    if not per_side or not sided:
        return longest, "", _secs(longest)
    best = {side: max((h.duration_s for h in sided if h.side == side), default=0.0) for side in ("left", "right")}
    for h in holds:
        if h.side is None:
            short = min(best, key=lambda k: best[k])
            best[short] = max(best[short], h.duration_s)
    words = ", ".join(f"{_secs(best[k])} {k}" if best[k] > 0 else f"none {k}" for k in ("left", "right"))
    short = "left" if best["left"] <= best["right"] else "right"
    return best[short], short, words


@dataclass(frozen=True)
class Compared:
    """One analysed set against its item's prescription (:func:`compare_set`).

    Attributes:
        done: the report's Done column ("3 of 8 reps", "held 12 s of 30 s", "not counted").
        note: the prescription and what was done, in a sentence.
        short_of: what to work on when the set fell short ("" when it did not).
        met: the set did what was prescribed for one set (True), fell short of it (False), or was not judged as
            the item, so there is nothing to compare (None).
    """

    done: str
    note: str
    short_of: str
    met: bool | None


def compare_set(s: SessionSet) -> Compared:
    """One analysed set against its item's prescription: the session report's words and whether it was met.

    The session report (:func:`report_lines`) and the checklist tick (:meth:`SessionResult.items_done`) both go
    by this one comparison. A hold is compared by its longest hold (per side for items held on each side: the
    shorter side); reps by the count (per side for items done on each side: the side with fewer, see
    :func:`_reps_done`). A hold item with no seconds prescribed (one hold, no time) has nothing to compare: any hold
    found meets it. A hold item ("a 5 s hold") checked by an analyzer that counts reps (a Pallof press: each press
    is held, :attr:`formcheck.types.Rep.hold_s`) is compared by its reps' holds, never "no hold".
    """
    a, e = s.analysis, s.step.item
    if a is None:
        return Compared("", "", "", None)
    side = " per side" if e.per_side else ""
    holds = getattr(a, "holds", ())
    told = f"Prescribed for this set: {e.prescription(one_set=True)}."
    if s.not_judged:  # plain words in the Done column too: the count is not the item done
        return Compared("not counted", f"{told} Not counted: {s.not_judged}.", "", None)
    if s.other_position:  # judged as done (its cues stand), but not the prescribed variant
        return Compared("not counted", f"{told} Not counted: {s.other_position}.", "", None)
    if e.reps == 1 and e.hold_s > 0 and not holds and a.reps and not _counts_holds(a.exercise):
        holds = _rep_holds(a)  # each rep's hold is the hold prescribed (a Pallof press held out)
        if not holds:  # unclear: said so, neither met nor short
            n = len(a.reps)
            held = "the rep was" if n == 1 else "the reps were"
            return Compared(f"{n} rep{'s' if n != 1 else ''}, hold not measured",
                            f"{told} How long {held} held could not be measured.", "", None)  # fmt: skip
    if e.reps == 1 and e.hold_s <= 0 and holds and not a.reps:  # one hold, no seconds: nothing to fall short of
        _, _, held_words = _longest_holds(holds, e.per_side)
        return Compared(f"held {held_words}", f"{told} You held {held_words}; no time is prescribed for the hold.",
                        "", True)  # fmt: skip
    if e.reps == 1 and e.hold_s > 0:  # a hold item: its seconds are the prescription
        if not holds:
            return Compared(f"no hold of {_secs(e.hold_s)}", f"{told} No hold was found in this clip.", "", False)
        longest, on, held_words = _longest_holds(holds, e.per_side)
        done = f"held {held_words} of {_secs(e.hold_s)}{side}"
        if on:
            held = f"You held {held_words} (the longest on each side)"
        else:
            held = f"You held {held_words}" + (" at the longest" if len(holds) > 1 else "")
        where = f" on the {on} side" if on else ""
        if longest + 0.5 < e.hold_s:  # half a second of slack: the hold's start and end are read from motion
            note = f"{told} {held}: {_secs(e.hold_s - longest)} short of the {_secs(e.hold_s)}{where}."
            return Compared(done, note, f"Hold for the full {_secs(e.hold_s)}{where} — this time {_secs(longest)}.",
                            False)  # fmt: skip
        return Compared(done, f"{told} {held}: the full {_secs(e.hold_s)}{side}.", "", True)
    n, target, counted, of, of_reps = _reps_done(a, e)
    done = f"{counted} of {of_reps}"
    were = "was" if counted == "1" else "were"
    if n < target:
        note = f"{told} Counted: {counted}, {target - n} short of the {of}."
        return Compared(done, note, f"Do all {of_reps} — {counted} {were} counted this time.", False)
    return Compared(done, f"{told} Counted: {counted}, the full set.", "", True)


def _counts_holds(exercise: str) -> bool:
    """Whether the analyzer counts holds (a plank), not reps; True for one this version does not know."""
    from formcheck.engine.registry import find_spec

    spec = find_spec(exercise)
    return spec is None or spec.counts_holds


def _rep_holds(a: Analysis) -> tuple[Hold, ...]:
    """Each rep's measured hold (:attr:`Rep.hold_s`, else its ``hold_s`` metric) as a hold on the rep's side."""
    out = []
    for r in a.reps:
        held = r.hold_s if math.isfinite(r.hold_s) else number(r.metrics.get("hold_s"))
        if math.isfinite(held):
            out.append(Hold(r.index, r.start_s, r.start_s + held, held, side=r.side))
    return tuple(out)


def report_lines(result: SessionResult) -> list[Any]:
    """The session's sets for :func:`formcheck.report.write_session_report`, in order: each analysed set with its
    prescription compared, and each clip filmed but not analysed with the plain reason."""
    from formcheck.report.meta import SessionLine

    out = []
    for s in result.sets:
        if s.analysis is None:
            why = s.error or "it could not be read"
            out.append(SessionLine(None, s.step.label, "filmed, not analysed",
                                   f"Filmed ({s.source}) but not analysed: {why}"))  # fmt: skip
            continue
        c = compare_set(s)
        out.append(SessionLine(s.analysis, s.step.label, c.done, c.note, c.short_of))
    return out


def session_meta(result: SessionResult, meta: Any = None, ticked: Sequence[str] = ()) -> Any:
    """The session report's header data: ``meta`` with the note on the items the camera did not check, and the
    session's time from the first analysed video's recording time when none was given.

    The checklist tick uses the same time (:func:`tick_day`), so the history and the report name the same day.
    """
    import dataclasses

    from formcheck.report.meta import ReportMeta

    meta = meta or ReportMeta()
    # formcheck's own line, under its own heading: not the therapist's notes
    meta = dataclasses.replace(meta, plan_note=not_checked_note(result.unchecked, ticked))
    first = next((a.video.path for a in result.analyses if a.video is not None), None)
    return meta.with_session_from(first)


def tick_day(meta: Any, today: dt.date | None = None) -> dt.date:
    """The checklist day of a session: the day its report names (:func:`session_meta`), else today; never a day
    still to come (a mistyped ``--session-time`` or a camera's wrong clock): today then, as the checklist refuses
    to tick a future day by hand too (:func:`future_session_day`: the CLI says so)."""
    today = today or dt.date.today()
    when = getattr(meta, "session_at", None)
    return min(when.date(), today) if when is not None else today


def future_session_day(meta: Any, today: dt.date | None = None) -> dt.date | None:
    """The session's date when it is after ``today`` (its tick goes on today's checklist instead), else None."""
    when = getattr(meta, "session_at", None)
    return when.date() if when is not None and when.date() > (today or dt.date.today()) else None


LIVE_SOURCE = "live camera"  # a set the app's Live page recorded: already in the history when the plan run saves


def save_sets(result: SessionResult, store: Any, meta: Any, today: dt.date | None = None) -> int:
    """Save the session's analysed sets to the history as one session (the CLI's ``session --save`` and the app's
    plan run), dated as the report (:func:`session_meta`) so the history lists them on the day the checklist is
    ticked (:func:`tick_day`); a date still to come saves them now. A set from the live camera is already saved.

    Returns:
        How many sets were saved.
    """
    sets = [s for s in result.sets if s.analysis is not None and s.source != LIVE_SOURCE]
    if not sets:
        return 0
    when = getattr(meta, "session_at", None)
    if when is not None and when.date() != tick_day(meta, today):
        when = None  # a future date: now, as the tick goes on today's checklist
    stamp = when.isoformat(timespec="seconds") if when is not None else None
    sid = store.start_session(source="review", plan=result.plan.key, started_at=stamp)
    for s in sets:  # the file's name only, never the video or where it was kept
        store.save_set(s.analysis, session_id=sid, video_name=Path(str(s.source)).name, created_at=stamp)
    return len(sets)


PARTLY_WORDS = "partly done on video"  # an item whose filmed set fell short of its prescription: not ticked


@dataclass(frozen=True)
class PartlyDone:
    """A filmed item partly done (:meth:`SessionResult.items_partly`), as the checklist got it.

    Attributes:
        key: the item's key.
        name: its name.
        detail: what was done ("3 of 8 reps").
        stays_ticked: it was already ticked that day (a full set, or by hand), and stays so: a short set does not
            undo a tick. False: recorded as partly done, not ticked.
        how: how it was already ticked (``"video"``, ``"hand"``, None = not recorded) when ``stays_ticked``.
    """

    key: str
    name: str
    detail: str
    stays_ticked: bool = False
    how: str | None = None

    @property
    def words(self) -> str:
        """ "partly done on video (3 of 8 reps)"."""
        return f"{PARTLY_WORDS} ({self.detail})"


@dataclass(frozen=True)
class Ticked:
    """What :func:`tick_checklist` did: the day, the items ticked and the items partly done."""

    day: dt.date
    ticked: tuple[str, ...]
    partly: tuple[PartlyDone, ...]


def tick_checklist(
    result: SessionResult, store: Any, meta: Any, today: dt.date | None = None, hand: Sequence[str] = ()
) -> Ticked:
    """Tick the checklist for a session (the CLI's ``session --tick`` and the app's plan run), on the day the
    report names (:func:`tick_day`).

    The items done as prescribed (:meth:`SessionResult.items_done`) are ticked "checked on video"; ``hand`` (items
    the camera does not check, ticked in the app) "ticked by hand". An item partly done (a short set) is not ticked:
    it is recorded as partly done on video with what was done, so the plan's done count, the routine days and the
    streak count it as not done, unless it was already ticked that day (it then stays ticked).
    """
    day = tick_day(meta, today)
    key = result.plan.key
    names = {e.key: e.name for e in result.plan.exercises}
    before = {c.item: c for c in store.checks(day, day) if c.plan == key}
    ticked = [*result.items_done(), *(k for k in hand if k)]
    for item in ticked:
        store.set_check(day, key, item, True, how="hand" if item in hand else "video")
    partly = []
    for item, detail in result.items_partly():
        recorded = store.set_partly(day, key, item, detail)
        was = before.get(item)
        partly.append(PartlyDone(item, names[item], detail, not recorded,
                                 was.how if not recorded and was is not None else None))  # fmt: skip
    return Ticked(day, tuple(ticked), tuple(partly))


def write_report(
    result: SessionResult, outs: Sequence[Path], *, config: Config | None = None, meta: Any = None
) -> list[Path]:
    """Write the session report (HTML/PDF) as the plan saw it: every filmed set with its prescription compared
    (:func:`report_lines`), also the clips filmed but not analysed. The CLI's ``session`` command and the app's plan
    run both write it here. ``meta`` should come from :func:`session_meta`.
    """
    from formcheck.report import write_session_report

    return write_session_report(result.analyses, outs, config=config, meta=meta, lines=report_lines(result))


def not_checked_note(unchecked: Sequence[CameraCheck], ticked: Sequence[str] = ()) -> str:
    """A line for the session report on the items the camera did not check (and which of them were ticked)."""
    if not unchecked:
        return ""
    done = [c.name for c in unchecked if c.key in set(ticked)]
    rest = [c.name for c in unchecked if c.key not in set(ticked)]
    parts = []
    if done:
        parts.append("Also done, not checked by the camera: " + ", ".join(done) + ".")
    if rest:
        parts.append("Not checked by the camera: " + ", ".join(rest) + ".")
    return " ".join(parts)


__all__ = [
    "PARTLY_WORDS",
    "SCHEMA",
    "Compared",
    "PartlyDone",
    "PlanStep",
    "SessionResult",
    "SessionSet",
    "Ticked",
    "checkable_steps",
    "compare_set",
    "match_clips",
    "followable_s",
    "not_checked_note",
    "report_lines",
    "run_session",
    "session_meta",
    "step_config",
    "tick_checklist",
    "tick_day",
    "write_report",
]
