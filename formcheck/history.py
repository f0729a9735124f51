"""The history and the daily checklist as plain records: one reading for the CLI and the app.

The CLI's ``history`` and ``checklist`` commands and the app's History and Routine pages read the store through
these functions, so they list the same sets with the same verdict and count the same routine days:

* :func:`set_lines` — saved sets with the exercise's title, what was counted ("8 reps", "1 hold (20.0 s)") and the
  set's one verdict, the report's "focus next" (:func:`formcheck.report.content.focus_next_text`) under the settings
  the set was judged with (:func:`formcheck.engine.judgement.judged_config`): nothing is judged again with today's
  settings. A set this version cannot read is listed as unreadable, and the others are not affected.
* :func:`checklist` / :func:`set_ticks` — one day's checklist of a plan: each item, ticked or not, how it was ticked
  (checked on video or ticked by hand) or partly done on video (a short filmed set, not ticked: "3 of 8 reps"), and
  whether the camera checks it.
* :func:`day_adherence` — the routine adherence per day (:func:`formcheck.routine.adherence` over the stored ticks).
* :func:`quiet_runs` / :func:`quiet_words` — the days with nothing saved or ticked, in runs ("2026-12-03 Thursday to
  2026-12-09 Wednesday — nothing saved or ticked (7 days)"): the routine is daily (A or B every day, the calendar
  file repeats it daily), so every day of a period is a routine day and a day with nothing is shown, not skipped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from formcheck.errors import UsageError
from formcheck.routine import PLAN_KEYS, Adherence, DayStatus, Plan, Routine, adherence, camera_check
from formcheck.types import Analysis

UNREADABLE = ("Unreadable: this saved set could not be read by this version of formcheck, so its reps are not shown. "
              "The other sets are not affected.")  # fmt: skip
HOW_WORDS = {"video": "checked on video", "hand": "ticked by hand", None: "ticked"}  # None: ticked before v5


def exercise_title(name: str) -> str:
    """The exercise's title ("Hip hinge"); a name this version does not know as it is, with spaces."""
    from formcheck.engine.registry import title

    return title(name)


def read_saved(store: Any, set_id: int) -> Analysis | None:
    """The saved analysis of a set, or None when this version cannot read it (saved by another version, damaged).

    One unreadable row must not take down a page or a listing: the caller says "Unreadable" for that set only.
    """
    try:
        return store.analysis(set_id)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def parse_day(text: str | None, what: str = "--day", *, today: dt.date | None = None) -> dt.date:
    """A calendar day given as ``YYYY-MM-DD`` (None: today).

    Raises:
        UsageError: not a date like 2026-12-07.
    """
    today = today or dt.date.today()
    if text is None:
        return today
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as e:
        raise UsageError(f"{what} {text!r} is not a date like {today.isoformat()}.") from e


def day_words(day: dt.date, today: dt.date | None = None) -> str:
    """ "today, Monday 7 December 2026", "Sunday 6 December 2026"."""
    words = f"{day:%A} {day.day} {day:%B %Y}"
    return f"today, {words}" if day == (today or dt.date.today()) else words


# -- sets -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetLine:
    """One saved set as the history lists it.

    Attributes:
        set_id: the set's id in the store.
        session_id: its session.
        created_at: when it was saved (ISO local time).
        day: its calendar day.
        exercise: the exercise's name (analyzer key).
        title: the exercise's title for people.
        count: what was counted, in words ("8 reps", "1 hold (20.0 s)", "0 holds").
        verdict: the set's one verdict, as the report's "focus next" says it; :data:`UNREADABLE` when unreadable.
        readable: False when this version could not read the saved analysis.
    """

    set_id: int
    session_id: int
    created_at: str
    day: dt.date
    exercise: str
    title: str
    count: str
    verdict: str
    readable: bool = True

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "set_id": self.set_id, "session_id": self.session_id, "created_at": self.created_at,
            "day": self.day.isoformat(), "exercise": self.exercise, "title": self.title, "count": self.count,
            "verdict": self.verdict, "readable": self.readable,
        }  # fmt: skip


def count_words(n_reps: int, n_holds: int, *, counts_holds: bool = False, held_s: float | None = None) -> str:
    """ "8 reps", "1 hold", "2 reps, 1 hold": what a set holds (a plank's hold is not "0 reps"); nothing at all is
    "0 holds" for an exercise that counts holds (``counts_holds``), else "0 reps". With ``held_s`` (the holds' total
    time) the holds read "1 hold (6.0 s)", as the reports say. The one count of the CLI, the history, the app and the
    reports (:func:`formcheck.report.content.count_text` gives it for an analysis)."""
    if not n_reps and not n_holds:
        return "0 holds" if counts_holds else "0 reps"
    parts = [f"{n_reps} rep{'s' if n_reps != 1 else ''}"] if n_reps else []
    if n_holds:
        secs = f" ({held_s:.1f} s)" if held_s is not None else ""
        parts.append(f"{n_holds} hold{'s' if n_holds != 1 else ''}{secs}")
    return ", ".join(parts)


def counts_holds(exercise: str) -> bool:
    """The exercise counts holds, not reps (a plank; :attr:`ExerciseSpec.counts_holds`); False for an exercise this
    version does not know."""
    from formcheck.engine.registry import find_spec

    spec = find_spec(exercise)
    return spec is not None and spec.counts_holds


def set_line(store: Any, row: Any, config: Any = None) -> SetLine:
    """One stored set (a :class:`~formcheck.store.SetRow`) as the history lists it.

    Args:
        store: the history store.
        row: the set's row from ``store.sets()``.
        config: the active configuration (defaults when None); the sections the set was judged with win over it.
    """
    from formcheck.engine.judgement import judged_config
    from formcheck.report.content import count_text, focus_next_text

    day = dt.date.fromisoformat(row.created_at[:10])
    a = read_saved(store, row.id)
    count = count_words(row.n_reps, row.n_holds, counts_holds=counts_holds(row.exercise))
    verdict, readable = UNREADABLE, False
    if a is not None:  # a set saved by another version that reads but cannot be judged stays "Unreadable"
        with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError):
            verdict, count, readable = focus_next_text(a, judged_config(a, config)), count_text(a), True
    return SetLine(row.id, row.session_id, row.created_at, day, row.exercise, exercise_title(row.exercise), count,
                   verdict, readable)  # fmt: skip


def set_lines(
    store: Any,
    *,
    first: dt.date | None = None,
    last: dt.date | None = None,
    exercise: str | None = None,
    config: Any = None,
) -> list[SetLine]:
    """Saved sets between two days (inclusive; None = no bound), oldest first, optionally one exercise's."""
    out = []
    for row in store.sets(exercise=exercise):
        day = dt.date.fromisoformat(row.created_at[:10])
        if (first is None or day >= first) and (last is None or day <= last):
            out.append(set_line(store, row, config))
    return out


# -- checklist ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    """One item of a plan's checklist on one day.

    Attributes:
        key: the item's key (what ``--tick`` takes).
        name: its name.
        dose: the prescription in words ("2 × 8 (3-1-2-1)").
        camera: the title of the analyzer that checks it on camera, "" when the camera does not.
        why_not: why the camera does not check it ("" when it does).
        ticked: ticked that day.
        how: ``"video"``, ``"hand"`` or None (not ticked, or ticked before the history recorded how).
        partly: not ticked, but a filmed set of it fell short of the prescription that day (``detail`` says what
            was done); it does not count as done.
        detail: what the short set did ("3 of 8 reps"): for an item ``partly`` done, and for one ticked by hand
            after a short filmed set (the camera's count stays beside the tick); "" otherwise.
    """

    key: str
    name: str
    dose: str
    camera: str
    why_not: str
    ticked: bool
    how: str | None = None
    partly: bool = False
    detail: str = ""

    @property
    def status(self) -> str:
        """ "checked on video", "ticked by hand", "ticked", "partly done on video: 3 of 8 reps" or "not ticked";
        an item partly done on video, then ticked by hand: "ticked by hand after a set partly done on video: 3 of 8
        reps"."""
        if self.ticked:
            said = HOW_WORDS.get(self.how, "ticked")
            return hand_after_partly_words(self.detail) if self.detail and self.how == "hand" else said
        return partly_words(self.detail) if self.partly else "not ticked"

    @property
    def camera_words(self) -> str:
        # "can check": a hand tick beside it must not read as if the camera had checked it too
        return (
            f"the camera can check it ({self.camera})" if self.camera else f"not checked by the camera: {self.why_not}"
        )

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "name": self.name, "dose": self.dose, "ticked": self.ticked, "how": self.how,
            "partly": self.partly, "detail": self.detail or None, "status": self.status,
            "camera_checks": bool(self.camera), "camera": self.camera, "why_not": self.why_not,
        }  # fmt: skip


def checklist(store: Any, plan: Plan, day: dt.date) -> list[ChecklistItem]:
    """The plan's checklist on ``day``, in plan order."""
    ticks = {c.item: c for c in store.checks(day, day) if c.plan == plan.key}
    out = []
    for e in plan.exercises:
        cam = camera_check(e)
        tick = ticks.get(e.key)
        done = tick is not None and tick.done
        partly = tick is not None and tick.partly
        by_hand = done and tick.how == "hand"  # ticked after a short filmed set: what the camera saw stays
        out.append(ChecklistItem(e.key, e.name, e.dose(), exercise_title(cam.analyzer) if cam.checked else "",
                                 "" if cam.checked else cam.why, done, tick.how if done else None, partly,
                                 (tick.detail or "") if partly or by_hand else ""))  # fmt: skip
    return out


def partly_words(detail: str | None) -> str:
    """ "partly done on video: 3 of 8 reps" (an item not ticked: its filmed set fell short of the prescription)."""
    from formcheck.session import PARTLY_WORDS

    return f"{PARTLY_WORDS}: {detail}" if detail else PARTLY_WORDS


def hand_after_partly_words(detail: str | None) -> str:
    """ "ticked by hand after a set partly done on video: 3 of 8 reps" (a short filmed set, the rest done unfilmed
    and ticked by hand: the tick counts, the camera's count stays beside it)."""
    return f"{HOW_WORDS['hand']} after a set {partly_words(detail)}"


def former_item_name(plan: str, key: str) -> str:
    """A readable name for an item key no longer in ``plan`` (the plan was edited since): the exercise's title when
    the key names one ("Hip hinge"), else the key in words, and that it left the plan ("hip hinge (no longer in
    plan A)"); never the raw key ("hip_hinge")."""
    return f"{exercise_title(key)} (no longer in plan {plan})"


def partly_done(store: Any, routine: Routine, first: dt.date, last: dt.date) -> dict[str, list[dict[str, Any]]]:
    """Items partly done on video per day (ISO day -> ``{"plan", "item", "name", "detail"}``, plan A then B, each in
    plan order), between two days inclusive: not ticked, so not in the days' done counts, but shown with what was
    done. An item no longer in its plan comes after the plan's items, named in words (:func:`former_item_name`)."""
    return _named_checks(store, routine, first, last, lambda c: c.partly)


def ticked_after_partly(store: Any, routine: Routine, first: dt.date, last: dt.date) -> dict[str, list[dict[str, Any]]]:
    """Items ticked by hand after a filmed set of them fell short, per day, as :func:`partly_done` gives them: in the
    days' done counts (the rest was done unfilmed), with what the camera counted ("3 of 8 reps")."""
    return _named_checks(store, routine, first, last, lambda c: c.done and c.how == "hand" and bool(c.detail))


def _named_checks(
    store: Any, routine: Routine, first: dt.date, last: dt.date, pick: Callable[[Any], bool]
) -> dict[str, list[dict[str, Any]]]:
    place = {(k, e.key): i for k, p in routine.plans.items() for i, e in enumerate(p.exercises)}
    names = {(k, e.key): e.name for k, p in routine.plans.items() for e in p.exercises}
    picked = [c for c in store.checks(first, last) if pick(c)]
    picked.sort(key=lambda c: (c.day, c.plan, place.get((c.plan, c.item), len(place)), c.item))
    out: dict[str, list[dict[str, Any]]] = {}
    for c in picked:
        name = names.get((c.plan, c.item)) or former_item_name(c.plan, c.item)
        out.setdefault(c.day, []).append({"plan": c.plan, "item": c.item, "name": name, "detail": c.detail})
    return out


def item_keys(plan: Plan, keys: Iterable[str]) -> list[str]:
    """The plan's item keys for the keys given (case does not matter), in the order given, each once.

    Raises:
        UsageError: a key the plan does not have (the message lists the plan's items).
    """
    known = {e.key.lower(): e.key for e in plan.exercises}
    out: list[str] = []
    for k in keys:
        for part in str(k).split(","):  # "--tick walk,breathing" as well as "--tick walk breathing"
            part = part.strip()
            if not part:
                continue
            if part.lower() not in known:
                listed = ", ".join(f"{e.key} ({e.name})" for e in plan.exercises)
                raise UsageError(f"Plan {plan.key} has no item {part!r}. Its items are: {listed}.",
                                 hint="Use the short id before the brackets.")  # fmt: skip
            if known[part.lower()] not in out:
                out.append(known[part.lower()])
    return out


@dataclass(frozen=True)
class TickChange:
    """What ticking or unticking one item did (``done`` False: unticked)."""

    key: str
    name: str
    done: bool
    changed: bool
    how: str | None


def set_ticks(
    store: Any,
    plan: Plan,
    day: dt.date,
    tick: Sequence[str] = (),
    untick: Sequence[str] = (),
    *,
    today: dt.date | None = None,
) -> list[TickChange]:
    """Tick and untick items of ``plan`` by hand on ``day``.

    An item already ticked stays as it was (a tick from a filmed set keeps saying "checked on video"); any item may be
    ticked by hand, also one the camera checks (the exercise was done but not filmed).

    Raises:
        UsageError: an unknown item, the same item to tick and untick, or a day that has not come yet.
    """
    ticks, unticks = item_keys(plan, tick), item_keys(plan, untick)
    both = sorted(set(ticks) & set(unticks))
    if both:
        raise UsageError(f"{', '.join(both)}: asked to tick and untick at once; choose one.")
    today = today or dt.date.today()
    if ticks and day > today:
        raise UsageError(f"{day.isoformat()} has not come yet: only a day that has passed (or today) can be ticked.")
    before = {c.key: c for c in checklist(store, plan, day)}
    names = {e.key: e.name for e in plan.exercises}
    out = []
    for key in ticks:
        was = before[key]
        if not was.ticked:
            store.set_check(day, plan.key, key, True, how="hand")
        out.append(TickChange(key, names[key], True, not was.ticked, was.how if was.ticked else "hand"))
    for key in unticks:
        was = before[key]
        if was.ticked:
            store.set_check(day, plan.key, key, False)
        out.append(TickChange(key, names[key], False, was.ticked, None))
    return out


# -- adherence ------------------------------------------------------------------------------------------------


def day_adherence(store: Any, routine: Routine, first: dt.date, last: dt.date) -> Adherence:
    """Routine adherence per day between two days (inclusive), from the stored ticks of the plans as they are now."""
    return adherence(store.checks(first, last), routine, first, last)


def adherence_window_start(today: dt.date) -> dt.date:
    """The first day the History page counts adherence and the streak from: the Monday 12 weeks back."""
    return today - dt.timedelta(days=today.weekday() + 7 * 11)


def current_streak(store: Any, routine: Routine, today: dt.date | None = None) -> int:
    """Days in a row with a plan done, ending today, as the History page counts it (over
    :func:`adherence_window_start`): the same number whatever window a listing shows."""
    today = today or dt.date.today()
    return day_adherence(store, routine, adherence_window_start(today), today).streak


QUIET_WORDS = "nothing saved or ticked"  # what is known of such a day: not "missed" (it may have been done unrecorded)


def recorded_days(store: Any, first: dt.date, last: dt.date) -> set[dt.date]:
    """The days between two days (inclusive) with something in the history: a set saved (any exercise), an item
    ticked (also one no longer in its plan) or an item partly done on video."""
    days = {dt.date.fromisoformat(row.created_at[:10]) for row in store.sets()}
    days |= {dt.date.fromisoformat(c.day) for c in store.checks(first, last) if c.done or c.partly}
    return {d for d in days if first <= d <= last}


def quiet_runs(
    first: dt.date, last: dt.date, recorded: Iterable[dt.date], today: dt.date | None = None
) -> list[tuple[dt.date, dt.date]]:
    """The days between two days (inclusive) with nothing saved or ticked, as runs of days in a row
    ``(first day, last day)``, oldest first. Today is a run of its own: it is still open ("… yet").

    Args:
        first: the period's first day.
        last: its last day.
        recorded: the days with something in the history (:func:`recorded_days`).
        today: today (default: the date now).
    """
    today = today or dt.date.today()
    busy = set(recorded)
    runs: list[tuple[dt.date, dt.date]] = []
    d = first
    while d <= last:
        if d not in busy:
            if runs and runs[-1][1] == d - dt.timedelta(days=1) and today not in (d, runs[-1][1]):
                runs[-1] = (runs[-1][0], d)
            else:
                runs.append((d, d))
        d += dt.timedelta(days=1)
    return runs


def quiet_words(first: dt.date, last: dt.date, today: dt.date | None = None) -> str:
    """A run of days with nothing saved or ticked (:func:`quiet_runs`) in the history's words: "2026-12-04 Friday —
    nothing saved or ticked", "2026-12-01 Tuesday to 2026-12-03 Thursday — nothing saved or ticked (3 days)",
    "2026-12-07 today — nothing saved or ticked yet"."""
    today = today or dt.date.today()

    def day(d: dt.date) -> str:
        return f"{d.isoformat()} {'today' if d == today else f'{d:%A}'}"

    if first == last:
        return f"{day(first)} — {QUIET_WORDS}{' yet' if first == today else ''}"
    return f"{day(first)} to {day(last)} — {QUIET_WORDS} ({(last - first).days + 1} days)"


def adherence_words(status: DayStatus) -> str:
    """ "A plan done (5/5 items)", "A plan 3/5 items · B plan 1/4 items", "nothing ticked"."""
    parts = []
    for key in PLAN_KEYS:
        done, total = status.done.get(key, 0), status.total.get(key, 0)
        if status.plan == key:
            parts.append(f"{key} plan done ({done}/{total} items)")
        elif done:
            parts.append(f"{key} plan {done}/{total} items")
    return " · ".join(parts) or "nothing ticked"


__all__ = [
    "HOW_WORDS",
    "QUIET_WORDS",
    "UNREADABLE",
    "ChecklistItem",
    "SetLine",
    "TickChange",
    "adherence_words",
    "checklist",
    "day_adherence",
    "day_words",
    "exercise_title",
    "hand_after_partly_words",
    "item_keys",
    "parse_day",
    "partly_done",
    "partly_words",
    "quiet_runs",
    "quiet_words",
    "read_saved",
    "recorded_days",
    "set_line",
    "set_lines",
    "set_ticks",
    "ticked_after_partly",
]
