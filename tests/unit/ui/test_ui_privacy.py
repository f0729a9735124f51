"""Delete-my-data removes every kind of stored data."""

from __future__ import annotations

from formcheck.routine import default_routine, save_routine
from formcheck.store import Store
from formcheck.types import Analysis, Quality, Rep
from formcheck.ui.privacy import delete_my_data


def test_delete_my_data_removes_everything(tmp_path):
    store = Store(tmp_path / "h.db")
    rep = Rep(1, 0, 1, 2, 1, 0, 1, 0, 2, 40.0)
    store.save_set(Analysis("hinge", (rep,), (), Quality()))
    store.add_note("n")
    store.set_check("2025-01-01", "A", "hip_hinge", True)
    routine = save_routine(default_routine(), tmp_path / "routine.toml")
    cache = tmp_path / "cache" / "poses"
    cache.mkdir(parents=True)
    (cache / "a.npz").write_bytes(b"x")
    review = tmp_path / "review-tmp"
    review.mkdir()
    (review / "v.mp4").write_bytes(b"x")
    done = delete_my_data(store, routine, cache, (review,))
    assert done == [
        "history (1 set, 1 note, 1 checklist entry)",
        "your edited plans",
        "pose cache (1 files)",
        "temporary review files",
    ]
    assert set(store.counts().values()) == {0}
    assert not routine.exists() and not cache.exists() and not review.exists()
    assert delete_my_data(store, routine, cache) == ["history (0 sets, 0 notes, 0 checklist entries)"]
