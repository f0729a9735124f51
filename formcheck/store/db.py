"""The history store: one SQLite file in the user's data directory.

Every call opens its own short-lived connection, so a :class:`Store` can be shared between Streamlit script
threads, the webcam callback thread and other processes (the CLI) without locks of our own: SQLite's WAL mode
lets readers run during a write, and ``busy_timeout`` makes concurrent writers wait instead of failing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import math
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from formcheck.errors import StorageError
from formcheck.store.schema import SCHEMA_VERSION, migrate, schema_version
from formcheck.store.summary import (
    ReadOnlyMap,
    lookup_spec,
    parse_summary_json,
    set_summary_from_json,
    trend_of,
    weekly_counts,
)
from formcheck.types import REP_DURATIONS, Analysis, duration_or_nan

APP_NAME = "formcheck"
DB_FILENAME = "history.sqlite3"
BUSY_TIMEOUT_S = 30.0


def data_dir() -> Path:
    """Folder for the user's formcheck data (history, routine). ``$FORMCHECK_DATA_DIR`` overrides."""
    env = os.environ.get("FORMCHECK_DATA_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """``$FORMCHECK_DB`` if set, else ``history.sqlite3`` in :func:`data_dir`."""
    env = os.environ.get("FORMCHECK_DB")
    return Path(env) if env else data_dir() / DB_FILENAME


def now_local() -> str:
    """Current local time as ISO 8601 with its UTC offset (the date part is the user's calendar day)."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _storage_problem(e: BaseException) -> str | None:
    """Plain words for a failed write caused by the disk (None: another problem, re-raised as it is)."""
    text = str(e).lower()
    if (isinstance(e, OSError) and e.errno == errno.ENOSPC) or "disk is full" in text:
        return "the disk is full"
    if (isinstance(e, OSError) and e.errno in (errno.EROFS, errno.EACCES)) or "readonly" in text:
        return "the file or its folder is read-only"
    if isinstance(e, OSError) or "disk i/o error" in text:
        return f"the disk reported an error ({e})"
    return None


def _f(v: Any) -> float | None:
    """NaN → NULL for SQLite."""
    if v is None:
        return None
    x = float(v)
    return x if math.isfinite(x) else None


def _nan(v: Any) -> float:
    return math.nan if v is None else float(v)


def _stored_num(v: Any) -> float:
    """A number from a stored JSON summary: null, text and non-numbers are NaN (unknown)."""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return math.nan
    return float(v)


def _count(v: Any) -> int:
    return v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else 0


@dataclass(frozen=True)
class SavedSet:
    session_id: int
    set_id: int


@dataclass(frozen=True)
class SessionRow:
    id: int
    started_at: str
    source: str
    plan: str | None
    n_sets: int
    n_reps: int


# The one metric key SetRow still names: its deprecated field (see SetRow). Remove both once no caller reads it.


@dataclass(frozen=True)
class SetRow:
    """One saved set with its summary numbers (NaN when unknown).

    Attributes:
        id: set id.
        session_id: its session.
        created_at: ISO 8601 local time with offset.
        exercise: exercise name (spec name); may be one this version does not know (saved by a newer one).
        n_reps: number of reps.
        load_kg: held load, NaN when not recorded.
        video_name: uploaded file name, or None.
        tempo_adherence: fraction of timed phases not rushed (0..1), NaN when unknown.
        target_tempo: prescribed tempo as ``"3-1-2-1"``, or None.
        trend: the exercise's trend numbers: spec key -> the set's mean over reps (NaN when unknown), one entry per
            rep metric of the exercise's spec shown in ``"trend"``
            (``find_spec(exercise).metric_specs("trend", kind="rep")``); empty for an unknown exercise.
        n_holds: number of holds (0 for rep exercises).
        hold_s: summed hold duration in seconds (0 without holds, NaN when unknown).
        hold_in_band_s: summed time in the target band over the holds, seconds (same rules).
    """

    id: int
    session_id: int
    created_at: str
    exercise: str
    n_reps: int
    load_kg: float
    video_name: str | None
    tempo_adherence: float
    target_tempo: str | None
    trend: Mapping[str, float] = field(default_factory=dict)
    n_holds: int = 0
    hold_s: float = 0.0
    hold_in_band_s: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "trend", ReadOnlyMap(self.trend))


TICK_HOW = ("video", "hand")  # CheckEntry.how: a filmed set proved it done / the user ticked it
PARTLY = "partly"  # CheckEntry.how of an item not ticked: a filmed set of it fell short of the prescription


def _day_text(day: str | dt.date) -> str:
    """A checklist day as stored (``YYYY-MM-DD``), from a date or its ISO text.

    Raises:
        ValueError: text that is not an ISO calendar day.
    """
    return day.isoformat() if isinstance(day, dt.date) else dt.date.fromisoformat(day).isoformat()


@dataclass(frozen=True)
class CheckEntry:
    """One checklist item on one day.

    Attributes:
        day: local date ``YYYY-MM-DD``.
        plan: ``"A"`` or ``"B"``.
        item: the plan item's key.
        done: ticked.
        done_at: when it was ticked (ISO local time), None when not ticked.
        how: ``"video"`` (a filmed set of it was analysed and counted), ``"hand"`` (ticked by the user), None
            (ticked before the history recorded how, or not ticked), or :data:`PARTLY` on an item not ticked whose
            filmed set fell short of the prescription.
        detail: for an item partly done on video, what was done ("3 of 8 reps", "held 12 s of 30 s"), also kept
            when it was then ticked by hand (``how="hand"``); else None.
    """

    day: str
    plan: str
    item: str
    done: bool
    done_at: str | None
    how: str | None = None
    detail: str | None = None

    @property
    def partly(self) -> bool:
        """Not ticked, but a filmed set of it was found short of the prescription (``detail`` says how short)."""
        return not self.done and self.how == PARTLY


class Store:
    """History of sessions, sets, reps, cues, notes and the routine checklist.

    Args:
        path: database file; default :func:`default_db_path`. Parent folders are created.
        config: configuration whose exercise sections give the tempo tolerance of sets whose analysis settings do
            not record one (``tempo_tolerance_frac``); None = the defaults.

    Raises:
        StorageError: the file was written by a newer formcheck.
    """

    def __init__(self, path: str | Path | None = None, *, config: object | None = None) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        self.config = config
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            # WAL is a property of the file: set once, kept by every later connection.
            conn.execute("PRAGMA journal_mode=WAL")
            migrate(conn, config=config)

    # -- plumbing -------------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
            yield conn
        finally:
            conn.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the lock up front (no deadlock on read→write upgrade).

        All or nothing: on any error (a full disk included) the transaction is rolled back, so no half-written
        set stays in the history, and a full or read-only disk is a :class:`StorageError` in plain words.
        """
        try:
            with self._connect() as conn:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already (disk full)
                        conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")  # if this fails, closing the connection rolls the transaction back
        except (sqlite3.OperationalError, OSError) as e:
            why = _storage_problem(e)
            if why is None:
                raise
            raise StorageError(
                f"Could not save to the history ({self.path}): {why}. Nothing was half-saved.",
                hint="Free some disk space (or choose a writable folder with FORMCHECK_DATA_DIR) and save again.",
            ) from e

    @property
    def version(self) -> int:
        with self._connect() as conn:
            return schema_version(conn)

    # -- writing --------------------------------------------------------------------------------------------
    def start_session(self, source: str = "live", plan: str | None = None, started_at: str | None = None) -> int:
        """Create a session and return its id.

        Args:
            source: ``"live"`` (webcam) or ``"review"`` (uploaded video).
            plan: ``"A"``/``"B"`` when the session follows a routine plan.
            started_at: ISO time; default now (local, with offset).
        """
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO sessions (started_at, source, plan) VALUES (?, ?, ?)",
                (started_at or now_local(), source, plan),
            )
            return int(cur.lastrowid)

    def save_set(
        self,
        analysis: Analysis,
        *,
        session_id: int | None = None,
        source: str = "review",
        video_name: str | None = None,
        load_kg: float | None = None,
        created_at: str | None = None,
    ) -> SavedSet:
        """Save an analysed set with its reps and cues (the per-frame series are not kept).

        Args:
            analysis: the set.
            session_id: session to add it to; None starts a new session with ``source``.
            source: used only when a new session is started.
            video_name: file name of an uploaded video (never the video itself).
            load_kg: held load; default ``analysis.settings["load_kg"]`` when present.
            created_at: ISO time; default now.

        Returns:
            Ids of the session and the new set.
        """
        d = analysis.to_json_dict(include_series=False)
        summ = set_summary_from_json(d, config=self.config)
        when = created_at or now_local()
        if load_kg is None:
            load_kg = _f(dict(analysis.settings).get("load_kg")) if analysis.settings else None
        with self._write() as conn:
            if session_id is None:
                session_id = int(
                    conn.execute("INSERT INTO sessions (started_at, source) VALUES (?, ?)", (when, source)).lastrowid
                )
            set_id = int(
                conn.execute(
                    "INSERT INTO sets (session_id, created_at, exercise, n_reps, load_kg, video_name, "
                    "analysis_json, summary_json, tempo_adherence, target_tempo) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        session_id,
                        when,
                        analysis.exercise,
                        len(analysis.reps),
                        _f(load_kg),
                        video_name,
                        json.dumps(d, allow_nan=False),
                        summ.to_json(),
                        _f(summ.tempo_adherence),
                        summ.target_tempo,
                    ),
                ).lastrowid
            )
            conn.executemany(
                "INSERT INTO reps (set_id, rep_index, start_s, bottom_s, end_s, eccentric_s, bottom_pause_s, "
                "concentric_s, top_pause_s, time_under_tension_s, rom_deg, classification, metrics_json) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        set_id,
                        r.index,
                        _f(r.start_s),
                        _f(r.bottom_s),
                        _f(r.end_s),
                        _f(r.eccentric_s),
                        _f(r.bottom_pause_s),
                        _f(r.concentric_s),
                        _f(r.top_pause_s),
                        _f(r.time_under_tension_s),
                        _f(r.rom_deg),
                        r.classification,
                        json.dumps(r.to_dict()["metrics"], allow_nan=False),
                    )
                    for r in analysis.reps
                ],
            )
            conn.executemany(
                "INSERT INTO cues (set_id, code, severity, message, rep_index, t_s, metric, value, threshold) "
                "VALUES (?,?,?,?,?,?,?,?,?)",
                [
                    (set_id, c.code, c.severity, c.message, c.rep_index, _f(c.t_s), c.metric, _f(c.value),
                     _f(c.threshold))
                    for c in analysis.cues
                ],
            )  # fmt: skip
        return SavedSet(session_id=session_id, set_id=set_id)

    def add_note(self, text: str, session_id: int | None = None) -> int:
        """Attach a free-text note to a session (or to no session)."""
        with self._write() as conn:
            return int(
                conn.execute(
                    "INSERT INTO notes (session_id, created_at, text) VALUES (?, ?, ?)",
                    (session_id, now_local(), text),
                ).lastrowid
            )

    def set_check(
        self, day: str | dt.date, plan: str, item: str, done: bool, when: str | None = None, how: str | None = None
    ) -> None:
        """Tick (or untick) one exercise of a plan on a calendar day.

        Args:
            day: the calendar day.
            plan: ``"A"`` or ``"B"``.
            item: the plan item's key.
            done: tick (True) or untick.
            when: when it was ticked (default now); unticking clears it.
            how: ``"video"`` or ``"hand"`` (:data:`TICK_HOW`); None = not said. Unticking clears it.

        An item "partly done on video" (:meth:`set_partly`) and then ticked by hand keeps what the filmed set did
        ("3 of 8 reps"): the tick says the rest was done unfilmed, the detail what the camera saw; unticking it makes
        it partly done again. A tick from a filmed set (``how="video"``) replaces the short set's record: a full set
        was filmed.

        Raises:
            ValueError: ``how`` is not one of :data:`TICK_HOW`.
        """
        if how is not None and how not in TICK_HOW:
            raise ValueError(f"how is one of {TICK_HOW}, not {how!r}")
        row = (_day_text(day), plan, item, int(bool(done)), (when or now_local()) if done else None,
               how if done else None, PARTLY)  # fmt: skip
        with self._write() as conn:
            conn.execute(
                "INSERT INTO checklist (day, plan, item, done, done_at, how, detail) VALUES (?,?,?,?,?,?,NULL) "
                "ON CONFLICT(day, plan, item) DO UPDATE SET done = excluded.done, done_at = excluded.done_at, "
                # a hand tick keeps the short set's words; an untick keeps them and is partly done again
                "detail = CASE WHEN excluded.done = 0 OR excluded.how = 'hand' THEN checklist.detail END, "
                "how = CASE WHEN excluded.done = 0 AND checklist.detail IS NOT NULL THEN ? ELSE excluded.how END",
                row,
            )

    def set_partly(self, day: str | dt.date, plan: str, item: str, detail: str) -> bool:
        """Record that a filmed set of the item fell short of its prescription on ``day``: the item stays not
        ticked (it does not count as done) and keeps what was done ("3 of 8 reps").

        An item already ticked that day (on video or by hand) stays ticked: a short set after a full one does not
        undo it. A later short set replaces an earlier one's words.

        Args:
            day: the calendar day.
            plan: ``"A"`` or ``"B"``.
            item: the plan item's key.
            detail: what was done, in words.

        Returns:
            True when recorded, False when the item was already ticked that day (nothing changed).
        """
        day_s = _day_text(day)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO checklist (day, plan, item, done, done_at, how, detail) VALUES (?,?,?,0,NULL,?,?) "
                "ON CONFLICT(day, plan, item) DO UPDATE SET how = excluded.how, detail = excluded.detail "
                "WHERE checklist.done = 0",
                (day_s, plan, item, PARTLY, detail),
            )
            row = conn.execute(
                "SELECT done FROM checklist WHERE day = ? AND plan = ? AND item = ?", (day_s, plan, item)
            ).fetchone()
        return not row[0]

    def delete_session(self, session_id: int) -> None:
        """Remove one session with its sets, reps, cues and notes."""
        with self._write() as conn:
            conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    def delete_all(self) -> None:
        """Delete every row (history, notes, checklist) and compact the file so nothing lingers on disk."""
        with self._write() as conn:
            for table in ("cues", "reps", "sets", "notes", "sessions", "checklist"):
                conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        with self._connect() as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("VACUUM")

    # -- reading --------------------------------------------------------------------------------------------
    def sessions(self, limit: int | None = None) -> list[SessionRow]:
        """Sessions, newest first, with their set and rep counts."""
        sql = (
            "SELECT s.id, s.started_at, s.source, s.plan, COUNT(t.id), COALESCE(SUM(t.n_reps), 0) "
            "FROM sessions s LEFT JOIN sets t ON t.session_id = s.id GROUP BY s.id "
            "ORDER BY s.started_at DESC, s.id DESC"
        )
        params: tuple[Any, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (int(limit),)
        with self._connect() as conn:
            return [SessionRow(*row) for row in conn.execute(sql, params)]

    def sets(self, session_id: int | None = None, exercise: str | None = None) -> list[SetRow]:
        """Saved sets in time order (all, one session's, and/or one exercise's, by exact spec name).

        Trend values come from the summary stored with each set, keyed by the exercise spec's trend metrics;
        a set of an exercise this version does not know is listed with an empty trend.
        """
        sql = (
            "SELECT id, session_id, created_at, exercise, n_reps, load_kg, video_name, tempo_adherence, "
            "target_tempo, summary_json FROM sets"
        )
        where: list[str] = []
        params: list[Any] = []
        if session_id is not None:
            where.append("session_id = ?")
            params.append(session_id)
        if exercise is not None:
            where.append("exercise = ?")
            params.append(exercise)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created_at, id"
        with self._connect() as conn:
            rows = conn.execute(sql, params).fetchall()
        specs: dict[str, Any] = {}
        out = []
        for r in rows:
            if r[3] not in specs:
                specs[r[3]] = lookup_spec(r[3])
            summary = parse_summary_json(r[9])
            trend = trend_of(summary, specs[r[3]])
            out.append(
                SetRow(
                    id=r[0],
                    session_id=r[1],
                    created_at=r[2],
                    exercise=r[3],
                    n_reps=r[4],
                    load_kg=_nan(r[5]),
                    video_name=r[6],
                    tempo_adherence=_nan(r[7]),
                    target_tempo=r[8],
                    trend=trend,
                    n_holds=_count(summary.get("hold_count")),
                    hold_s=_stored_num(summary.get("hold_s")),
                    hold_in_band_s=_stored_num(summary.get("hold_in_band_s")),
                )
            )
        return out

    def exercises(self) -> list[str]:
        """Exercises with saved sets, in the order they were first saved."""
        with self._connect() as conn:
            rows = conn.execute("SELECT exercise FROM sets GROUP BY exercise ORDER BY MIN(created_at), MIN(id)")
            return [r[0] for r in rows]

    def reps(self, set_id: int) -> list[dict[str, Any]]:
        """Reps of a set as dicts (``Rep.to_dict()`` shape, NaN for unknowns)."""
        cols = (
            "rep_index, start_s, bottom_s, end_s, eccentric_s, bottom_pause_s, concentric_s, top_pause_s, "
            "time_under_tension_s, rom_deg, classification, metrics_json"
        )
        names = [c.strip() for c in cols.split(",")]
        out = []
        with self._connect() as conn:
            for row in conn.execute(f"SELECT {cols} FROM reps WHERE set_id = ? ORDER BY rep_index", (set_id,)):
                d = dict(zip(names, row, strict=True))
                d["index"] = d.pop("rep_index")
                d["metrics"] = {k: (math.nan if v is None else v) for k, v in json.loads(d.pop("metrics_json")).items()}
                for k in names[1:10]:
                    d[k] = _nan(d[k])
                for k in REP_DURATIONS:  # as Rep.from_dict reads them: an old negative phase is unknown
                    if k in d:
                        d[k] = duration_or_nan(d[k])
                out.append(d)
        return out

    def cues(self, set_id: int) -> list[dict[str, Any]]:
        """Cues of a set as dicts in time order."""
        names = ("code", "severity", "message", "rep_index", "t_s", "metric", "value", "threshold")
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT {', '.join(names)} FROM cues WHERE set_id = ? ORDER BY COALESCE(t_s, 0), id", (set_id,)
            ).fetchall()
        return [dict(zip(names, r, strict=True)) for r in rows]

    def analysis(self, set_id: int) -> Analysis:
        """The saved analysis of a set (without per-frame series).

        Raises:
            KeyError: no such set.
        """
        with self._connect() as conn:
            row = conn.execute("SELECT analysis_json FROM sets WHERE id = ?", (set_id,)).fetchone()
        if row is None:
            raise KeyError(f"no saved set {set_id}")
        return Analysis.from_json_dict(json.loads(row[0]))

    def notes(self, session_id: int | None = None) -> list[tuple[int, int | None, str, str]]:
        """Notes as ``(id, session_id, created_at, text)``, oldest first."""
        sql = "SELECT id, session_id, created_at, text FROM notes"
        params: tuple[Any, ...] = ()
        if session_id is not None:
            sql += " WHERE session_id = ?"
            params = (session_id,)
        with self._connect() as conn:
            return [tuple(r) for r in conn.execute(sql + " ORDER BY id", params)]  # type: ignore[misc]

    def checks(self, first_day: str | dt.date, last_day: str | dt.date) -> list[CheckEntry]:
        """Checklist entries between two days, inclusive."""
        a = first_day.isoformat() if isinstance(first_day, dt.date) else first_day
        b = last_day.isoformat() if isinstance(last_day, dt.date) else last_day
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT day, plan, item, done, done_at, how, detail FROM checklist WHERE day BETWEEN ? AND ? "
                "ORDER BY day, plan, item",
                (a, b),
            ).fetchall()
        return [CheckEntry(day=r[0], plan=r[1], item=r[2], done=bool(r[3]), done_at=r[4], how=r[5], detail=r[6])
                for r in rows]  # fmt: skip

    def sessions_per_week(self, weeks: int = 12, until: dt.date | None = None) -> list[tuple[dt.date, int]]:
        """Sessions with at least one set, counted per ISO week (Monday start) for the last ``weeks`` weeks."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT DISTINCT s.id, substr(s.started_at, 1, 10) FROM sessions s JOIN sets t ON t.session_id = s.id"
            ).fetchall()
        days = [dt.date.fromisoformat(r[1]) for r in rows]
        return weekly_counts(days, until=until or dt.date.today(), weeks=weeks)

    def counts(self) -> dict[str, int]:
        """Row counts per table (for the privacy page: what is stored)."""
        tables: Sequence[str] = ("sessions", "sets", "reps", "cues", "notes", "checklist")
        with self._connect() as conn:
            return {t: int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables}  # noqa: S608


__all__ = [
    "PARTLY",
    "SCHEMA_VERSION",
    "TICK_HOW",
    "CheckEntry",
    "SavedSet",
    "SessionRow",
    "SetRow",
    "Store",
    "data_dir",
    "default_db_path",
    "now_local",
]
