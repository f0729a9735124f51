"""Delete-my-data: everything formcheck keeps about the user, in one call."""

from __future__ import annotations

import shutil
from pathlib import Path

from formcheck.store import Store


def delete_my_data(store: Store, routine_file: Path, pose_cache: Path, extra_dirs: tuple[Path, ...] = ()) -> list[str]:
    """Empty the history database and remove the edited routine, the pose cache and temporary review folders.

    Args:
        store: the history store (its rows are deleted and the file compacted; the file itself stays so other
            open sessions keep working).
        routine_file: the saved plans (defaults come back).
        pose_cache: folder of cached pose landmarks.
        extra_dirs: e.g. the current review's temporary folder.

    Returns:
        What was removed, in plain words, for the confirmation message.
    """
    done = []
    counts = store.counts()
    store.delete_all()
    # Checklist rows are ticks and partly-done items alike (schema v6): "entries", not "ticks".
    words = ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in (
        (counts["sets"], "set", "sets"), (counts["notes"], "note", "notes"),
        (counts["checklist"], "checklist entry", "checklist entries")))  # fmt: skip
    done.append(f"history ({words})")
    if routine_file.exists():
        routine_file.unlink()
        done.append("your edited plans")
    if pose_cache.exists():
        n = sum(1 for p in pose_cache.rglob("*") if p.is_file())
        shutil.rmtree(pose_cache, ignore_errors=True)
        done.append(f"pose cache ({n} files)")
    for d in extra_dirs:
        if d.exists():
            shutil.rmtree(d, ignore_errors=True)
            done.append("temporary review files")
    return done
