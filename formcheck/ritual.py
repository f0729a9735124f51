"""The routine as a calendar file (iCalendar, RFC 5545), so the habit shows up where the user already looks.

One daily event at the routine's anchor moment (``Routine.anchor_time``, e.g. "after morning coffee" at 08:00)
for the A plan, with the B plan as the alternative for a bad day written into the same event, and a reminder at
its start. The time is *floating* (no time zone): 08:00 wherever the person is, which is what a habit anchor
means, also when travelling (the B plan's use case). The event's UID is stable, so importing the file again
after editing the plans updates the event instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Alarm, Calendar, Event

from formcheck import __version__
from formcheck.routine import Plan, Routine

UID = "formcheck-routine-daily@formcheck.local"


def _plan_lines(plan: Plan) -> list[str]:
    said = plan.duration_words()  # "" when the title already says how long (one rule: Plan.duration_words)
    lines = [plan.title + (f" ({said})" if said else "")]
    lines += [f"- {e.name}: {e.prescription()}" + (" (camera check)" if e.analyzer else "") for e in plan.exercises]
    return lines


def description(routine: Routine) -> str:
    """The event's text: the anchor, the A plan, the B plan as the alternative, and that B days count."""
    lines = [f"Anchor: {routine.anchor}.", ""]
    lines += _plan_lines(routine.plans["A"])
    lines += ["", "Bad day, flare-up or travel? Do the B plan instead:"]
    lines += _plan_lines(routine.plans["B"])
    lines += ["", "A B day keeps the habit going: it counts."]
    return "\n".join(lines)


def routine_ics(routine: Routine, *, start: dt.date | None = None, now: dt.datetime | None = None) -> bytes:
    """The routine as an iCalendar file (bytes, CRLF lines, folded as RFC 5545 requires).

    Args:
        routine: the plans and the anchor moment.
        start: first day of the daily event (default today).
        now: the file's time stamp (DTSTAMP; default now, UTC).
    """
    start = start or dt.date.today()
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    a = routine.plans["A"]
    cal = Calendar()
    cal.add("prodid", f"-//formcheck {__version__}//routine//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Back care routine")
    ev = Event()
    ev.add("uid", UID)
    ev.add("dtstamp", stamp)
    ev.add("dtstart", dt.datetime.combine(start, routine.anchor_clock))  # naive = floating local time
    ev.add("duration", dt.timedelta(minutes=max(5, round(a.est_minutes()))))
    ev.add("rrule", {"freq": "daily"})
    ev.add("summary", f"Back care: A plan (or B plan) — {routine.anchor}")
    ev.add("description", description(routine))
    ev.add("categories", ["Health"])
    ev.add("transp", "TRANSPARENT")  # a reminder, not a meeting: it does not make the person look busy
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Back care — {routine.anchor}")
    alarm.add("trigger", dt.timedelta(0))
    ev.add_component(alarm)
    cal.add_component(ev)
    return cal.to_ical()


__all__ = ["UID", "description", "routine_ics"]
