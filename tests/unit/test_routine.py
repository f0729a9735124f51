"""A/B routine: defaults, dose text, TOML round trip and validation, checklist adherence."""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace

import pytest

from formcheck.body.position import Position
from formcheck.engine import registry
from formcheck.errors import ConfigError
from formcheck.routine import (
    NOT_CHECKED,
    POSITIONS,
    Exercise,
    Plan,
    adherence,
    camera_check,
    check_links,
    default_routine,
    exercise_from_dict,
    load_routine,
    plan_checks,
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
    assert camera_check(next(e for e in a.exercises if e.key == "hip_hinge")).analyzer == "hinge"


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


# -- which analyzer checks an item --------------------------------------------------------------------------------

# Made-up specs: the matching reads names, titles and positions only, so the tests know the registry they match.
SPECS = (
    SimpleNamespace(name="hinge", title="Hip hinge", positions=("standing", "seated", "kneeling")),
    SimpleNamespace(name="lunge", title="Lunge / split squat", positions=("standing",)),
    SimpleNamespace(name="plank", title="Plank", positions=("prone",)),
    SimpleNamespace(name="side_plank", title="Side plank", positions=("side_lying",)),
    SimpleNamespace(name="squat", title="Squat", positions=("standing",)),
    SimpleNamespace(name="side_bend", title="Standing side bend", positions=("standing",)),
)


def _item(key, name, position="standing", family="f", **kw):
    return Exercise(key, name, 1, 5, position, family, **kw)


@pytest.mark.parametrize(
    ("item", "analyzer", "how"),
    [
        (_item("hinge", "Anything"), "hinge", "by its name"),  # the key is an analyzer's name
        (_item("x", "Plank", "prone"), "plank", "by its name"),  # the name is one
        (_item("x", "Side plank (knees or feet)", "side_lying"), "side_plank", "by its name"),  # longest wins
        (_item("split_squat", "Split squat"), "lunge", "split squat"),  # another word for it
        (_item("x", "Romanian deadlift"), "hinge", "deadlift"),
        (_item("x", "Goblet squat"), "squat", "by its name"),  # an analyzer's name inside the name
        (_item("x", "Sit to stand", family="squat / legs"), "squat", "movement family"),
        (_item("x", "Good mornings", "seated", family="hinge"), "hinge", "good morning"),
        (_item("x", "Wall sit", "seated", family="hinge"), "hinge", "movement family"),
        (_item("x", "Side plank", "supine"), "", "side-lying, not supine"),  # a match in another position
        (_item("x", "Box breathing", "supine", family="breathing"), "", "No formcheck analyzer"),
        (_item("walk", "Walk", family="walking", camera_note="A walk leaves the picture."), "", "leaves the picture"),
        (_item("x", "Anything", analyzer="lunge"), "lunge", "chosen in the plan"),
        (_item("x", "Plank", "prone", analyzer="none", camera_note="By feel today."), "", "By feel today."),
        (_item("x", "Plank", "prone", analyzer="none"), "", "Left out"),
        (_item("x", "Plank", "prone", analyzer="pallof_press"), "", "no 'pallof_press' analyzer"),
        (_item("x", "Plank", "prone", analyzer="hinge"), "", "checks it standing, seated, kneeling, not prone"),
        (_item("pallof", "Pallof press"), "", "No formcheck analyzer"),  # its alias names nothing registered
    ],
)
def test_camera_check_matches_items_to_the_given_specs(item, analyzer, how):
    check = camera_check(item, SPECS)
    assert (check.analyzer, check.checked) == (analyzer, bool(analyzer))
    assert how in check.why
    assert check.why[:1].isupper() or check.checked
    assert check.text().startswith("the camera can check it (" if analyzer else "not checked by the camera: ")


def test_registering_an_analyzer_checks_the_item_without_editing_the_plan():
    item = _item("pallof", "Pallof press hold")
    assert not camera_check(item, SPECS).checked
    more = (*SPECS, SimpleNamespace(name="pallof_press", title="Pallof press", positions=("standing", "kneeling")))
    assert camera_check(item, more).analyzer == "pallof_press"


def test_every_default_item_is_checked_or_says_why():
    for plan in default_routine().plans.values():
        for e, c in zip(plan.exercises, plan_checks(plan), strict=True):
            assert c.key == e.key
            if c.checked:
                assert c.analyzer in registry.names() and e.position.value in registry.get_spec(c.analyzer).positions
            else:
                assert len(c.why) > 20 and c.why.endswith("."), c


def test_default_plans_use_the_registry():
    checks = {c.key: c.analyzer for p in default_routine().plans.values() for c in plan_checks(p)}
    # these analyzers were registered before this test was written; the others follow the registry as it grows
    assert {k: checks[k] for k in ("hip_hinge", "glute_bridge", "side_plank", "split_squat", "sphinx")} == {
        "hip_hinge": "hinge", "glute_bridge": "glute_bridge", "side_plank": "side_plank", "split_squat": "lunge",
        "sphinx": "prone_extension",
    }  # fmt: skip
    assert checks["seated_hinge"] == "hinge"  # the hinge analyses seated hinges
    assert checks["knee_rocks"] == checks["open_book"] == ""  # honestly not checked (rotation in depth)


def test_a_file_written_before_the_link_loads_and_is_matched_by_name():
    old = "\n".join(
        line
        for line in routine_to_toml(default_routine()).splitlines()
        if not line.startswith(("analyzer =", "camera_note ="))
    )
    assert "analyzer" not in old and "camera_note" not in old
    r = routine_from_toml(old)
    assert [c.analyzer for c in plan_checks(r.plans["A"])] == [
        c.analyzer for c in plan_checks(default_routine().plans["A"])
    ]


def test_analyzer_link_round_trips_and_is_validated():
    r = default_routine()
    a = r.plans["A"]
    edited = dataclasses.replace(a, exercises=(
        dataclasses.replace(a.exercises[0], analyzer="squat"),
        dataclasses.replace(a.exercises[1], analyzer=NOT_CHECKED, camera_note="Too close to the floor for me."),
        *a.exercises[2:],
    ))  # fmt: skip
    r2 = r.with_plan(edited)
    back = routine_from_toml(routine_to_toml(r2))
    assert back == r2
    assert [c.analyzer for c in plan_checks(back.plans["A"])][:2] == ["squat", ""]
    assert plan_checks(back.plans["A"])[1].why == "Too close to the floor for me."
    check_links(r2)  # registered names in their positions pass
    with pytest.raises(ConfigError, match="no analyzer called 'nope'"):
        check_links(
            r.with_plan(dataclasses.replace(a, exercises=(dataclasses.replace(a.exercises[0], analyzer="nope"),)))
        )
    with pytest.raises(ConfigError, match="this one is done supine"):
        bridge = next(e for e in a.exercises if e.key == "glute_bridge")
        check_links(r.with_plan(dataclasses.replace(a, exercises=(dataclasses.replace(bridge, analyzer="lunge"),))))
    with pytest.raises(ConfigError, match="analyzer is a name"):
        Exercise("x", "X", 1, 1, "standing", "f", analyzer="two words")
    assert Exercise("x", "X", 1, 1, "standing", "f", analyzer=" Lunge ").analyzer == "lunge"
    assert Exercise("x", "X", 1, 1, "standing", "f", analyzer="auto").analyzer == ""  # written by hand in the file


@pytest.mark.parametrize(
    ("title", "said"),
    [
        ("B plan — flare-up or travel (about 5 minutes)", False),
        ("Quick plan, 10 min", False),
        ("Mini plan", True),  # "min" inside a word is not a length (review finding: it hid the duration)
        ("Minimal kit plan", True),
        ("A plan — normal day", True),
    ],
)
def test_a_plan_length_is_said_once(title, said):
    plan = dataclasses.replace(default_routine().plans["A"], title=title)
    assert bool(plan.duration_words()) is said
