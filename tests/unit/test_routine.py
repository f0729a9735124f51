"""A/B routine: defaults, dose text, TOML round trip and validation, checklist adherence."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from formcheck.body.position import Position
from formcheck.errors import ConfigError
from formcheck.routine import (
    POSITIONS,
    Exercise,
    Plan,
    adherence,
    default_routine,
    exercise_from_dict,
    load_routine,
    routine_from_toml,
    routine_to_toml,
    save_routine,
)
from formcheck.store import CheckEntry


def test_defaults_follow_the_brief():
    r = default_routine()
    a, b = r.plans["A"], r.plans["B"]
    doses = {e.key: e.dose() for e in a.exercises}
    assert doses == {
        "hip_hinge": "2 × 8 (3-1-2-1)",
        "bird_dog": "2 × 6/side, 3 s holds",
        "glute_bridge": "2 × 10 (2-1-2-0)",
        "side_plank": "2 × 20 s/side",
        "split_squat": "2 × 6/side (2-1-2-0)",
    }
    assert {e.key: e.dose() for e in b.exercises} == {
        "cat_camel": "8 slow",
        "knee_rocks": "10 slow",
        "open_book": "5/side slow",
        "sphinx": "3 × 20 s",
        "seated_hinge": "8 (2-1-2-0)",
    }
    # B is the ~5-minute version; A is longer but still short.
    assert 4.0 <= b.est_minutes() <= 6.5
    assert b.est_minutes() < a.est_minutes() <= 20
    # varied positions and families in each plan
    assert len(a.positions()) >= 4 and len(b.positions()) >= 4
    assert len(set(a.families())) == len(a.exercises)
    assert next(e for e in a.exercises if e.key == "hip_hinge").analyzer == "hinge"


@pytest.mark.parametrize(
    ("kw", "dose", "seconds"),
    [
        ({"sets": 2, "reps": 8, "tempo": "3-1-2-1"}, "2 × 8 (3-1-2-1)", 2 * 8 * 7 + 30),
        ({"sets": 2, "reps": 1, "hold_s": 20.0, "per_side": True}, "2 × 20 s/side", 2 * 2 * 21 + 30),
        ({"sets": 1, "reps": 10}, "10", 30),
        ({"sets": 3, "reps": 1, "hold_s": 20.0}, "3 × 20 s", 3 * 21 + 60),
        ({"sets": 2, "reps": 6, "hold_s": 3.0, "per_side": True}, "2 × 6/side, 3 s holds", 2 * 6 * 2 * 4 + 30),
    ],
)
def test_dose_and_time(kw, dose, seconds):
    e = Exercise("x", "X", position="standing", family="f", **kw)
    assert e.dose() == dose
    assert e.est_seconds(rest_s=30.0) == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"sets": 0}, "sets"),
        ({"reps": 2.5}, "reps"),
        ({"position": "upside down"}, "position must be one of"),
        ({"tempo": "fast"}, "Tempo"),
        ({"key": "has space"}, "key"),
        ({"name": " "}, "name"),
        ({"hold_s": -1.0}, "hold"),
    ],
)
def test_invalid_exercise_is_explained(change, words):
    base = {"key": "x", "name": "X", "sets": 2, "reps": 8, "position": "standing", "family": "f"}
    with pytest.raises(ConfigError, match=words):
        exercise_from_dict({**base, **change})


def test_plan_rejects_duplicates_and_empties():
    e = Exercise("x", "X", 1, 1, "standing", "f")
    with pytest.raises(ConfigError, match="twice"):
        Plan("A", "t", (e, e))
    with pytest.raises(ConfigError, match="at least one"):
        Plan("B", "t", ())
    with pytest.raises(ConfigError, match="A or B"):
        Plan("C", "t", (e,))


def test_exercise_from_table_row_tolerates_blank_optional_cells():
    row = {"key": "x", "name": "X", "sets": 2.0, "reps": 8, "position": "seated", "family": "f",
           "tempo": None, "hold_s": float("nan"), "per_side": False}  # fmt: skip
    e = exercise_from_dict(row)
    assert (e.sets, e.tempo, e.hold_s) == (2, "", 0.0)


def test_toml_round_trip_and_files(tmp_path, monkeypatch):
    r = default_routine().with_anchor('after the "school run"')
    text = routine_to_toml(r)
    assert routine_from_toml(text) == r
    monkeypatch.setenv("FORMCHECK_ROUTINE", str(tmp_path / "r.toml"))
    assert load_routine() == default_routine()  # no file yet → defaults
    edited = r.with_plan(dataclasses.replace(r.plans["B"], rest_s=5.0))
    save_routine(edited)
    assert load_routine() == edited
    assert set(POSITIONS) >= {e.position for p in edited.plans.values() for e in p.exercises}


def test_positions_are_the_body_position_type():
    assert POSITIONS == ("standing", "seated", "kneeling", "quadruped", "supine", "prone", "side_lying")
    assert {e.position for p in default_routine().plans.values() for e in p.exercises} <= set(Position)
    bird_dog = next(e for e in default_routine().plans["A"].exercises if e.key == "bird_dog")
    assert bird_dog.position is Position.QUADRUPED


@pytest.mark.parametrize(
    ("written", "read"),
    [("sidelying", Position.SIDE_LYING), ("side_lying", Position.SIDE_LYING), ("Side-lying", Position.SIDE_LYING),
     ("quadruped", Position.QUADRUPED), ("kneeling", Position.KNEELING), ("seated", Position.SEATED)],
)  # fmt: skip
def test_old_and_new_position_names_read_as_one_position(written, read):
    text = routine_to_toml(default_routine()).replace('position = "standing"', f'position = "{written}"', 1)
    r = routine_from_toml(text)
    assert r.plans["A"].exercises[0].position is read
    # Written back with today's name, and read back unchanged.
    assert f'position = "{read.value}"' in routine_to_toml(r)
    assert routine_from_toml(routine_to_toml(r)) == r


@pytest.mark.parametrize("bad", ["unknown", "lying", ""])
def test_unknown_is_not_an_exercise_position(bad):
    with pytest.raises(ConfigError, match="position must be one of"):
        Exercise("x", "X", 1, 1, bad, "f")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("anchor = ", "not valid TOML"),
        ("anchor = 'x'", "plans.A"),
        ("[plans.A]\nexercises = []\n[plans.B]\nexercises = []", "at least one"),
    ],
)
def test_bad_file_is_explained_and_left_alone(tmp_path, text, words):
    p = tmp_path / "r.toml"
    p.write_text(text)
    with pytest.raises(ConfigError, match=words) as e:
        load_routine(p)
    assert "delete the file" in str(e.value)
    assert p.read_text() == text


def _ticks(day: str, plan: str, items, done=True):
    return [CheckEntry(day, plan, i, done, None) for i in items]


def test_adherence_counts_either_plan_and_streak():
    r = default_routine()
    a_keys = [e.key for e in r.plans["A"].exercises]
    b_keys = [e.key for e in r.plans["B"].exercises]
    entries = (
        _ticks("2025-01-01", "A", a_keys)
        + _ticks("2025-01-02", "B", b_keys)  # flare-up day still counts
        + _ticks("2025-01-03", "A", a_keys[:-1])  # partial
        + _ticks("2025-01-04", "A", a_keys)
        + _ticks("2025-01-04", "B", b_keys)  # both: counted once, as A
        + _ticks("2025-01-05", "B", b_keys[:-1])
        + _ticks("2025-01-05", "B", b_keys[-1:], done=False)  # unticked again
        + _ticks("2025-01-06", "A", a_keys)
        + _ticks("2025-01-06", "A", ["retired_exercise"])  # not in the plan any more: ignored
    )
    adh = adherence(entries, r, dt.date(2025, 1, 1), dt.date(2025, 1, 7))
    assert [s.plan for s in adh.days] == ["A", "B", None, "A", None, "A", None]
    assert adh.days[2].done == {"A": 4, "B": 0} and adh.days[2].total == {"A": 5, "B": 5}
    assert (adh.n_days, adh.days_complete) == (7, 4)
    assert adh.rate == pytest.approx(4 / 7)
    assert adh.streak == 1  # the 6th; the 7th (today) is still open
    assert adh.plan_counts == {"A": 3, "B": 1}


def test_adherence_streak_includes_a_finished_today():
    r = default_routine()
    b_keys = [e.key for e in r.plans["B"].exercises]
    entries = [c for d in ("2025-02-01", "2025-02-02", "2025-02-03") for c in _ticks(d, "B", b_keys)]
    adh = adherence(entries, r, dt.date(2025, 1, 30), dt.date(2025, 2, 3))
    assert adh.streak == 3 and adh.days_complete == 3
    with pytest.raises(ValueError):
        adherence([], r, dt.date(2025, 2, 3), dt.date(2025, 2, 1))


def test_weekly_mix_counts_a_and_b_days_per_calendar_week():
    import datetime as dt

    from formcheck.routine import adherence, default_routine, weekly_mix

    r = default_routine()

    class Tick:
        def __init__(self, day, plan, item):
            self.day, self.plan, self.item, self.done = day.isoformat(), plan, item, True

    def whole(day, plan):
        return [Tick(day, plan, e.key) for e in r.plans[plan].exercises]

    mon = dt.date(2026, 11, 30)  # a Monday
    ticks = whole(mon, "A") + whole(mon + dt.timedelta(days=2), "B") + whole(mon + dt.timedelta(days=8), "B")
    ticks += whole(mon + dt.timedelta(days=8), "A")  # both on one day: counts once, as A
    ticks += [Tick(mon + dt.timedelta(days=3), "A", r.plans["A"].exercises[0].key)]  # half a plan: not a day
    adh = adherence(ticks, r, mon, mon + dt.timedelta(days=13))
    assert weekly_mix(adh) == [(mon, 1, 1), (mon + dt.timedelta(days=7), 1, 0)]
