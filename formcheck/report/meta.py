"""Who and when a report is about: patient, therapist, the therapist's notes and the session time.

None of this is measured; the therapist (or the app's form) supplies it. The session time defaults to when the
video was recorded, read from the container's ``creation_time`` tag when the camera wrote one, else the file's
modification time, and says which it used, so a report never shows a time without saying where it came from.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


@dataclass(frozen=True)
class ReportMeta:
    """Report header data.

    Attributes:
        patient: the patient's name ("" = not given; the report then says "you").
        therapist: the therapist's name ("" = not given).
        notes: the therapist's notes for the patient (plain text; shown on the patient page).
        session_at: when the set was done (None = unknown).
        session_source: where :attr:`session_at` came from, in plain words ("given", "recorded by the camera",
            "file time", "live set").
        made_at: when the report was made.
        plan_note: a session's line on the plan's items the camera did not check (formcheck's words, shown under
            its own heading, never as the therapist's notes); "" for a single set.
    """

    patient: str = ""
    therapist: str = ""
    notes: str = ""
    session_at: dt.datetime | None = None
    session_source: str = ""
    made_at: dt.datetime = field(default_factory=_now)
    plan_note: str = ""

    def with_session_from(self, video: str | Path | None) -> ReportMeta:
        """This meta with :attr:`session_at` taken from ``video`` when it was not given."""
        if self.session_at is not None or video is None:
            return self
        when, source = video_time(video)
        if when is None:
            return self
        return dataclasses.replace(self, session_at=when, session_source=source)


def video_time(path: str | Path) -> tuple[dt.datetime | None, str]:
    """When a video was recorded: the container's ``creation_time`` tag, else the file time; (None, "") if neither.

    Returns:
        (local aware datetime or None, plain words for the source).
    """
    p = Path(path)
    if not p.is_file():
        return None, ""
    try:
        import av

        with av.open(str(p)) as c:
            tag = (c.metadata or {}).get("creation_time") or ""
        if tag:
            when = dt.datetime.fromisoformat(tag.replace("Z", "+00:00"))
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.UTC)
            if when.year > 1971:  # some encoders write the epoch when they know nothing
                return when.astimezone(), "recorded by the camera"
    except Exception:  # noqa: BLE001 - a tag we cannot read is not an error: fall back to the file time
        pass
    return dt.datetime.fromtimestamp(p.stat().st_mtime).astimezone(), "file time"


def when_text(when: dt.datetime | None) -> str:
    """ "Sun 6 Dec 2026, 07:30" or "not recorded"."""
    if when is None:
        return "not recorded"
    return f"{when:%a} {when.day} {when:%b %Y, %H:%M}"


@dataclass(frozen=True)
class SessionLine:
    """One set of a session report as the plan saw it (:func:`formcheck.session.report_lines` makes them).

    Attributes:
        analysis: the set's analysis; None when the clip was filmed but could not be analysed.
        title: the set's name ("Sphinx hold, set 2 of 3"); "" = the exercise's title.
        done: the Done column ("2 of 8 reps", "held 6 s of 20 s"); "" = what the analysis counted.
        note: the set's first sentence: its prescription compared with what was done, or why it was not analysed.
        short_of: what to work on when the set fell short of its prescription; it replaces a praise, never a
            correction of form.
    """

    analysis: Any = None
    title: str = ""
    done: str = ""
    note: str = ""
    short_of: str = ""


def session_row(line: SessionLine, config: Any) -> tuple[str, str, str]:
    """(exercise, done, the one thing to work on) of one set for the session table."""
    from formcheck.report import content as rc

    a = line.analysis
    if a is None:
        return line.title, line.done or "filmed, not analysed", line.note
    severity, text = rc.headline(a, config)
    if line.short_of and severity == "praise":  # a 6 s hold of a prescribed 20 s is not a complete set
        text = line.short_of
    return line.title or rc.exercise_title(a), line.done or rc.count_text(a), text


def analysed_as(line: SessionLine, name: str) -> str:
    """A set's name for the therapist: the plan item's, and the analysis it got when that is named otherwise
    ("Bodyweight hip hinge (analysed as hip hinge)")."""
    from formcheck.report import content as rc

    title = rc.exercise_title(line.analysis) if line.analysis is not None else name
    return name if name == title else f"{name} (analysed as {title[:1].lower() + title[1:]})"


def sets_word(n: int) -> str:
    """ "1 set", "3 sets"."""
    return f"{n} set{'s' if n != 1 else ''}"


__all__ = ["ReportMeta", "SessionLine", "analysed_as", "session_row", "sets_word", "video_time", "when_text"]
