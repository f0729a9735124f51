"""A filmed set ticks its checklist item "checked on video" only when it met the prescription (acceptance finding F2).

A set with 3 of the 8 reps prescribed was ticked as done. Now the tick goes by the session report's own comparison
(:func:`formcheck.session.compare_set`: reps counted of those prescribed, per side for items done on each side; the
longest hold of the seconds prescribed): a short set is recorded as partly done on video, with what was done, and
does not count as done; a hand tick or a later full set makes it done, and a short set never undoes a tick. The
store is a real SQLite file per test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

import pytest

from formcheck.history import checklist, set_ticks
from formcheck.routine import Exercise, Plan
from formcheck.session import PlanStep, SessionResult, SessionSet, compare_set, tick_checklist
from formcheck.store import PARTLY, Store
from formcheck.types import Hold

sys.path.insert(0, str(Path(__file__).parent / "report"))
from fc_report_builders import make_analysis, rep_plan  # noqa: E402 - the report tests' builder

DAY = dt.date(2026, 12, 5)
HINGE = Exercise("hip_hinge", "Hip hinge", 2, 8, "standing", "hinge", tempo="3-1-2-1")
BIRD_DOG = Exercise("bird_dog", "Bird-dog", 2, 8, "quadruped", "anti-extension", per_side=True, hold_s=3.0)
SIDE_PLANK = Exercise("side_plank", "Side plank", 2, 1, "side_lying", "lateral", hold_s=30.0)
SIDE_PLANK_EACH = dataclasses.replace(SIDE_PLANK, key="side_plank_each", per_side=True)
PLANK_NO_TIME = Exercise("plank", "Plank", 1, 1, "prone", "anti-extension")  # one hold, no seconds given
PALLOF_HOLD = Exercise("pallof", "Pallof press", 2, 1, "standing", "anti-rotation", hold_s=5.0)  # "a 5 s hold"


def reps(n: int, exercise: str = "hinge"):
    return make_analysis(rep_plan(n), exercise=exercise) if n else make_analysis([], exercise=exercise)


def sided(left: int, right: int, unknown: int = 0):
    """A bird-dog set: ``left`` reps on the left, ``right`` on the right, ``unknown`` whose side was not told."""
    sides = ["left"] * left + ["right"] * right + [None] * unknown
    rs = [dataclasses.replace(r, side=s) for r, s in zip(rep_plan(len(sides)), sides, strict=True)]
    return make_analysis(rs, exercise="bird_dog")


def held(*seconds: float, sides: tuple = (), exercise: str = "side_plank"):
    sides = sides or (None,) * len(seconds)
    holds, t = [], 1.0
    for i, (d, side) in enumerate(zip(seconds, sides, strict=True), 1):
        holds.append(Hold(i, t, t + d, d, side=side))
        t += d + 5.0
    return dataclasses.replace(make_analysis([], exercise=exercise), holds=tuple(holds))


def pressed(*held_s: float):
    """A Pallof press set: one rep per press, each held out ``held_s`` (its ``hold_s`` metric, as the analyzer
    records it; NaN: not measured); no holds, as the analyzer counts reps."""
    rs = [dataclasses.replace(r, metrics={**r.metrics, "hold_s": h}) for r, h in zip(rep_plan(len(held_s)), held_s,
                                                                                     strict=True)]  # fmt: skip
    return make_analysis(rs, exercise="pallof_press")


def result(item: Exercise, *analyses, per_set: bool = False) -> SessionResult:
    sets = tuple(SessionSet(PlanStep(item, "x", i if per_set else 0), f"c{i}.mp4", a)
                 for i, a in enumerate(analyses, 1))  # fmt: skip
    return SessionResult(Plan("A", "A plan", (item,)), sets, ())


CASES = [
    # (case, item, analyses, done (ticked "checked on video"), what a partly done item keeps)
    ("all reps", HINGE, [reps(8)], True, None),
    ("more reps than prescribed", HINGE, [reps(10)], True, None),
    ("short: 3 of 8", HINGE, [reps(3)], False, "3 of 8 reps"),
    ("one rep", HINGE, [reps(1)], False, "1 of 8 reps"),
    ("per side, both full", BIRD_DOG, [sided(8, 8)], True, None),
    ("per side, one side short", BIRD_DOG, [sided(8, 3)], False, "8 left, 3 right of 8 reps per side"),
    ("per side, the acceptance set", BIRD_DOG, [sided(2, 1)], False, "2 left, 1 right of 8 reps per side"),
    ("per side, a side not told counts for the shorter", BIRD_DOG, [sided(8, 7, 1)], True, None),
    ("per side, sides not told: the total of 16", BIRD_DOG, [sided(0, 0, 3)], False,
     "3 in all (sides not told apart) of 16 reps (8 per side)"),
    ("hold: the full 30 s", SIDE_PLANK, [held(30.0)], True, None),
    ("hold: within half a second", SIDE_PLANK, [held(29.6)], True, None),
    ("hold short: 12 of 30 s", SIDE_PLANK, [held(12.0)], False, "held 12 s of 30 s"),
    ("hold short: the longest of several", SIDE_PLANK, [held(8.0, 12.0)], False, "held 12 s of 30 s"),
    ("hold per side, one side short", SIDE_PLANK_EACH, [held(30.0, 12.0, sides=("left", "right"))], False,
     "held 30 s left, 12 s right of 30 s per side"),
    ("no time prescribed: any hold", PLANK_NO_TIME, [held(25.0, exercise="plank")], True, None),
    # a hold item checked by an analyzer that counts reps: the presses' holds, never "no hold of 5 s"
    ("a press held out: its longest hold", PALLOF_HOLD, [pressed(3.0, 5.2)], True, None),
    ("a press held out short", PALLOF_HOLD, [pressed(3.0, 2.5)], False, "held 3 s of 5 s"),
    ("every set filmed, all full", HINGE, [reps(8), reps(8)], True, None),
    ("every set filmed, the second short", HINGE, [reps(8), reps(3)], False, "set 1: 8 of 8 reps; set 2: 3 of 8 reps"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "item", "analyses", "done", "partly"), CASES, ids=[c[0] for c in CASES])
def test_done_only_when_the_filmed_sets_meet_the_prescription(case, item, analyses, done, partly):
    r = result(item, *analyses, per_set=len(analyses) > 1)
    assert all(s.counted for s in r.sets)  # judged as the item, reps or holds found: as before
    assert r.items_done() == ([item.key] if done else [])
    assert r.items_partly() == ([] if done else [(item.key, partly)])
    assert r.not_done() == []  # a short set is not "not counted": it is partly done
    # the tick and the session report agree: a set is short exactly when the report says what to work on
    shorts = [bool(compare_set(s).short_of) for s in r.sets]
    assert (not any(shorts)) == done
    data = r.to_json_dict()
    assert [s["prescription_met"] for s in data["sets"]] == [not sh for sh in shorts]
    assert data["items_partly"] == ([] if done else [{"item": item.key, "done": partly}])


def test_a_press_whose_hold_was_not_measured_says_so_not_no_hold():
    """A Pallof press item prescribed as one 5 s hold, filmed with 2 presses whose hold time is unknown: the analyzer
    counts reps, never holds, so "no hold of 5 s" / "No hold was found" would be wrong; it is not measured."""
    c = compare_set(result(PALLOF_HOLD, pressed(float("nan"), float("nan"))).sets[0])
    assert (c.done, c.short_of, c.met) == ("2 reps, hold not measured", "", None)
    assert c.note == "Prescribed for this set: a 5 s hold. How long the reps were held could not be measured."


def test_no_time_prescribed_reads_as_held_in_the_report():
    """A hold item with no seconds was compared as "0 of 1 rep" (short, "Do all 1 rep"): there is nothing to fall
    short of, so the report says what was held and praises nothing missing."""
    s = result(PLANK_NO_TIME, held(25.0, exercise="plank")).sets[0]
    c = compare_set(s)
    done, note, short = c.done, c.note, c.short_of
    assert (done, short) == ("held 25 s", "")
    assert "You held 25 s; no time is prescribed for the hold." in note


@pytest.mark.parametrize(
    ("why", "analysis"),
    [
        ("no rep found", reps(0)),
        ("another position", dataclasses.replace(reps(3), quality=dataclasses.replace(reps(3).quality,
                                                                                      position="supine"))),
    ],
)  # fmt: skip
def test_a_set_not_counted_is_neither_done_nor_partly_done(why, analysis):
    r = result(HINGE, analysis)
    assert r.items_done() == [] and r.items_partly() == [] and len(r.not_done()) == 1


def test_a_failed_set_beside_a_short_one_is_not_partly_done():
    r = result(HINGE, reps(3), None, per_set=True)
    assert r.items_partly() == [] and r.items_done() == [] and len(r.not_done()) == 1


# -- the checklist, in a real store ---------------------------------------------------------------------------------

PLAN = Plan("A", "A plan", (HINGE,))


class Meta:  # the session report's header: the session's time dates the tick
    session_at = dt.datetime(2026, 12, 5, 9, 30)


def _film(store: Store, n_reps: int):
    return tick_checklist(result(HINGE, reps(n_reps)), store, Meta(), today=DAY)


def _hand(store: Store):
    return set_ticks(store, PLAN, DAY, ["hip_hinge"], today=DAY)


STEPS = {"full": lambda st: _film(st, 8), "short": lambda st: _film(st, 3), "shorter": lambda st: _film(st, 5),
         "hand": _hand}  # fmt: skip


@pytest.mark.parametrize(
    ("steps", "stored", "status"),
    [
        (["short"], (False, PARTLY, "3 of 8 reps"), "partly done on video: 3 of 8 reps"),
        # the rest was done unfilmed: ticked, and what the camera counted stays beside the tick
        (
            ["short", "hand"],
            (True, "hand", "3 of 8 reps"),
            "ticked by hand after a set partly done on video: 3 of 8 reps",
        ),
        (
            ["short", "hand", "shorter"],
            (True, "hand", "3 of 8 reps"),
            "ticked by hand after a set partly done on video: 3 of 8 reps",
        ),  # a later short set does not undo it
        (["short", "full"], (True, "video", None), "checked on video"),
        (["full", "short"], (True, "video", None), "checked on video"),  # a short set does not undo a tick
        (["hand", "short"], (True, "hand", None), "ticked by hand"),
        (["short", "shorter"], (False, PARTLY, "5 of 8 reps"), "partly done on video: 5 of 8 reps"),
        (["full"], (True, "video", None), "checked on video"),
    ],
)
def test_the_checklist_after_filmed_and_hand_ticks(tmp_path, steps, stored, status):
    store = Store(tmp_path / "h.db")
    for step in steps:
        got = STEPS[step](store)
    (c,) = store.checks(DAY, DAY)
    assert (c.done, c.how, c.detail) == stored
    (item,) = checklist(store, PLAN, DAY)
    assert (item.ticked, item.status) == (stored[0], status)
    if steps[-1] == "short":
        (p,) = got.partly
        assert got.ticked == () and (p.key, p.detail) == ("hip_hinge", "3 of 8 reps")
        assert p.stays_ticked == stored[0] and p.how == (stored[1] if stored[0] else None)
        assert p.words == "partly done on video (3 of 8 reps)"


def test_the_tick_is_on_the_reports_day(tmp_path):
    store = Store(tmp_path / "h.db")
    t = _film(store, 3)
    assert t.day == DAY and [c.day for c in store.checks("2000-01-01", "2100-01-01")] == [DAY.isoformat()]
