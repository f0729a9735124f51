"""A routine session: the A or B plan done as a sequence of sets, each checked by its own analyzer.

The plan's items that the camera checks (:func:`formcheck.routine.camera_check`) are filmed in plan order; the other
items are a checklist tick. Clips are matched to the checkable items in order, either **one clip per item** (a set
of each) or **one clip per set** (every set of every checkable item filmed); any other count is a
:class:`~formcheck.errors.PlanMismatchError` that lists what the plan expects. Each set is analysed with its item's
analyzer and the item's prescribed tempo, and the sets make one session report
(:func:`formcheck.report.write_session_report`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formcheck.config import Config, parse_tempo
from formcheck.errors import FormcheckError, PlanMismatchError
from formcheck.routine import CameraCheck, Exercise, Plan, camera_check
from formcheck.types import Analysis

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


def step_config(step: PlanStep, config: Config) -> Config:
    """``config`` with the item's prescription for its analyzer: tempo, hold and seconds per rep.

    * ``tempo`` ("3-1-2-1") becomes ``target_tempo_s`` as written.
    * Without a tempo, ``rep_s`` scales the analyzer's own ``target_tempo_s`` to that many seconds per rep (the
      phases keep their proportions), and ``hold_s`` sets its second phase, which every rep analyzer times as the
      pause or hold at the far end of the rep (bird-dog: hold at full reach).
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
            changes["target_tempo_s"] = parse_tempo(item.tempo)
        elif item.rep_s > 0 or item.hold_s > 0:
            phases = [float(t) for t in tempo]
            if item.rep_s > 0 and sum(phases) > 0:
                phases = [t * item.rep_s / sum(phases) for t in phases]
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
    def counted(self) -> bool:
        """The analyzer found at least one rep or hold in it."""
        a = self.analysis
        return a is not None and bool(a.reps or getattr(a, "holds", ()))


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

    def items_done(self) -> list[str]:
        """Keys of the filmed items whose every filmed set was analysed with a rep or hold found, plan order."""
        by_item: dict[str, list[SessionSet]] = {}
        for s in self.sets:
            by_item.setdefault(s.step.item.key, []).append(s)
        return [e.key for e in self.plan.exercises if e.key in by_item and all(s.counted for s in by_item[e.key])]

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
                    "analysis": s.analysis.to_json_dict() if s.analysis is not None else None,
                }
                for s in self.sets
            ],
            "not_checked": [{"item": c.key, "name": c.name, "why": c.why} for c in self.unchecked],
            "items_done": self.items_done(),
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
    "SCHEMA",
    "PlanStep",
    "SessionResult",
    "SessionSet",
    "checkable_steps",
    "match_clips",
    "not_checked_note",
    "run_session",
    "step_config",
]
