"""formcheck.report: the session report as HTML, PDF, CSV or JSON.

``write_report(analysis, "report.html", video_path=..., seq=...)`` picks the format from the suffix. Key frames
(annotated stills of the best and worst rep) need both the video and its pose sequence; without them the report
is complete except for that section. ``write_reports(analysis, [paths...], ...)`` writes several formats and
reads the video for the key frames once for all of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from formcheck.config import Config
from formcheck.errors import UsageError
from formcheck.types import Analysis, PoseSequence

if TYPE_CHECKING:
    from formcheck.report.keyframes import KeyFrame

SUFFIXES = (".html", ".pdf", ".csv", ".json")


def check_report_paths(out_paths: Iterable[str | Path]) -> list[Path]:
    """The paths as ``Path``s, after checking every suffix names a format (before anything is computed or written).

    Raises:
        UsageError: an unsupported suffix.
    """
    outs = [Path(p) for p in out_paths]
    for out in outs:
        if out.suffix.lower() not in SUFFIXES:
            raise UsageError(f"Report {out.name} must end in one of {', '.join(SUFFIXES)}.")
    return outs


def write_report(
    analysis: Analysis,
    out_path: str | Path,
    *,
    video_path: str | Path | None = None,
    seq: PoseSequence | None = None,
    config: Config | None = None,
) -> Path:
    """Write a report; the format follows the file suffix (``.html``, ``.pdf``, ``.csv``, ``.json``).

    Args:
        analysis: the analysis to report.
        out_path: where to write; an existing file is replaced (atomically).
        video_path: the analysed video, for key frames (HTML/PDF).
        seq: its pose sequence, for key frames (HTML/PDF).
        config: thresholds/targets for the text and plots; defaults when None.

    Returns:
        ``out_path`` as a Path.

    Raises:
        UsageError: unsupported suffix.
        InputError: the video for key frames cannot be read or does not match ``seq``.
    """
    return write_reports(analysis, [out_path], video_path=video_path, seq=seq, config=config)[0]


def write_reports(
    analysis: Analysis,
    out_paths: Iterable[str | Path],
    *,
    video_path: str | Path | None = None,
    seq: PoseSequence | None = None,
    config: Config | None = None,
    on_written: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Write several reports of one analysis, decoding the video for key frames at most once.

    Same files as one :func:`write_report` call per path (in order), but the key frames, which read the video
    up to the deepest rep, are computed on the first HTML/PDF report and reused by the others.

    Args:
        analysis: the analysis to report.
        out_paths: where to write; each suffix picks its format; existing files are replaced (atomically).
        video_path: the analysed video, for key frames (HTML/PDF).
        seq: its pose sequence, for key frames (HTML/PDF).
        config: thresholds/targets for the text and plots; defaults when None.
        on_written: called with each path once it is written.

    Returns:
        The paths written, in order.

    Raises:
        UsageError: an unsupported suffix (checked for every path before anything is written).
        InputError: the video for key frames cannot be read or does not match ``seq``.
    """
    outs = check_report_paths(out_paths)
    cfg = config or Config()
    frames: list[KeyFrame] | None = None
    frames_done = video_path is None or seq is None  # without both there are no key frames to compute
    for out in outs:
        suffix = out.suffix.lower()
        if suffix in (".html", ".pdf") and not frames_done:
            from formcheck.report.keyframes import key_frames

            frames = key_frames(video_path, seq, analysis, cfg)  # type: ignore[arg-type]
            frames_done = True
        _write_one(analysis, out, suffix, cfg, frames)
        if on_written is not None:
            on_written(out)
    return outs


def _write_one(analysis: Analysis, out: Path, suffix: str, cfg: Config, frames: list[KeyFrame] | None) -> None:
    """Write one report through a temporary file, so a failure leaves any old file in place."""
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        if suffix == ".json":
            from formcheck.report.tabular import json_text

            tmp.write_text(json_text(analysis), encoding="utf-8")
        elif suffix == ".csv":
            from formcheck.report.tabular import csv_text

            tmp.write_text(csv_text(analysis, cfg), encoding="utf-8", newline="")
        elif suffix == ".html":
            from formcheck.report.html import render_html

            tmp.write_text(render_html(analysis, cfg, frames), encoding="utf-8")
        else:
            from formcheck.report.pdf import write_pdf

            write_pdf(analysis, tmp, cfg, frames)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)


__all__ = ["SUFFIXES", "check_report_paths", "write_report", "write_reports"]
