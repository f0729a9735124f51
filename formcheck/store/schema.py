"""SQLite schema of the history store, as an ordered list of migrations.

The schema version lives in ``PRAGMA user_version``. Migration ``i`` (1-based) takes a database from version
``i - 1`` to ``i``. Never edit a released migration: append a new one, so databases written by older versions
are upgraded in place without losing rows.
"""

from __future__ import annotations

import math
import sqlite3

from formcheck.errors import StorageError

MIGRATIONS: tuple[str, ...] = (
    # v1: sessions, sets, reps, cues, notes.
    """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,          -- ISO 8601 local time with offset
        source TEXT NOT NULL DEFAULT 'live' -- 'live' | 'review'
    );
    CREATE TABLE sets (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        exercise TEXT NOT NULL,
        n_reps INTEGER NOT NULL,
        load_kg REAL,
        video_name TEXT,
        analysis_json TEXT NOT NULL        -- Analysis.to_json_dict(include_series=False)
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
        code TEXT NOT NULL,
        severity TEXT NOT NULL,
        message TEXT NOT NULL,
        rep_index INTEGER,
        t_s REAL,
        metric TEXT, value REAL, threshold REAL
    );
    CREATE INDEX cues_set ON cues(set_id);
    CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        session_id INTEGER REFERENCES sessions(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        text TEXT NOT NULL
    );
    """,
    # v2: per-set summary columns for the trends page (filled for old rows by the Python step in migrate()).
    """
    ALTER TABLE sets ADD COLUMN hip_share REAL;
    ALTER TABLE sets ADD COLUMN tempo_adherence REAL;
    ALTER TABLE sets ADD COLUMN target_tempo TEXT;
    ALTER TABLE sessions ADD COLUMN plan TEXT;   -- 'A' | 'B' | NULL
    """,
    # v3: the daily routine checklist.
    """
    CREATE TABLE checklist (
        day TEXT NOT NULL,                 -- local date YYYY-MM-DD
        plan TEXT NOT NULL,                -- 'A' | 'B'
        item TEXT NOT NULL,                -- exercise key within the plan
        done INTEGER NOT NULL DEFAULT 0,
        done_at TEXT,
        PRIMARY KEY (day, plan, item)
    );
    """,
    # v4: per-exercise summaries. The exercise's trend numbers (means of its "trend" metrics), rep count and hold
    # totals as JSON (layout: formcheck.store.summary), filled for old rows from analysis_json by the Python step
    # in migrate(). The generic trend numbers stay columns (n_reps, tempo_adherence, target_tempo, load_kg). The
    # v2 hinge column is left in place, with its values, for readers of older versions; nothing writes it now.
    """
    ALTER TABLE sets ADD COLUMN summary_json TEXT NOT NULL DEFAULT '{}';
    CREATE INDEX sets_exercise ON sets(exercise, created_at);
    """,
    # v5: how a checklist item was ticked, so the history can say "checked on video" or "ticked by hand" (the CLI's
    # checklist ticks items the camera never saw, such as a walk). Ticks from before v5 keep NULL: how is unknown.
    """
    ALTER TABLE checklist ADD COLUMN how TEXT;  -- 'video' | 'hand' | NULL (ticked before v5, or not ticked)
    """,
    # v6: an item partly done on video (a filmed set short of its prescription: 3 of 8 reps) is kept with what was
    # done, but not ticked: done = 0, how = 'partly', detail = the words ("3 of 8 reps"), so the plan's "done"
    # count, the routine days and the streak count only items done. Rows from before v6 keep NULL: no detail.
    """
    ALTER TABLE checklist ADD COLUMN detail TEXT;  -- what a filmed set did when it fell short, else NULL
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    """The ``user_version`` of an open database (0 for a new file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION, *, config: object | None = None) -> int:
    """Bring the database to ``target`` version, one migration per transaction.

    Safe to call from several processes at once: each step takes the write lock (``BEGIN IMMEDIATE``) and
    re-reads the version inside it, so a step is applied exactly once.

    Args:
        conn: connection opened in autocommit mode (``isolation_level=None``).
        target: version to reach (tests use lower values to build old databases).
        config: configuration for summaries computed from old rows (the tempo tolerance of sets that did not
            record theirs); None = the defaults.

    Returns:
        The version reached.

    Raises:
        StorageError: the file was written by a newer formcheck (higher version than this code knows).
    """
    if schema_version(conn) < target and _has_sets(conn):
        # The Python steps read the exercise specs: import them before taking the write lock, not while holding it
        # (a fresh or empty history needs no Python step, so it does not pay for the import at all).
        from formcheck.engine import registry

        registry.specs()
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = schema_version(conn)
            if current > SCHEMA_VERSION:
                raise StorageError(
                    f"The history database has schema version {current}, newer than this formcheck "
                    f"understands ({SCHEMA_VERSION}). Update formcheck or point FORMCHECK_DB to another file."
                )
            if current >= target:
                conn.execute("COMMIT")
                return current
            for stmt in _split_sql(MIGRATIONS[current]):
                conn.execute(stmt)
            if current + 1 == 2:
                _backfill_v2(conn, config)
            elif current + 1 == 4:
                _backfill_v4(conn, config)
            conn.execute(f"PRAGMA user_version = {current + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _has_sets(conn: sqlite3.Connection) -> bool:
    """True when the ``sets`` table exists and holds a row."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sets'").fetchone() is None:
        return False
    return conn.execute("SELECT EXISTS (SELECT 1 FROM sets)").fetchone()[0] == 1


def _split_sql(script: str) -> list[str]:
    """Statements of a migration script (executescript() would commit our transaction, so split instead)."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines():
        code = line.split("--", 1)[0]
        buf += code + "\n"
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def _backfill_v2(conn: sqlite3.Connection, config: object | None) -> None:
    """Compute the generic v2 summary columns for sets saved before they existed.

    The v2 column holding a hinge metric is not filled any more: since v4 that number lives in ``summary_json``
    (filled from the same ``analysis_json`` by :func:`_backfill_v4`), so nothing is lost.
    """
    import json

    from formcheck.store.summary import set_summary_from_json

    rows = conn.execute("SELECT id, analysis_json FROM sets").fetchall()
    for set_id, text in rows:
        try:
            d = json.loads(text)
        except (TypeError, ValueError):
            continue  # unreadable row: leave its summary unknown rather than refuse to open the history
        s = set_summary_from_json(d, config=config)
        tempo_adherence = s.tempo_adherence if math.isfinite(s.tempo_adherence) else None
        conn.execute(
            "UPDATE sets SET tempo_adherence = ?, target_tempo = ? WHERE id = ?",
            (tempo_adherence, s.target_tempo, set_id),
        )


def _backfill_v4(conn: sqlite3.Connection, config: object | None) -> None:
    """Fill ``summary_json`` of sets saved before v4 from their ``analysis_json`` (the trends keep their history).

    Rows of an exercise this version does not know get an empty trend; their ``analysis_json`` is not touched.
    """
    from formcheck.store.summary import summary_json_from_analysis_json

    rows = conn.execute("SELECT id, analysis_json FROM sets").fetchall()
    conn.executemany(
        "UPDATE sets SET summary_json = ? WHERE id = ?",
        [(summary_json_from_analysis_json(text, config=config), set_id) for set_id, text in rows],
    )
