"""formcheck.report: the session report as HTML, PDF, CSV or JSON.

``write_report(analysis, "report.html", video_path=..., seq=...)`` picks the format from the suffix. Key frames
(annotated stills of the best and worst rep) need both the video and its pose sequence; without them the report
is complete except for that section. ``write_reports(analysis, [paths...], ...)`` writes several formats and
reads the video for the key frames once for all of them, or not at all when a pass over the video made for the
annotated video picked them out (:func:`key_frame_grabber`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from formcheck.config import Config
from formcheck.errors import UsageError
from formcheck.report.meta import ReportMeta, SessionLine
from formcheck.types import Analysis, PoseSequence

if TYPE_CHECKING:
    from formcheck.report.keyframes import KeyFrame, KeyFrameGrabber

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
    meta: ReportMeta | None = None,
) -> Path:
    """Write a report; the format follows the file suffix (``.html``, ``.pdf``, ``.csv``, ``.json``).

    Args:
        analysis: the analysis to report.
        out_path: where to write; an existing file is replaced (atomically).
        video_path: the analysed video, for key frames (HTML/PDF).
        seq: its pose sequence, for key frames (HTML/PDF).
        config: thresholds/targets for the text and plots; defaults when None.
        meta: patient, therapist, notes and session time (the session time defaults to the video's).

    Returns:
        ``out_path`` as a Path.

    Raises:
        UsageError: unsupported suffix.
        InputError: the video for key frames cannot be read or does not match ``seq``.
    """
    return write_reports(analysis, [out_path], video_path=video_path, seq=seq, config=config, meta=meta)[0]


def key_frame_grabber(
    analysis: Analysis, seq: PoseSequence, out_paths: Iterable[str | Path], config: Config | None = None
) -> KeyFrameGrabber | None:
    """What picks the key frames of these reports out of another pass over the video, or None if none needs them.

    Feed it every decoded frame (``write_annotated_video(..., on_frame=grabber.offer)``), then give it to
    :func:`write_reports` as ``grabbed`` with the same analysis, sequence and configuration: the reports then do not
    decode the video again.
    """
    if not any(Path(p).suffix.lower() in (".html", ".pdf") for p in out_paths):
        return None
    from formcheck.engine.judgement import judged_config
    from formcheck.report.keyframes import KeyFrameGrabber

    return KeyFrameGrabber(seq, analysis, judged_config(analysis, config))  # the settings write_reports uses


def write_reports(
    analysis: Analysis,
    out_paths: Iterable[str | Path],
    *,
    video_path: str | Path | None = None,
    seq: PoseSequence | None = None,
    config: Config | None = None,
    on_written: Callable[[Path], None] | None = None,
    meta: ReportMeta | None = None,
    grabbed: KeyFrameGrabber | None = None,
) -> list[Path]:
    """Write several reports of one analysis, decoding the video for key frames at most once.

    Same files as one :func:`write_report` call per path (in order), but the key frames, which read the video
    up to the deepest rep, are computed on the first HTML/PDF report and reused by the others.

    Args:
        analysis: the analysis to report.
        out_paths: where to write; each suffix picks its format; existing files are replaced (atomically).
        video_path: the analysed video, for key frames (HTML/PDF).
        seq: its pose sequence, for key frames (HTML/PDF).
        config: the active configuration (defaults when None); the sections the analysis recorded it was judged
            with replace it (:func:`formcheck.engine.judgement.judged_config`).
        on_written: called with each path once it is written.
        meta: patient, therapist, notes and session time (the session time defaults to the video's: its
            recording tag or file time).
        grabbed: a :func:`key_frame_grabber` of this analysis that has been offered every frame of ``video_path``;
            the key frames are drawn from the frames it kept instead of decoding the video again.

    Returns:
        The paths written, in order.

    Raises:
        UsageError: an unsupported suffix (checked for every path before anything is written).
        InputError: the video for key frames cannot be read or does not match ``seq``.
    """
    from formcheck.engine.judgement import judged_config

    outs = check_report_paths(out_paths)
    # the report judges the set with the settings it was analysed with (recorded in the analysis), not with
    # whatever configuration is active now: its tables, text and plots then agree with the saved cues
    cfg = judged_config(analysis, config)
    video = video_path or (analysis.video.path if analysis.video is not None else None)
    meta = (meta or ReportMeta()).with_session_from(video)
    frames: list[KeyFrame] | None = None
    frames_done = grabbed is None and (video_path is None or seq is None)  # without both: no key frames
    for out in outs:
        suffix = out.suffix.lower()
        if suffix in (".html", ".pdf") and not frames_done:
            from formcheck.report.keyframes import key_frames

            frames = (
                grabbed.key_frames()  # kept by the annotated video's pass over the video
                if grabbed is not None
                else key_frames(video_path, seq, analysis, cfg)  # type: ignore[arg-type]
            )
            frames_done = True
        _write_one(out, suffix, lambda tmp, sfx, kf=frames: _render_one(analysis, tmp, sfx, cfg, kf, meta))
        if on_written is not None:
            on_written(out)
    return outs


def write_session_report(
    analyses: Sequence[Analysis],
    out_paths: Iterable[str | Path],
    *,
    config: Config | None = None,
    meta: ReportMeta | None = None,
    lines: Sequence[SessionLine] | None = None,
) -> list[Path]:
    """One report (HTML or PDF) for a session of several sets, e.g. the A plan done in a row.

    The patient's page lists every set with its one thing to work on and its plain-words summary; then each set's
    therapist part follows. Each set is judged with the settings it recorded.

    Args:
        analyses: the analysed sets, in order.
        out_paths: where to write (``.html`` / ``.pdf``).
        config: the active configuration.
        meta: patient, therapist, notes and session time.
        lines: the sets as a plan saw them, in order, including clips filmed but not analysed (shown with why)
            and each set's prescription (:func:`formcheck.session.report_lines`); default: one per analysis.

    Raises:
        UsageError: no sets, or a suffix other than ``.html`` / ``.pdf``.
    """
    lines = list(lines) if lines is not None else [SessionLine(a) for a in analyses]
    if not lines:
        raise UsageError("A session report needs at least one analysis.")
    outs = check_report_paths(out_paths)
    for out in outs:
        if out.suffix.lower() not in (".html", ".pdf"):
            raise UsageError(f"A session report of several sets is HTML or PDF, not {out.suffix}.")
    first = analyses[0].video.path if analyses and analyses[0].video is not None else None
    meta = (meta or ReportMeta()).with_session_from(first)
    cfg = config or Config()
    for out in outs:
        if out.suffix.lower() == ".html":
            from formcheck.report.html import render_session_html

            _write_one(out, ".html", lambda tmp, _s: tmp.write_text(
                render_session_html(list(analyses), cfg, None, meta, lines), encoding="utf-8"))  # fmt: skip
        else:
            from formcheck.report.pdf import write_session_pdf

            _write_one(out, ".pdf", lambda tmp, _s: write_session_pdf(list(analyses), tmp, cfg, meta, lines))
    return outs


def _render_one(
    analysis: Analysis, tmp: Path, suffix: str, cfg: Config, frames: list[KeyFrame] | None, meta: ReportMeta
) -> None:
    if suffix == ".json":
        from formcheck.report.tabular import json_text

        tmp.write_text(json_text(analysis), encoding="utf-8")
    elif suffix == ".csv":
        from formcheck.report.tabular import csv_text

        tmp.write_text(csv_text(analysis, cfg), encoding="utf-8", newline="")
    elif suffix == ".html":
        from formcheck.report.html import render_html

        tmp.write_text(render_html(analysis, cfg, frames, meta), encoding="utf-8")
    else:
        from formcheck.report.pdf import write_pdf

        write_pdf(analysis, tmp, cfg, frames, meta)


def _write_one(out: Path, suffix: str, render: Callable[[Path, str], None]) -> None:
    """Write one report through a temporary file, so a failure leaves any old file in place."""
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        render(tmp, suffix)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)


__all__ = [
    "SUFFIXES",
    "ReportMeta",
    "check_report_paths",
    "key_frame_grabber",
    "write_report",
    "write_reports",
    "write_session_report",
]
