"""formcheck.report: the session report as HTML, PDF, CSV or JSON.

``write_report(analysis, "report.html", video_path=..., seq=...)`` picks the format from the suffix. Key frames
(annotated stills of the best and worst rep) need both the video and its pose sequence; without them the report
is complete except for that section.
"""

from __future__ import annotations

import os
from pathlib import Path

from formcheck.config import Config
from formcheck.errors import UsageError
from formcheck.types import Analysis, PoseSequence

SUFFIXES = (".html", ".pdf", ".csv", ".json")


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
    out = Path(out_path)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(f"Report {out.name} must end in one of {', '.join(SUFFIXES)}.")
    cfg = config or Config()
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        if suffix == ".json":
            from formcheck.report.tabular import json_text

            tmp.write_text(json_text(analysis), encoding="utf-8")
        elif suffix == ".csv":
            from formcheck.report.tabular import csv_text

            tmp.write_text(csv_text(analysis, cfg), encoding="utf-8", newline="")
        else:
            frames = None
            if video_path is not None and seq is not None:
                from formcheck.report.keyframes import key_frames

                frames = key_frames(video_path, seq, analysis, cfg)
            if suffix == ".html":
                from formcheck.report.html import render_html

                tmp.write_text(render_html(analysis, cfg, frames), encoding="utf-8")
            else:
                from formcheck.report.pdf import write_pdf

                write_pdf(analysis, tmp, cfg, frames)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


__all__ = ["SUFFIXES", "write_report"]
