"""History store: sessions, sets, reps, cues, notes and the routine checklist in one SQLite file.

Usage::

    store = Store()                       # $FORMCHECK_DB or <user data dir>/history.sqlite3
    store = Store(config=cfg)             # tempo tolerance from cfg for sets that did not record theirs
    saved = store.save_set(analysis, source="review", video_name="monday.mp4")
    store.sets()                          # every set, time order
    store.sets(exercise="hinge")          # one exercise's sets (also: session_id=...)
    store.exercises()                     # exercises with saved sets, first saved first

Trends (API for the History page, ``formcheck/ui`` and ``app.py``):

* Generic numbers every exercise has are plain :class:`SetRow` fields: ``n_reps``, ``tempo_adherence`` (0..1,
  NaN unknown), ``target_tempo`` (``"3-1-2-1"`` or None), ``load_kg``; for hold exercises ``n_holds``,
  ``hold_s`` and ``hold_in_band_s``.
* The exercise's own trend numbers are ``SetRow.trend``: a read-only mapping spec key -> the set's mean over reps
  (NaN when unknown). Its keys are exactly the exercise's rep metrics shown in ``"trend"``; label, unit, scale,
  format and which way is better come from the same specs::

      from formcheck.engine.registry import find_spec

      for ex in store.exercises():
          spec = find_spec(ex)
          if spec is None:          # saved by a newer formcheck: its data is kept, no trend is shown
              continue
          rows = store.sets(exercise=ex)
          for m in spec.metric_specs("trend", kind="rep"):
              ys = [r.trend.get(m.key, float("nan")) * m.scale for r in rows]   # plot as m.short / m.unit
              # m.better: "higher" | "lower" | ""; m.format(value) for a table cell


Storage: ``sets.summary_json`` holds the per-exercise summary (layout in :mod:`formcheck.store.summary`), written
with every set and filled for older rows from their ``analysis_json`` by schema migration 4.
"""

from formcheck.store.db import (
    PARTLY,
    SCHEMA_VERSION,
    TICK_HOW,
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
    "PARTLY",
    "SCHEMA_VERSION",
    "TICK_HOW",
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
