"""History store: sessions, sets, reps, cues, notes and the routine checklist in one SQLite file.

Usage::

    store = Store()                       # $FORMCHECK_DB or <user data dir>/history.sqlite3
    saved = store.save_set(analysis, source="review", video_name="monday.mp4")
    store.sets()                          # trends: hip share, tempo adherence per set
"""

from formcheck.store.db import (
    SCHEMA_VERSION,
    CheckEntry,
    SavedSet,
    SessionRow,
    SetRow,
    Store,
    data_dir,
    default_db_path,
    now_local,
)
from formcheck.store.summary import SetSummary, format_tempo, set_summary_from_json, weekly_counts

__all__ = [
    "SCHEMA_VERSION",
    "CheckEntry",
    "SavedSet",
    "SessionRow",
    "SetRow",
    "SetSummary",
    "Store",
    "data_dir",
    "default_db_path",
    "format_tempo",
    "now_local",
    "set_summary_from_json",
    "weekly_counts",
]
