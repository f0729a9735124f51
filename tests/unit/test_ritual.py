"""The routine as an iCalendar file: one daily reminder at the anchor time, the B plan as the alternative."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from formcheck.cli import main
from formcheck.errors import ConfigError
from formcheck.ritual import UID, routine_ics
from formcheck.routine import default_routine, routine_from_toml, routine_to_toml, save_routine

NOW = dt.datetime(2026, 12, 6, 7, 0, tzinfo=dt.UTC)


def _event(data: bytes):
    cal = Calendar.from_ical(data)
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    return cal, events[0]


@pytest.mark.parametrize(("anchor_time", "start"), [("08:00", dt.date(2026, 12, 7)), ("18:45", dt.date(2027, 1, 1))])
def test_daily_event_at_the_anchor_time(anchor_time, start):
    routine = default_routine().with_anchor("after morning coffee", anchor_time)
    data = routine_ics(routine, start=start, now=NOW)
    cal, ev = _event(data)
    assert cal["version"] == "2.0" and "formcheck" in str(cal["prodid"])
    begin = ev.decoded("dtstart")
    assert begin == dt.datetime.combine(start, dt.time.fromisoformat(anchor_time))
    assert begin.tzinfo is None  # floating: the same clock time wherever the person is
    assert ev["rrule"]["FREQ"] == ["DAILY"] and str(ev["uid"]) == UID
    assert ev.decoded("dtstamp") == NOW
    assert ev.decoded("duration") >= dt.timedelta(minutes=5)
    alarms = [c for c in ev.walk() if c.name == "VALARM"]
    assert len(alarms) == 1 and alarms[0]["action"] == "DISPLAY"


def test_description_names_every_exercise_of_both_plans_and_says_b_days_count():
    routine = default_routine()
    _, ev = _event(routine_ics(routine, now=NOW))
    text = str(ev["description"])
    for plan in routine.plans.values():
        for e in plan.exercises:
            assert e.name in text
    assert text.index("Bird-dog") < text.index("B plan instead") < text.index("Cat-camel")
    assert "counts" in text and routine.anchor in str(ev["summary"])
    # Each item's whole dose, the same words as `formcheck routine` (acceptance check #5: the B plan's "slow (about
    # 5 s a rep)" was dropped from the calendar).
    for plan in routine.plans.values():
        for e in plan.exercises:
            assert f"{e.name}: {e.prescription()}" in text
    assert any(e.rep_s > 0 for e in routine.plans["B"].exercises) and "slow (about" in text


def test_rfc5545_lines_are_crlf_and_folded():
    data = routine_ics(default_routine(), now=NOW)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)  # octets, folded by the library
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_anchor_time_round_trips_and_is_checked():
    r = default_routine().with_anchor("after lunch", "13:10")
    assert routine_from_toml(routine_to_toml(r)).anchor_time == "13:10"
    with pytest.raises(ConfigError, match="time of day"):
        default_routine().with_anchor("after lunch", "1 pm")


def test_cli_routine_writes_the_calendar(tmp_path, capsys):
    path = tmp_path / "routine.toml"
    save_routine(default_routine().with_anchor("after the school run", "09:05"), path)
    out = tmp_path / "cal" / "routine.ics"
    assert main(["routine", "--routine", str(path), "--ics", str(out), "--start", "2026-12-07"]) == 0
    _, ev = _event(out.read_bytes())
    assert ev.decoded("dtstart") == dt.datetime(2026, 12, 7, 9, 5)
    assert "after the school run" in capsys.readouterr().out
    assert main(["routine", "--routine", str(path), "--start", "tomorrow"]) == 2
    assert main(["routine", "--routine", str(path), "--anchor-time", "25:00"]) == 2
