"""Upload checks and report downloads for the review page."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formcheck.config import Config, ReviewConfig
from formcheck.errors import InputError
from formcheck.history import exercise_title
from formcheck.io import VIDEO_SUFFIXES as _SUFFIXES
from formcheck.report.content import count_text, focus_next_text, other_correction, top_correction
from formcheck.types import Analysis

# The uploader's types, without the dot (Streamlit's form): the same list formcheck batch reads from a folder.
VIDEO_SUFFIXES = tuple(s.lstrip(".") for s in _SUFFIXES)
PHONE_1080P_MB_PER_MIN = 100  # typical H.264 1080p30 phone recording, ~13 Mbit/s


@dataclass(frozen=True)
class ReportFormat:
    suffix: str
    label: str
    mime: str


REPORT_FORMATS: tuple[ReportFormat, ...] = (
    ReportFormat(".html", "HTML report", "text/html"),
    ReportFormat(".pdf", "PDF report", "application/pdf"),
    ReportFormat(".csv", "Per-rep table (CSV)", "text/csv"),
    ReportFormat(".json", "All numbers (JSON)", "application/json"),
)
HOLD_CSV_LABEL = "Per-hold table (CSV)"
REP_AND_HOLD_CSV_LABEL = "Per-rep and per-hold table (CSV)"
SEVERITY_KIND = {"safety": "error", "warn": "warning", "info": "info", "praise": "success"}


def review_heading(name: str, analysis: Analysis) -> str:
    """The Review page's heading: the file, the exercise and what was counted, in the words of the Live page, the
    CLI and the history (:func:`formcheck.report.content.count_text`): "plank.mp4 — Plank, 1 hold (7.6 s)", a side
    plank's "4 reps, 1 hold (20.0 s)", never a plank's "0 reps"."""
    return f"{name} — {exercise_title(analysis.exercise)}, {count_text(analysis)}"


def report_formats(analysis: Analysis) -> tuple[ReportFormat, ...]:
    """The downloads offered for ``analysis``: :data:`REPORT_FORMATS`, the CSV named by what it holds, as
    :func:`formcheck.report.tabular.csv_text` writes it: one row per rep, one per hold, or both (a side plank with
    arm reaches, press-ups held at the top)."""
    holds, reps = bool(getattr(analysis, "holds", ())), bool(analysis.reps)
    label = REP_AND_HOLD_CSV_LABEL if holds and reps else HOLD_CSV_LABEL if holds else None
    if label is None:
        return REPORT_FORMATS
    return tuple(ReportFormat(f.suffix, label, f.mime) if f.suffix == ".csv" else f for f in REPORT_FORMATS)


def focus_box(analysis: Analysis, config: Config) -> tuple[str, str]:
    """The one thing to work on, shown first on the Review page: ``(kind, text)`` with kind one of
    error/warning/info/success and text "Focus next: …" exactly as the CLI, the reports and the History page say
    it (:func:`formcheck.report.content.focus_next_text`: safety first, then the fault seen in the most reps).

    Args:
        analysis: the analysed set.
        config: the set's judged configuration (:func:`formcheck.engine.judgement.judged_config`).
    """
    text = focus_next_text(analysis, config)
    top = top_correction(analysis, config) if analysis.reps else None
    cue = top[0] if top is not None else other_correction(analysis, config)
    if cue is not None and cue.message in text:
        kind = SEVERITY_KIND.get(cue.severity, "info")
    elif text == "nothing to correct" or any(c.severity == "praise" and c.message == text for c in analysis.cues):
        kind = "success"
    else:  # not judged, part of the form not told, nothing found: said plainly, neither a fault nor praise
        kind = "info"
    return kind, f"Focus next: {text}"


def upload_help(max_mb: int) -> str:
    """One sentence explaining the upload limit in terms a user can act on."""
    minutes = max_mb / PHONE_1080P_MB_PER_MIN
    span = f"about {minutes:.0f} minutes" if minutes >= 1.5 else f"about {minutes * 60:.0f} seconds"
    return (
        f"Up to {max_mb} MB ({span} of 1080p phone video). One set of 5–10 reps is plenty; for longer videos "
        f"trim to the set or film at 720p. The video is analysed on this computer and never uploaded anywhere."
    )


def check_upload(name: str, size_bytes: int, max_mb: int) -> None:
    """Refuse an upload we cannot use, with a message that says what to do.

    Raises:
        InputError: empty file, too large, or not a video file type.
    """
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in VIDEO_SUFFIXES:
        raise InputError(
            f"{name!r} does not look like a video.",
            hint=f"Upload one of: {', '.join(VIDEO_SUFFIXES)}.",
        )
    if size_bytes <= 0:
        raise InputError(f"{name!r} is empty.", hint="Check that the recording finished saving, then try again.")
    if size_bytes > max_mb * 1024 * 1024:
        raise InputError(
            f"{name!r} is {size_bytes / 1024 / 1024:.0f} MB, over the {max_mb} MB limit.",
            hint="Trim the video to one set, or film at 720p.",
        )


def upload_filename(name: str) -> str:
    """The name an upload is saved under: ``upload.<suffix>``, the suffix one of :data:`VIDEO_SUFFIXES`.

    The user's file name is never used as a path (``../../x.mp4``, ``/etc/passwd``, control characters, a
    thousand characters): only its suffix is kept, and only a known one, so the decoder is picked as before.

    Raises:
        InputError: the suffix is not a supported video type.
    """
    suffix = Path(name.replace("\\", "/")).suffix.lower().lstrip(".")
    if suffix not in VIDEO_SUFFIXES:
        raise InputError(f"{name!r} does not look like a video.", hint=f"Upload one of: {', '.join(VIDEO_SUFFIXES)}.")
    return f"upload.{suffix}"


def safe_stem(name: str) -> str:
    """A file-system-safe stem for output names (``My set (1).mov`` → ``My_set_1``)."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).stem).strip("._-")
    return stem[:60] or "video"


def read_streamlit_config(path: str | Path) -> dict[str, Any]:
    """Parse ``.streamlit/config.toml``."""
    return tomllib.loads(Path(path).read_text(encoding="utf-8"))


def streamlit_config_problems(st_cfg: dict[str, Any], review: ReviewConfig) -> list[str]:
    """Disagreements between Streamlit's settings and formcheck's (empty when consistent).

    Streamlit enforces ``server.maxUploadSize`` itself; it must equal ``review.max_upload_mb`` so the limit the page
    explains is the limit that applies. Usage statistics must be off (privacy: nothing leaves the machine).
    """
    problems = []
    server = st_cfg.get("server", {})
    browser = st_cfg.get("browser", {})
    if server.get("maxUploadSize") != review.max_upload_mb:
        problems.append(
            f"server.maxUploadSize is {server.get('maxUploadSize')!r} "
            f"but review.max_upload_mb is {review.max_upload_mb}"
        )
    if browser.get("gatherUsageStats") is not False:
        problems.append("browser.gatherUsageStats must be false")
    if server.get("headless") is not True:
        problems.append("server.headless should be true (no browser auto-open, no e-mail prompt)")
    return problems
