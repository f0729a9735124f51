"""The SQLite history store: round trips, migrations, concurrency, deletion."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import multiprocessing as mp
import pickle
import sqlite3
import threading
from pathlib import Path

import pytest

from formcheck.config import Config
from formcheck.engine.registry import get_spec
from formcheck.errors import StorageError
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
    assert dict(row.trend) == pytest.approx(_hinge_trend_truth(analysis))
    assert row.trend["hip_share"] == pytest.approx(0.7)
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


def _hinge_trend_truth(analysis) -> dict[str, float]:
    """Mean of every hinge trend metric over the reps' finite values, computed here from the rep metrics."""
    out = {}
    for m in get_spec("hinge").metric_specs("trend", kind="rep"):
        vals = [float(r.metrics[m.key]) for r in analysis.reps if _finite(r.metrics.get(m.key))]
        out[m.key] = sum(vals) / len(vals) if vals else math.nan
    return out


def _finite(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def test_hinge_sets_keep_a_hip_share_trend(tmp_path, build):
    # The hinge's history has always plotted hip share: the hinge spec must keep it a trend metric.
    a = build.analysis([build.rep(1, hip_share=0.5), build.rep(2, hip_share=math.nan), build.rep(3, hip_share=0.9)])
    store = Store(tmp_path / "h.db")
    store.save_set(a)
    (row,) = store.sets()
    assert row.trend["hip_share"] == pytest.approx(0.7)


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
    assert row.trend["hip_share"] == pytest.approx(0.7)
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
    with pytest.raises(StorageError, match="newer"):
        Store(path)


def test_a_command_on_a_newer_history_says_so_plainly(tmp_path, monkeypatch, capsys):
    from formcheck.cli import main

    path = tmp_path / "h.db"
    Store(path)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    monkeypatch.setenv("FORMCHECK_DB", str(path))
    assert main(["history"]) == StorageError.exit_code
    err = capsys.readouterr().err
    assert "newer than this formcheck" in err and "Traceback" not in err


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


def test_an_old_negative_phase_reads_as_unknown_from_the_rep_rows_too(tmp_path):
    # Saved before phases were checked: the app's rep table reads the rows, not the JSON; both say "unknown".
    from formcheck.types import Analysis, Quality, Rep

    store = Store(tmp_path / "h.db")
    rep = Rep(1, 0.0, 1.0, 2.0, -0.5, 0.0, 1.0, 0.0, 2.0, 40.0, "hinge", {"hip_share": 0.5})
    saved = store.save_set(Analysis(exercise="hinge", reps=(rep,), cues=(), quality=Quality()))
    (row,) = store.reps(saved.set_id)
    assert math.isnan(row["eccentric_s"]) and row["concentric_s"] == 1.0 and row["bottom_pause_s"] == 0.0
    assert math.isnan(store.analysis(saved.set_id).reps[0].eccentric_s)


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
    assert all(math.isclose(s.trend["hip_share"], 0.5) for s in store.sets())


# -- v4: per-exercise summaries -----------------------------------------------------------------------------

# The schema as formcheck wrote it at version 3 (copied from the released migrations 1-3, so this test keeps
# building a real old database even if someone edits the migrations in formcheck/store/schema.py).
V3_DDL = """
CREATE TABLE sessions (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, source TEXT NOT NULL DEFAULT 'live');
CREATE TABLE sets (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL, exercise TEXT NOT NULL, n_reps INTEGER NOT NULL, load_kg REAL, video_name TEXT,
    analysis_json TEXT NOT NULL
);
CREATE INDEX sets_session ON sets(session_id);
CREATE TABLE reps (
    id INTEGER PRIMARY KEY,
    set_id INTEGER NOT NULL REFERENCES sets(id) ON DELETE CASCADE,
    rep_index INTEGER NOT NULL,
    start_s REAL, bottom_s REAL, end_s REAL,
    eccentric_s REAL, bottom_pause_s REAL, concentric_s REAL, top_pause_s REAL,
    time_under_tension_s REAL, rom_deg REAL,
    classification TEXT,
    metrics_json TEXT NOT NULL
);
CREATE INDEX reps_set ON reps(set_id);
CREATE TABLE cues (
    id INTEGER PRIMARY KEY,
    set_id INTEGER NOT NULL REFERENCES sets(id) ON DELETE CASCADE,
    code TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL,
    rep_index INTEGER, t_s REAL, metric TEXT, value REAL, threshold REAL
);
CREATE INDEX cues_set ON cues(set_id);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    session_id INTEGER REFERENCES sessions(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL, text TEXT NOT NULL
);
ALTER TABLE sets ADD COLUMN hip_share REAL;
ALTER TABLE sets ADD COLUMN tempo_adherence REAL;
ALTER TABLE sets ADD COLUMN target_tempo TEXT;
ALTER TABLE sessions ADD COLUMN plan TEXT;
CREATE TABLE checklist (
    day TEXT NOT NULL, plan TEXT NOT NULL, item TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0, done_at TEXT,
    PRIMARY KEY (day, plan, item)
);
PRAGMA user_version = 3;
"""

# A set of an exercise this version does not know, as a newer formcheck might have written it.
FUTURE_ANALYSIS = {
    "schema": "formcheck.analysis/9",
    "exercise": "side_plank_v9",
    "reps": [],
    "holds": [{"index": 1, "start_s": 2.0, "end_s": 32.0, "duration_s": 30.0, "in_band_s": 28.0, "metrics": {}}],
    "settings": {"tempo_tolerance_frac": 0.35},
    "something_new": {"nested": [1, 2, 3]},
}


def _v3_database(path: Path, build) -> dict[int, tuple]:
    """A version-3 history with two hinge sets, a future exercise's set and a corrupt row; returns the old rows."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(V3_DDL)
    conn.execute(
        "INSERT INTO sessions (id, started_at, source, plan) VALUES (1, '2024-12-30T09:00:00+00:00', 'live', 'A')"
    )
    hinge_a = build.analysis([build.rep(1, hip_share=0.6), build.rep(2, hip_share=0.8, ecc=1.0)])
    hinge_b = build.analysis([build.rep(1, hip_share=0.9), build.rep(2, hip_share=math.nan)], load_kg=12.0)
    rows = [
        # id, exercise, n_reps, load, analysis_json, legacy hip share, tempo adherence, target tempo
        (11, "hinge", 2, 8.0, json.dumps(hinge_a.to_json_dict(include_series=False)), 0.7, 0.8333, "3-1-2-1"),
        (12, "hinge", 2, 12.0, json.dumps(hinge_b.to_json_dict(include_series=False)), 0.9, 1.0, "3-1-2-1"),
        (13, "side_plank_v9", 0, None, json.dumps(FUTURE_ANALYSIS), None, None, None),
        (14, "hinge", 0, None, "{not json", None, None, None),
    ]
    for i, (set_id, ex, n, load, text, share, adh, tempo) in enumerate(rows):
        conn.execute(
            "INSERT INTO sets (id, session_id, created_at, exercise, n_reps, load_kg, video_name, analysis_json, "
            "hip_share, tempo_adherence, target_tempo) VALUES (?, 1, ?, ?, ?, ?, NULL, ?, ?, ?, ?)",
            (set_id, f"2024-12-30T09:0{i}:00+00:00", ex, n, load, text, share, adh, tempo),
        )
    conn.execute(
        "INSERT INTO reps (set_id, rep_index, eccentric_s, classification, metrics_json) "
        "VALUES (11, 1, 3.0, 'hinge', '{}')"
    )
    conn.execute("INSERT INTO notes (session_id, created_at, text) VALUES (1, '2024-12-30T09:06:00+00:00', 'ok')")
    conn.execute("INSERT INTO checklist (day, plan, item, done) VALUES ('2024-12-30', 'A', 'hinge', 1)")
    conn.close()
    return {r[0]: r for r in rows}


def test_v3_test_ddl_matches_the_released_migrations(tmp_path):
    """The copied DDL is the real version 3 (else the migration test below would test a made-up database)."""

    def shape(conn):
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: [(c[1], c[2], c[3], c[5]) for c in conn.execute(f"PRAGMA table_info({t})")] for t in tables}

    a = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
    a.executescript(V3_DDL)
    b = sqlite3.connect(tmp_path / "b.db", isolation_level=None)
    migrate(b, target=3)
    assert shape(a) == shape(b) and schema_version(a) == schema_version(b) == 3


def test_migrates_v3_database_keeping_history(tmp_path, build):
    path = tmp_path / "v3.db"
    old = _v3_database(path, build)
    store = Store(path)
    assert store.version == SCHEMA_VERSION
    rows = {r.id: r for r in store.sets()}
    assert list(rows) == [11, 12, 13, 14]
    # Generic columns are kept as they were (not recomputed).
    for set_id, r in rows.items():
        _, ex, n, load, _, _, adh, tempo = old[set_id]
        assert (r.exercise, r.n_reps, r.target_tempo) == (ex, n, tempo)
        assert r.load_kg == pytest.approx(math.nan if load is None else load, nan_ok=True)
        assert r.tempo_adherence == pytest.approx(math.nan if adh is None else adh, nan_ok=True)
    # The hinge's hip-share trend carries on from the old column (same numbers, now from summary_json).
    assert rows[11].trend["hip_share"] == pytest.approx(0.7) and rows[12].trend["hip_share"] == pytest.approx(0.9)
    hinge_trend = {m.key for m in get_spec("hinge").metric_specs("trend", kind="rep")}
    assert set(rows[11].trend) == hinge_trend
    # The future exercise's set: no trend, its hold totals, its JSON untouched.
    assert dict(rows[13].trend) == {} and (rows[13].n_holds, rows[13].hold_s, rows[13].hold_in_band_s) == (1, 30, 28)
    # The unreadable row did not stop the migration; its numbers are unknown, not invented.
    assert set(rows[14].trend) == hinge_trend and all(math.isnan(v) for v in rows[14].trend.values())
    with sqlite3.connect(path) as conn:
        legacy = dict(conn.execute("SELECT id, hip_share FROM sets").fetchall())
        texts = dict(conn.execute("SELECT id, analysis_json FROM sets").fetchall())
        summaries = {i: json.loads(t) for i, t in conn.execute("SELECT id, summary_json FROM sets")}
    assert legacy == {11: 0.7, 12: 0.9, 13: None, 14: None}  # the old column is still there, values intact
    assert texts == {i: r[4] for i, r in old.items()}
    assert summaries[12]["rep_count"] == 2 and summaries[13]["exercise"] == "side_plank_v9"
    # Everything else survived too.
    assert store.notes() == [(1, 1, "2024-12-30T09:06:00+00:00", "ok")]
    assert [(c.item, c.done) for c in store.checks("2024-12-30", "2024-12-30")] == [("hinge", True)]
    assert [r["index"] for r in store.reps(11)] == [1]
    assert [(s.plan, s.n_sets) for s in store.sessions()] == [("A", 4)]
    # New sets go on the same trend.
    store.save_set(build.analysis([build.rep(1, hip_share=0.5)]))
    assert [r.trend["hip_share"] for r in store.sets(exercise="hinge")] == pytest.approx(
        [0.7, 0.9, math.nan, 0.5], nan_ok=True
    )


def test_unknown_exercise_is_saved_and_listed_without_trend(tmp_path, build):
    store = Store(tmp_path / "h.db")
    a = build.fake_analysis([build.fake_rep(1, {"reach_cm": 10.0})], exercise="made_up_v99")
    saved = store.save_set(a)
    (row,) = store.sets()
    assert row.exercise == "made_up_v99" and dict(row.trend) == {} and row.n_reps == 1
    assert row.tempo_adherence == 1.0
    assert store.reps(saved.set_id)[0]["metrics"] == {"reach_cm": 10.0}


def test_row_written_by_a_newer_version_shows_no_trend_and_keeps_its_json(tmp_path):
    store = Store(tmp_path / "h.db")
    sid = store.start_session()
    newer_summary = json.dumps({"schema": "formcheck.set_summary/7", "trend": {"reach_cm": 3.0}, "extra": [1]})
    with sqlite3.connect(store.path) as conn:
        conn.execute(
            "INSERT INTO sets (session_id, created_at, exercise, n_reps, analysis_json, summary_json) "
            "VALUES (?, '2025-01-01T08:00:00+00:00', 'made_up_v99', 2, ?, ?)",
            (sid, json.dumps(FUTURE_ANALYSIS), newer_summary),
        )
    (row,) = store.sets()
    assert dict(row.trend) == {} and row.n_reps == 2
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT summary_json FROM sets").fetchone()[0] == newer_summary


def test_registered_exercise_trend_and_holds(tmp_path, build, fake_exercise):
    store = Store(tmp_path / "h.db")
    reps = [
        build.fake_rep(1, {"reach_cm": 10.0, "wobble_deg": 1.0, "hidden_deg": 5.0}),
        build.fake_rep(2, {"reach_cm": 20.0}),
    ]
    store.save_set(build.fake_analysis(reps, [build.hold(1, 0.0, 12.0, 10.0)]), created_at="2025-01-02T08:00:00+00:00")
    store.save_set(build.analysis(), created_at="2025-01-01T08:00:00+00:00")
    (row,) = store.sets(exercise=fake_exercise.name)
    assert list(row.trend) == ["reach_cm", "wobble_deg"]
    assert row.trend == {"reach_cm": 15.0, "wobble_deg": 1.0}
    assert (row.n_holds, row.hold_s, row.hold_in_band_s) == (1, 12.0, 10.0)
    assert store.exercises() == ["hinge", fake_exercise.name]
    (hinge_row,) = store.sets(exercise="hinge")
    assert "reach_cm" not in hinge_row.trend


def test_trend_is_read_only_and_rows_pickle(tmp_path, analysis):
    store = Store(tmp_path / "h.db")
    store.save_set(analysis)
    (row,) = store.sets()
    with pytest.raises(TypeError):
        row.trend["hip_share"] = 0.0  # type: ignore[index]
    assert pickle.loads(pickle.dumps(row)) == row  # Streamlit state and process pools pickle rows


@pytest.mark.parametrize("name", ["hinge' OR '1'='1", "hinge; DROP TABLE sets; --", "%", "HINGE"])
def test_exercise_filter_is_a_parameter_not_sql(tmp_path, analysis, name):
    store = Store(tmp_path / "h.db")
    store.save_set(analysis)
    assert store.sets(exercise=name) == []
    assert len(store.sets(exercise="hinge")) == 1  # the table is still there


def test_session_and_exercise_filters_combine(tmp_path, build, fake_exercise):
    store = Store(tmp_path / "h.db")
    s1 = store.save_set(build.analysis()).session_id
    store.save_set(build.fake_analysis([build.fake_rep(1, {})]), session_id=s1)
    store.save_set(build.analysis())
    assert [r.exercise for r in store.sets(session_id=s1)] == ["hinge", fake_exercise.name]
    assert [r.session_id for r in store.sets(session_id=s1, exercise="hinge")] == [s1]
    assert len(store.sets(exercise="hinge")) == 2


# Rep lowers in 2.0 s against 3 s: on tempo at tolerance 0.35 (2.0 >= 1.95), rushed at 0.2 (2.0 < 2.4).
@pytest.mark.parametrize(("configured", "expected"), [(None, 1.0), (0.2, 2 / 3), (0.35, 1.0)])
def test_store_config_gives_the_tolerance_when_the_set_did_not_record_one(tmp_path, build, configured, expected):
    config = None if configured is None else Config().replace_exercise("hinge", tempo_tolerance_frac=configured)
    store = Store(tmp_path / "h.db", config=config)
    a = build.analysis([build.rep(1, ecc=2.0)])
    store.save_set(dataclasses.replace(a, settings={"target_tempo_s": "3-1-2-1"}))
    store.save_set(a)  # records 0.35 in its settings: that wins over the store's config
    first, second = store.sets()
    assert first.tempo_adherence == pytest.approx(expected) and second.tempo_adherence == 1.0
