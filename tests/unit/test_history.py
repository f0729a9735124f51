"""formcheck.history: the history and checklist as the CLI and the app read them (a temporary store per test)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import sys
from pathlib import Path

import pytest

from formcheck.errors import UsageError
from formcheck.history import (
    UNREADABLE,
    adherence_words,
    checklist,
    day_adherence,
    item_keys,
    parse_day,
    partly_done,
    quiet_runs,
    quiet_words,
    recorded_days,
    set_lines,
    set_ticks,
)
from formcheck.routine import default_routine
from formcheck.store import Store
from formcheck.types import Analysis, Hold, Quality

sys.path.insert(0, str(Path(__file__).parent / "report"))
from fc_report_builders import make_analysis, rep_plan  # noqa: E402 - the report tests' builder

TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    monkeypatch.setenv("FORMCHECK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FORMCHECK_DB", str(tmp_path / "data" / "history.sqlite3"))
    monkeypatch.setenv("FORMCHECK_ROUTINE", str(tmp_path / "routine.toml"))
    return Store()


@pytest.fixture
def plan_b():
    return default_routine().plans["B"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [(None, TODAY), ("2026-12-05", dt.date(2026, 12, 5)), (" 2026-01-31 ", dt.date(2026, 1, 31))],
)
def test_parse_day(text, expected):
    assert parse_day(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["2026-13-01", "yesterday", "07/12/2026", ""])
def test_parse_day_refuses_what_is_not_a_date(text):
    with pytest.raises(UsageError, match="is not a date like 2026-12-07") as e:
        parse_day(text, today=TODAY)
    assert e.value.exit_code == 2


@pytest.mark.parametrize(
    ("given", "keys"),
    [(["sphinx"], ["sphinx"]), (["SPHINX", "knee_rocks"], ["sphinx", "knee_rocks"]),
     (["open_book,sphinx", "sphinx"], ["open_book", "sphinx"]), ([], [])],
)  # fmt: skip
def test_item_keys(plan_b, given, keys):
    assert item_keys(plan_b, given) == keys


def test_an_unknown_item_is_a_usage_error_listing_the_plan(plan_b):
    with pytest.raises(UsageError, match=r"Plan B has no item 'walk'\. Its items are: cat_camel \(Cat-camel\)"):
        item_keys(plan_b, ["walk"])


# -- ticking by hand ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "key", "status", "changed"),
    [
        (None, "knee_rocks", "ticked by hand", True),  # the camera does not check it: only a hand tick can
        (None, "sphinx", "ticked by hand", True),  # the camera checks it, but it was done without filming
        ("video", "sphinx", "checked on video", False),  # a filmed tick stays a filmed tick
        ("hand", "sphinx", "ticked by hand", False),
    ],
)
def test_tick_by_hand(store, plan_b, before, key, status, changed):
    if before is not None:
        store.set_check(TODAY, "B", key, True, how=before)
    (change,) = set_ticks(store, plan_b, TODAY, [key], today=TODAY)
    assert (change.key, change.done, change.changed) == (key, True, changed)
    items = {i.key: i for i in checklist(store, plan_b, TODAY)}
    assert items[key].ticked and items[key].status == status
    assert sum(i.ticked for i in items.values()) == 1  # nothing else ticked
    assert [c.item for c in store.checks(TODAY, TODAY) if c.done] == [key]


def test_untick_and_camera_words(store, plan_b):
    store.set_check(TODAY, "B", "sphinx", True, how="video")
    (change,) = set_ticks(store, plan_b, TODAY, untick=["sphinx"], today=TODAY)
    assert not change.done and change.changed
    items = {i.key: i for i in checklist(store, plan_b, TODAY)}
    assert not items["sphinx"].ticked and items["sphinx"].status == "not ticked"
    assert items["sphinx"].camera_words == "the camera can check it (Prone extension)"  # the title, not the key
    assert items["knee_rocks"].camera_words.startswith("not checked by the camera: ")
    (again,) = set_ticks(store, plan_b, TODAY, untick=["sphinx"], today=TODAY)
    assert not again.changed


@pytest.mark.parametrize(
    ("tick", "untick", "day", "message"),
    [
        (["walk"], [], TODAY, "has no item 'walk'"),
        (["sphinx"], ["sphinx"], TODAY, "tick and untick at once"),
        (["sphinx"], [], TODAY + dt.timedelta(days=1), "has not come yet"),
    ],
)
def test_bad_ticks_change_nothing(store, plan_b, tick, untick, day, message):
    with pytest.raises(UsageError, match=message):
        set_ticks(store, plan_b, day, tick, untick, today=TODAY)
    assert store.checks("2000-01-01", "2100-01-01") == []


def test_a_tick_from_before_the_history_recorded_how_reads_ticked(store, plan_b):
    with sqlite3.connect(store.path) as conn:  # as a version-4 history left it (how NULL)
        conn.execute("INSERT INTO checklist (day, plan, item, done, done_at) VALUES (?, 'B', 'sphinx', 1, ?)",
                     (TODAY.isoformat(), "2026-12-07T08:00:00+01:00"))  # fmt: skip
    items = {i.key: i for i in checklist(store, plan_b, TODAY)}
    assert items["sphinx"].ticked and items["sphinx"].how is None and items["sphinx"].status == "ticked"


# -- adherence ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ticked_b", "words", "plan"),
    [
        (["sphinx", "knee_rocks"], "B plan 2/5 items", None),
        (["cat_camel", "knee_rocks", "open_book", "sphinx", "seated_hinge"], "B plan done (5/5 items)", "B"),
        ([], "nothing ticked", None),
    ],
)
def test_adherence_per_day(store, ticked_b, words, plan):
    for key in ticked_b:
        store.set_check(TODAY, "B", key, True, how="hand")
    adh = day_adherence(store, default_routine(), TODAY - dt.timedelta(days=2), TODAY)
    assert [d.day for d in adh.days] == [TODAY - dt.timedelta(days=2), TODAY - dt.timedelta(days=1), TODAY]
    assert adh.days[-1].plan == plan and adherence_words(adh.days[-1]) == words
    assert adherence_words(adh.days[0]) == "nothing ticked"


# -- sets -----------------------------------------------------------------------------------------------------


def _plank(seconds: float) -> Analysis:
    hold = Hold(index=1, start_s=1.0, end_s=1.0 + seconds, in_band_s=seconds, metrics={})
    return Analysis(exercise="plank", reps=(), cues=(), quality=Quality(view="side", position="prone"),
                    holds=(hold,))  # fmt: skip


SUPINE = dataclasses.replace(make_analysis().quality, position="supine")

SET_CASES = [
    # (what was saved, count, the verdict's start) — the truth is in what the set was built with
    (make_analysis(rep_plan(3, {2: {"spine_flexion_est_deg": 25.0}})), "3 reps",
     "Keep your back long and bend from the hips — it rounded about 25° (rep 2)"),
    (make_analysis(rep_plan(2)), "2 reps", "nothing to correct"),
    (make_analysis(rep_plan(3), quality=SUPINE), "3 reps", "this set could not be judged as a hip hinge: it looks "
     "like a supine exercise"),
    (_plank(20.0), "1 hold (20.0 s)", "1 hold (20.0 s)"),  # no cue: the report's line for a hold without one
    (dataclasses.replace(_plank(20.0), holds=()), "0 holds", ""),  # nothing found: not "no reps found"
]  # fmt: skip


@pytest.mark.parametrize(("analysis", "count", "verdict"), SET_CASES)
def test_set_lines_say_what_was_counted_and_the_verdict(store, analysis, count, verdict):
    store.save_set(analysis, created_at="2026-12-05T09:02:00+01:00")
    (line,) = set_lines(store)
    assert line.day == dt.date(2026, 12, 5) and line.count == count and line.readable
    assert line.title == {"hinge": "Hip hinge", "plank": "Plank"}[analysis.exercise]
    assert line.verdict.startswith(verdict)


def test_an_unreadable_set_is_listed_as_such_and_the_others_are_not_affected(store):
    good = store.save_set(make_analysis(rep_plan(3)), created_at="2026-12-05T09:00:00+01:00")
    bad = store.save_set(make_analysis(rep_plan(2)), created_at="2026-12-05T09:10:00+01:00")
    with sqlite3.connect(store.path) as conn:  # what a future version might have written
        conn.execute("UPDATE sets SET analysis_json = ? WHERE id = ?", ('{"schema": "formcheck.analysis/99"}',
                                                                      bad.set_id))  # fmt: skip
    lines = {x.set_id: x for x in set_lines(store)}
    assert lines[good.set_id].readable and lines[good.set_id].verdict == "nothing to correct"
    assert not lines[bad.set_id].readable and lines[bad.set_id].verdict == UNREADABLE
    assert lines[bad.set_id].count == "2 reps"  # from the stored counts


@pytest.mark.parametrize(
    ("first", "last", "exercise", "expected"),
    [
        (None, None, None, ["hinge", "plank", "hinge"]),
        (dt.date(2026, 12, 6), None, None, ["plank", "hinge"]),
        (None, dt.date(2026, 12, 6), None, ["hinge", "plank"]),
        (None, None, "hinge", ["hinge", "hinge"]),
        (dt.date(2026, 12, 7), None, "plank", []),
    ],
)
def test_set_lines_by_day_and_exercise(store, first, last, exercise, expected):
    for when, a in (("2026-12-05T09:00:00+01:00", make_analysis(rep_plan(2))),
                    ("2026-12-06T09:00:00+01:00", _plank(12.0)),
                    ("2026-12-07T09:00:00+01:00", make_analysis(rep_plan(3)))):  # fmt: skip
        store.save_set(a, created_at=when)
    assert [x.exercise for x in set_lines(store, first=first, last=last, exercise=exercise)] == expected


@pytest.mark.parametrize(
    ("reps", "holds", "counts_holds", "held_s", "words"),
    [(3, 0, False, None, "3 reps"), (1, 0, False, None, "1 rep"), (0, 1, True, None, "1 hold"),
     (2, 1, True, None, "2 reps, 1 hold"), (0, 0, False, None, "0 reps"), (0, 0, True, None, "0 holds"),
     (0, 1, True, 6.04, "1 hold (6.0 s)"), (3, 2, True, 12.25, "3 reps, 2 holds (12.2 s)"),
     (0, 0, True, 0.0, "0 holds"), (4, 0, False, 0.0, "4 reps")],
)  # fmt: skip
def test_count_words(reps, holds, counts_holds, held_s, words):
    # A plank with no hold found is "0 holds", never "0 rep(s)"; the reports add the time held ("with seconds").
    from formcheck.history import count_words

    assert count_words(reps, holds, counts_holds=counts_holds, held_s=held_s) == words


def test_a_hold_exercise_with_nothing_found_prints_0_holds():
    import io

    from formcheck.cli import print_analysis
    from formcheck.history import counts_holds
    from formcheck.types import Analysis, Quality

    assert counts_holds("plank") and not counts_holds("hinge") and not counts_holds("from_a_newer_version")
    out = io.StringIO()
    print_analysis(Analysis("plank", (), (), Quality()), out)
    assert "0 holds" in out.getvalue() and "rep(s)" not in out.getvalue()


# An item partly done on a day and since removed from its plan: named in words, never by its key (review finding 9)
@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("hip_hinge", "hip hinge (no longer in plan A)"),  # a plan item key, not an exercise's name
        ("glute_bridge", "Glute bridge (no longer in plan A)"),  # names a registered exercise: its title
        ("my_old_stretch", "my old stretch (no longer in plan A)"),
    ],
)
def test_a_partly_done_item_no_longer_in_its_plan_is_named_in_words(store, key, name):
    routine = default_routine()
    a = routine.plans["A"]
    edited = dataclasses.replace(a, exercises=tuple(e for e in a.exercises if e.key != key))
    routine = dataclasses.replace(routine, plans={**routine.plans, "A": edited})
    store.set_partly(TODAY, "A", key, "3 of 8 reps")
    kept = edited.exercises[0]
    store.set_partly(TODAY, "A", kept.key, "1 of 8 reps")  # still in the plan: its own name, first
    ((first, gone),) = partly_done(store, routine, TODAY, TODAY).values()
    assert (first["item"], first["name"]) == (kept.key, kept.name)
    assert gone == {"plan": "A", "item": key, "name": name, "detail": "3 of 8 reps"}


# -- the days with nothing saved or ticked ------------------------------------------------------------------------


def _d(days_ago: int) -> dt.date:
    return TODAY - dt.timedelta(days=days_ago)


@pytest.mark.parametrize(
    ("first", "recorded", "runs"),
    [
        (6, [], [(6, 1), (0, 0)]),  # nothing at all: the past days as one run, today apart (still open)
        (6, [6, 5, 4, 3, 2, 1, 0], []),
        (6, [0], [(6, 1)]),
        (6, [6, 3], [(5, 4), (2, 1), (0, 0)]),
        (6, [5, 1], [(6, 6), (4, 2), (0, 0)]),  # a single day at the start
        (0, [], [(0, 0)]),
        (2, [9, 2], [(1, 1), (0, 0)]),  # a recorded day outside the period changes nothing
    ],
)
def test_quiet_runs(first, recorded, runs):
    got = quiet_runs(_d(first), TODAY, [_d(k) for k in recorded], TODAY)
    assert got == [(_d(a), _d(b)) for a, b in runs]


@pytest.mark.parametrize(
    ("first", "last", "words"),
    [
        (3, 3, "2026-12-04 Friday — nothing saved or ticked"),
        (6, 4, "2026-12-01 Tuesday to 2026-12-03 Thursday — nothing saved or ticked (3 days)"),
        (1, 0, "2026-12-06 Sunday to 2026-12-07 today — nothing saved or ticked (2 days)"),
        (0, 0, "2026-12-07 today — nothing saved or ticked yet"),
    ],
)
def test_quiet_words(first, last, words):
    assert quiet_words(_d(first), _d(last), TODAY) == words


def test_recorded_days_are_the_days_with_a_set_a_tick_or_a_short_set(store):
    store.save_set(make_analysis(rep_plan(2)), created_at=f"{_d(1).isoformat()}T09:00:00+01:00")
    store.save_set(make_analysis(rep_plan(2)), created_at=f"{_d(30).isoformat()}T09:00:00+01:00")  # before
    store.set_check(_d(2), "B", "sphinx", True, how="hand")
    store.set_check(_d(3), "A", "hip_hinge", True, how="video")
    store.set_check(_d(3), "A", "hip_hinge", False)  # ticked, then unticked: nothing ticked that day
    store.set_partly(_d(4), "A", "hip_hinge", "3 of 8 reps")
    store.set_check(_d(5), "A", "walk_gone", True, how="hand")  # an item no longer in any plan: still a tick
    assert recorded_days(store, _d(6), TODAY) == {_d(1), _d(2), _d(4), _d(5)}
