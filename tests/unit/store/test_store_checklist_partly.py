"""Schema v6: an item partly done on video (a short filmed set) is kept with what was done, but not as done.

The row is ``done = 0, how = 'partly', detail = '3 of 8 reps'``: everything that counts done items (a plan's
"5/5 items", the routine days, the streak) reads ``done`` and stays honest without knowing about it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from formcheck.errors import StorageError
from formcheck.routine import default_routine
from formcheck.store import PARTLY, SCHEMA_VERSION, Store
from formcheck.store.schema import migrate

DAY = "2026-12-07"


def row(store: Store, item: str = "hip_hinge"):
    (c,) = [c for c in store.checks(DAY, DAY) if c.item == item]
    return c.done, c.how, c.detail, c.partly


@pytest.mark.parametrize(
    ("before", "recorded", "after"),
    [
        (None, True, (False, PARTLY, "3 of 8 reps", True)),  # nothing that day: recorded, not done
        (("video",), False, (True, "video", None, False)),  # a full set earlier: stays done
        (("hand",), False, (True, "hand", None, False)),  # ticked by hand earlier: stays done
        ((None,), False, (True, None, None, False)),  # ticked before v5 (how unknown): stays done
        ("partly", True, (False, PARTLY, "3 of 8 reps", True)),  # an earlier short set: the later one's words
        ("unticked", True, (False, PARTLY, "3 of 8 reps", True)),
    ],
)
def test_set_partly_records_a_short_set_and_never_undoes_a_tick(tmp_path, before, recorded, after):
    store = Store(tmp_path / "h.db")
    if before == "partly":
        store.set_partly(DAY, "A", "hip_hinge", "1 of 8 reps")
    elif before == "unticked":
        store.set_check(DAY, "A", "hip_hinge", True, how="hand")
        store.set_check(DAY, "A", "hip_hinge", False)
    elif before is not None:
        store.set_check(DAY, "A", "hip_hinge", True, how=before[0])
    assert store.set_partly(DAY, "A", "hip_hinge", "3 of 8 reps") is recorded
    assert row(store) == after


@pytest.mark.parametrize(
    ("steps", "after"),
    [
        # the rest done unfilmed: ticked, the camera's count kept beside the tick (it was cleared)
        ([(True, "hand")], (True, "hand", "3 of 8 reps", False)),
        ([(True, "video")], (True, "video", None, False)),  # a full set filmed: the short one's words go
        ([(False, None)], (False, PARTLY, "3 of 8 reps", True)),  # unticking what was not ticked changes nothing
        ([(True, "hand"), (False, None)], (False, PARTLY, "3 of 8 reps", True)),  # the hand tick undone: partly again
        ([(True, "video"), (False, None)], (False, None, None, False)),
    ],
)
def test_a_hand_tick_keeps_the_partly_done_detail(tmp_path, steps, after):
    store = Store(tmp_path / "h.db")
    store.set_partly(DAY, "A", "hip_hinge", "3 of 8 reps")
    for done, how in steps:
        store.set_check(DAY, "A", "hip_hinge", done, how=how)
    assert row(store) == after


@pytest.mark.parametrize("day", ["2026-12-07", dt.date(2026, 12, 7)])
def test_set_check_and_set_partly_store_the_same_day_text(tmp_path, day):
    store = Store(tmp_path / "h.db")
    store.set_partly(day, "A", "hip_hinge", "3 of 8 reps")
    store.set_check(day, "A", "other", True, how="hand")
    assert sorted(c.day for c in store.checks(DAY, DAY)) == [DAY, DAY]
    for bad in ("7 Dec", "2026-13-01"):
        with pytest.raises(ValueError):
            store.set_check(bad, "A", "hip_hinge", True)
        with pytest.raises(ValueError):
            store.set_partly(bad, "A", "hip_hinge", "1 of 8 reps")


def test_a_partly_done_item_is_not_counted_as_done(tmp_path):
    from formcheck.history import day_adherence

    store = Store(tmp_path / "h.db")
    plan = default_routine().plans["B"]
    keys = [e.key for e in plan.exercises]
    for key in keys[:-1]:
        store.set_check(DAY, "B", key, True, how="hand")
    store.set_partly(DAY, "B", keys[-1], "3 of 8 reps")
    day = dt.date.fromisoformat(DAY)
    adh = day_adherence(store, default_routine(), day, day)
    (status,) = adh.days
    assert status.done["B"] == len(keys) - 1 and status.plan is None  # not "B plan done"
    assert (adh.days_complete, adh.streak) == (0, 0)


def v5_database(path):
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=5)
    conn.execute("INSERT INTO checklist (day, plan, item, done, done_at, how) VALUES "
                 "('2026-12-01', 'A', 'hip_hinge', 1, '2026-12-01T08:10:00+01:00', 'video'), "
                 "('2026-12-01', 'A', 'bird_dog', 1, '2026-12-01T08:20:00+01:00', 'hand'), "
                 "('2026-12-01', 'B', 'sphinx', 1, '2026-11-30T08:00:00+01:00', NULL), "
                 "('2026-12-01', 'B', 'cat_camel', 0, NULL, NULL)")  # fmt: skip
    conn.close()


def test_v5_ticks_survive_the_upgrade_to_v6(tmp_path):
    path = tmp_path / "v5.db"
    v5_database(path)
    store = Store(path)
    assert store.version == SCHEMA_VERSION == 6
    got = [(c.plan, c.item, c.done, c.done_at, c.how, c.detail, c.partly)
           for c in store.checks("2026-12-01", "2026-12-01")]  # fmt: skip
    assert got == [
        ("A", "bird_dog", True, "2026-12-01T08:20:00+01:00", "hand", None, False),
        ("A", "hip_hinge", True, "2026-12-01T08:10:00+01:00", "video", None, False),
        ("B", "cat_camel", False, None, None, None, False),
        ("B", "sphinx", True, "2026-11-30T08:00:00+01:00", None, None, False),
    ]
    assert store.set_partly("2026-12-01", "B", "cat_camel", "5 of 8 reps")  # the new column takes it
    assert store.set_partly("2026-12-01", "A", "hip_hinge", "3 of 8 reps") is False  # an old tick stays


def test_a_history_newer_than_v6_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "h.db"
    store = Store(path)
    store.set_partly(DAY, "A", "hip_hinge", "3 of 8 reps")
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StorageError, match="newer than this formcheck understands"):
        Store(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT done, how, detail FROM checklist").fetchall() == [(0, PARTLY, "3 of 8 reps")]
