"""Schema v5: the checklist records how an item was ticked (on video / by hand); older ticks read as unknown."""

from __future__ import annotations

import sqlite3

import pytest

from formcheck.store import SCHEMA_VERSION, TICK_HOW, Store
from formcheck.store.schema import migrate


@pytest.mark.parametrize(
    ("done", "how", "stored"),
    [(True, "video", "video"), (True, "hand", "hand"), (True, None, None), (False, "hand", None)],
)
def test_set_check_keeps_how(tmp_path, done, how, stored):
    store = Store(tmp_path / "h.db")
    store.set_check("2026-12-07", "A", "bird_dog", done, how=how)
    (c,) = store.checks("2026-12-07", "2026-12-07")
    assert (c.done, c.how) == (done, stored)  # an unticked item has no "how"
    assert (c.done_at is not None) == done


def test_untick_clears_how_and_a_new_tick_replaces_it(tmp_path):
    store = Store(tmp_path / "h.db")
    store.set_check("2026-12-07", "B", "sphinx", True, how="video")
    store.set_check("2026-12-07", "B", "sphinx", False)
    assert [(c.done, c.how) for c in store.checks("2026-12-07", "2026-12-07")] == [(False, None)]
    store.set_check("2026-12-07", "B", "sphinx", True, how="hand")
    assert [(c.done, c.how) for c in store.checks("2026-12-07", "2026-12-07")] == [(True, "hand")]


@pytest.mark.parametrize("how", ["camera", "Video", ""])
def test_set_check_refuses_another_how(tmp_path, how):
    store = Store(tmp_path / "h.db")
    with pytest.raises(ValueError, match="how is one of"):
        store.set_check("2026-12-07", "A", "bird_dog", True, how=how)
    assert store.checks("2000-01-01", "2100-01-01") == []
    assert TICK_HOW == ("video", "hand")


def test_v4_ticks_survive_the_upgrade_with_how_unknown(tmp_path):
    path = tmp_path / "v4.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=4)
    conn.execute("INSERT INTO checklist (day, plan, item, done, done_at) VALUES "
                 "('2026-12-01', 'A', 'hip_hinge', 1, '2026-12-01T08:10:00+01:00'), "
                 "('2026-12-01', 'B', 'sphinx', 0, NULL)")  # fmt: skip
    conn.close()
    store = Store(path)
    assert store.version == SCHEMA_VERSION  # v4 -> v5 (how) -> v6 (detail of a partly done item)
    got = [(c.plan, c.item, c.done, c.done_at, c.how) for c in store.checks("2026-12-01", "2026-12-01")]
    assert got == [("A", "hip_hinge", True, "2026-12-01T08:10:00+01:00", None), ("B", "sphinx", False, None, None)]
