"""Who and when a report is about: patient, therapist, the therapist's notes and the session time.

None of this is measured; the therapist (or the app's form) supplies it. The session time defaults to when the
video was recorded, read from the container's ``creation_time`` tag when the camera wrote one, else the file's
modification time, and says which it used, so a report never shows a time without saying where it came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


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
    """

    patient: str = ""
    therapist: str = ""
    notes: str = ""
    session_at: dt.datetime | None = None
    session_source: str = ""
    made_at: dt.datetime = field(default_factory=_now)

    def with_session_from(self, video: str | Path | None) -> ReportMeta:
        """This meta with :attr:`session_at` taken from ``video`` when it was not given."""
        if self.session_at is not None or video is None:
            return self
        when, source = video_time(video)
        if when is None:
            return self
        return ReportMeta(self.patient, self.therapist, self.notes, when, source, self.made_at)


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


__all__ = ["ReportMeta", "video_time", "when_text"]
