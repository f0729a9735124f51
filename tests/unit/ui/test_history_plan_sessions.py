"""The app's History page on a plan session (acceptance check #5, finding 3): a session that ran plan A is named by
it, its count is said per exercise (a bridge's reps are not added to a lunge's), the item its short filmed set left
partly done is shown, and a trend value the set's camera angle does not judge is not plotted.

Truth: what ``formcheck session --plan A --items glute_bridge,split_squat … --tick --save --session-time
2026-12-05T09:00`` saves (session.save_sets: one session with source "review" and plan "A", the sets dated as the
session; a 3-rep bridge short of its 10 reps is recorded partly done, "3 of 10 reps"); an oblique bridge whose top
line is +11° (not judged from 28.5° off side-on: tests/unit/engine/test_viewjudged.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import sys
from pathlib import Path

from formcheck.config import Config
from formcheck.routine import default_routine
from formcheck.store import Store
from formcheck.types import Analysis, Quality, Rep
from formcheck.ui import charts
from formcheck.ui.history_view import left_out_note, partly_lines, session_label, trend_not_judged

sys.path.insert(0, str(Path(__file__).parents[1] / "report"))
from fc_report_builders import make_analysis, rep_plan  # noqa: E402 - the report tests' builder

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fc_app import open_page  # noqa: E402

TOP = "hip_ext_top_deg"
STAMP = "2026-12-05T09:00:00"
DAY = dt.date(2026, 12, 5)


def bridge(top_deg: float, view: str = "oblique", n: int = 3) -> Analysis:
    reps = [Rep(index=i, start_s=3.0 * i, bottom_s=3.0 * i + 1, end_s=3.0 * i + 2.5, eccentric_s=1.0,
                bottom_pause_s=2.0, concentric_s=1.5, top_pause_s=1.0, time_under_tension_s=4.5, rom_deg=40.0,
                classification="", metrics={TOP: top_deg, "march_lift_deg": math.nan,
                                            "view_off_side_deg": 28.5 if view == "oblique" else 10.0})
            for i in range(1, n + 1)]  # fmt: skip
    q = Quality(view=view, facing="right", side_used="right", frames_total=300, person_fraction=1.0,
                full_body_fraction=1.0, multi_person_fraction=0.0, mean_visibility=0.95, position="supine")  # fmt: skip
    return Analysis(exercise="glute_bridge", reps=tuple(reps), cues=(), quality=q)


def plan_session(store: Store) -> int:
    """As 'formcheck session --plan A --save --tick --session-time 2026-12-05T09:00' leaves the store."""
    sid = store.start_session(source="review", plan="A", started_at=STAMP)
    store.save_set(bridge(11.0), session_id=sid, video_name="bridge.mp4", created_at=STAMP)
    store.save_set(make_analysis(rep_plan(6), exercise="lunge"), session_id=sid, video_name="lunge.mp4",
                   created_at=STAMP)  # fmt: skip
    store.set_partly(DAY, "A", "glute_bridge", "3 of 10 reps")
    return sid


def test_session_label_names_the_plan_and_counts_per_exercise(app_env):
    from formcheck.history import set_line

    store = Store()
    plan_session(store)
    (s,) = store.sessions()
    lines = [set_line(store, row, Config()) for row in store.sets(session_id=s.id)]
    # was "2026-12-05 09:00 · review · 2 sets · 9 reps"
    want = "2026-12-05 09:00 · plan A · 2 sets · Glute bridge 3 reps, Lunge / split squat 6 reps"
    assert session_label(s, lines) == want


def test_a_plank_session_says_its_hold(app_env):
    from formcheck.history import set_line
    from formcheck.types import Hold

    store = Store()
    a = make_analysis([], exercise="plank")
    store.save_set(dataclasses.replace(a, holds=(Hold(1, 0.4, 8.0, 7.6),)), source="live")
    (s,) = store.sessions()
    lines = [set_line(store, row, Config()) for row in store.sets(session_id=s.id)]
    assert session_label(s, lines).endswith(" · live · 1 set · Plank 1 hold (7.6 s)")


def test_partly_done_item_goes_under_its_plan_session_or_apart(app_env):
    store = Store()
    sid = plan_session(store)
    store.set_partly(DAY - dt.timedelta(days=1), "B", "sphinx", "held 12 s of 20 s")  # no session that day
    routine = default_routine()
    under, apart = partly_lines(store, routine, store.sessions(), DAY - dt.timedelta(days=7), DAY)
    assert under == {sid: ["Glute bridge partly done on video: 3 of 10 reps"]}
    sphinx = next(e.name for e in routine.plans["B"].exercises if e.key == "sphinx")
    assert apart == [f"2026-12-04 · plan B · {sphinx} partly done on video: held 12 s of 20 s"]
    store.set_check(DAY, "A", "glute_bridge", True, how="hand")  # the rest done unfilmed, ticked by hand
    under, _ = partly_lines(store, routine, store.sessions(), DAY, DAY)
    assert under == {sid: ["Glute bridge ticked by hand after a set partly done on video: 3 of 10 reps"]}


def test_trend_leaves_out_a_value_the_camera_angle_does_not_judge(app_env):
    store = Store()
    store.save_set(bridge(11.0, "oblique"), video_name="oblique.mp4")  # "+11 (not judged)" in its table
    store.save_set(bridge(8.0, "side"), video_name="side.mp4")  # judged from the side
    store.save_set(bridge(-10.0, "oblique"), video_name="short.mp4")  # 10° short: judged from an angle too
    rows = store.sets(exercise="glute_bridge")
    off = trend_not_judged(store, rows, Config())
    spec = next(m for m in charts.trend_specs("glute_bridge") if m.key == TOP)
    frame = charts.trend_frame(rows, (spec,), off)
    assert [None if math.isnan(v) else round(v) for v in frame[TOP]] == [None, 8, -10]  # the old code plotted 11
    assert charts.trend_frame(rows, (spec,))[TOP].notna().all()  # without the marks every value is plotted
    assert left_out_note(off, TOP, rows) == "1 set left out: not judged from its camera angle"


def test_history_page_shows_the_plan_session_and_its_partly_done_item(app_env):
    from formcheck.types import Hold

    store = Store()
    plan_session(store)
    plank = make_analysis([], exercise="plank")
    store.save_set(dataclasses.replace(plank, holds=(Hold(1, 0.4, 8.0, 7.6),)), source="live")
    at = open_page("history", "History")
    assert any("Held s" in d.value.columns for d in at.dataframe)  # the plank's hold table, not an empty rep table
    labels = [e.label for e in at.expander]
    assert "2026-12-05 09:00 · plan A · 2 sets · Glute bridge 3 reps, Lunge / split squat 6 reps" in labels
    assert not any(" · review · " in x or "9 reps" in x for x in labels)
    assert "Glute bridge partly done on video: 3 of 10 reps" in [c.value for c in at.caption]
    assert "1 set left out: not judged from its camera angle." in [c.value for c in at.caption]
