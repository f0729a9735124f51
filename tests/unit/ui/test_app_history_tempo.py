"""The app (app.py through Streamlit's AppTest): one unreadable saved set does not take down the History page, and
the tempo field follows the CLI's rule (none for an exercise timed as a hold; the exercise's own phase order in its
error).

Pages are opened as fc_app.open_page says (an app run, then the page registered under the page's address).
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from formcheck.store import Store

sys.path.insert(0, str(Path(__file__).parents[1] / "report"))
from fc_report_builders import make_analysis, rep_plan  # noqa: E402 - the report tests' builder

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fc_app import open_page  # noqa: E402


def test_history_survives_an_unreadable_set_and_the_tempo_field_follows_the_cli(app_env):
    """One app run for both pages (an AppTest start costs seconds)."""
    store = Store()
    good = store.save_set(make_analysis(rep_plan(3)), video_name="good.mp4")
    bad = store.save_set(make_analysis(rep_plan(2)), session_id=good.session_id, video_name="bad.mp4")
    with sqlite3.connect(app_env / "data" / "history.sqlite3") as conn:  # what a future version might have written
        conn.execute("UPDATE sets SET analysis_json = ? WHERE id = ?", ('{"schema": "formcheck.analysis/99"}',
                                                                      bad.set_id))  # fmt: skip
    at = open_page("history", "History")
    assert any(w.value.startswith("Unreadable:") for w in at.warning)
    assert len(at.dataframe) >= 1  # the readable set's reps are still shown
    # the readable set's verdict, as 'formcheck history' gives it (3 clean reps: nothing to correct)
    assert [c.value for c in at.caption if c.value.startswith("Focus next:")] == ["Focus next: nothing to correct"]

    at = open_page("review", "Review a video", at)
    at.selectbox(key="exercise").set_value("side_plank").run()
    assert not [t for t in at.text_input if t.label.startswith("Tempo")]  # the CLI refuses --tempo for it too
    at.selectbox(key="exercise").set_value("glute_bridge").run()
    at.text_input(key="tempo_glute_bridge").set_value("1-30-2-1").run()
    errors = [e.value for e in at.error]
    assert any("at most 20 s" in e and "up-hold-down-rest" in e for e in errors), errors
    assert not any("lowering" in e for e in errors)
