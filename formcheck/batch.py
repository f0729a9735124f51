"""Batch analysis of a folder of videos: one analysis JSON and one HTML report per video, a summary CSV.

``run_batch(in_dir, out_dir, ...)`` is pure orchestration around the same steps as ``formcheck analyze``
(:func:`formcheck.analyze.load_or_extract` with the pose cache, :func:`formcheck.analyze.analyze_sequence`,
:func:`formcheck.report.write_reports`). Each video is one task; tasks run on an *engine*:

* ``"local"`` (default): a :class:`concurrent.futures.ProcessPoolExecutor` on this machine, ``workers`` processes,
  each with its own MediaPipe landmarker (MediaPipe graphs are not shared between processes);
* ``"dask"``: a Dask distributed cluster — ``address`` of a running scheduler (``tcp://host:port``), or, without
  one, a :class:`distributed.LocalCluster` of ``workers`` processes started here. Workers need formcheck
  installed and must see the input and output folders at the same paths (a shared file system).

**Resumable.** A video counts as finished when its JSON exists, parses, and its ``batch`` block records the same
source file (size and mtime, or, if only the mtime changed, the same sha256 of the content), the same formcheck
version and the same settings fingerprint (configuration and ``--exercise``) as this run. The JSON is written last
and atomically (temporary name, then rename) after the HTML report, so a run stopped half-way never leaves a file
that counts. A failed video gets ``<stem>.error.txt`` with a plain message and is tried again on the next run; one
failure never stops the others.

Output names: ``<stem>.json``, ``<stem>.html`` (``<stem>.error.txt`` on failure), where ``<stem>`` is the video's
name without its suffix, made file-system safe; two videos with the same stem (``a.mp4``, ``a.mov``) get the
suffix added (``a_mp4``, ``a_mov``). The summary is ``summary.csv`` (one row per file, in name order): each
video, and each other file in the folder, which is not analysed and is listed as ``not a video`` (never silently
left out). Which files are videos: :data:`formcheck.io.VIDEO_SUFFIXES`, the one list the app's upload uses too.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import re
import sys
import time
import traceback
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formcheck import __version__
from formcheck.config import Config
from formcheck.errors import FormcheckError, UsageError
from formcheck.io import VIDEO_SUFFIXES, is_video_name

ENGINES = ("local", "dask")
BATCH_SCHEMA = "formcheck.batch/1"  # the "batch" block added to each analysis JSON
SUMMARY_NAME = "summary.csv"
# "exercise" is the title a clinician reads ("Glute bridge"), "exercise_key" the name machines and --exercise use;
# "count" the set in words ("7 reps", "1 hold (7.1 s)"), "reps"/"holds"/"held_s" the numbers behind it.
CSV_COLUMNS = (
    "video", "status", "exercise", "exercise_key", "count", "reps", "holds", "held_s", "main_cue", "message",
    "duration_s", "elapsed_s", "json", "report",
)  # fmt: skip
STATUS_DONE, STATUS_SKIPPED, STATUS_FAILED = "done", "skipped", "failed"
STATUS_NOT_VIDEO = "not a video"  # a file in the folder that is not analysed (listed, so it is not silently lost)
_HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class BatchItem:
    """What happened to one video.

    Attributes:
        video: the video's file name (relative to the input folder).
        status: ``"done"`` (analysed now), ``"skipped"`` (finished by an earlier run), ``"failed"``, or
            ``"not a video"`` (another file in the folder, not analysed).
        exercise: the exercise analysed, its key (``glute_bridge``; '' on failure).
        title: the exercise's title ("Glute bridge"; '' on failure).
        count: the set in words, as the reports say it ("7 reps", "1 hold (7.1 s)", "0 holds").
        reps: number of reps (None on failure; None for an exercise that counts holds and found no rep).
        holds: number of holds (None on failure; None for a rep exercise that found no hold).
        held_s: seconds held over all holds (NaN when ``holds`` is None).
        main_cue: the one thing to work on next (or why there is nothing to say), '' on failure.
        message: on failure the plain error message, else ''.
        duration_s: length of the video (NaN unknown).
        elapsed_s: processing time of this run (0 for a skipped video).
        json_path, report_path: outputs (None on failure); error_path: the ``.error.txt`` (failures only).
        exit_code: the code ``formcheck analyze`` would have exited with (0 ok).
    """

    video: str
    status: str
    exercise: str = ""
    title: str = ""
    count: str = ""
    reps: int | None = None
    holds: int | None = None
    held_s: float = math.nan
    main_cue: str = ""
    message: str = ""
    duration_s: float = math.nan
    elapsed_s: float = 0.0
    json_path: Path | None = None
    report_path: Path | None = None
    error_path: Path | None = None
    exit_code: int = 0

    def csv_row(self) -> dict[str, str]:
        return {
            "video": self.video,
            "status": self.status,
            "exercise": self.title,
            "exercise_key": self.exercise,
            "count": self.count,
            "reps": "" if self.reps is None else str(self.reps),
            "holds": "" if self.holds is None else str(self.holds),
            "held_s": f"{self.held_s:.1f}" if math.isfinite(self.held_s) else "",
            "main_cue": self.main_cue,
            "message": self.message,
            "duration_s": f"{self.duration_s:.1f}" if math.isfinite(self.duration_s) else "",
            "elapsed_s": "" if self.status == STATUS_NOT_VIDEO else f"{self.elapsed_s:.1f}",
            "json": self.json_path.name if self.json_path else "",
            "report": self.report_path.name if self.report_path else "",
        }


@dataclass(frozen=True)
class BatchSummary:
    """Result of :func:`run_batch`: one item per video (name order), where the summary CSV is, how it ran."""

    items: tuple[BatchItem, ...]
    out_dir: Path
    csv_path: Path
    engine: str
    workers: int
    elapsed_s: float

    def count(self, status: str) -> int:
        return sum(1 for it in self.items if it.status == status)

    @property
    def not_videos(self) -> tuple[str, ...]:
        """Files in the folder that were not analysed because they are not videos (in name order)."""
        return tuple(it.video for it in self.items if it.status == STATUS_NOT_VIDEO)

    @property
    def videos_per_min(self) -> float:
        """Videos analysed (not skipped) per minute of wall time in this run (NaN if none)."""
        n = self.count(STATUS_DONE) + self.count(STATUS_FAILED)
        return 60.0 * n / self.elapsed_s if n and self.elapsed_s > 0 else math.nan

    @property
    def exit_code(self) -> int:
        """0 when every video is done or skipped, else the code of the first failure (name order)."""
        return next((it.exit_code or 1 for it in self.items if it.status == STATUS_FAILED), 0)


@dataclass(frozen=True)
class _Task:
    """One video's work, sent to a worker (picklable: paths, strings and the pydantic config)."""

    video: Path
    name: str
    json_path: Path
    report_path: Path
    error_path: Path
    exercise: str | None
    config: Config
    fingerprint: str
    cache: bool


def find_videos(in_dir: str | Path) -> list[Path]:
    """The videos directly inside ``in_dir`` (:data:`formcheck.io.VIDEO_SUFFIXES`, any case; not hidden), by name.

    Raises:
        UsageError: ``in_dir`` is not a folder.
    """
    return [p for p in _files(in_dir) if is_video_name(p.name)]


def find_other_files(in_dir: str | Path) -> list[Path]:
    """The files directly inside ``in_dir`` that are not videos (not hidden), by name: listed, not analysed.

    Raises:
        UsageError: ``in_dir`` is not a folder.
    """
    return [p for p in _files(in_dir) if not is_video_name(p.name)]


def _files(in_dir: str | Path) -> list[Path]:
    d = Path(in_dir)
    if not d.is_dir():
        raise UsageError(f"{d} is not a folder.", hint="Give the folder that holds the videos.")
    return sorted((p for p in d.iterdir() if p.is_file() and not p.name.startswith(".")), key=lambda p: p.name)


def _suffix_words() -> str:
    return ", ".join(VIDEO_SUFFIXES)


def not_video_item(path: Path) -> BatchItem:
    """The summary row of a file in the folder that is not analysed (its name does not end as a video's)."""
    return BatchItem(video=path.name, status=STATUS_NOT_VIDEO,
                     message=f"Not analysed: not a video file (formcheck batch reads {_suffix_words()}).")  # fmt: skip


def output_stems(videos: Sequence[Path]) -> dict[Path, str]:
    """Output stem per video: the file-system-safe stem, plus the suffix where two videos share a stem."""

    def safe(s: str) -> str:
        return re.sub(r"[^\w.-]+", "_", s).strip("._-")[:80] or "video"

    by_stem: dict[str, list[Path]] = {}
    for v in videos:
        by_stem.setdefault(safe(v.stem).lower(), []).append(v)
    out: dict[Path, str] = {}
    for group in by_stem.values():
        for v in group:
            out[v] = safe(v.stem) if len(group) == 1 else f"{safe(v.stem)}_{v.suffix.lower().lstrip('.')}"
    return out


def settings_fingerprint(config: Config, exercise: str | None) -> str:
    """sha256 over what changes an analysis besides the video: the whole configuration and the exercise asked for."""
    key = json.dumps(
        {"config": config.model_dump(mode="json"), "exercise": (exercise or "").strip().lower() or None},
        sort_keys=True,
    )
    return hashlib.sha256(key.encode()).hexdigest()


def file_sha256(path: str | Path) -> str:
    """sha256 of a file's content (read in 1 MiB chunks)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _source_stamp(video: Path) -> dict[str, Any]:
    st = video.stat()
    return {"name": video.name, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def finished_item(task: _Task) -> BatchItem | None:
    """The skipped item if an earlier run finished this video with these settings, else None (see module docs)."""
    try:
        doc = json.loads(task.json_path.read_text(encoding="utf-8"))
        b = doc["batch"]
        if b.get("schema") != BATCH_SCHEMA or b.get("formcheck_version") != __version__:
            return None
        if b.get("settings_sha256") != task.fingerprint or not task.report_path.is_file():
            return None
        src, now = b["source"], _source_stamp(task.video)
        if src.get("size") != now["size"]:
            return None
        # Same size, other mtime (copied, touched): the content decides.
        if src.get("mtime_ns") != now["mtime_ns"] and src.get("sha256") != file_sha256(task.video):
            return None
        from formcheck.types import Analysis

        analysis = Analysis.from_json_dict(doc)
        return _analysed_item(task, STATUS_SKIPPED, analysis, str(b.get("main_cue", "")), 0.0)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing, half-written by an older tool, or not ours: analyse again


def _analysed_item(task: _Task, status: str, analysis: Any, cue: str, elapsed_s: float) -> BatchItem:
    """The row of an analysed video (now, or by an earlier run from its JSON): title, count and numbers."""
    from formcheck.history import counts_holds
    from formcheck.report.content import count_text, exercise_title

    n_reps, holds = len(analysis.reps), tuple(getattr(analysis, "holds", ()))
    by_holds = counts_holds(analysis.exercise)  # a plank's count is its holds: not "0 reps" for a 7 s hold
    video = analysis.video
    return BatchItem(
        video=task.name,
        status=status,
        exercise=analysis.exercise,
        title=exercise_title(analysis),
        count=count_text(analysis),
        reps=None if by_holds and not n_reps else n_reps,
        holds=len(holds) if holds or by_holds else None,
        held_s=float(sum(h.duration_s for h in holds)) if holds or by_holds else math.nan,
        main_cue=cue,
        duration_s=float(video.duration_s) if video is not None and video.duration_s else math.nan,
        elapsed_s=elapsed_s,
        json_path=task.json_path,
        report_path=task.report_path,
    )


def main_cue(analysis: Any, config: Config) -> str:
    """The one line a clinician reads first: the top correction, or why there is none.

    The CLI's "focus next" (:func:`formcheck.report.content.focus_next_text`), except for a hold set with
    nothing to correct: there "focus next" is the hold's praise ("Steady hold: body line +1°, sway 0.9°"), but
    in a spreadsheet every clean set reads "nothing to correct", whatever the exercise, so a clinician can sort
    and filter on it (the praise and its numbers stay in the set's report). When the camera angle let only part
    of the hold's form (or none of it) be judged, it says so instead of "nothing to correct".
    """
    from formcheck.cues import is_correction
    from formcheck.report.content import cues_of, focus_next_text, form_judged, not_judged_text

    said = focus_next_text(analysis, config)
    if analysis.reps or not getattr(analysis, "holds", ()) or not_judged_text(analysis) is not None:
        return said
    if said in {c.message for c in cues_of(analysis, config) if is_correction(c)}:
        return said  # the hold's correction (or a set-level one: view, framing)
    judged = form_judged(analysis, config)
    if judged == "all":
        return "nothing to correct"
    if judged == "some":
        return "nothing to correct in what was measured; part of the form could not be told from this camera angle"
    return "only how long you held could be judged from this camera angle"


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def analyze_one(task: _Task) -> BatchItem:
    """Analyse one video and write its HTML report, then its JSON (the completion mark). Never raises for a bad
    video: the failure is returned (and written to ``.error.txt``) so the batch goes on."""
    from formcheck.analyze import analyze_sequence, load_or_extract
    from formcheck.report import write_reports

    t0 = time.perf_counter()
    try:
        stamp = _source_stamp(task.video)  # before reading: a file replaced meanwhile is not marked finished
        seq = load_or_extract(task.video, task.config, cache=task.cache, exercise=task.exercise)
        analysis = analyze_sequence(seq, task.exercise, task.config)
        write_reports(analysis, [task.report_path], video_path=task.video, seq=seq, config=task.config)
        cue = main_cue(analysis, task.config)
        doc = analysis.to_json_dict()
        doc["batch"] = {
            "schema": BATCH_SCHEMA,
            "formcheck_version": __version__,
            "settings_sha256": task.fingerprint,
            "source": {**stamp, "sha256": file_sha256(task.video)},
            "main_cue": cue,
        }
        _atomic_write_text(task.json_path, json.dumps(doc, indent=1))
        task.error_path.unlink(missing_ok=True)  # an earlier failure of this video is no longer true
        return _analysed_item(task, STATUS_DONE, analysis, cue, time.perf_counter() - t0)
    except FormcheckError as e:
        return _failed(task, str(e), e.exit_code, t0)
    except Exception as e:  # noqa: BLE001 - one broken video must not stop a clinic's batch; the trace is kept
        detail = "".join(traceback.format_exception(e))
        return _failed(task, f"Unexpected error ({type(e).__name__}: {e}).", 1, t0, detail)


def _failed(task: _Task, message: str, code: int, t0: float, detail: str = "") -> BatchItem:
    text = f"{task.name}: {message}\n" + (f"\n{detail}" if detail else "")
    try:
        _atomic_write_text(task.error_path, text)
        err: Path | None = task.error_path
    except OSError:
        err = None
    return BatchItem(
        video=task.name,
        status=STATUS_FAILED,
        message=message,
        elapsed_s=time.perf_counter() - t0,
        error_path=err,
        exit_code=code,
    )


def _crashed(task: _Task, e: BaseException) -> BatchItem:
    """A task whose worker died (killed, out of memory) or could not run: recorded like any failure."""
    return _failed(task, f"The worker analysing it stopped ({type(e).__name__}: {e}).", 1, time.perf_counter())


def _run_local(tasks: list[_Task], workers: int, done: Callable[[BatchItem], None]) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # spawn: a fresh interpreter per worker; forking a process that has loaded threaded native libraries can hang.
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
    try:
        futures = {pool.submit(analyze_one, t): t for t in tasks}
        for fut in as_completed(futures):
            try:
                done(fut.result())
            except Exception as e:  # noqa: BLE001 - BrokenProcessPool etc.: record it, keep collecting
                done(_crashed(futures[fut], e))
    except BaseException:
        # Ctrl+C: drop the videos not started instead of waiting for the whole queue (the CSV is still written).
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _run_dask(tasks: list[_Task], workers: int, address: str | None, done: Callable[[BatchItem], None]) -> None:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as e:
        raise UsageError(
            "The dask engine needs Dask distributed.", hint="Install it with: pip install 'formcheck[cluster]'."
        ) from e
    cluster = None
    try:
        if address:
            client = Client(address, timeout="10s")
        else:
            # Loopback only, any free port: the scheduler's web server must not take a fixed port or face the network.
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address="127.0.0.1:0", silence_logs=40,
            )  # fmt: skip
            client = Client(cluster)
    except (OSError, TimeoutError) as e:
        if cluster is not None:
            cluster.close()
        raise UsageError(f"Could not reach the Dask scheduler at {address} ({e}).") from e
    try:
        # Keys unique per run: two batches on one scheduler with the same video names must not share results.
        run = uuid.uuid4().hex[:12]
        futures = client.map(analyze_one, tasks, pure=False, key=[f"formcheck-{run}-{t.name}" for t in tasks])
        by_key = {f.key: t for f, t in zip(futures, tasks, strict=True)}
        for fut in as_completed(futures):
            try:
                done(fut.result())
            except Exception as e:  # noqa: BLE001 - KilledWorker etc.: record it, keep collecting
                done(_crashed(by_key[fut.key], e))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def write_summary_csv(items: Iterable[BatchItem], path: Path) -> Path:
    """The summary CSV (columns :data:`CSV_COLUMNS`), written atomically."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    for it in items:
        w.writerow(it.csv_row())
    _atomic_write_text(path, buf.getvalue())
    return path


def run_batch(
    in_dir: str | Path,
    out_dir: str | Path,
    *,
    exercise: str | None = None,
    config: Config | None = None,
    engine: str = "local",
    workers: int = 1,
    address: str | None = None,
    cache: bool = True,
    resume: bool = True,
    progress: bool = False,
    on_item: Callable[[BatchItem], None] | None = None,
) -> BatchSummary:
    """Analyse every video in ``in_dir`` and write the outputs into ``out_dir`` (see the module docs).

    Args:
        in_dir: folder of videos (not recursive).
        out_dir: output folder (made if missing).
        exercise: analyzer name for every video, or None to recognise each one.
        config: configuration (defaults when None).
        engine: ``"local"`` (process pool) or ``"dask"``.
        workers: processes (local pool, or the LocalCluster started when ``address`` is None).
        address: Dask scheduler address (``tcp://host:port``); only with ``engine="dask"``.
        cache: use the pose cache (as ``formcheck analyze`` does).
        resume: skip videos finished by an earlier run with the same settings.
        progress: show a tqdm progress bar on stderr.
        on_item: called with each video's item as it finishes (any order).

    Returns:
        The summary; ``summary.csv`` in ``out_dir`` has one row per video.

    Raises:
        UsageError: bad folder, engine, worker count, an address without the dask engine, an unknown exercise,
            or no videos in the folder.
    """
    t0 = time.perf_counter()
    if engine not in ENGINES:
        raise UsageError(f"Unknown engine {engine!r}.", hint=f"Use one of: {', '.join(ENGINES)}.")
    if workers < 1:
        raise UsageError(f"--workers must be 1 or more, not {workers}.")
    if address and engine != "dask":
        raise UsageError("--address is the Dask scheduler's address: use it with --engine dask.")
    cfg = config if config is not None else Config()
    if exercise:
        from formcheck.engine.registry import get_spec

        get_spec(exercise)  # an unknown name fails here, once, not once per video
    videos = find_videos(in_dir)
    out = Path(out_dir)
    others = [p for p in find_other_files(in_dir) if not _own_output(p, out)]
    if not videos:
        seen = f" (it holds {_names(others)}, not videos)" if others else ""
        raise UsageError(f"No videos in {in_dir}{seen}.", hint=f"formcheck batch reads files ending in "
                         f"{_suffix_words()}, in any case.")  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    fp = settings_fingerprint(cfg, exercise)
    stems = output_stems(videos)
    tasks = [
        _Task(video=v.resolve(), name=v.name, json_path=out / f"{stems[v]}.json", report_path=out / f"{stems[v]}.html",
              error_path=out / f"{stems[v]}.error.txt", exercise=exercise, config=cfg, fingerprint=fp, cache=cache)
        for v in videos
    ]  # fmt: skip
    results: dict[str, BatchItem] = {}
    todo: list[_Task] = []
    for t in tasks:
        prev = finished_item(t) if resume else None
        if prev is None:
            todo.append(t)
        else:
            results[t.name] = prev
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(tasks), initial=len(results), desc="videos", unit="video", file=sys.stderr)

    def done(item: BatchItem) -> None:
        results[item.video] = item
        if bar is not None:
            bar.set_postfix_str(f"{item.video}: {item.status}", refresh=False)
            bar.update(1)
        if on_item is not None:
            on_item(item)

    try:
        if todo:
            if engine == "local":
                _run_local(todo, min(workers, len(todo)), done)
            else:
                _run_dask(todo, workers, address, done)
    finally:
        if bar is not None:
            bar.close()
        # Always write what is known, also after Ctrl+C: the finished videos' rows are not lost.
        rows = {t.name: results[t.name] if t.name in results else _not_run(t) for t in tasks}
        rows.update((p.name, not_video_item(p)) for p in others)
        items = tuple(rows[name] for name in sorted(rows))
        csv_path = write_summary_csv(items, out / SUMMARY_NAME)
    return BatchSummary(items=items, out_dir=out, csv_path=csv_path, engine=engine, workers=workers,
                        elapsed_s=time.perf_counter() - t0)  # fmt: skip


def _own_output(path: Path, out_dir: Path) -> bool:
    """A batch output in the input folder itself (``-o`` the same folder): not listed as a skipped file."""
    if path.parent.resolve() != out_dir.resolve():
        return False
    return path.name == SUMMARY_NAME or path.name.endswith((".json", ".html", ".error.txt"))


def _names(paths: Sequence[Path], most: int = 5) -> str:
    shown = ", ".join(p.name for p in paths[:most])
    return shown + (f" and {len(paths) - most} more" if len(paths) > most else "")


def _not_run(task: _Task) -> BatchItem:
    return BatchItem(video=task.name, status="not run", message="The batch stopped before this video.")


__all__ = [
    "BATCH_SCHEMA", "CSV_COLUMNS", "ENGINES", "STATUS_NOT_VIDEO", "SUMMARY_NAME", "VIDEO_SUFFIXES", "BatchItem",
    "BatchSummary", "analyze_one", "find_other_files", "find_videos", "finished_item", "main_cue", "not_video_item",
    "output_stems", "run_batch", "settings_fingerprint", "write_summary_csv",
]  # fmt: skip
