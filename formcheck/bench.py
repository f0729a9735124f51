"""``formcheck bench``: speed and memory measured side by side in one run on one clip, printed as ratios.

What is measured (every figure on this machine, in this run; nothing is compared with numbers from elsewhere):

* **Pose pipeline**, alternating rounds on the same clip (the median of each round's ratio is reported, so a
  change in machine load hits all of them): the *bare landmarker loop* — the least any pose extraction must do:
  the same decoder (:mod:`formcheck.io.video`), the same model file, MediaPipe's VIDEO mode with one tracked
  person and the same segmentation setting, landmarker creation included, nothing else — against
  :func:`formcheck.extract.extract_poses` (pipelined, and on one thread) and the full ``formcheck analyze`` with
  the annotated video and an HTML report. Ratios are speed ratios, ``bare wall time / other wall time``:
  above 1 is faster than the bare loop. The pipelined and one-thread extractions are also compared array by
  array (landmarks, world landmarks, timestamps, people counts, mask probes must be identical).
* **Analyzers**: every exercise in :func:`formcheck.engine.registry.specs` on its own synthetic set
  (``spec.synth``) and on the clip's landmarks: batch ``analyze`` per frame and the streaming ``update`` per
  frame (mean and 95th percentile).
* **Live**: :meth:`formcheck.live.LiveProcessor.recv_queued` — the ``queued_video_frames_callback`` the app
  gives streamlit-webrtc — driven as streamlit-webrtc's worker thread drives it: a fake 640x480 camera thread
  queues yuv420p ``av.VideoFrame`` objects at 30 fps, a worker takes the whole backlog per call. Pose, streaming
  analysis, cues and overlay all run for real; no browser is needed. Latency is from the capture of the frame
  whose picture is returned to the callback's return (the pipelined processor returns the previous call's
  newest frame, so that frame's capture time is used).
* **Peak RSS** of ``formcheck analyze CLIP --no-cache --annotate --report`` in a child process (its own
  high-water mark, VmHWM, written when it ends) on clips made at bench time by repeating the clip's packets (no
  re-encoding) up to 1 and 10 minutes, in a temporary folder that is deleted afterwards.
* **Analyzer costs** are this thread's CPU time; the pipeline and live figures are wall time.

The machine, versions, date and how much CPU *other* processes used during the run are printed with the
tables: timings on a busy machine are pessimistic, so read the ratios, not the absolute frame rates.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime as dt
import io
import json
import math
import os
import platform
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO / "sample_videos"
RESULTS_MD = REPO / "benchmarks" / "RESULTS.md"

# Targets from issue 14 (printed next to each figure; the bench reports, it never fails on them).
TARGET_EXTRACT_RATIO = 1.15  # pipelined extract at least this much faster than the bare loop (2 cores)
TARGET_ANALYZE_RATIO = 0.85  # full analyze with overlay and report at least this fraction of the bare speed
TARGET_ANALYZER_MS = 1.0  # per frame, batch and streaming
TARGET_LIVE_FPS = 28.0  # of a 30 fps camera
TARGET_LIVE_P95_MS = 50.0
TARGET_RSS_MB = 500.0
TARGET_RSS_GROWTH = 1.25  # "flat": the longest clip's peak at most this multiple of the shortest's

LIVE_SIZE = (640, 480)
SECTIONS = ("pipeline", "analyzers", "live", "rss")
QUICK_FRAMES = 60  # --quick: clip length in frames (2 s at 30 fps)


@dataclasses.dataclass(frozen=True)
class Timing:
    """One timed run: frames, wall seconds and process CPU seconds (all threads)."""

    frames: int
    wall_s: float
    cpu_s: float

    @property
    def fps(self) -> float:
        return self.frames / self.wall_s if self.wall_s > 0 else math.nan

    @property
    def cpu_ms_per_frame(self) -> float:
        return 1000.0 * self.cpu_s / self.frames if self.frames else math.nan


@dataclasses.dataclass(frozen=True)
class AnalyzerCost:
    """Cost of one exercise analyzer on one input, per frame."""

    name: str
    source: str  # "synthetic" or "clip"
    frames: int
    batch_ms: float
    stream_mean_ms: float
    stream_p95_ms: float
    note: str = ""


@dataclasses.dataclass(frozen=True)
class LiveResult:
    """The live callback driven by a fake camera."""

    seconds: float
    camera_fps: float
    sent: int
    processed: int
    dropped: int
    fps: float
    drop_frac: float
    latency_median_ms: float
    latency_p95_ms: float
    call_median_ms: float
    cpu_cores: float
    pipelined: bool


@dataclasses.dataclass(frozen=True)
class RssResult:
    """Peak resident memory of one ``formcheck analyze`` child process."""

    label: str
    frames: int
    duration_s: float
    peak_rss_mb: float
    wall_s: float
    exit_code: int
    error: str = ""  # last line the child printed when it failed


@dataclasses.dataclass(frozen=True)
class BenchResult:
    """Everything one ``formcheck bench`` run measured."""

    machine: dict[str, str]
    clip: dict[str, Any]
    rounds: int
    pipeline: dict[str, list[Timing]]
    identical: dict[str, bool]
    analyzers: list[AnalyzerCost]
    live: LiveResult | None
    rss: list[RssResult]
    other_cpu_cores: float  # CPU used by other processes during the run, in cores (NaN: unknown)
    load_before: float
    load_after: float
    wall_s: float
    quick: bool
    note: str = ""

    def ratio(self, name: str) -> float:
        """Median over rounds of ``bare wall / name wall`` (speed ratio; > 1 is faster than the bare loop)."""
        bare, other = self.pipeline.get("bare", []), self.pipeline.get(name, [])
        r = [b.wall_s / o.wall_s for b, o in zip(bare, other, strict=False) if o.wall_s > 0]
        return float(np.median(r)) if r else math.nan


# ---------------------------------------------------------------------------------------------------------------
# Machine, versions, other load
# ---------------------------------------------------------------------------------------------------------------


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo`` on Linux, else :func:`platform.processor`)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine() or "unknown"


def _version(module: str) -> str:
    try:
        mod = __import__(module)
    except ImportError:
        return "not installed"
    return str(getattr(mod, "__version__", "?"))


def machine_info() -> dict[str, str]:
    """CPU count and model, OS, versions of Python and the libraries that do the work, and the date (UTC)."""
    from formcheck import __version__

    return {
        "cpus": str(os.cpu_count() or "?"),
        "cpu_model": cpu_model(),
        "os": f"{platform.system()} {platform.release()}",
        "formcheck": __version__,
        "python": platform.python_version(),
        "mediapipe": _version("mediapipe"),
        "numpy": _version("numpy"),
        "opencv": _version("cv2"),
        "av": _version("av"),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _load1() -> float:
    try:
        return float(os.getloadavg()[0])
    except (OSError, AttributeError):
        return math.nan


def _busy_cpu_s() -> float:
    """CPU seconds all processes have used since boot (``/proc/stat``; NaN elsewhere)."""
    try:
        ticks = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6]  # user nice system irq softirq (guest is in user)
        return busy / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return math.nan


def _own_cpu_s() -> float:
    import resource

    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


# ---------------------------------------------------------------------------------------------------------------
# Clips made at bench time
# ---------------------------------------------------------------------------------------------------------------


def default_clip() -> Path:
    """The bundled sample clip (``sample_videos/``)."""
    clips = sorted(SAMPLE_DIR.glob("*.mp4"))
    if not clips:
        from formcheck.errors import InputError

        raise InputError(f"No sample clip in {SAMPLE_DIR}.", hint="Pass one with --clip VIDEO.")
    return clips[0]


def repeat_clip(src: Path, dst: Path, *, frames: int) -> Path:
    """Write ``frames`` frames made by repeating ``src``'s video packets end to end (no re-encoding).

    Each pass starts at the source's first packet (a key frame) with timestamps shifted by the source's span,
    so the result decodes like one long recording of the same frames. Cutting the last pass short keeps a prefix
    in decode order, which is always decodable. Audio is left out.
    """
    import av

    with av.open(str(src)) as inp:
        s_in = inp.streams.video[0]
        tb = s_in.time_base
        pkts = [(bytes(p), p.pts, p.dts, p.duration, p.is_keyframe) for p in inp.demux(s_in) if p.size]
        if not pkts or not pkts[0][4]:
            raise ValueError(f"{src.name}: cannot repeat a clip that does not start with a key frame")
        lo = min(p[1] for p in pkts)
        span = max(p[1] + (p[3] or 0) for p in pkts) - lo
        with av.open(str(dst), "w") as out:
            s_out = out.add_stream_from_template(s_in)
            written = 0
            k = 0
            while written < frames:
                for data, pts, dts, dur, key in pkts:
                    pkt = av.Packet(data)
                    pkt.pts, pkt.dts, pkt.duration = pts + k * span, dts + k * span, dur
                    pkt.is_keyframe, pkt.time_base, pkt.stream = key, tb, s_out
                    out.mux(pkt)
                    written += 1
                    if written >= frames:
                        break
                k += 1
    return dst


def cut_clip(src: Path, dst: Path, *, frames: int) -> Path:
    """The first ``frames`` frames of ``src`` (re-encoded with libx264, quality close to the source)."""
    import av

    from formcheck.io.video import open_video

    with open_video(src) as reader, av.open(str(dst), "w") as out:
        fps = reader.info.fps if math.isfinite(reader.info.fps) and reader.info.fps > 0 else 30.0
        s = out.add_stream("libx264", rate=Fraction(fps).limit_denominator(1001))
        s.width, s.height, s.pix_fmt = reader.info.width, reader.info.height, "yuv420p"
        s.options = {"crf": "18", "preset": "veryfast"}
        for n, (rgb, _t) in enumerate(reader, 1):
            for pkt in s.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                out.mux(pkt)
            if n >= frames:
                break
        for pkt in s.encode():
            out.mux(pkt)
    return dst


# ---------------------------------------------------------------------------------------------------------------
# Pose pipeline: bare loop, extract, analyze
# ---------------------------------------------------------------------------------------------------------------


def bare_loop(path: Path, config: Any) -> Timing:
    """A plain PoseLandmarker loop over the clip (see the module docstring); the landmarker's creation counts."""
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions
    from mediapipe.tasks.python.vision import PoseLandmarker, PoseLandmarkerOptions, RunningMode

    from formcheck.io.video import open_video
    from formcheck.pose import block_mediapipe_uploads, resolve_model_path
    from formcheck.pose.estimator import _quiet_native_stderr

    block_mediapipe_uploads()  # as PoseEstimator does: no network at run time
    cfg = config.pose
    options = PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(resolve_model_path(cfg))),
        running_mode=RunningMode.VIDEO,
        num_poses=1,
        min_pose_detection_confidence=cfg.min_detection_confidence,
        min_pose_presence_confidence=cfg.min_presence_confidence,
        min_tracking_confidence=cfg.min_tracking_confidence,
        output_segmentation_masks=cfg.segmentation,
    )
    n = 0
    t0, c0 = time.perf_counter(), time.process_time()
    with _quiet_native_stderr():  # the model load's native warnings, as PoseEstimator hides them
        lm = PoseLandmarker.create_from_options(options)
    with lm, open_video(path) as reader:
        last = -1
        for frame, t_s in reader:
            t_ms = max(int(round(t_s * 1000)), last + 1)
            last = t_ms
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=frame)
            with _quiet_native_stderr() if n == 0 else contextlib.nullcontext():  # first inference logs too
                lm.detect_for_video(image, t_ms)
            n += 1
    return Timing(n, time.perf_counter() - t0, time.process_time() - c0)


def timed_extract(path: Path, config: Any, *, pipelined: bool = True) -> tuple[Timing, Any]:
    """:func:`formcheck.extract.extract_poses` timed; returns the timing and the pose sequence."""
    from formcheck.extract import extract_poses

    t0, c0 = time.perf_counter(), time.process_time()
    seq = extract_poses(path, config, pipelined=pipelined)
    return Timing(seq.n_frames, time.perf_counter() - t0, time.process_time() - c0), seq


def timed_analyze(path: Path, out_dir: Path, frames: int, exercise: str | None) -> Timing:
    """``formcheck analyze CLIP --no-cache --annotate A.mp4 --report R.html`` in this process, output discarded."""
    from formcheck.cli import main as cli_main

    argv = [
        "analyze", str(path), "--no-cache", "--quiet",
        "--annotate", str(out_dir / "annotated.mp4"), "--report", str(out_dir / "report.html"),
    ]  # fmt: skip
    if exercise:
        argv += ["--exercise", exercise]
    buf = io.StringIO()
    t0, c0 = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        code = cli_main(argv)
    timing = Timing(frames, time.perf_counter() - t0, time.process_time() - c0)
    if code != 0:
        raise RuntimeError(f"formcheck analyze failed on {path.name} (exit {code}): {buf.getvalue()[-500:]}")
    return timing


def _first_exercise() -> str:
    from formcheck.engine.registry import names

    return names()[0]


def _exercise_of(seq: Any) -> str:
    """The exercise recognised in ``seq``; the first registered one when none is (a short --quick clip)."""
    from formcheck.analyzers import UNKNOWN, detect_exercise

    name = detect_exercise(seq)
    return name if name != UNKNOWN else _first_exercise()


def same_sequences(a: Any, b: Any) -> bool:
    """Bit-for-bit equal pose sequences (NaN equal to NaN): landmarks, world, times, people, every probe."""
    arrays = ("landmarks", "world", "t_s", "n_people")
    if any(not np.array_equal(getattr(a, k), getattr(b, k), equal_nan=True) for k in arrays):
        return False
    if set(a.probes) != set(b.probes):
        return False
    return all(np.array_equal(a.probes[k], b.probes[k], equal_nan=True) for k in a.probes)


# ---------------------------------------------------------------------------------------------------------------
# Analyzers
# ---------------------------------------------------------------------------------------------------------------


def analyzer_cost(spec: Any, seq: Any, config: Any, source: str, repeat: int = 3) -> AnalyzerCost:
    """Batch ``analyze`` (best of ``repeat``) and streaming ``update`` per frame of one exercise on ``seq``.

    Timed as this thread's CPU time: the analyzers run on one thread, and CPU time does not count the time other
    processes hold the core (wall time per call would, several-fold on a busy machine).
    """
    from formcheck.errors import FormcheckError

    analyzer = spec.analyzer(config)
    n = int(seq.n_frames)
    note = ""
    best = math.inf
    for _ in range(max(1, repeat)):
        t0 = time.thread_time()
        try:
            analyzer.analyze(seq)
        except FormcheckError as e:  # e.g. the clip is not this exercise: the time to say so still counts
            note = f"analyze: {type(e).__name__}"
        best = min(best, time.thread_time() - t0)
    stream = analyzer.stream()
    outline = seq.back_contour_px
    per = np.empty(n)
    for i in range(n):
        t0 = time.thread_time()
        stream.update(float(seq.t_s[i]), seq.landmarks[i], seq.world[i], seq.width, seq.height,
                      None if outline is None else outline[i], 1)  # fmt: skip
        per[i] = time.thread_time() - t0
    with contextlib.suppress(FormcheckError):
        stream.finish()
    return AnalyzerCost(
        name=spec.name,
        source=source,
        frames=n,
        batch_ms=1000.0 * best / n if n else math.nan,
        stream_mean_ms=1000.0 * float(per.mean()) if n else math.nan,
        stream_p95_ms=1000.0 * float(np.percentile(per, 95)) if n else math.nan,
        note=note,
    )


def analyzer_costs(config: Any, clip_seq: Any | None, *, n_reps: int, repeat: int) -> list[AnalyzerCost]:
    """Every registered exercise on its synthetic set (when it has a generator) and on the clip's landmarks."""
    from formcheck.engine.registry import specs

    out: list[AnalyzerCost] = []
    for spec in specs():
        if spec.synth is not None:
            synth = spec.synth(n_reps=n_reps, facing=1, fps=30.0, seed=0)
            out.append(analyzer_cost(spec, synth.seq, config, "synthetic", repeat))
        if clip_seq is not None:
            out.append(analyzer_cost(spec, clip_seq, config, "clip", repeat))
    return out


# ---------------------------------------------------------------------------------------------------------------
# Live
# ---------------------------------------------------------------------------------------------------------------


def camera_frames(path: Path, max_frames: int = 600) -> list[Any]:
    """The clip as a camera would send it through WebRTC: 640x480 yuv420p ``av.VideoFrame`` objects."""
    import av
    import cv2

    from formcheck.io.video import open_video

    frames = []
    with open_video(path) as reader:
        for rgb, _t in reader:
            if rgb.shape[1::-1] != LIVE_SIZE:
                rgb = cv2.resize(rgb, LIVE_SIZE, interpolation=cv2.INTER_AREA)
            frames.append(av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p"))
            if len(frames) >= max_frames:
                break
    return frames


def live_bench(
    config: Any,
    clip: Path,
    *,
    seconds: float,
    camera_fps: float = 30.0,
    exercise: str = "hinge",
    pipelined: bool = True,
) -> LiveResult:
    """Drive :meth:`LiveProcessor.recv_queued` from a fake camera as streamlit-webrtc's worker does.

    ``pipelined`` is the processor's setting (the app's default is True: pose on a second thread).
    """
    from formcheck.live import LiveProcessor

    frames = camera_frames(clip)
    proc = LiveProcessor(config, exercise, pipelined=pipelined)
    q: queue.Queue = queue.Queue()
    stop = threading.Event()
    sent = 0
    latencies_ms: list[float] = []
    call_ms: list[float] = []
    rate = Fraction(camera_fps).limit_denominator(1001)

    def camera() -> None:
        nonlocal sent
        period = 1.0 / camera_fps
        t0 = time.monotonic()
        i = 0
        while not stop.is_set():
            f = frames[i % len(frames)]
            f.pts, f.time_base = i, 1 / rate
            q.put((time.monotonic(), f))
            sent += 1
            i += 1
            time.sleep(max(0.0, t0 + i * period - time.monotonic()))  # absolute schedule: no drift

    def worker() -> None:
        loop = asyncio.new_event_loop()
        shown_capture: float | None = None  # capture time of the frame whose picture the next return shows
        while not stop.is_set():
            try:
                items = [q.get(timeout=0.2)]
            except queue.Empty:
                continue
            while True:  # the whole backlog, like streamlit-webrtc's worker
                try:
                    items.append(q.get_nowait())
                except queue.Empty:
                    break
            t_start = time.monotonic()
            loop.run_until_complete(proc.recv_queued([f for _, f in items]))
            t_end = time.monotonic()
            call_ms.append(1000.0 * (t_end - t_start))
            newest = items[-1][0]
            if proc.pipelined:  # the picture returned is the previous call's newest frame
                if shown_capture is not None:
                    latencies_ms.append(1000.0 * (t_end - shown_capture))
                shown_capture = newest
            else:
                latencies_ms.append(1000.0 * (t_end - newest))
        loop.close()

    warm = frames[0].to_ndarray(format="bgr24")
    for _ in range(5):  # model load and first inferences, not counted
        proc.process(warm)
    proc.reset()
    threads = [threading.Thread(target=camera, daemon=True), threading.Thread(target=worker, daemon=True)]
    c0, t0 = time.process_time(), time.monotonic()
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(timeout=10)
    elapsed = time.monotonic() - t0
    cpu_s = time.process_time() - c0
    s = proc.snapshot()
    proc.close()
    arrived = s.frames_in + q.qsize()
    return LiveResult(
        seconds=elapsed,
        camera_fps=camera_fps,
        sent=sent,
        processed=s.frames_processed,
        dropped=s.frames_dropped,
        fps=s.frames_processed / elapsed,
        drop_frac=1.0 - s.frames_processed / arrived if arrived else math.nan,
        latency_median_ms=float(np.median(latencies_ms)) if latencies_ms else math.nan,
        latency_p95_ms=float(np.percentile(latencies_ms, 95)) if latencies_ms else math.nan,
        call_median_ms=float(np.median(call_ms)) if call_ms else math.nan,
        cpu_cores=cpu_s / elapsed,
        pipelined=proc.pipelined,
    )


# ---------------------------------------------------------------------------------------------------------------
# Peak memory
# ---------------------------------------------------------------------------------------------------------------


# Runs ``formcheck analyze`` and records the process's own peak. VmHWM (Linux) rather than ``ru_maxrss``: a child's
# ru_maxrss keeps the parent's peak across fork + exec (checked: a child of a 500 MB parent reports 526 MB), so it
# would measure the bench, not the analysis.
_RSS_CHILD = """
import json, resource, sys
from formcheck.cli import main
code = 1
def peak_kib():
    try:
        with open("/proc/self/status") as f:
            return next((int(line.split()[1]) for line in f if line.startswith("VmHWM:")), None)
    except OSError:
        return None
try:
    code = main(sys.argv[2:])
finally:  # also after a crash: the peak so far is reported with the exit code
    kib = peak_kib()
    if kib is None:  # not Linux: ru_maxrss (KiB; bytes on macOS)
        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1024 if sys.platform == "darwin" else 1)
    with open(sys.argv[1], "w") as f:
        json.dump({"exit_code": code, "peak_kib": kib}, f)
sys.exit(code)
"""


def peak_rss(clip: Path, out_dir: Path, label: str, exercise: str | None) -> RssResult:
    """Peak RSS of ``formcheck analyze CLIP --no-cache --annotate --report --json`` in a child process.

    The child runs the CLI's ``main`` and writes its own high-water mark when it ends (see ``_RSS_CHILD``).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    js, peak_js = out_dir / "analysis.json", out_dir / "peak.json"
    argv = [
        "analyze", str(clip), "--no-cache", "--quiet",
        "--annotate", str(out_dir / "annotated.mp4"), "--report", str(out_dir / "report.html"), "--json", str(js),
    ]  # fmt: skip
    if exercise:
        argv += ["--exercise", exercise]
    env = dict(os.environ, FORMCHECK_CACHE_DIR=str(out_dir / "cache"))
    t0 = time.perf_counter()
    with open(out_dir / "log.txt", "wb") as log:
        proc = subprocess.run([sys.executable, "-c", _RSS_CHILD, str(peak_js), *argv], stdout=log, stderr=log, env=env)
    wall = time.perf_counter() - t0
    peak_mb, frames, duration = math.nan, 0, math.nan
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        peak_mb = json.loads(peak_js.read_text(encoding="utf-8"))["peak_kib"] / 1024.0
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        video = json.loads(js.read_text(encoding="utf-8"))["video"]
        frames, duration = int(video["n_frames"]), float(video["duration_s"])
    error = ""
    if proc.returncode != 0:
        with contextlib.suppress(OSError):
            lines = [ln for ln in (out_dir / "log.txt").read_text(errors="replace").splitlines() if ln.strip()]
            error = lines[-1][:200] if lines else ""
    return RssResult(label, frames, duration, peak_mb, wall, proc.returncode, error)


# ---------------------------------------------------------------------------------------------------------------
# The whole run
# ---------------------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class BenchOptions:
    """What to run (see ``formcheck bench --help``)."""

    clip: Path | None = None
    quick: bool = False
    rounds: int = 3
    live_seconds: float = 20.0
    rss_minutes: tuple[float, ...] = (1.0, 10.0)
    exercise: str | None = None
    note: str = ""
    sections: tuple[str, ...] = SECTIONS


def run_bench(opts: BenchOptions, log: Callable[[str], None] = lambda s: None) -> BenchResult:
    """Run every measurement in ``opts``; ``log`` gets one line per step (progress on stderr)."""
    from formcheck.config import load_config
    from formcheck.io.video import probe

    config = load_config()
    machine = machine_info()
    load_before = _load1()
    busy0, own0, t_run = _busy_cpu_s(), _own_cpu_s(), time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="formcheck-bench-") as tmp_name:
        tmp = Path(tmp_name)
        source = Path(opts.clip) if opts.clip else default_clip()
        clip = cut_clip(source, tmp / "quick.mp4", frames=QUICK_FRAMES) if opts.quick else source
        info = probe(clip)
        clip.read_bytes()  # into the page cache: no run pays for the first disk read
        rounds = 1 if opts.quick else max(1, opts.rounds)
        pipe: dict[str, list[Timing]] = {"bare": [], "extract": [], "extract_1thread": [], "analyze": []}
        identical: dict[str, bool] = {}
        seq = None
        exercise = opts.exercise
        for r in range(rounds if "pipeline" in opts.sections else 0):  # alternated: load changes hit every variant
            log(f"round {r + 1}/{rounds}: bare landmarker loop")
            pipe["bare"].append(bare_loop(clip, config))
            log(f"round {r + 1}/{rounds}: extract (pipelined)")
            t, seq = timed_extract(clip, config, pipelined=True)
            pipe["extract"].append(t)
            log(f"round {r + 1}/{rounds}: extract (one thread)")
            t, seq1 = timed_extract(clip, config, pipelined=False)
            pipe["extract_1thread"].append(t)
            identical[f"round {r + 1}"] = same_sequences(seq, seq1)
            exercise = exercise or _exercise_of(seq)
            log(f"round {r + 1}/{rounds}: analyze ({exercise}) + annotated video + report")
            pipe["analyze"].append(timed_analyze(clip, tmp, seq.n_frames, exercise))
            walls = ", ".join(f"{k} {v[-1].wall_s:.1f} s" for k, v in pipe.items())
            log(f"round {r + 1}/{rounds}: {walls}; identical {identical[f'round {r + 1}']}")
        analyzers: list[AnalyzerCost] = []
        if "analyzers" in opts.sections:
            log("analyzers")
            analyzers = analyzer_costs(config, seq, n_reps=2 if opts.quick else 10, repeat=1 if opts.quick else 3)
        live = None
        if "live" in opts.sections:
            secs = min(opts.live_seconds, 3.0) if opts.quick else opts.live_seconds
            log(f"live callback, {secs:g} s")
            live = live_bench(config, source, seconds=secs, exercise=exercise or _first_exercise())
        rss: list[RssResult] = []
        if "rss" in opts.sections:
            fps = info.fps if math.isfinite(info.fps) and info.fps > 0 else 30.0
            lengths = [(f"{2 * (i + 1)} s", 2.0 * (i + 1)) for i in range(2)] if opts.quick else [
                (f"{m:g} min", 60.0 * m) for m in opts.rss_minutes
            ]  # fmt: skip
            for label, secs in lengths:
                long_clip = repeat_clip(clip, tmp / f"long_{secs:g}s.mp4", frames=round(secs * fps))
                log(f"peak RSS, {label} clip")
                rss.append(peak_rss(long_clip, tmp / f"rss_{secs:g}s", label, exercise))
                r_ = rss[-1]
                log(
                    f"peak RSS, {label}: {r_.peak_rss_mb:.0f} MB, {r_.frames} frames, {r_.wall_s:.0f} s, "
                    f"exit {r_.exit_code} {r_.error}"
                )
                long_clip.unlink(missing_ok=True)
    wall = time.perf_counter() - t_run
    other = ((_busy_cpu_s() - busy0) - (_own_cpu_s() - own0)) / wall if wall > 0 else math.nan
    clip_info = {
        "name": source.name + (f" (first {info.n_frames} frames)" if opts.quick else ""),
        "width": info.width,
        "height": info.height,
        "frames": seq.n_frames if seq is not None else info.n_frames,
        "fps": info.fps,
        "exercise": exercise,
    }
    return BenchResult(
        machine=machine,
        clip=clip_info,
        rounds=rounds,
        pipeline=pipe,
        identical=identical,
        analyzers=analyzers,
        live=live,
        rss=rss,
        other_cpu_cores=max(0.0, other) if math.isfinite(other) else math.nan,
        load_before=load_before,
        load_after=_load1(),
        wall_s=wall,
        quick=opts.quick,
        note=opts.note,
    )


# ---------------------------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------------------------


def _f(v: float, spec: str = ".2f") -> str:
    return f"{v:{spec}}" if isinstance(v, int | float) and math.isfinite(v) else "nan"


def _meets(ok: bool | None) -> str:
    return "–" if ok is None else ("yes" if ok else "no")


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


def format_markdown(res: BenchResult) -> str:
    """The run as Markdown: header lines, then one table per measurement (what ``formcheck bench`` prints)."""
    m = res.machine
    cpus = int(m["cpus"]) if m["cpus"].isdigit() else 0
    out = [f"## formcheck bench — {m['date']}{' (quick)' if res.quick else ''}", ""]
    out.append(f"- machine: {m['cpus']} CPUs, {m['cpu_model']}, {m['os']}")
    out.append(
        f"- versions: formcheck {m['formcheck']}, python {m['python']}, mediapipe {m['mediapipe']}, "
        f"numpy {m['numpy']}, opencv {m['opencv']}, av {m['av']}"
    )
    c = res.clip
    out.append(
        f"- clip: {c['name']}, {c['width']}x{c['height']}, {c['frames']} frames at {_f(c['fps'], '.0f')} fps; "
        + (f"exercise {c['exercise']}; " if c.get("exercise") else "")
        + f"{res.rounds} alternating round(s), median ratio"
    )
    busy = math.isfinite(res.other_cpu_cores) and cpus and res.other_cpu_cores > 0.1 * cpus
    out.append(
        f"- other processes used {_f(res.other_cpu_cores)} of {m['cpus']} CPUs on average during the run "
        f"(load average {_f(res.load_before)} before, {_f(res.load_after)} after; bench took {res.wall_s:.0f} s)"
        + (": the machine was busy, timings are pessimistic" if busy else "")
    )
    if res.note:
        out.append(f"- note: {res.note}")
    out.append("")

    rows = []
    names = {
        "bare": ("bare landmarker loop", None, None),
        "extract": ("extract (pipelined)", TARGET_EXTRACT_RATIO, "≥ 1.15"),
        "extract_1thread": ("extract (one thread)", None, None),
        "analyze": ("analyze + overlay + report", TARGET_ANALYZE_RATIO, "≥ 0.85"),
    }
    for key, (label, target, ttext) in names.items():
        runs = res.pipeline.get(key) or []
        if not runs:
            continue
        wall = float(np.median([t.wall_s for t in runs]))
        fps = float(np.median([t.fps for t in runs]))
        cpu = float(np.median([t.cpu_ms_per_frame for t in runs]))
        ratio = 1.0 if key == "bare" else res.ratio(key)
        ok = None if target is None else bool(ratio >= target)
        rows.append((label, _f(wall), _f(fps, ".1f"), _f(cpu, ".1f"), _f(ratio, ".3f"), ttext or "–", _meets(ok)))
    if rows:
        out += _table(("pose pipeline", "wall s", "fps", "CPU ms/frame", "speed ratio to bare", "target", "met"), rows)
        same = all(res.identical.values()) if res.identical else False
        out += ["", f"identical landmarks, pipelined vs one thread: {'yes' if same else 'NO'} "
                f"({len(res.identical)} round(s); landmarks, world, times, people, mask probes)", ""]  # fmt: skip

    rows = []
    for a in res.analyzers:
        worst = max(a.batch_ms, a.stream_mean_ms)
        rows.append((a.name, a.source, str(a.frames), _f(a.batch_ms, ".3f"), _f(a.stream_mean_ms, ".3f"),
                     _f(a.stream_p95_ms, ".3f"), "≤ 1", _meets(bool(worst <= TARGET_ANALYZER_MS)),
                     a.note or "–"))  # fmt: skip
    head = ("analyzer (thread CPU time)", "input", "frames", "batch ms/frame", "stream ms/frame", "stream p95 ms",
            "target", "met", "note")  # fmt: skip
    if rows:
        out += _table(head, rows)
        out.append("")

    if res.live is not None:
        lv = res.live
        mode = "pipelined" if lv.pipelined else "sequential"
        out.append(f"live: LiveProcessor.recv_queued (the streamlit-webrtc callback), fake {LIVE_SIZE[0]}x"
                   f"{LIVE_SIZE[1]} camera at {lv.camera_fps:g} fps, {lv.seconds:.1f} s, {mode}; "
                   f"{lv.sent} frames sent, {lv.processed} processed, {lv.dropped} dropped")  # fmt: skip
        out.append("")
        rows = [
            ("processed fps", _f(lv.fps, ".1f"), f"≥ {TARGET_LIVE_FPS:g}", _meets(lv.fps >= TARGET_LIVE_FPS)),
            ("drop rate %", _f(100 * lv.drop_frac, ".1f"), "–", "–"),
            ("latency median ms", _f(lv.latency_median_ms, ".1f"), "–", "–"),
            ("latency p95 ms", _f(lv.latency_p95_ms, ".1f"), f"≤ {TARGET_LIVE_P95_MS:g}",
             _meets(lv.latency_p95_ms <= TARGET_LIVE_P95_MS)),
            ("callback median ms", _f(lv.call_median_ms, ".1f"), "–", "–"),
            ("CPU cores used", _f(lv.cpu_cores), "–", "–"),
        ]  # fmt: skip
        out += _table(("live", "value", "target", "met"), rows)
        out.append("")

    if res.rss:
        rows = []
        for r in res.rss:
            status = "ok" if r.exit_code == 0 else f"exit {r.exit_code}: {r.error.replace('|', '/')}"
            rows.append((r.label, str(r.frames), _f(r.duration_s, ".0f"), _f(r.peak_rss_mb, ".0f"), _f(r.wall_s, ".0f"),
                         f"≤ {TARGET_RSS_MB:g}", _meets(r.peak_rss_mb <= TARGET_RSS_MB), status))  # fmt: skip
        growth = res.rss[-1].peak_rss_mb / res.rss[0].peak_rss_mb if res.rss[0].peak_rss_mb > 0 else math.nan
        rows.append((f"ratio {res.rss[-1].label} / {res.rss[0].label}", "–", "–", _f(growth, ".3f"), "–",
                     f"≤ {TARGET_RSS_GROWTH:g} (flat)", _meets(growth <= TARGET_RSS_GROWTH), "–"))  # fmt: skip
        head = ("peak RSS, formcheck analyze --annotate --report", "frames", "video s", "peak RSS MB", "wall s",
                "target", "met", "status")  # fmt: skip
        out += _table(head, rows)
        out.append("")
    return "\n".join(out)


def append_results(text: str, path: Path = RESULTS_MD) -> Path:
    """Append one run's Markdown to ``benchmarks/RESULTS.md`` (created with a title when missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    head = "" if path.exists() else "# Benchmark results\n\nAppended by `formcheck bench --write-results`.\n\n"
    with path.open("a", encoding="utf-8") as f:
        f.write(head + text.rstrip() + "\n\n")
    return path


# ---------------------------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------------------------


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The ``formcheck bench`` options (also used by ``python -m formcheck.bench``)."""
    p.add_argument("--clip", type=Path, help="video to measure on (default: the bundled sample clip)")
    p.add_argument("--quick", action="store_true", help="a few frames and seconds only (checks that it all runs)")
    p.add_argument("--rounds", type=int, default=3, help="alternating rounds of the pose pipeline (default 3)")
    p.add_argument("--exercise", help="exercise for analyze, live and memory runs (default: recognised in the clip)")
    p.add_argument(
        "--only", nargs="+", choices=SECTIONS, help="run only these parts (default: all; see formcheck.bench)"
    )
    p.add_argument("--no-live", action="store_true", help="skip the live callback measurement")
    p.add_argument("--live-seconds", type=float, default=20.0, help="length of the live measurement (default 20)")
    p.add_argument("--no-rss", action="store_true", help="skip the peak-memory runs on long clips")
    p.add_argument(
        "--rss-minutes", type=float, nargs="+", default=[1.0, 10.0], help="long-clip lengths in minutes (default 1 10)"
    )
    p.add_argument(
        "--write-results",
        nargs="?",
        type=Path,
        const=RESULTS_MD,
        default=None,
        metavar="MD",
        help=f"append the tables to a Markdown file (default {RESULTS_MD.relative_to(REPO)})",
    )
    p.add_argument("--note", default="", help="a line of context written with the results")


def run_from_args(args: argparse.Namespace) -> int:
    """Run ``formcheck bench`` from parsed arguments: tables on stdout, progress on stderr."""
    from formcheck.errors import UsageError

    if args.rounds < 1 or args.live_seconds <= 0 or any(m <= 0 for m in args.rss_minutes):
        raise UsageError("--rounds, --live-seconds and --rss-minutes must be positive.")
    opts = BenchOptions(
        clip=args.clip,
        quick=args.quick,
        rounds=args.rounds,
        live_seconds=args.live_seconds,
        sections=tuple(
            s
            for s in (args.only or SECTIONS)
            if not (s == "live" and args.no_live) and not (s == "rss" and args.no_rss)
        ),
        rss_minutes=tuple(sorted(args.rss_minutes)),
        exercise=args.exercise,
        note=args.note,
    )
    res = run_bench(opts, log=lambda s: print(f"bench: {s}", file=sys.stderr, flush=True))
    text = format_markdown(res)
    print(text)
    if args.write_results is not None:
        print(f"wrote {append_results(text, args.write_results)}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m formcheck.bench`` (same as ``formcheck bench``)."""
    from formcheck.cli import main as cli_main

    return cli_main(["bench", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    raise SystemExit(main())
