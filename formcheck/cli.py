"""Command-line interface: ``formcheck extract | analyze | live | report | batch | routine | session | checklist |
history | exercises`` and ``config``.

Exit codes: 0 ok, 2 usage, 3 unreadable input (or camera), 4 nothing to analyse (no person, too dark, clip too
short), 5 pose model problem, 6 could not save (disk full or read-only).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from formcheck import __version__
from formcheck.config import Config, default_toml, exercise_config_models, load_config, parse_tempo
from formcheck.engine.spec import HINGE_PHASES, PHASE_KEYS, phase_metric, shown_class
from formcheck.errors import ClipTooShortError, FormcheckError, NoPersonError, UsageError
from formcheck.io import VIDEO_SUFFIXES
from formcheck.types import Analysis

EXIT_OK = 0
EXIT_USAGE = 2


class _ArgParser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so main() owns exit codes and messages."""

    def error(self, message: str) -> None:  # type: ignore[override]
        where = "formcheck" if self.prog.split() == ["formcheck"] else f"formcheck {self.prog.split()[-1]}"
        raise UsageError(f"{message}. Try '{where} --help'.")


def _exercise_name(text: str) -> str:
    """``--exercise``: a key or an exercise's title ("hip hinge"), as :func:`formcheck.engine.registry.resolve_name`."""
    from formcheck.engine.registry import resolve_name

    return resolve_name(text)


def _exercise_help(what: str = "exercise analyzer") -> str:
    from formcheck.engine.registry import names

    return (f"{what}: one of {', '.join(names())}, or its title as 'formcheck exercises' lists it, in quotes "
            "(default: recognised from the motion)")  # fmt: skip


def _default_tempos() -> str:
    from formcheck.engine.registry import get_spec, names

    out = []
    for name in names():
        tempo = getattr(Config().exercise_config(name), "target_tempo_s", None)
        words = get_spec(name).phases
        # each with its phases in order (a bridge rises first); none for an exercise timed as a hold
        if tempo is not None and words.has_reps and get_spec(name).judges_tempo:
            out.append(f"{name} {'-'.join(f'{x:g}' for x in tempo)} ({words.order})")
    return ", ".join(out)


def _add_body_args(p: argparse.ArgumentParser, *, tempo: bool = True) -> None:
    g = p.add_argument_group("body and load (for centre of mass and centimetres)")
    g.add_argument("--height-cm", type=float, help="your height in cm (default 170, an assumption)")
    g.add_argument("--body-kg", type=float, help="body mass in kg (default 70)")
    g.add_argument(
        "--load-kg",
        type=float,
        help="weight held in the hands, kg (default 0; when not given and the hands look like they hold a weight, "
        "the balance cues are held back and you are asked for it)",
    )
    g.add_argument("--sex", choices=("female", "male"), help="segment-mass table (de Leva 1996; default female)")
    if tempo:
        p.add_argument(
            "--tempo",
            help="prescribed tempo in s: the exercise's four phases in its own order, e.g. 3-1-2-1 for a hinge's "
            "lower-pause-rise-top (for --exercise; without it, for whichever exercise is recognised). Default and "
            "phase order: the exercise's own (" + _default_tempos() + ")",
        )
    p.add_argument("--config", type=Path, help="TOML file with thresholds (see 'formcheck config')")
    p.add_argument("--model", type=Path, help="pose model .task file (default: the shipped full model)")


def _build_parser() -> argparse.ArgumentParser:
    p = _ArgParser(prog="formcheck", description="Small, precise form corrections for back-care exercises.")
    p.add_argument("--version", action="version", version=f"formcheck {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_ArgParser)

    ex = sub.add_parser("extract", help="run the pose model on a video and save landmarks (.npz)")
    ex.add_argument("video", type=Path, help="video file")
    ex.add_argument("-o", "--output", type=Path, required=True, help="output .npz")
    ex.add_argument("--model", type=Path, help="pose model .task file")
    ex.add_argument("--config", type=Path, help="TOML file with pose settings (see 'formcheck config')")
    ex.add_argument("--quiet", action="store_true", help="no progress bar")

    an = sub.add_parser("analyze", help="analyse a video (or a poses .npz) and print the per-rep table")
    an.add_argument(
        "video", type=Path, help="video file, a .npz from 'formcheck extract', or a pose .csv (docs/pose_csv.md)"
    )
    an.add_argument("--exercise", type=_exercise_name, help=_exercise_help())
    an.add_argument("--json", type=Path, help="write the full analysis as JSON (schema formcheck.analysis/2)")
    an.add_argument(
        "--annotate", type=Path, help="write the annotated video: .mp4 (H.264, default), .mov, .mkv, .avi, .webm"
    )
    an.add_argument(
        "--report",
        type=Path,
        action="append",
        default=[],
        help="write a report (.html/.pdf/.csv/.json); repeatable",
    )
    an.add_argument("--no-cache", action="store_true", help="re-run the pose model even if a cache exists")
    an.add_argument("--quiet", action="store_true", help="no progress bar")
    an.add_argument("--fps", type=float, help="pose .csv without a t_s column: frames per second (default 30)")
    an.add_argument(
        "--size", help="pose .csv: frame size WxH in pixels of the video the poses came from (default 1280x720)"
    )
    _add_body_args(an)
    _add_report_meta_args(an)

    lv = sub.add_parser(
        "live",
        help="check a set live from a camera in the terminal (the app shows the video)",
        description="Live check from a camera: prints the setup check, each finished rep and the cue on screen; "
        "Ctrl+C (or --seconds) ends the set, which is then summarised and optionally saved. If the camera stops "
        "mid-set (unplugged), the set so far is kept and written before exiting with code 3. A video file given as "
        "the camera is read frame by frame on its own clock (as fast as the computer goes) and its end ends the set.",
    )
    lv.add_argument(
        "--camera", default="0", help="camera number (0 = default), a device path OpenCV can open, or a video file"
    )
    lv.add_argument(
        "--exercise",
        type=_exercise_name,
        help=_exercise_help().replace(
            "recognised from the motion",
            "auto: recognised from the first seconds of the set; the frames seen meanwhile are analysed once it "
            "is known",
        ),
    )
    lv.add_argument("--seconds", type=float, help="stop after this many seconds (of the video, for a file)")
    lv.add_argument(
        "--stall-s", type=float, default=2.0, help="seconds without frames before the camera counts as gone"
    )
    lv.add_argument("--window", action="store_true", help="show the annotated video in a window (needs a display)")
    lv.add_argument("--json", type=Path, help="write the set's analysis as JSON")
    lv.add_argument("--report", type=Path, action="append", default=[], help="write a report (.html/.pdf/.csv/.json)")
    lv.add_argument("--save", action="store_true", help="save the set to the history database (as the app does)")
    _add_body_args(lv)

    rp = sub.add_parser(
        "report",
        help="write a session report from a video or an analysis .json (several: one report of the whole session)",
    )
    rp.add_argument(
        "source", type=Path, nargs="+", help="video file or analysis .json; several make one session report"
    )
    rp.add_argument("-o", "--output", type=Path, action="append", required=True, help="report file(s)")
    rp.add_argument("--exercise", type=_exercise_name, help=_exercise_help("exercise analyzer for video sources"))
    rp.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_body_args(rp)
    _add_report_meta_args(rp)

    bt = sub.add_parser(
        "batch",
        help="analyse every video in a folder: JSON + HTML report per video, summary.csv (resumable)",
        description=f"Analyse every video in DIR ({', '.join(x.lstrip('.') for x in VIDEO_SUFFIXES)}) into OUT: "
        "<name>.json and "
        "<name>.html per video and summary.csv (one row per video). Finished videos are skipped when run again "
        "with the same settings; a video that fails gets <name>.error.txt and the rest go on. Exit code: 0 when "
        "every video is analysed, else the code of the first failure.",
    )
    bt.add_argument("dir", type=Path, help="folder of videos")
    bt.add_argument("-o", "--output", type=Path, required=True, help="output folder")
    bt.add_argument(
        "--exercise",
        type=_exercise_name,
        help=_exercise_help("exercise analyzer for every video").replace("from the motion", "per video"),
    )
    bt.add_argument("--workers", type=int, default=1, help="videos analysed at once (processes; default 1)")
    bt.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local: a process pool on this machine (default); dask: a Dask distributed cluster",
    )
    bt.add_argument("--address", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: start a local one)")
    bt.add_argument("--no-cache", action="store_true", help="re-run the pose model even if a cache exists")
    bt.add_argument("--no-resume", action="store_true", help="analyse every video again, even finished ones")
    bt.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_body_args(bt)

    ro = sub.add_parser(
        "routine",
        help="show the A/B routine; --ics writes it as a calendar file with a daily reminder",
        description="Shows the A plan (normal day) and B plan (flare-up, travel) from the routine file, and can "
        "export them as an iCalendar (.ics) file: one daily event at the anchor time, the B plan as its "
        "alternative. Import the file into any calendar app.",
    )
    ro.add_argument("--ics", type=Path, help="write the routine as an .ics calendar file")
    ro.add_argument("--anchor-time", help="time of day for the reminder, HH:MM (default: the routine's, 08:00)")
    ro.add_argument("--start", help="first day of the reminder, YYYY-MM-DD (default: today)")
    ro.add_argument("--routine", type=Path, help="routine file (default: the one the app edits)")

    xs = sub.add_parser(
        "exercises",
        help="list the exercise analyzers: positions, best views and what each measures",
        description="Lists every registered exercise analyzer (the names --exercise takes) with the body positions "
        "it analyses, its camera views (best first), what it measures and its numbers, from the exercise's own "
        "declaration.",
    )
    xs.add_argument("--json", action="store_true", help="print JSON (schema formcheck.exercises/1) instead of text")

    se = sub.add_parser(
        "session",
        help="check a whole plan (A or B): one clip per filmed item (or per set), one session report",
        description="Runs the A or B plan of the routine as a session: the clips are matched in order to the plan's "
        "items that the camera checks, one clip per item or one per set (every set of every checked item); each "
        "is analysed by its item's analyzer at the plan's tempo. Items the camera does not check are listed with "
        "why. A clip that fails is reported and the others go on (exit code: the first failure's). "
        "'formcheck routine' shows which items are checked.",
    )
    se.add_argument("--plan", required=True, type=str.upper, choices=("A", "B"), help="the plan done")
    se.add_argument("clips", type=Path, nargs="+", help="video files or .npz poses, in plan order")
    se.add_argument("--items", help="only these items, comma-separated keys in the order of the clips")
    se.add_argument("--routine", type=Path, help="routine file (default: the one the app edits)")
    se.add_argument("--report", type=Path, action="append", default=[], help="write the session report (.html/.pdf)")
    se.add_argument("--json", type=Path, help="write the session (every set's analysis) as JSON")
    se.add_argument("--tick", action="store_true",
                    help="tick the routine checklist (today's, or --session-time's day) for the items done: each "
                    "set analysed as that exercise and as many reps (or as long a hold) as prescribed; a short set "
                    "is marked partly done, not ticked")  # fmt: skip
    se.add_argument("--save", action="store_true",
                    help="save the analysed sets to the history database, as one session (as the app's plan run "
                    "does), dated as the report")  # fmt: skip
    se.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_body_args(se, tempo=False)
    _add_report_meta_args(se)

    ck = sub.add_parser(
        "checklist",
        help="show a day's routine checklist, or tick items done by hand (--tick KEY, --untick KEY)",
        description="Shows the A/B plan checklist of a day (today, or --day): each item, whether it is ticked "
        "(checked on video, or ticked by hand) or partly done on video (a filmed set short of the prescription: not "
        "ticked) and whether the camera checks it. --tick and --untick take the items' "
        "short ids (shown in the list) and change that day's ticks: any item can be ticked by hand, also one the "
        "camera checks (you did it without filming it); an item already checked on video stays so.",
    )
    ck.add_argument("--plan", type=str.upper, choices=("A", "B"), help="the plan (needed to tick; default: both)")
    ck.add_argument("--day", help="the day, YYYY-MM-DD (default: today)")
    ck.add_argument("--tick", nargs="+", default=[], metavar="KEY", help="tick these items by hand")
    ck.add_argument("--untick", nargs="+", default=[], metavar="KEY", help="untick these items")
    ck.add_argument("--routine", type=Path, help="routine file (default: the one the app edits)")

    hi = sub.add_parser(
        "history",
        help="list the saved sets and the routine days done (as the app's History page)",
        description="Lists the sets saved in the history (date, exercise, reps or holds, and the set's one verdict "
        "as its report gives it, under the settings it was judged with) and, per day, how much of the A or B plan "
        "was ticked; the days with nothing saved or ticked are shown too, days in a row as one line.",
    )
    hi.add_argument("--exercise", type=_exercise_name, help=_exercise_help("only this exercise's sets").replace(
        "recognised from the motion", "every exercise"))  # fmt: skip
    hi.add_argument("--days", type=int, default=28, help="the last N days, today included (default 28)")
    hi.add_argument("--json", action="store_true", help="print JSON (schema formcheck.history/1) instead of text")
    hi.add_argument("--routine", type=Path, help="routine file (default: the one the app edits)")

    cf = sub.add_parser("config", help="print the default, commented configuration (TOML)")
    cf.add_argument("--check", type=Path, help="validate a TOML file and print the effective values")

    from formcheck.bench import add_arguments as add_bench_arguments  # stdlib + numpy only at import

    bn = sub.add_parser("bench", help="measure speed and memory on one clip; prints ratios (see formcheck.bench)")
    add_bench_arguments(bn)
    return p


def _tempo_order(named: str) -> str:
    """The named exercise's phase order for a tempo message ("up-hold-down-rest" for a bridge).

    Raises:
        UsageError: the exercise has no tempo (a plank or side plank is a hold), so ``--tempo`` would do nothing.
    """
    from formcheck.config import tempo_order
    from formcheck.engine.registry import find_spec

    spec = find_spec(named) if named else None
    if spec is None:  # recognised later (or unknown: the analyzer lookup says so): one phase each, its own order
        return "one per phase in the exercise's own order (see --help)"
    order = tempo_order(named)  # the rule the app's tempo field follows too
    if order is None:  # a plank, a side plank, a sphinx: timed as holds
        raise UsageError(f"The {spec.title.lower()} is timed as a hold, so it has no tempo: --tempo is not used for "
                         "it.", hint="Leave --tempo out; how long you held is measured.")  # fmt: skip
    return order


def _config_from_args(args: argparse.Namespace) -> Config:
    overrides: dict[str, dict[str, Any]] = {}
    body = {
        k: getattr(args, k, None)
        for k in ("height_cm", "body_kg", "load_kg", "sex")
        if getattr(args, k, None) is not None
    }
    if "load_kg" in body:
        body["load_entered"] = True  # entered, even as 0: no "are you holding a weight?" question
    if body:
        overrides["body"] = body
    if getattr(args, "tempo", None):
        known = exercise_config_models()
        named = (getattr(args, "exercise", None) or "").strip().lower()
        tempo = list(parse_tempo(args.tempo, _tempo_order(named)))
        # The tempo belongs to an exercise. Without --exercise the exercise is recognised only after the video is
        # read, so every exercise gets it (the recognised one uses it). An unknown --exercise gets nothing here:
        # the analyzer lookup reports it with the list of exercises.
        for name in [named] if named else known:
            if name in known:
                overrides[f"exercise.{name}"] = {"target_tempo_s": tempo}
    if getattr(args, "model", None):
        overrides["pose"] = {"model_path": str(args.model)}
    return load_config(getattr(args, "config", None), overrides)


class _Progress:
    """tqdm progress bar on stderr that also measures processing fps."""

    def __init__(self, enabled: bool, desc: str) -> None:
        self.enabled = enabled
        self.desc = desc
        self.bar = None
        self.t0 = time.perf_counter()
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        self.done = done
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total or None, desc=self.desc, unit="frame", file=sys.stderr, leave=False)
        self.bar.update(done - self.bar.n)

    def close(self) -> float:
        if self.bar is not None:
            self.bar.close()
        dt = time.perf_counter() - self.t0
        return self.done / dt if dt > 0 else math.nan


def _fmt(v: Any, spec: str = ".0f", unit: str = "") -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "–"
    if isinstance(v, str):
        return v
    return f"{v:{spec}}{unit}"


def _columns_text(rows: list[tuple[str, ...]]) -> str:
    """Right-aligned columns, two spaces apart, a dashed rule under the header row."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_rep_table(analysis: Analysis, config: Config | None) -> str:
    """Plain-text per-rep table: rep, (side,) tempo phases, time under tension, the metrics the exercise shows in
    the CLI (its ``MetricSpec`` list, ``cli`` place), class; a number this view does not judge reads
    "+11 (not judged)" (:mod:`formcheck.engine.viewjudged`), by the set's judged settings (``config`` with the
    sections the set recorded: :func:`~formcheck.engine.judgement.judged_config`; None: the defaults)."""
    from formcheck.engine.cuerules import rep_values
    from formcheck.engine.judgement import judged_config
    from formcheck.engine.registry import find_spec
    from formcheck.engine.viewjudged import marked, not_judged_keys

    spec = find_spec(analysis.exercise)
    judged = judged_config(analysis, config)
    shown = spec.metric_specs("cli", "rep") if spec is not None else ()
    sides = any(r.side for r in analysis.reps)  # exercises done one side at a time
    words = spec.phases if spec is not None else HINGE_PHASES
    phase_heads = tuple(f"{words.column(k)} s" for k in PHASE_KEYS) if words.has_reps else ()
    head = ("rep", *(("side",) if sides else ()), *phase_heads, "TUT s")
    rows = [(*head, *(m.cli for m in shown), "class")]
    for r in analysis.reps:
        m = dict(r.metrics)
        off = not_judged_keys(spec, rep_values(r), "rep", analysis.quality.view, judged)
        rows.append(
            (
                str(r.index),
                *((r.side or "both",) if sides else ()),
                *(phase_metric(k, words).format(getattr(r, k)) for k in PHASE_KEYS if phase_heads),  # to 0.01 s
                _fmt(r.time_under_tension_s, ".1f"),
                *(marked(ms.cli_cell(m), ms.key in off) for ms in shown),
                _class_text(r.classification, spec, analysis.quality.view),
            )
        )
    return _columns_text(rows)


def _class_text(classification: str, spec: Any, view: str) -> str:
    """A rep class in words; "–" when none, or when it is read from a value this view does not judge."""
    return shown_class(spec, classification, view)


def format_hold_table(analysis: Analysis, config: Config | None) -> str:
    """Plain-text per-hold table: hold, (side,) start, end, duration, time in the target band, breaks, and the
    hold metrics the exercise shows in the CLI (marked where this view does not judge them, as
    :func:`format_rep_table`)."""
    from formcheck.engine.cuerules import hold_values
    from formcheck.engine.judgement import judged_config
    from formcheck.engine.registry import find_spec
    from formcheck.engine.viewjudged import marked, not_judged_keys

    spec = find_spec(analysis.exercise)
    shown = spec.metric_specs("cli", "hold") if spec is not None else ()
    holds = getattr(analysis, "holds", ())
    sides = any(h.side for h in holds)
    head = ("hold", *(("side",) if sides else ()), "start s", "end s", "held s", "in position s", "breaks")
    rows = [(*head, *(m.cli for m in shown))]
    judged = judged_config(analysis, config)

    def off(h: Any) -> frozenset[str]:
        return not_judged_keys(spec, hold_values(h), "hold", analysis.quality.view, judged)

    for h in holds:
        rows.append(
            (
                str(h.index),
                *((h.side or "both",) if sides else ()),
                _fmt(h.start_s, ".1f"),
                _fmt(h.end_s, ".1f"),
                _fmt(h.duration_s, ".1f"),
                _fmt(h.in_band_s, ".1f"),
                str(len(h.breaks)),
                *(marked(ms.cli_cell(dict(h.metrics)), ms.key in off(h)) for ms in shown),
            )
        )
    return _columns_text(rows)


def print_analysis(analysis: Analysis, out: TextIO, config: Config | None = None) -> None:
    """Human-readable summary: view quality, per-rep table, the one thing to work on next, cues, limits."""
    q = analysis.quality
    v = analysis.video
    src = f"{Path(v.path).name}, {v.duration_s:.1f} s, {v.width}x{v.height}, {v.fps:.0f} fps" if v else "stream"
    detected = " (recognised)" if analysis.settings.get("exercise_detected") else ""
    from formcheck.engine.registry import find_spec

    spec = find_spec(analysis.exercise)
    title = spec.title if spec is not None else analysis.exercise  # the user's words, not the registry name
    print(f"formcheck — {title}{detected} — {src}", file=out)
    if analysis.settings.get("recognition"):  # what recognition saw, so a wrong guess is easy to spot
        print(f"  {analysis.settings['recognition']}", file=out)
    measuring = "both sides" if q.side_used == "both" else f"the {q.side_used} side"  # front-view exercises: both
    # NaN: nobody was found, so whether the body fitted the picture can't be told
    whole = f"in {100 * q.full_body_fraction:.0f}%" if math.isfinite(q.full_body_fraction) else "in view: can't tell"
    print(
        f"view: {q.view}, facing {q.facing}, measuring {measuring}; person in "
        f"{100 * q.person_fraction:.0f}% of frames, whole body {whole}",
        file=out,
    )
    for w in q.warnings:
        print(f"  ! {w}", file=out)
    holds = getattr(analysis, "holds", ())
    if holds:
        print(f"\n{len(holds)} hold{'s' if len(holds) != 1 else ''}", file=out)
        print(format_hold_table(analysis, config), file=out)
        from formcheck.report.content import HOLD_TABLE_NOTE

        print(f"  {HOLD_TABLE_NOTE}", file=out)
    if analysis.reps or not holds:
        from formcheck.history import counts_holds

        print("\n0 holds" if not analysis.reps and counts_holds(analysis.exercise) else
              f"\n{len(analysis.reps)} rep{'s' if len(analysis.reps) != 1 else ''}", file=out)  # fmt: skip
    if analysis.reps:
        print(format_rep_table(analysis, config), file=out)
        from formcheck.report.content import focus_next_text  # one verdict for the CLI, reports and batch

        said = focus_next_text(analysis, config or Config())
        tail = " — keep these reps as they are." if said == "nothing to correct" else "" if said.endswith(")") else "."
        print(f"\nfocus next: {said}{tail}", file=out)
    if analysis.cues:
        print("\nall cues:", file=out)
        for c in analysis.cues:
            where = f"rep {c.rep_index}" if c.rep_index else "set"
            print(f"  [{c.severity}] {where}: {c.message}", file=out)
    limits = spec.limits_for(analysis) if spec is not None else tuple(analysis.limits)  # those that apply
    if limits:
        print("\nwhat one camera cannot see:", file=out)
        for line in limits:
            print(f"  - {line}", file=out)


def _add_report_meta_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("report header (shown on the report; nothing is measured from it)")
    g.add_argument("--patient", default="", help="patient's name")
    g.add_argument("--therapist", default="", help="therapist's name")
    g.add_argument("--notes", default="", help="therapist's notes for the patient; @FILE reads them from a text file")
    g.add_argument(
        "--session-time",
        default="",
        help="when the set was done, ISO 8601 (e.g. 2026-12-06T09:30); default: the video's recording time "
        "tag, else its file time",
    )


def _report_meta(args: argparse.Namespace) -> Any:
    import datetime as dt

    from formcheck.errors import UsageError
    from formcheck.report.meta import ReportMeta

    notes = getattr(args, "notes", "") or ""
    if notes.startswith("@"):
        try:
            notes = Path(notes[1:]).read_text(encoding="utf-8").strip()
        except OSError as e:
            raise UsageError(f"Could not read the notes file {notes[1:]} ({e.strerror or e}).") from e
    when = None
    text = getattr(args, "session_time", "") or ""
    if text:
        try:
            when = dt.datetime.fromisoformat(text)
        except ValueError as e:
            raise UsageError(f"--session-time {text!r} is not a date and time like 2026-12-06T09:30.") from e
        when = when if when.tzinfo is not None else when.astimezone()
    return ReportMeta(
        patient=getattr(args, "patient", "") or "",
        therapist=getattr(args, "therapist", "") or "",
        notes=notes,
        session_at=when,
        session_source="given" if when is not None else "",
    )


def _write_outputs(
    analysis: Analysis, reports: Sequence[Path], video: Path | None, seq: Any, cfg: Config, meta: Any = None,
    grabbed: Any = None,
) -> None:  # fmt: skip
    from formcheck.report import check_report_paths, write_reports

    check_report_paths(reports)  # before any folder is made
    for path in reports:
        path.parent.mkdir(parents=True, exist_ok=True)
    # one call: the video is read once for the key frames of all HTML/PDF reports (not at all when `grabbed`, fed
    # by the annotated video's pass, kept them)
    write_reports(analysis, reports, video_path=video, seq=seq, config=cfg, meta=meta, grabbed=grabbed,
                  on_written=lambda path: print(f"wrote {path}", file=sys.stderr))  # fmt: skip


def _cmd_extract(args: argparse.Namespace) -> int:
    from formcheck.extract import extract_poses
    from formcheck.io.cache import save_pose_cache

    cfg = _config_from_args(args)
    prog = _Progress(not args.quiet, "pose")
    seq = extract_poses(args.video, cfg, progress=prog)
    fps = prog.close()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    save_pose_cache(seq, args.output)
    found = float(seq.present.mean()) if seq.n_frames else 0.0
    print(f"{seq.n_frames} frames, person in {100 * found:.0f}%, {fps:.1f} fps processed → {args.output}")
    return EXIT_OK


def _load_sequence(path: Path, cfg: Config, *, cache: bool, quiet: bool, exercise: str | None = None) -> Any:
    from formcheck.analyze import load_or_extract
    from formcheck.io.cache import load_pose_cache

    if path.suffix.lower() == ".npz":
        return _long_enough(load_pose_cache(path), path)
    prog = _Progress(not quiet, "pose")
    try:
        seq = load_or_extract(path, cfg, cache=cache, progress=prog, exercise=exercise)
    except NoPersonError as e:
        prog.close()
        raise _say_if_dark(e, path) from e
    fps = prog.close()
    if prog.done:
        print(f"pose: {seq.n_frames} frame{'s' if seq.n_frames != 1 else ''} at {fps:.1f} fps", file=sys.stderr)
    return _long_enough(seq, path)


MIN_CLIP_S = 1.0  # shorter than this holds no repetition of any exercise: say so instead of "not recognised"
DARK_FRAC = 0.12  # mean brightness (0..1) below which "nobody found" is put down to the light


def _long_enough(seq: Any, path: Path) -> Any:
    """The sequence, or a plain error when the clip is too short to hold one repetition."""
    span = float(seq.t_s[-1] - seq.t_s[0]) if seq.n_frames > 1 else 0.0
    dt = float(np.median(np.diff(seq.t_s))) if seq.n_frames > 1 else 0.0
    if seq.n_frames <= 1:  # no length to speak of: "is only 0 s long" read as a broken file
        raise ClipTooShortError(
            f"{path.name} has {'only 1 frame' if seq.n_frames == 1 else 'no frames'}: too short for one repetition.",
            hint="Record the whole set, from standing before the first rep to standing after the last.",
        )
    if span + dt < MIN_CLIP_S:
        raise ClipTooShortError(
            # never rounded up to the limit ("0.97 s", not "1.0 s")
            f"{path.name} is only {min(round(span + dt, 2), MIN_CLIP_S - 0.01):g} s long: too short for one "
            "repetition.",
            hint="Record the whole set, from standing before the first rep to standing after the last.",
        )
    return seq


def _say_if_dark(err: NoPersonError, path: Path) -> NoPersonError:
    """Nobody found in a dark video: say it is the light, the commonest cause (else the error as it was)."""
    from formcheck.io.video import mean_brightness

    try:
        level = mean_brightness(path)
    except FormcheckError:
        return err
    if not level < DARK_FRAC:
        return err
    return NoPersonError(
        f"{path.name} is too dark to find anyone in (average brightness {100 * level:.0f}% of full).",
        hint="Turn on a light or face a window, then record again.",
    )


def _read_pose_csv(args: argparse.Namespace) -> tuple[Any, tuple[str, ...]]:
    """The pose sequence of a pose .csv and the notes on what it lacks (see formcheck.io.posecsv)."""
    from formcheck.io.posecsv import read_pose_csv

    if args.annotate:
        raise UsageError("--annotate needs the video file, not a pose .csv.")
    pc = read_pose_csv(args.video, fps=args.fps, size=args.size)
    if not pc.has_world and not args.exercise:
        raise UsageError(
            f"{args.video.name} has no world landmarks (wx0, wy0, wz0 …), which recognising the exercise needs.",
            hint="Name it, e.g. --exercise hinge.",
        )
    return pc.seq, pc.notes


def _cmd_analyze(args: argparse.Namespace) -> int:
    cfg = _config_from_args(args)
    if args.annotate:
        from formcheck.render.video import output_format

        output_format(args.annotate)  # an unsupported suffix fails now, not after the pose model has run
    from formcheck.analyze import analyze_sequence

    notes: tuple[str, ...] = ()
    if args.video.suffix.lower() == ".csv":
        seq, notes = _read_pose_csv(args)
    else:
        seq = _load_sequence(args.video, cfg, cache=not args.no_cache, quiet=args.quiet, exercise=args.exercise)
    analysis = analyze_sequence(seq, args.exercise, cfg)
    if notes:  # what the pose file could not give, shown with the analysis's own warnings (and in its JSON)
        import dataclasses

        q = analysis.quality
        analysis = dataclasses.replace(analysis, quality=dataclasses.replace(q, warnings=(*notes, *q.warnings)))
    print_analysis(analysis, sys.stdout, cfg)
    video = None if args.video.suffix.lower() in (".npz", ".csv") else args.video
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(analysis.to_json_dict(), indent=1), encoding="utf-8")
        print(f"wrote {args.json}", file=sys.stderr)
    grabbed = None
    if args.annotate:
        if video is None:
            raise UsageError("--annotate needs the video file, not a .npz.")
        from formcheck.render import write_annotated_video
        from formcheck.report import key_frame_grabber

        args.annotate.parent.mkdir(parents=True, exist_ok=True)
        # the reports' key frames are picked out of this pass over the video: it is not decoded again for them
        grabbed = key_frame_grabber(analysis, seq, args.report, cfg)
        offer = grabbed.offer if grabbed is not None else None
        write_annotated_video(video, seq, analysis, args.annotate, cfg, on_frame=offer)
        print(f"wrote {args.annotate}", file=sys.stderr)
    _write_outputs(analysis, args.report, video, seq, cfg, _report_meta(args) if args.report else None, grabbed)
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    sources: list[Path] = list(args.source)
    saved = [s.name for s in sources if s.suffix.lower() == ".json"]
    if args.tempo and saved:  # one judgement (issue 10): a saved set is reported as it was judged, never re-judged
        raise UsageError(
            f"--tempo does not change a saved analysis ({', '.join(saved)}): its report uses the tempo and settings "
            "the set was analysed with.",
            hint="Analyse the video again with --tempo (formcheck analyze VIDEO --tempo ...) to judge it against "
            "another tempo.",
        )
    cfg = _config_from_args(args)
    meta = _report_meta(args)
    if len(sources) > 1:
        from formcheck.report import check_report_paths, write_session_report

        outs = check_report_paths(args.output)
        analyses = [_report_source(src, args, cfg)[0] for src in sources]
        for out in outs:
            out.parent.mkdir(parents=True, exist_ok=True)
        for out in write_session_report(analyses, outs, config=cfg, meta=meta):
            print(f"wrote {out}", file=sys.stderr)
        return EXIT_OK
    analysis, video, seq = _report_source(sources[0], args, cfg)
    _write_outputs(analysis, args.output, video, seq, cfg, meta)
    return EXIT_OK


def _report_source(src: Path, args: argparse.Namespace, cfg: Config) -> tuple[Analysis, Path | None, Any]:
    """The analysis of one report source: a saved analysis .json, or a video analysed now (with its poses)."""
    if src.suffix.lower() == ".json":
        from formcheck.errors import InputError

        try:
            analysis = Analysis.from_json_dict(json.loads(src.read_text(encoding="utf-8")))
        except FileNotFoundError as e:
            raise InputError(f"{src} does not exist.") from e
        except (ValueError, KeyError, TypeError) as e:
            raise InputError(f"{src} is not a formcheck analysis file ({e}).") from e
        return analysis, None, None
    from formcheck.analyze import analyze_sequence

    seq = _load_sequence(src, cfg, cache=True, quiet=args.quiet, exercise=args.exercise)
    return analyze_sequence(seq, args.exercise, cfg), src, seq


def _cmd_batch(args: argparse.Namespace) -> int:
    from formcheck.batch import run_batch

    cfg = _config_from_args(args)
    summary = run_batch(
        args.dir, args.output, exercise=args.exercise, config=cfg, engine=args.engine, workers=args.workers,
        address=args.address, cache=not args.no_cache, resume=not args.no_resume, progress=not args.quiet,
    )  # fmt: skip
    for it in summary.items:
        if it.status == "failed":
            print(f"failed: {it.video}: {it.message}", file=sys.stderr)
    if summary.not_videos:  # listed, not silently left out (summary.csv has a row for each)
        print(f"not videos, not analysed: {', '.join(summary.not_videos)}", file=sys.stderr)
    n_done, n_skip, n_fail = (summary.count(s) for s in ("done", "skipped", "failed"))
    rate = f", {summary.videos_per_min:.1f} videos/min" if n_done + n_fail else ""
    print(f"{n_done} analysed, {n_skip} already done, {n_fail} failed in {summary.elapsed_s:.0f} s{rate} "
          f"({summary.engine}, {summary.workers} worker{'s' if summary.workers != 1 else ''}) "
          f"→ {summary.csv_path}")  # fmt: skip
    return summary.exit_code


def _cmd_bench(args: argparse.Namespace) -> int:
    from formcheck.bench import run_from_args

    return run_from_args(args)


def _cmd_routine(args: argparse.Namespace) -> int:
    import datetime as dt

    from formcheck.engine.quality import position_words
    from formcheck.ritual import routine_ics
    from formcheck.routine import PLAN_KEYS, load_routine, plan_checks

    routine = load_routine(args.routine)
    if args.anchor_time:
        routine = routine.with_anchor(routine.anchor, args.anchor_time)
    try:
        start = dt.date.fromisoformat(args.start) if args.start else None
    except ValueError as e:
        raise UsageError(f"--start {args.start!r} is not a date like 2026-12-07.") from e
    print(f"anchor: {routine.anchor} at {routine.anchor_time}")
    for key in PLAN_KEYS:
        plan = routine.plans[key]
        est = plan.duration_words()  # "" when the title says it already (the app's Routine page says it so too)
        print(f"\n{plan.title}" + (f" — {est}" if est else ""))
        for e, check in zip(plan.exercises, plan_checks(plan), strict=True):  # the dose as the .ics gives it
            print(f"  - {e.name}: {e.prescription()} · {position_words(e.position.value)}  [{check.text()}]")
    if args.ics:
        args.ics.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.ics.with_name(f".{args.ics.name}.part")
        tmp.write_bytes(routine_ics(routine, start=start))
        tmp.replace(args.ics)
        print(f"wrote {args.ics}", file=sys.stderr)
    return EXIT_OK


COUNT_WORDS = {"cyclic": "reps", "alternating": "reps per side", "hold": "holds"}  # what an analyzer counts


def exercises_json() -> dict[str, Any]:
    """Every registered analyzer as plain data, from its :class:`~formcheck.engine.spec.ExerciseSpec`."""
    from formcheck.engine.registry import specs

    out = []
    for s in specs():
        numbers = [
            {"key": m.key, "kind": m.kind, "label": m.label, "unit": m.unit}
            for m in s.metrics
            if m.kind in ("rep", "hold") and (m.shown_in("table") or m.shown_in("cli"))
        ]
        out.append({
            "name": s.name, "title": s.title, "positions": list(s.positions), "views": list(s.views),
            "counts": COUNT_WORDS.get(s.rep_strategy, s.rep_strategy),
            "measures": s.measures, "numbers": numbers, "limits": list(s.limits),
        })  # fmt: skip
    return {"schema": "formcheck.exercises/1", "exercises": out}


def _cmd_exercises(args: argparse.Namespace) -> int:
    data = exercises_json()
    if args.json:
        print(json.dumps(data, indent=1, ensure_ascii=False))
        return EXIT_OK
    for x in data["exercises"]:
        print(f"{x['name']} — {x['title']}")
        print(f"  positions:  {', '.join(p.replace('_', '-') for p in x['positions'])}")
        print(f"  best views: {', '.join(x['views'])}")
        print(f"  counts:     {x['counts']}")
        print(f"  measures:   {x['measures']}")
        if x["numbers"]:
            print("  numbers:    " + "; ".join(n["label"] + (f" ({n['unit']})" if n["unit"] else "")
                                          for n in x["numbers"]))  # fmt: skip
        print()
    print("Use one with 'formcheck analyze CLIP --exercise NAME'; 'formcheck routine' shows which plan items each "
          "checks.")  # fmt: skip
    return EXIT_OK


def _cmd_session(args: argparse.Namespace) -> int:
    import datetime as dt

    from formcheck.analyze import analyze_sequence
    from formcheck.engine.judgement import judged_config
    from formcheck.history import HOW_WORDS
    from formcheck.report import check_report_paths
    from formcheck.routine import load_routine
    from formcheck.session import future_session_day, run_session, save_sets, session_meta, tick_checklist, write_report

    outs = check_report_paths(args.report)  # a wrong suffix fails before any clip is analysed
    for out in outs:
        if out.suffix.lower() not in (".html", ".pdf"):
            raise UsageError(f"A session report is HTML or PDF, not {out.suffix}.", hint="Use --json for data.")
    cfg = _config_from_args(args)
    meta = _report_meta(args)
    plan = load_routine(args.routine).plans[args.plan]
    items = [k.strip() for k in args.items.split(",") if k.strip()] if args.items else None

    def analyse(clip: Path, step: Any, set_cfg: Config) -> Analysis:
        seq = _load_sequence(clip, set_cfg, cache=True, quiet=args.quiet, exercise=step.analyzer)
        return analyze_sequence(seq, step.analyzer, set_cfg)

    def show(s: Any) -> None:
        print(f"\n=== {s.step.label} — {s.source}", file=sys.stdout)  # the key is in --help and the JSON
        if s.analysis is None:
            print(f"  could not be analysed: {s.error}", file=sys.stdout)
        else:
            print_analysis(s.analysis, sys.stdout, judged_config(s.analysis, cfg))  # the set's own (plan) targets
            if why := s.why_not_counted():  # said here too, not only in the report and by --tick
                print(f"  not counted as {s.step.item.name.lower()}: {why}", file=sys.stdout)

    result = run_session(plan, args.clips, analyse, cfg, items=items, on_set=show)
    meta = session_meta(result, meta)  # the report's date (first video's recording time) is the tick's date too
    n_sets = len(result.sets)
    print(f"\n{plan.title}: {len(result.analyses)} of {n_sets} filmed set{'s' if n_sets != 1 else ''} analysed",
          file=sys.stdout)  # fmt: skip
    for c in result.unchecked:
        print(f"  - {c.name}: not checked by the camera: {c.why}", file=sys.stdout)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result.to_json_dict(), indent=1), encoding="utf-8")
        print(f"wrote {args.json}", file=sys.stderr)
    if outs and result.sets:  # a clip filmed but not analysed is in the report too, with why
        for out in outs:
            out.parent.mkdir(parents=True, exist_ok=True)
        for out in write_report(result, outs, config=cfg, meta=meta):  # the app's plan run writes it here too
            print(f"wrote {out}", file=sys.stderr)
    if args.save:
        from formcheck.store import Store

        n = save_sets(result, Store(), meta)  # dated as the report, as the app's plan run saves them
        print(f"saved {n} set{'s' if n != 1 else ''} to the history ('formcheck history' lists them)" if n else
              "nothing saved to the history: no set was analysed", file=sys.stderr)  # fmt: skip
    if args.tick:
        from formcheck.store import Store

        # the tick's day is the report's (--session-time, else the first video's recording time): they agree. An
        # item is ticked only when its filmed sets met the prescription; a short set is recorded as partly done.
        ticks = tick_checklist(result, Store(), meta)
        day, done = ticks.day, ticks.ticked
        which = "today's" if day == dt.date.today() else f"the {day.isoformat()}"
        print(f"ticked {', '.join(done) or 'nothing'} on {which} checklist (plan {plan.key})", file=sys.stderr)
        on_day = "" if day == dt.date.today() else f" --day {day.isoformat()}"
        for p in ticks.partly:
            if p.stays_ticked:  # a short set after a full one (or a hand tick) does not undo the tick
                print(f"{p.name}: {p.words}; it stays ticked ({HOW_WORDS.get(p.how, 'ticked')})", file=sys.stderr)
            else:
                print(f"not ticked: {p.name} — {p.words}; tick it by hand with 'formcheck checklist --plan "
                      f"{plan.key}{on_day} --tick {p.key}' if you did the rest", file=sys.stderr)  # fmt: skip
        if (future := future_session_day(meta)) is not None:
            print(f"note: the session is dated {future.isoformat()}, a day still to come (check --session-time or "
                  "the camera's clock), so today's checklist was ticked", file=sys.stderr)  # fmt: skip
        for name, why in result.not_done():
            print(f"not ticked: {name} — {why}", file=sys.stderr)
    if result.failed:
        first = result.failed[0]
        where = "" if Path(first.source).name in first.error else f"{first.source}: "  # the error may name it
        print(f"formcheck: {where}{first.error}", file=sys.stderr)
        return first.exit_code
    return EXIT_OK


def _cmd_checklist(args: argparse.Namespace) -> int:
    from formcheck.history import HOW_WORDS, checklist, day_words, parse_day, set_ticks
    from formcheck.routine import PLAN_KEYS, load_routine
    from formcheck.store import Store

    day = parse_day(args.day)
    if (args.tick or args.untick) and not args.plan:
        raise UsageError("Name the plan whose items you tick: --plan A or --plan B.")
    routine = load_routine(args.routine)
    store = Store()
    if args.tick or args.untick:
        plan = routine.plans[args.plan]
        for c in set_ticks(store, plan, day, args.tick, args.untick):
            if c.done:
                print(f"ticked by hand: {c.name}" if c.changed else f"already ticked ({HOW_WORDS[c.how]}): {c.name}")
            else:
                print(f"unticked: {c.name}" if c.changed else f"was not ticked: {c.name}")
        print()
    for key in [args.plan] if args.plan else PLAN_KEYS:
        plan = routine.plans[key]
        items = checklist(store, plan, day)
        n = sum(i.ticked for i in items)
        done = f" — plan {key} done" if n == len(items) else ""
        partly = sum(i.partly for i in items)
        done += f" ({partly} partly done on video, not ticked)" if partly else ""
        print(f"{plan.title} — {day_words(day)}: {n} of {len(items)} ticked{done}")
        width = max(len(i.key) for i in items)
        for i in items:
            said = " · ".join([f"{i.name}, {i.dose}", *([i.status] if i.ticked or i.partly else []), i.camera_words])
            print(f"  {'[x]' if i.ticked else '[ ]'} {i.key:<{width}}  {said}")
        print()
    print("Tick what you did: formcheck checklist --plan A|B --tick KEY … (the short id at the start of the line).")
    return EXIT_OK


MAX_HISTORY_DAYS = 36500  # a hundred years: beyond it a date falls outside the calendar


def history_json(args: argparse.Namespace) -> tuple[dict[str, Any], Any]:
    """The ``history`` command's data (schema formcheck.history/1) and the adherence it counted.

    Raises:
        UsageError: --days below 1, or an exercise neither registered nor in the history.
    """
    import datetime as dt

    from formcheck.engine.registry import names
    from formcheck.history import (
        current_streak,
        day_adherence,
        partly_done,
        recorded_days,
        set_lines,
        ticked_after_partly,
    )
    from formcheck.routine import load_routine
    from formcheck.store import Store

    if not 1 <= args.days <= MAX_HISTORY_DAYS:
        raise UsageError(f"--days {args.days}: give a number of days from 1 (today only) to {MAX_HISTORY_DAYS}.")
    store = Store()
    exercise = args.exercise.strip().lower() if args.exercise else None
    if exercise is not None and exercise not in names() and exercise not in store.exercises():
        raise UsageError(f"There is no exercise called {args.exercise!r}.",
                         hint=f"Use one of: {', '.join(names())} ('formcheck exercises' lists them).")  # fmt: skip
    last = dt.date.today()
    first = last - dt.timedelta(days=args.days - 1)
    routine = load_routine(args.routine)
    adh = day_adherence(store, routine, first, last)
    streak = current_streak(store, routine, last)  # the History page's, whatever --days shows
    ticks: dict[str, list[dict[str, Any]]] = {}
    for c in store.checks(first, last):
        if c.done:
            ticks.setdefault(c.day, []).append({"plan": c.plan, "item": c.item, "how": c.how, "detail": c.detail})
    partly = partly_done(store, routine, first, last)  # not ticked (not in "done"), shown with what was done
    after = ticked_after_partly(store, routine, first, last)  # ticked by hand after a short filmed set
    lines = set_lines(store, first=first, last=last, exercise=exercise)  # a set dated after today is not listed
    recorded = recorded_days(store, first, last)  # any exercise's set, a tick or a short set: not a quiet day
    data = {
        "schema": "formcheck.history/1", "first_day": first.isoformat(), "last_day": last.isoformat(),
        "exercise": exercise, "sets": [s.to_json_dict() for s in lines],
        "days": [{"day": d.day.isoformat(), "plan_done": d.plan, "done": dict(d.done), "total": dict(d.total),
                  "ticks": ticks.get(d.day.isoformat(), []), "partly": partly.get(d.day.isoformat(), []),
                  "ticked_after_partly": after.get(d.day.isoformat(), []),
                  "nothing_saved_or_ticked": d.day not in recorded}
                 for d in adh.days],
        "days_complete": adh.days_complete, "plan_counts": dict(adh.plan_counts), "streak": streak,
    }  # fmt: skip
    return data, adh


def _cmd_history(args: argparse.Namespace) -> int:
    import datetime as dt

    from formcheck.history import (
        adherence_words,
        exercise_title,
        former_item_name,
        hand_after_partly_words,
        partly_words,
        quiet_runs,
        quiet_words,
    )

    data, adh = history_json(args)
    if args.json:
        print(json.dumps(data, indent=1, ensure_ascii=False))
        return EXIT_OK
    first, last = dt.date.fromisoformat(data["first_day"]), dt.date.fromisoformat(data["last_day"])
    sets = data["sets"]
    n = len(data["sets"])
    what = (f"{exercise_title(data['exercise']).lower()} " if data["exercise"] else "") + ("set" if n == 1 else "sets")
    mix = ", ".join(f"{k} {n}" for k, n in data["plan_counts"].items())
    print(f"History, last {args.days} day{'s' if args.days != 1 else ''} ({first.isoformat()} to {last.isoformat()}): "
          f"{len(sets)} {what}; routine done on {adh.days_complete} day{'s' if adh.days_complete != 1 else ''} "
          f"({mix}), streak {data['streak']}")  # fmt: skip
    by_day: dict[str, list[dict[str, Any]]] = {}
    for s in sets:
        by_day.setdefault(s["day"], []).append(s)
    # Every day is a routine day (A or B, daily): the days with nothing saved or ticked are shown, in runs, so the
    # gaps can be seen; not with --exercise (only the days it was done), nor when there was nothing at all (said once).
    recorded = [dt.date.fromisoformat(d["day"]) for d in data["days"] if not d["nothing_saved_or_ticked"]]
    quiet_from = dict(quiet_runs(first, last, recorded, last)) if recorded and not data["exercise"] else {}
    for status, d in zip(adh.days, data["days"], strict=True):
        day = status.day.isoformat()
        if status.day in quiet_from:
            print(f"\n{quiet_words(status.day, quiet_from[status.day], last)}")
        ticked = any(status.done.values()) or d["partly"] or d["ticks"]
        if day not in by_day and (data["exercise"] or not ticked):  # with --exercise: only the days it was done
            continue
        partly = "".join(f" · {p['name']} {partly_words(p['detail'])}" for p in d["partly"])  # not in the count
        partly += "".join(f" · {p['name']} {hand_after_partly_words(p['detail'])}" for p in d["ticked_after_partly"])
        words = adherence_words(status)
        if not any(status.done.values()) and d["ticks"]:  # only items since taken out of the plan: not counted
            words = " · ".join(f"{former_item_name(t['plan'], t['item'])} ticked" for t in d["ticks"])
        print(f"\n{day} {'today' if status.day == last else f'{status.day:%A}'} — routine: {words}{partly}")
        for s in by_day.get(day, []):
            verdict = s["verdict"] if not s["readable"] else f"focus next: {s['verdict']}"
            print(f"  {s['created_at'][11:16]}  {s['title']}: {s['count']} — {verdict}")
    if data["exercise"] and not sets:
        print(f"\nNo {exercise_title(data['exercise']).lower()} set saved in these days.")
    elif not sets and not any(d["ticks"] or d["partly"] for d in data["days"]):
        print("\nNothing saved or ticked in these days. Save a set ('formcheck live --save', or the app) or tick "
              "what you did ('formcheck checklist --plan A --tick KEY').")  # fmt: skip
    return EXIT_OK


def _cmd_config(args: argparse.Namespace) -> int:
    if args.check:
        cfg = load_config(args.check)
        print(json.dumps(cfg.model_dump(mode="json"), indent=1))
    else:
        # generated from the models (what formcheck/default_config.toml holds), so every registered exercise is in
        print(default_toml(), end="")
    return EXIT_OK


class _LivePrinter:
    """Prints what changed in the live snapshot: setup advice, each finished rep, each new cue (one at a time)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.setup: str | None = ""
        self.reps = 0
        self.cue_serial = 0
        self.error: str | None = None
        self.recognition: str | None = None

    def __call__(self, snap: Any) -> None:
        if snap.recognition and snap.recognition != self.recognition:
            print(snap.recognition, file=self.out, flush=True)
        self.recognition = snap.recognition
        if snap.error and snap.error != self.error:
            print(f"! {snap.error}", file=self.out, flush=True)
        self.error = snap.error
        if not snap.ready and snap.setup_message and snap.setup_message != self.setup:
            print(f"setup: {snap.setup_message}", file=self.out, flush=True)
        if snap.ready and self.setup != "ready":
            print("setup ok: counting reps", file=self.out, flush=True)
        self.setup = "ready" if snap.ready else snap.setup_message
        new = snap.rep_count - self.reps
        for rep in snap.reps[-new:] if new > 0 else ():
            from formcheck.engine.registry import find_spec

            spec = find_spec(snap.exercise) if snap.exercise else None
            words = spec.phases if spec is not None else HINGE_PHASES
            timed = ", ".join(f"{words.name(k)} {phase_metric(k, words).format(getattr(rep, k), with_unit=True)}"
                              for k in PHASE_KEYS[:3])  # fmt: skip
            kind = shown_class(spec, rep.classification, snap.view)  # as the tables: none from a view not judging it
            kind = "rep" if kind == "–" else kind
            print(f"rep {rep.index}: {timed} ({kind})", file=self.out)
        self.reps = snap.rep_count
        if snap.cue is not None and snap.cue_serial != self.cue_serial:
            print(f">> {snap.cue.message}", file=self.out, flush=True)
        self.cue_serial = snap.cue_serial


def _set_size_words(analysis: Analysis) -> str:
    """ "3 reps", "1 hold", "2 reps, 1 hold": what a set so far holds (a plank's hold is not "0 reps")."""
    from formcheck.report.content import count_text

    return count_text(analysis, seconds=False)


def _cmd_live(args: argparse.Namespace) -> int:
    import cv2

    from formcheck.errors import CameraError
    from formcheck.io.webcam import is_video_file, open_live_source
    from formcheck.live import LiveProcessor
    from formcheck.report import check_report_paths

    cfg = _config_from_args(args)
    check_report_paths(args.report)  # fail before the camera runs, not after the set
    camera: int | str = int(args.camera) if args.camera.isdigit() else args.camera
    # Sequential processing: a terminal loop reads the next frame only when the last one is done, so nothing
    # queues up and no frame needs dropping.
    proc = LiveProcessor(cfg, args.exercise or "auto", pipelined=False)
    show = _LivePrinter(sys.stdout)
    stopped: CameraError | None = None
    deadline = None  # on the video's clock for a file, the computer's for a camera
    if args.seconds is not None:
        deadline = args.seconds if is_video_file(camera) else time.monotonic() + args.seconds
    try:
        with open_live_source(camera, stall_s=args.stall_s) as cam:
            is_file = bool(getattr(cam, "is_file", False))
            what = "video file (timed by its own clock; its end ends the set)" if is_file else "camera"
            print(f"{what} {args.camera} open — Ctrl+C ends the set", file=sys.stderr)
            for frame_rgb, t_s in cam:
                # the source's time: a file's own timestamps (the set is timed as the video, not by how fast it
                # was processed), a camera's arrival time
                annotated = proc.process(cv2.cvtColor(frame_rgb, cv2.COLOR_RGB2BGR), t_s)
                if proc.recognition_error is not None:  # the first seconds did not name the exercise: ask (main
                    raise proc.recognition_error  # prints it once, with the --exercise hint, and exits with its code)
                show(proc.snapshot())
                if args.window:
                    try:
                        cv2.imshow("formcheck", annotated)
                        if cv2.waitKey(1) & 0xFF in (ord("q"), 27):
                            break
                    except cv2.error as e:
                        raise UsageError("No display for --window: run without it, or use the app.") from e
                if deadline is not None and (t_s if is_file else time.monotonic()) >= deadline:
                    break
    except CameraError as e:
        if proc.snapshot().frames_processed == 0:
            raise  # nothing recorded: plain camera error
        stopped = e  # unplugged mid-set: keep what was recorded, report, then exit with the camera's code
    except KeyboardInterrupt:
        pass
    finally:
        proc.close()
        if args.window:
            with contextlib.suppress(cv2.error):
                cv2.destroyAllWindows()

    analysis = proc.finish()
    print(file=sys.stdout)
    print_analysis(analysis, sys.stdout, cfg)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(analysis.to_json_dict(), indent=1), encoding="utf-8")
        print(f"wrote {args.json}", file=sys.stderr)
    _write_outputs(analysis, args.report, None, None, cfg)
    if args.save and (analysis.reps or analysis.holds):  # a plank is one hold and no rep
        from formcheck.store import Store

        store = Store()
        saved = store.save_set(analysis, source="live")
        print(f"saved set {saved.set_id} to {store.path}", file=sys.stderr)
    if stopped is not None:
        print(f"formcheck: {stopped} The set so far ({_set_size_words(analysis)}) was kept.", file=sys.stderr)
        return stopped.exit_code
    return EXIT_OK


COMMANDS = {
    "extract": _cmd_extract,
    "analyze": _cmd_analyze,
    "live": _cmd_live,
    "report": _cmd_report,
    "routine": _cmd_routine,
    "exercises": _cmd_exercises,
    "session": _cmd_session,
    "checklist": _cmd_checklist,
    "history": _cmd_history,
    "config": _cmd_config,
    "batch": _cmd_batch,
    "bench": _cmd_bench,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (never raises for user errors)."""
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
        if not args.command:
            parser.print_help()
            return EXIT_USAGE
        return COMMANDS[args.command](args)
    except FormcheckError as e:
        print(f"formcheck: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("formcheck: interrupted", file=sys.stderr)
        return 130


def main_entry() -> None:
    """Console-script entry point.

    Output piped into a program that stops reading early (``formcheck analyze … | head``) ends quietly with
    code 1, as the Python docs recommend ("Note on SIGPIPE"), instead of a BrokenPipeError traceback.
    """
    try:
        code = main()
        sys.stdout.flush()  # a closed pipe shows up here, inside the try, not in the flush at interpreter exit
    except BrokenPipeError:
        # Python flushes stdout once more at exit: point it at devnull so that flush cannot fail again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    sys.exit(code)


if __name__ == "__main__":
    main_entry()
