"""App and store faults: camera unplugged, app restarted, two tabs, a full disk. Nothing the user did is lost."""

from __future__ import annotations

import dataclasses
import errno
import json
import multiprocessing
import sqlite3
import threading
from pathlib import Path

import numpy as np
import pytest

from formcheck.analyze import analyze_sequence
from formcheck.cli import main
from formcheck.config import Config
from formcheck.errors import CameraError, StorageError
from formcheck.store import Store


@pytest.fixture(scope="module")
def sample_seq(sample_video):
    from formcheck.analyze import load_or_extract

    return load_or_extract(sample_video, Config(), exercise="hinge")


@pytest.fixture(scope="module")
def analysis(sample_seq):
    return analyze_sequence(sample_seq, "hinge", Config())


def _gap(seq, at_s: float, gap_s: float = 3.0):
    """The sequence with ``gap_s`` of nobody inserted at ``at_s`` (the person walks out and comes back)."""
    t = seq.t_s
    i, n = int(np.searchsorted(t, at_s)), round(gap_s * 30)

    def ins(a):
        a = np.asarray(a, dtype=float)
        return np.concatenate([a[:i], np.full((n, *a.shape[1:]), np.nan), a[i:]])

    tt = np.concatenate([t[:i], t[i - 1] + np.arange(1, n + 1) / 30, t[i:] + n / 30])
    people = np.concatenate([seq.n_people[:i], np.zeros(n, int), seq.n_people[i:]])
    return dataclasses.replace(seq, landmarks=ins(seq.landmarks), world=ins(seq.world), t_s=tt, n_people=people,
                               probes={k: ins(v) for k, v in seq.probes.items()})  # fmt: skip


@pytest.mark.parametrize(
    ("leave_s", "kept"),
    [
        (9.0, [1, 3]),  # walks out at the bottom of rep 2: reps 1 and 3 counted, rep 2 not, none across the gap
        (4.0, [2, 3]),  # at the bottom of rep 1
        (12.5, [1, 2, 3]),  # while standing between reps 2 and 3: nothing lost
    ],
)
def test_leaving_and_coming_back_never_merges_reps(sample_seq, analysis, leave_s, kept):
    a = analyze_sequence(_gap(sample_seq, leave_s), "hinge", Config())
    gap = (leave_s, leave_s + 3.0)
    assert all(r.end_s <= gap[0] or r.start_s >= gap[1] for r in a.reps)  # no rep spans the gap
    truth = {r.index: r for r in analysis.reps}
    got = [r.eccentric_s for r in a.reps]
    assert got == pytest.approx([truth[k].eccentric_s for k in kept], abs=0.1)


class _UnpluggedCamera:
    """Stands in for WebcamSource: yields the one-rep frames, then fails as an unplugged camera does."""

    frames: list = []

    def __init__(self, index, **_kw):
        self.index = index

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def __iter__(self):
        for i, f in enumerate(self.frames):
            yield f, i / 15
        raise CameraError(f"Camera {self.index} stopped delivering frames after {len(self.frames)} frames.",
                          hint="Was it unplugged or taken by another program?")  # fmt: skip


def test_camera_unplugged_mid_set_keeps_the_set(tmp_path, monkeypatch, one_rep_frames, capsys):
    import formcheck.io.webcam as webcam

    _UnpluggedCamera.frames = one_rep_frames
    monkeypatch.setattr(webcam, "WebcamSource", _UnpluggedCamera)
    monkeypatch.setenv("FORMCHECK_DB", str(tmp_path / "h.sqlite3"))
    out_json = tmp_path / "set.json"
    code = main(["live", "--camera", "0", "--exercise", "hinge", "--json", str(out_json), "--save"])
    err = capsys.readouterr().err
    assert code == 3
    assert (
        "formcheck: Camera 0 stopped delivering frames after 100 frames. Was it unplugged or taken by another "
        "program? The set so far (1 rep) was kept." in err
    )
    assert len(json.loads(out_json.read_text())["reps"]) == 1
    assert [s.n_reps for s in Store(tmp_path / "h.sqlite3").sets()] == [1]


def _save_then_die(db: str, analysis_path: str, q) -> None:
    """A process that saves one set, then is killed in the middle of saving the next (app restarted)."""
    from formcheck.types import Analysis

    a = Analysis.from_json_dict(json.loads(Path(analysis_path).read_text(encoding="utf-8")))
    s = Store(db)
    s.save_set(a)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO sessions (started_at, source) VALUES ('2026-01-01T00:00:00+00:00', 'live')")
    q.put("mid-write")
    threading.Event().wait(60)  # killed here, transaction open


def test_app_restarted_mid_save_keeps_history(tmp_path, analysis):
    db = tmp_path / "h.sqlite3"
    Store(db).save_set(analysis)
    ctx = multiprocessing.get_context("spawn")
    q = ctx.Queue()
    # The set goes by file, not as an argument: "spawn" writes the pickled arguments into the child's pipe while the
    # parent still holds its read end, so arguments over the pipe's 64 KiB block the parent for ever if the child
    # dies before reading them (a CI run hung here); a short argument always fits.
    set_file = tmp_path / "set.json"
    set_file.write_text(json.dumps(analysis.to_json_dict()), encoding="utf-8")
    p = ctx.Process(target=_save_then_die, args=(str(db), str(set_file), q))
    p.start()
    assert q.get(timeout=60) == "mid-write"
    p.kill()
    p.join(10)
    store = Store(db)  # the app starting again
    assert [s.n_reps for s in store.sets()] == [3, 3]
    assert store.counts()["sessions"] == 2  # the killed half-transaction left nothing
    store.save_set(analysis)  # and the file is writable again (no stale lock)
    assert len(store.sets()) == 3


def test_two_tabs_save_at_once(tmp_path, analysis):
    store_a, store_b = Store(tmp_path / "h.sqlite3"), Store(tmp_path / "h.sqlite3")  # two tabs, two Store objects
    errors: list[BaseException] = []

    def tab(store):
        try:
            for _ in range(5):
                store.save_set(analysis)
                store.sets()
        except BaseException as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=tab, args=(s,)) for s in (store_a, store_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert len(store_a.sets()) == 10 and store_a.counts()["reps"] == 30


def _fail_inside_transaction(monkeypatch, exc: BaseException) -> None:
    """The set row is written, then writing its reps fails (the transaction is half done when the disk fills)."""
    import formcheck.store.db as db

    calls = {"n": 0}
    real = json.dumps

    def dumps(*a, **k):
        calls["n"] += 1
        if calls["n"] > 1:  # the first dump is the set's own analysis_json, already in the INSERT
            raise exc
        return real(*a, **k)

    monkeypatch.setattr(db, "json", type("J", (), {"dumps": staticmethod(dumps), "loads": json.loads}))


@pytest.mark.parametrize("how", ["oserror", "sqlite_full"])
def test_full_disk_leaves_no_half_written_set(tmp_path, analysis, monkeypatch, how):
    store = Store(tmp_path / "h.sqlite3")
    store.save_set(analysis)
    before = store.counts()
    if how == "oserror":
        _fail_inside_transaction(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    else:  # SQLite's own "database or disk is full", from a page limit reached mid-transaction
        real_connect = sqlite3.connect

        def tiny(*a, **k):
            conn = real_connect(*a, **k)
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count={pages + 1}")
            return conn

        monkeypatch.setattr("formcheck.store.db.sqlite3.connect", tiny)
    with pytest.raises(StorageError) as e:
        store.save_set(analysis)
    monkeypatch.undo()
    assert str(e.value) == (
        f"Could not save to the history ({store.path}): the disk is full. Nothing was half-saved. Free some disk "
        "space (or choose a writable folder with FORMCHECK_DATA_DIR) and save again."
    )
    assert e.value.exit_code == 6
    assert store.counts() == before  # no set, rep, cue or session row from the failed save
    store.save_set(analysis)  # space back: saving works
    assert len(store.sets()) == 2
