"""Live page text: banner priority, status line, speech snippet."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

from formcheck.config import Config
from formcheck.live import LiveSnapshot
from formcheck.types import Cue, Hold, Rep
from formcheck.ui.live_view import banner, count_metric, live_tables, speak_html, status_line
from formcheck.ui.tables import hold_rows, top_cue_per_hold

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fc_fake_exercise as fake  # noqa: E402

CUE = Cue("load.toes", "warn", "Shift your weight back about 2 cm", 20)


@pytest.mark.parametrize(
    ("snap", "kind", "words"),
    [
        (LiveSnapshot(), "info", "Press START"),
        (LiveSnapshot(running=True, frames_in=3, setup_message="Step back"), "warning", "Setup: Step back"),
        (LiveSnapshot(running=True, frames_in=3, ready=True, cue=CUE), "warning", "Shift your weight"),
        (LiveSnapshot(running=True, frames_in=3, ready=True), "success", "Counting"),
        (LiveSnapshot(running=True, frames_in=3, ready=True, cue=CUE, error="Model broke."), "error", "Model broke."),
    ],
)
def test_banner(snap, kind, words):
    k, text = banner(snap)
    assert k == kind and words in text


def test_status_line():
    assert status_line(LiveSnapshot()) == "Camera not started."
    s = LiveSnapshot(running=True, frames_in=100, frames_processed=90, frames_dropped=10, fps=27.4, proc_ms=31.2)
    assert status_line(s) == "Camera running · 27 fps, 31 ms behind the camera · 10% frames skipped to stay live"
    assert "– fps" in status_line(LiveSnapshot(frames_in=1, fps=math.nan))


def test_speak_html_escapes_text():
    html = speak_html('Say "hi" </script><b>', 7)
    payload = html.split("const p=", 1)[1].split(";let w", 1)[0]
    assert json.loads(payload) == {"text": 'Say "hi" </script><b>', "serial": 7}
    assert html.count("</script>") == 1


def test_phase_words_are_plain():
    from formcheck.ui.live_view import phase_words

    assert phase_words("concentric", True) == "rising" and phase_words("eccentric", True) == "lowering"
    assert phase_words("concentric", False) == "–" and phase_words(None, True) == "–"
    assert phase_words("some_new_phase", True) == "some new phase"


def test_next_set_advice_one_line_per_kind():
    from formcheck.types import Cue
    from formcheck.ui.live_view import next_set_advice

    cues = [
        Cue("tempo.eccentric_fast", "info", "Lower for 3 s — that one took 1.9 s", 40, rep_index=1, t_s=3.0),
        Cue("tempo.eccentric_fast", "info", "Lower for 3 s — that one took 2.0 s", 40, rep_index=2, t_s=9.0),
        Cue("tempo.eccentric_fast", "info", "Lower for 3 s — that one took 1.7 s", 40, rep_index=3, t_s=15.0),
        Cue("spine.rounding", "safety", "Keep your back long — it rounded about 20°", 10, rep_index=2, t_s=10.0),
        Cue("praise.clean", "praise", "Clean rep", 90, rep_index=4, t_s=20.0),
    ]
    assert next_set_advice(cues) == [
        "Keep your back long — it rounded about 20° (1 of 4 reps)",
        "Lower for 3 s — that one took 1.7 s (3 of 4 reps)",
    ]
    assert next_set_advice(cues[-1:]) == []


def test_live_tables_list_the_holds_with_their_cues_then_the_reps(monkeypatch):
    """A bridge held while marching: hold 1 and rep 1 share an index, each row keeps its own cue."""
    fake.install(monkeypatch)
    hold = Hold(1, 2.0, 12.0, 8.0, metrics={"wobble_deg": 3.4})
    rep = Rep(1, 3.0, 5.0, 7.0, 2.0, 0.0, 2.0, math.nan, 4.0, 50.0, "steady", {"reach_cm": 31.6})
    hold_cue = Cue("reach.wobble", "warn", "Hold stiller", 40, t_s=7.0)
    rep_cue = Cue("reach.short", "warn", "Reach 5 cm further", 30, rep_index=1, t_s=5.0)
    snap = LiveSnapshot(reps=(rep,), rep_cues={1: rep_cue}, holds=(hold,), hold_cues={1: hold_cue})
    tables = live_tables(snap, fake.NAME, Config())
    assert [title for title, _ in tables] == ["Holds in this set", "Reps in this set"]
    (held,), (counted,) = (rows for _, rows in tables)
    assert held["Hold"] == "1" and held["Wobble °"] == "3" and held["Cue"] == "Hold stiller"
    assert counted["Rep"] == "1" and counted["Reach cm"] == "32" and counted["Cue"] == "Reach 5 cm further"
    # the file-analysis page shows the same hold row from the saved set's cue list
    assert tables[0][1] == hold_rows(
        (hold,), top_cue_per_hold([rep_cue, hold_cue], (hold,)), exercise=fake.NAME, view="side", config=Config()
    )
    # a plank set has only holds; before anything finished there is no table
    assert [t for t, _ in live_tables(LiveSnapshot(holds=(hold,)), fake.NAME, Config())] == ["Holds in this set"]
    assert live_tables(LiveSnapshot(holds=(hold,)), fake.NAME, Config())[0][1][0]["Cue"] == ""
    assert live_tables(LiveSnapshot(), fake.NAME, Config()) == []


@pytest.mark.parametrize(
    ("snap", "counted"),
    [
        (LiveSnapshot(exercise="plank", holds=(Hold(1, 0.4, 8.0, 7.6),)), ("Holds", 1)),  # was "Reps 0"
        (LiveSnapshot(exercise="plank"), ("Holds", 0)),
        # a side plank's arm reaches counted in its hold: both, as the saved set's "4 reps, 1 hold" (review finding)
        (
            LiveSnapshot(exercise="side_plank", holds=(Hold(1, 0.3, 12.8, 12.5),), rep_count=4),
            ("Holds · reps", "1 · 4"),
        ),
        (LiveSnapshot(exercise="hinge", rep_count=3), ("Reps", 3)),
        (LiveSnapshot(rep_count=0), ("Reps", 0)),  # not recognised yet
    ],
)
def test_live_counter_counts_holds_for_a_hold_exercise(snap, counted):
    assert count_metric(snap) == counted
