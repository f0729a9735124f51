"""What the History page says about saved sessions: each session's heading (a plan's, the sets by exercise), the
plan items a filmed set fell short of, and which trend values a set's camera angle does not judge.

The words are the CLI's ``formcheck history`` words (:mod:`formcheck.history`): a count is "3 reps" or
"1 hold (20.0 s)" (:func:`~formcheck.history.count_words`), a short filmed set "partly done on video: 3 of 10 reps".
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from formcheck.engine import cuerules
from formcheck.engine.judgement import judged_config
from formcheck.engine.registry import find_spec
from formcheck.engine.viewjudged import not_judged_keys
from formcheck.history import (
    SetLine,
    hand_after_partly_words,
    partly_done,
    partly_words,
    read_saved,
    ticked_after_partly,
)
from formcheck.routine import Routine


def session_when(started_at: str) -> str:
    """ "2026-12-05 09:00" from the stored ISO time."""
    return started_at[:16].replace("T", " ")


def session_label(session: Any, lines: Sequence[SetLine]) -> str:
    """A session's one-line heading: when, what it was, how many sets and, per set, its exercise and count.

    "2026-12-05 09:00 · plan A · 2 sets · Glute bridge 3 reps, Split squat 6 reps": a session that ran a plan is
    named by it (its sets were uploaded, but it is not a lone "review"); the count is said per exercise, never a
    bridge's reps added to a lunge's ("9 reps"), and a plank's is its hold ("Plank 1 hold (20.0 s)").

    Args:
        session: the store's :class:`~formcheck.store.db.SessionRow`.
        lines: the session's sets as the history lists them (:func:`formcheck.history.set_line`), in order.
    """
    plan = getattr(session, "plan", None)
    what = f"plan {plan}" if plan else session.source
    n = session.n_sets
    parts = [session_when(session.started_at), what, f"{n} set{'s' if n != 1 else ''}"]
    counted = ", ".join(f"{line.title} {line.count}" for line in lines)
    return " · ".join([*parts, *([counted] if counted else [])])


def partly_lines(
    store: Any, routine: Routine, sessions: Sequence[Any], first: dt.date, last: dt.date
) -> tuple[dict[int, list[str]], list[str]]:
    """The plan items a filmed set fell short of, between two days, in the CLI history's words.

    Each item is shown under the first listed session that ran its plan on its day ("Glute bridge partly done on
    video: 3 of 10 reps", or "… ticked by hand after a set partly done on video: …" once ticked by hand); an item
    with no such session (its set filmed live, or the session deleted) is returned apart, with its day, so it is
    still shown.

    Returns:
        ``({session id: lines}, lines of items under no listed session)``.
    """
    items: list[tuple[str, str, str]] = []  # (day, plan, line)
    for found, words in ((partly_done(store, routine, first, last), partly_words),
                         (ticked_after_partly(store, routine, first, last), hand_after_partly_words)):  # fmt: skip
        for day, entries in found.items():
            items += [(day, e["plan"], f"{e['name']} {words(e['detail'])}") for e in entries]
    home: dict[tuple[str, str], int] = {}
    for s in sorted(sessions, key=lambda s: (s.started_at, s.id)):  # the day's first session of the plan
        if getattr(s, "plan", None):
            home.setdefault((s.started_at[:10], s.plan), s.id)
    under: dict[int, list[str]] = {}
    apart: list[str] = []
    for day, plan, line in items:
        sid = home.get((day, plan))
        if sid is None:
            apart.append(f"{day} · plan {plan} · {line}")
        else:
            under.setdefault(sid, []).append(line)
    return under, apart


def trend_not_judged(store: Any, rows: Sequence[Any], config: Any) -> dict[int, frozenset[str]]:
    """Per saved set (its id), the trend metrics whose value the set's camera angle does not judge.

    A set's trend value is its mean over reps; it is left out of the trend when any rep's number was marked
    "(not judged)" in the set's tables (:func:`formcheck.engine.viewjudged.not_judged_keys`, by the set's judged
    settings): an oblique bridge's "+11" top line must not be plotted as if it were judged. A set this version
    cannot read marks nothing (its trend values are the stored ones).

    Args:
        store: the history store.
        rows: saved sets (:class:`~formcheck.store.SetRow`).
        config: the active configuration; the sections each set was judged with win over it.
    """
    out: dict[int, frozenset[str]] = {}
    for row in rows:
        spec = find_spec(row.exercise)
        if spec is None:
            continue
        with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError):
            a = read_saved(store, row.id)
            if a is None:
                continue
            judged = judged_config(a, config)
            off: set[str] = set()
            for r in a.reps:
                off |= not_judged_keys(spec, cuerules.rep_values(r), "rep", a.quality.view, judged)
            if off:
                out[row.id] = frozenset(off)
    return out


def left_out_note(frame_values: Mapping[int, frozenset[str]], key: str, rows: Sequence[Any]) -> str:
    """What a trend chart says under it when sets were left out of it: "1 set left out: not judged from its
    camera angle"; "" when none was."""
    n = sum(key in frame_values.get(row.id, frozenset()) for row in rows)
    if not n:
        return ""
    return f"{n} set{'s' if n != 1 else ''} left out: not judged from {'its' if n == 1 else 'their'} camera angle"
