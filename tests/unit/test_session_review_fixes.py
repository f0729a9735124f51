"""Session review fixes: per-side counts with untold sides, per-side holds, "not counted", the app's plan-run report
through the CLI's code path, the tick dated as the report, and the 20 s tempo ceiling only for new input.

Synthetic analyses with known counts and sides (no video): the prescription and what was done are both known here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from formcheck.config import MAX_TEMPO_PHASE_S, parse_tempo, tempo_order
from formcheck.errors import ConfigError, NoPersonError
from formcheck.routine import Exercise, Plan, Routine, check_links, default_routine, load_routine, routine_to_toml
from formcheck.session import (
    PlanStep,
    SessionResult,
    SessionSet,
    compare_set,
    future_session_day,
    run_session,
    session_meta,
    step_config,
    tick_day,
)
from formcheck.store.summary import parse_tempo_text
from formcheck.types import Analysis, Hold, Quality, VideoInfo

sys.path.insert(0, str(Path(__file__).parent / "report"))
from fc_report_builders import make_analysis, rep_plan  # noqa: E402 - the report tests' builder

BIRD = Exercise("bird_dog", "Bird-dog", 2, 6, "quadruped", "anti-extension", per_side=True, hold_s=3.0)
DEAD_BUG = Exercise("dead_bug", "Dead bug", 2, 5, "supine", "anti-extension", per_side=True)
SIDE_PLANK = Exercise("side_plank", "Side plank", 2, 1, "side_lying", "anti-lateral flexion", per_side=True,
                      hold_s=20.0)  # fmt: skip
SPHINX = Exercise("sphinx", "Sphinx hold", 3, 1, "prone", "gentle extension", hold_s=20.0)


def _sided(left: int, right: int, unknown: int) -> Analysis:
    sides = ["left"] * left + ["right"] * right + [None] * unknown
    reps = [dataclasses.replace(r, side=s) for r, s in zip(rep_plan(len(sides)), sides, strict=True)]
    return make_analysis(reps, exercise="bird_dog")


@pytest.mark.parametrize(
    ("item", "left", "right", "unknown", "done", "short"),
    [
        # one rep's side untold: it may be the right's 6th, so 6 left / 5 right / 1 untold is not short
        (BIRD, 6, 5, 1, "6 left, 5 right, 1 side not told of 6 reps per side", ""),
        # ... but 6 / 4 / 1 is short whatever side it was on (right at most 5)
        (
            BIRD,
            6,
            4,
            1,
            "6 left, 4 right, 1 side not told of 6 reps per side",
            "Do all 6 reps per side — 6 left, 4 right, 1 side not told were counted this time.",
        ),
        (BIRD, 6, 6, 0, "6 left, 6 right of 6 reps per side", ""),
        # no side told at all: the total is compared with reps x 2, never with the per-side number
        (
            DEAD_BUG,
            0,
            0,
            6,
            "6 in all (sides not told apart) of 10 reps (5 per side)",
            "Do all 10 reps (5 per side) — 6 in all (sides not told apart) were counted this time.",
        ),
        (DEAD_BUG, 0, 0, 10, "10 in all (sides not told apart) of 10 reps (5 per side)", ""),
    ],
)
def test_reps_per_side_with_untold_sides(item, left, right, unknown, done, short):
    a = _sided(left, right, unknown)
    c = compare_set(SessionSet(PlanStep(item, "bird_dog"), "c.mp4", a))
    got_done, note, got_short = c.done, c.note, c.short_of
    assert got_done == done
    assert got_short == short
    assert ("the full set" in note) == (short == "")


def test_no_sides_three_and_three_is_not_the_full_five_per_side():
    c = compare_set(SessionSet(PlanStep(DEAD_BUG, "bird_dog"), "c.mp4", _sided(0, 0, 6)))
    note, short = c.note, c.short_of
    assert "4 short of the 10 (5 per side)" in note and "the full set" not in note and short


def _holds(*held: tuple[str | None, float]) -> Analysis:
    q = Quality(view="front", facing="right", side_used="right", frames_total=900, person_fraction=1.0,
                full_body_fraction=1.0, position="side_lying")  # fmt: skip
    holds, t = [], 1.0
    for i, (side, secs) in enumerate(held, 1):
        holds.append(Hold(i, t, t + secs, secs, side=side))
        t += secs + 5.0
    return Analysis("side_plank", (), (), q, holds=tuple(holds))


@pytest.mark.parametrize(
    ("holds", "done", "short"),
    [
        (
            (("left", 20.0), ("right", 8.0)),
            "held 20 s left, 8 s right of 20 s per side",
            "Hold for the full 20 s on the right side — this time 8 s.",
        ),
        (
            (("left", 7.0), ("right", 21.0)),
            "held 7 s left, 21 s right of 20 s per side",
            "Hold for the full 20 s on the left side — this time 7 s.",
        ),
        (
            (("left", 21.0),),
            "held 21 s left, none right of 20 s per side",
            "Hold for the full 20 s on the right side — this time 0 s.",
        ),
        ((("left", 20.0), ("right", 20.0)), "held 20 s left, 20 s right of 20 s per side", ""),
        # a hold whose side was not told may be the short side's: 8 s right + untold 20 s is not short
        ((("left", 20.0), ("right", 8.0), (None, 20.0)), "held 20 s left, 20 s right of 20 s per side", ""),
    ],
)
def test_per_side_holds_are_judged_on_the_shorter_side(holds, done, short):
    s = SessionSet(PlanStep(SIDE_PLANK, "side_plank"), "c.mp4", _holds(*holds))
    c = compare_set(s)
    got_done, note, got_short = c.done, c.note, c.short_of
    assert got_done == done
    assert got_short == short
    assert ("the full 20 s" in note) == (short == "")


def test_a_set_not_judged_reads_not_counted_in_the_done_column():
    a = make_analysis(rep_plan(8), exercise="hinge")
    a = dataclasses.replace(a, quality=dataclasses.replace(a.quality, position="supine"))
    hinge = Exercise("hip_hinge", "Hip hinge", 2, 8, "standing", "hinge")
    c = compare_set(SessionSet(PlanStep(hinge, "hinge"), "c.mp4", a))
    done, note = c.done, c.note
    assert done == "not counted"
    assert "Not counted: this set looks like a supine exercise" in note


SEATED_HINGE = Exercise("seated_hinge", "Seated hip hinge", 2, 8, "seated", "hinge")


@pytest.mark.parametrize(
    ("filmed", "counted", "why"),
    [
        ("standing", False, "it was filmed standing, and the plan's seated hip hinge is done seated"),
        ("kneeling", False, "it was filmed kneeling, and the plan's seated hip hinge is done seated"),
        ("seated", True, ""),
        ("unknown", True, ""),  # the camera could not tell: never held against the set
        ("", True, ""),
    ],
)
def test_a_hinge_filmed_in_another_position_than_the_item_is_judged_but_not_counted(filmed, counted, why):
    # The hinge analyzer checks standing, seated and kneeling sets: a standing set keeps its own form cues, but it is
    # not the seated hinge the plan prescribes (an acceptance check found it ticked without a word).
    a = make_analysis(rep_plan(8), exercise="hinge")
    a = dataclasses.replace(a, quality=dataclasses.replace(a.quality, position=filmed))
    s = SessionSet(PlanStep(SEATED_HINGE, "hinge"), "c.mp4", a)
    assert s.not_judged == ""  # the hinge judges all three positions: its numbers stand
    assert (s.counted, s.why_not_counted()) == (counted, why)
    c = compare_set(s)
    done, note = c.done, c.note
    assert (done == "not counted") == (not counted)
    assert (f"Not counted: {why}." in note) if why else ("Counted: 8 of 8" in note or "the full set" in note)
    result = run_session(Plan("A", "A plan", (SEATED_HINGE,)), ["c.mp4"], lambda clip, step, cfg: a)
    assert result.items_done() == (["seated_hinge"] if counted else [])


# -- the app's plan-run report is the CLI's ---------------------------------------------------------------------


def _text(data: bytes) -> str:
    return re.sub(r"\n+", "\n", html.unescape(re.sub(r"<[^>]+>", "\n", data.decode("utf-8"))))


def _short_hold_and_dark_clip() -> SessionResult:
    q = Quality(view="side", facing="right", side_used="right", frames_total=900, person_fraction=1.0,
                full_body_fraction=1.0, position="prone")  # fmt: skip
    short_hold = Analysis("prone_extension", (), (), q, holds=(Hold(1, 2.0, 8.3, 6.3),))
    hinge = Exercise("hip_hinge", "Hip hinge", 2, 8, "standing", "hinge", tempo="3-1-2-1")

    def analyse(clip, step, cfg):
        if clip == "dark.mp4":
            raise NoPersonError("Nobody was found in dark.mp4.")
        return short_hold

    return run_session(Plan("B", "B plan", (SPHINX, hinge)), ["s.mp4", "dark.mp4"], analyse)


def test_the_app_plan_run_report_compares_each_set_with_its_prescription(tmp_path):
    from formcheck.config import Config
    from formcheck.ui.routine_run import session_reports

    reports = session_reports(_short_hold_and_dark_clip(), Config(), tmp_path)
    text = _text(reports[".html"])
    assert "held 6.3 s of 20 s" in text
    assert "Hold for the full 20 s — this time 6.3 s." in text
    assert "A clean set — well done." not in text  # a 6 s hold of 20 s is not praised as complete
    assert "Filmed (dark.mp4) but not analysed: Nobody was found" in text


def test_the_app_says_why_a_filmed_item_was_not_ticked():
    from formcheck.ui.routine_run import not_ticked_lines

    assert not_ticked_lines(_short_hold_and_dark_clip()) == [
        "Not ticked: Hip hinge — it could not be analysed (Nobody was found in dark.mp4)."
    ]


# -- the tick is dated as the report -----------------------------------------------------------------------------


def test_the_tick_day_is_the_day_the_report_names(tmp_path):
    clip = tmp_path / "yesterday.mp4"
    clip.write_bytes(b"not a real video")  # no creation tag: the file time dates it
    yesterday = dt.datetime.now() - dt.timedelta(days=1)
    os.utime(clip, (yesterday.timestamp(), yesterday.timestamp()))
    a = make_analysis(rep_plan(8), video=VideoInfo(str(clip), 640, 480, 30.0, 300, 10.0))
    hinge = Exercise("hip_hinge", "Hip hinge", 2, 8, "standing", "hinge")
    result = SessionResult(Plan("A", "A plan", (hinge,)), (SessionSet(PlanStep(hinge, "hinge"), clip.name, a),), ())
    meta = session_meta(result)
    assert meta.session_at is not None and meta.session_at.date() == yesterday.date()
    assert tick_day(meta) == yesterday.date()
    assert tick_day(session_meta(SessionResult(result.plan, (), ()))) == dt.date.today()  # nothing to date it by


def test_a_session_dated_in_the_future_ticks_today_and_says_why():
    # A mistyped --session-time or a camera's wrong clock: the checklist refuses a future day by hand, so the
    # session's tick does not land there either.
    today = dt.date(2026, 12, 7)
    future = SimpleNamespace(session_at=dt.datetime(2026, 12, 9, 9, 0))
    past = SimpleNamespace(session_at=dt.datetime(2026, 12, 5, 9, 0))
    assert (tick_day(future, today), future_session_day(future, today)) == (today, dt.date(2026, 12, 9))
    assert (tick_day(past, today), future_session_day(past, today)) == (dt.date(2026, 12, 5), None)
    assert (tick_day(SimpleNamespace(), today), future_session_day(None, today)) == (today, None)


@pytest.mark.parametrize(
    ("session_at", "day"),
    [(dt.datetime(2026, 12, 5, 9, 30), "2026-12-05"), (dt.datetime(2026, 12, 9, 9, 0), None), (None, None)],
    ids=["recorded-before", "future-clock", "unknown"],
)
def test_saved_sets_are_dated_as_the_report_and_live_sets_are_not_saved_twice(tmp_path, session_at, day):
    # The CLI's session --save and the app's plan run both save here: the history lists the sets on the day the
    # checklist is ticked (a future date: now, as the tick goes on today's).
    from formcheck.session import LIVE_SOURCE, save_sets
    from formcheck.store import Store

    store = Store(tmp_path / "h.db")
    hinge = Exercise("hip_hinge", "Hip hinge", 2, 8, "standing", "hinge")
    a = make_analysis(rep_plan(3))
    sets = (SessionSet(PlanStep(hinge, "hinge", 1), "/tmp/up/clip1.mp4", a),
            SessionSet(PlanStep(hinge, "hinge", 2), LIVE_SOURCE, a),
            SessionSet(PlanStep(hinge, "hinge", 2), "dark.mp4", None, "Nobody was found", 4))  # fmt: skip
    result = SessionResult(Plan("A", "A plan", (hinge,)), sets, ())
    assert save_sets(result, store, SimpleNamespace(session_at=session_at), dt.date(2026, 12, 7)) == 1
    (row,) = store.sets()
    assert row.video_name == "clip1.mp4"  # the name only, never where the upload was kept
    assert row.created_at[:10] == (day or dt.date.today().isoformat())


# -- the 20 s tempo ceiling is for new input only ------------------------------------------------------------------


OLD_TEMPO = "3-30-2-0"  # saved before the ceiling existed


def test_a_routine_saved_with_a_long_phase_still_loads(tmp_path):
    r = default_routine()
    a = r.plans["A"]
    hinge = next(e for e in a.exercises if e.key == "hip_hinge")
    old = dataclasses.replace(hinge, tempo="3-1-2-1")
    toml = routine_to_toml(r.with_plan(dataclasses.replace(a, exercises=(old, *a.exercises[1:]))))
    path = tmp_path / "routine.toml"
    path.write_text(toml.replace('tempo = "3-1-2-1"', f'tempo = "{OLD_TEMPO}"', 1), encoding="utf-8")
    loaded = load_routine(path)
    item = next(e for e in loaded.plans["A"].exercises if e.tempo == OLD_TEMPO)
    assert item.seconds_per_rep == 35.0
    cfg = step_config(PlanStep(item, "hinge"), __import__("formcheck.config").config.Config())
    assert cfg.exercise_config("hinge").target_tempo_s == (3.0, 30.0, 2.0, 0.0)
    assert parse_tempo_text(OLD_TEMPO) == (3.0, 30.0, 2.0, 0.0)  # a history row from before still reads
    # ... but new input is held to the ceiling: the plan editor's check before saving, and typed tempos
    with pytest.raises(ConfigError, match=r"Plan A, .*at most 20 s"):
        check_links(loaded)
    with pytest.raises(ConfigError, match="at most 20 s"):
        parse_tempo(OLD_TEMPO)
    assert MAX_TEMPO_PHASE_S == 20.0
    assert isinstance(loaded, Routine)


@pytest.mark.parametrize(
    ("exercise", "order"),
    [("plank", None), ("side_plank", None), ("prone_extension", None), ("glute_bridge", "up-hold-down-rest"),
     ("hinge", "lower-pause-rise-top"), ("not_registered", "lowering-pause-rising-pause")],
)  # fmt: skip
def test_tempo_order_is_none_for_holds(exercise, order):
    """The one rule the CLI's --tempo and the app's tempo field follow."""
    assert tempo_order(exercise) == order
