"""The SQLite history store: round trips, migrations, concurrency, deletion."""

from __future__ import annotations

import datetime as dt
import json
import math
import multiprocessing as mp
import sqlite3
import threading
from pathlib import Path

import pytest

from formcheck.store import SCHEMA_VERSION, Store, default_db_path
from formcheck.store.schema import migrate, schema_version


def test_new_database_is_wal_and_current(tmp_path):
    store = Store(tmp_path / "sub" / "h.sqlite3")
    assert store.path.exists()
    assert store.version == SCHEMA_VERSION
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_env_var_sets_default_path(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMCHECK_DB", str(tmp_path / "x.db"))
    assert default_db_path() == tmp_path / "x.db"
    assert Store().path == tmp_path / "x.db"


def test_data_dir_env(tmp_path, monkeypatch):
    monkeypatch.delenv("FORMCHECK_DB", raising=False)
    monkeypatch.setenv("FORMCHECK_DATA_DIR", str(tmp_path))
    assert default_db_path() == tmp_path / "history.sqlite3"


def test_save_set_round_trip(tmp_path, analysis):
    store = Store(tmp_path / "h.db")
    saved = store.save_set(analysis, source="review", video_name="monday.mp4")
    sessions = store.sessions()
    assert [(s.id, s.source, s.n_sets, s.n_reps) for s in sessions] == [(saved.session_id, "review", 1, 3)]
    (row,) = store.sets()
    assert row.id == saved.set_id and row.exercise == "hinge" and row.n_reps == 3
    assert row.video_name == "monday.mp4" and row.load_kg == 8.0
    assert row.hip_share == pytest.approx(0.7)
    assert row.tempo_adherence == pytest.approx(1.0)
    assert row.target_tempo == "3-1-2-1"
    reps = store.reps(saved.set_id)
    assert [r["index"] for r in reps] == [1, 2, 3]
    assert reps[0]["eccentric_s"] == 3.0 and reps[0]["metrics"]["hip_share"] == 0.7
    cues = store.cues(saved.set_id)
    assert {c["code"] for c in cues} == {"load.toes", "praise.clean", "spine.rounding"}
    rounding = next(c for c in cues if c["code"] == "spine.rounding")
    assert rounding["value"] is None and rounding["t_s"] is None  # NaN stored as NULL, not 0
    back = store.analysis(saved.set_id)
    assert back.reps == analysis.reps and back.series == {}
    assert [c.code for c in back.cues] == [c.code for c in analysis.cues]


def test_sets_join_an_existing_session(tmp_path, analysis):
    store = Store(tmp_path / "h.db")
    sid = store.start_session("live", plan="A")
    a = store.save_set(analysis, session_id=sid)
    b = store.save_set(analysis, session_id=sid)
    assert a.session_id == b.session_id == sid and a.set_id != b.set_id
    (s,) = store.sessions()
    assert (s.plan, s.n_sets, s.n_reps) == ("A", 2, 6)
    assert len(store.sets(session_id=sid)) == 2


def test_delete_session_cascades(tmp_path, analysis):
    store = Store(tmp_path / "h.db")
    keep = store.save_set(analysis)
    gone = store.save_set(analysis)
    store.add_note("felt good", session_id=gone.session_id)
    store.delete_session(gone.session_id)
    assert [s.id for s in store.sets()] == [keep.set_id]
    assert store.reps(gone.set_id) == [] and store.cues(gone.set_id) == []
    assert store.notes() == []
    with pytest.raises(KeyError):
        store.analysis(gone.set_id)


def test_delete_all_leaves_nothing_on_disk(tmp_path, analysis):
    store = Store(tmp_path / "h.db")
    store.save_set(analysis, video_name="secret_name_4711.mp4")
    store.add_note("private note 4711")
    store.set_check("2025-01-06", "A", "hinge", True)
    store.delete_all()
    assert set(store.counts().values()) == {0}
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert b"4711" not in raw


def test_checklist_upsert_and_range(tmp_path):
    store = Store(tmp_path / "h.db")
    store.set_check(dt.date(2025, 1, 6), "A", "hinge", True, when="2025-01-06T07:30:00+01:00")
    store.set_check("2025-01-06", "A", "bridge", True)
    store.set_check("2025-01-06", "A", "bridge", False)
    store.set_check("2025-01-09", "B", "cat_camel", True)
    got = store.checks("2025-01-06", "2025-01-08")
    assert [(c.item, c.done) for c in got] == [("bridge", False), ("hinge", True)]
    assert got[1].done_at == "2025-01-06T07:30:00+01:00" and got[0].done_at is None
    assert len(store.checks(dt.date(2025, 1, 1), dt.date(2025, 1, 31))) == 3
    with pytest.raises(ValueError):
        store.set_check("6 Jan", "A", "hinge", True)


def test_sessions_per_week_counts_only_sessions_with_sets(tmp_path, analysis):
    store = Store(tmp_path / "h.db")
    for day in ("2025-01-06", "2025-01-08", "2025-01-20"):
        store.save_set(analysis, created_at=f"{day}T08:00:00+00:00")
    store.start_session(started_at="2025-01-07T08:00:00+00:00")  # empty: not counted
    weeks = store.sessions_per_week(weeks=3, until=dt.date(2025, 1, 22))
    assert weeks == [(dt.date(2025, 1, 6), 2), (dt.date(2025, 1, 13), 0), (dt.date(2025, 1, 20), 1)]


# -- migrations ---------------------------------------------------------------------------------------------


def _v1_database(path: Path, analysis) -> None:
    """A database as formcheck with schema v1 wrote it (one set, no summary columns)."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=1)
    assert schema_version(conn) == 1
    conn.execute("INSERT INTO sessions (id, started_at, source) VALUES (1, '2024-12-30T09:00:00+00:00', 'live')")
    conn.execute(
        "INSERT INTO sets (id, session_id, created_at, exercise, n_reps, load_kg, video_name, analysis_json) "
        "VALUES (7, 1, '2024-12-30T09:05:00+00:00', 'hinge', 3, 8.0, NULL, ?)",
        (json.dumps(analysis.to_json_dict(include_series=False), allow_nan=False),),
    )
    conn.execute("INSERT INTO notes (session_id, created_at, text) VALUES (1, '2024-12-30T09:06:00+00:00', 'ok')")
    conn.close()


def test_migrates_v1_database_and_backfills_summaries(tmp_path, build):
    reps = [build.rep(1, hip_share=0.6), build.rep(2, hip_share=0.8, ecc=1.0)]  # rep 2 rushed the lowering
    old = build.analysis(reps)
    path = tmp_path / "old.db"
    _v1_database(path, old)
    store = Store(path)
    assert store.version == SCHEMA_VERSION
    (row,) = store.sets()
    assert row.id == 7 and row.created_at.startswith("2024-12-30")
    assert row.hip_share == pytest.approx(0.7)
    assert row.tempo_adherence == pytest.approx((1.0 + 2 / 3) / 2)
    assert store.notes() == [(1, 1, "2024-12-30T09:06:00+00:00", "ok")]
    assert store.checks("2000-01-01", "2100-01-01") == []  # v3 table exists
    store.set_check("2025-01-01", "B", "sphinx", True)


@pytest.mark.parametrize("start", range(SCHEMA_VERSION + 1))
def test_every_version_upgrades(tmp_path, start):
    path = tmp_path / "h.db"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=start) == start
    conn.close()
    assert Store(path).version == SCHEMA_VERSION


def test_newer_database_is_refused(tmp_path):
    path = tmp_path / "h.db"
    Store(path)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(RuntimeError, match="newer"):
        Store(path)


def test_failed_migration_rolls_back(tmp_path, monkeypatch):
    import formcheck.store.schema as schema

    path = tmp_path / "h.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=2)
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS[:2], "CREATE TABLE checklist (x);\nBROKEN SQL;"))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 3)
    with pytest.raises(sqlite3.OperationalError):
        schema.migrate(conn)
    assert schema_version(conn) == 2
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'checklist'").fetchone() is None
    conn.close()


# -- concurrency --------------------------------------------------------------------------------------------


def test_concurrent_writes_from_threads(tmp_path, analysis):
    store = Store(tmp_path / "h.db")
    errors: list[BaseException] = []
    ids: list[int] = []
    lock = threading.Lock()

    def work():
        try:
            for _ in range(10):
                s = store.save_set(analysis)
                with lock:
                    ids.append(s.set_id)
                store.sets()  # readers interleave with writers
        except BaseException as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(ids)) == 60
    assert store.counts()["sets"] == 60 and store.counts()["reps"] == 180


def _process_writer(path: str, n: int) -> int:
    from formcheck.store import Store as StoreInChild
    from formcheck.types import Analysis, Quality, Rep

    store = StoreInChild(path)  # several processes also race to create/migrate the fresh file
    rep = Rep(1, 0.0, 1.0, 2.0, 1.0, 0.0, 1.0, 0.0, 2.0, 40.0, "hinge", {"hip_share": 0.5})
    a = Analysis(exercise="hinge", reps=(rep,), cues=(), quality=Quality())
    for _ in range(n):
        store.save_set(a)
    return n


def test_concurrent_writes_from_processes(tmp_path):
    path = tmp_path / "fresh.db"
    ctx = mp.get_context("spawn")
    with ctx.Pool(3) as pool:
        done = pool.starmap(_process_writer, [(str(path), 15)] * 3)
    assert done == [15, 15, 15]
    store = Store(path)
    assert store.version == SCHEMA_VERSION
    assert store.counts()["sets"] == 45
    assert all(math.isclose(s.hip_share, 0.5) for s in store.sets())
