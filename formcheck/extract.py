"""Video file → :class:`~formcheck.types.PoseSequence`: decode, run the pose model, run the mask probes.

Masks are large (a float per pixel per frame), so they are never kept: each frame's mask is shrunk by
``pose.mask_scale`` and reduced at once by the requested mask probes (:mod:`formcheck.probes`; by default the
dorsal outline, :func:`formcheck.metrics.outline.dorsal_contour_px`, and the room's straight lines). A probe that
reads the frame image (the room's lines, :mod:`formcheck.probes.scene`) gets the frame on sampled frames only
(:class:`FrameSchedule`): the pose thread hands those frames on with their pose, the others are dropped there as
before.

The three stages overlap (``pipelined=True``, the default)::

    decode thread ──frames──▶ pose thread ──PoseFrames──▶ caller's thread
    (PyAV, RGB)    bounded    (MediaPipe)    bounded      (probes, lists, progress)

MediaPipe's C library is called through ctypes, which releases the GIL for the whole inference, and PyAV and
OpenCV release it while they decode, convert and resize; so while the model works on frame ``n`` the other core
decodes frame ``n + 1`` and traces the outline of frame ``n - 1``. One pose thread feeds the model the frames in
order with the same timestamps as the one-thread loop, so the landmarks are identical (VIDEO mode tracks from
frame to frame and must see every frame, in order). Both queues are bounded (:func:`_queue_depth`), so memory
does not grow with the length of the video; the progress callback runs in the caller's thread, as before.
"""

from __future__ import annotations

import dataclasses
import queue
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from formcheck.config import Config
from formcheck.errors import NoPersonError
from formcheck.io.stages import End as _End
from formcheck.io.stages import decode_stage
from formcheck.io.stages import get as _get
from formcheck.io.stages import put as _put
from formcheck.io.video import open_video
from formcheck.pose import PoseEstimator
from formcheck.probes import DEFAULT_PROBES, DORSAL_OUTLINE, FrameSchedule, get_probe, resolve_probes, trace_probes
from formcheck.types import PoseFrame, PoseSequence

CONTOUR_POINTS = get_probe(DORSAL_OUTLINE).points  # points of the back outline per frame (hip → shoulder)

# Decoded frames waiting for the model: enough to ride out a slow frame (a key frame, a people check), few enough
# that a 4K video holds at most QUEUE_BYTES of them. The pose queue holds small items (landmarks + a shrunk mask).
QUEUE_BYTES = 64 * 2**20
MAX_FRAME_QUEUE = 8
POSE_QUEUE = 8


def _queue_depth(width: int, height: int) -> int:
    """Decoded frames allowed to wait for the model: 8 at 640x480, 2 at 4K (RGB uint8 frames)."""
    frame_bytes = max(1, width * height * 3)
    return int(np.clip(QUEUE_BYTES // frame_bytes, 2, MAX_FRAME_QUEUE))


def _video_t_ms(t_s: float, last_ms: int) -> int:
    """MediaPipe wants whole, strictly increasing milliseconds; t_s itself keeps full precision."""
    return max(int(round(t_s * 1000.0)), last_ms + 1)


class _Collector:
    """The caller-thread stage: keeps each frame's landmarks, traces the mask probes, reports progress."""

    def __init__(self, run: tuple, size_px: np.ndarray, scale: float, total: int, progress: Any) -> None:
        self.run = run
        self.size_px = size_px
        self.scale = scale
        self.total = total
        self.progress = progress
        self.lms: list[np.ndarray] = []
        self.wlds: list[np.ndarray] = []
        self.traced: dict[str, list[np.ndarray]] = {p.name: [] for p in run}
        self.ts: list[float] = []
        self.people: list[int] = []

    def add(self, pf: PoseFrame, t_s: float, frame: np.ndarray | None = None) -> None:
        """Keep one frame's pose; ``frame`` (RGB) only on the frame probes' sampled frames."""
        self.lms.append(pf.landmarks)
        self.wlds.append(pf.world)
        self.ts.append(t_s)
        self.people.append(pf.n_people)
        if self.run:
            # pf.mask is already shrunk by mask_scale; no person → every mask probe stores NaN for the frame.
            lm_px = pf.landmarks[:, :2] * self.size_px if pf.present else None
            for name, pts in trace_probes(self.run, pf.mask, lm_px, mask_scale=self.scale, frame=frame).items():
                self.traced[name].append(pts)
        if self.progress is not None:
            self.progress(len(self.ts), self.total)


def _pose_worker(
    est: PoseEstimator,
    scale: float,
    schedule: FrameSchedule,
    inp: queue.Queue,
    out: queue.Queue,
    stop: threading.Event,
) -> None:
    last_ms = -1
    try:
        while True:
            item = _get(inp, stop)
            if isinstance(item, _End):
                _put(out, item, stop)
                return
            frame, t_s = item
            t_ms = _video_t_ms(t_s, last_ms)
            last_ms = t_ms
            keep = frame if schedule.due(t_s) else None  # only sampled frames travel on (memory: the queue is bounded)
            if not _put(out, (est.process(frame, t_ms, mask_scale=scale), t_s, keep), stop):
                return
    except BaseException as e:  # noqa: BLE001 - handed to the caller's thread, which raises it
        _put(out, _End(e), stop)


def _run_pipelined(reader: Any, est: PoseEstimator, scale: float, col: _Collector, schedule: FrameSchedule) -> None:
    """Decode, pose and collect on three threads; re-raises a worker's exception in the caller's thread."""
    stop = threading.Event()
    frames_q: queue.Queue = queue.Queue(maxsize=_queue_depth(reader.info.width, reader.info.height))
    poses_q: queue.Queue = queue.Queue(maxsize=POSE_QUEUE)
    workers = [
        threading.Thread(target=decode_stage, args=(iter(reader), frames_q, stop), name="formcheck-decode"),
        threading.Thread(
            target=_pose_worker, args=(est, scale, schedule, frames_q, poses_q, stop), name="formcheck-pose"
        ),
    ]
    for w in workers:
        w.daemon = True  # never keeps the interpreter alive; they stop within POLL_S (formcheck.io.stages) of `stop`
        w.start()
    try:
        while True:
            try:
                item = poses_q.get(timeout=1.0)
            except queue.Empty:
                if not workers[1].is_alive() and poses_q.empty():
                    raise RuntimeError("the pose thread stopped without a result") from None
                continue
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
            col.add(*item)
    finally:
        # Also on an error or an exception from the progress callback: stop both workers and wait for them, so
        # the video container and the model are closed only after no thread uses them.
        stop.set()
        for w in workers:
            w.join()


def _run_sequential(reader: Any, est: PoseEstimator, scale: float, col: _Collector, schedule: FrameSchedule) -> None:
    last_ms = -1
    for frame, t_s in reader:
        t_ms = _video_t_ms(t_s, last_ms)
        last_ms = t_ms
        col.add(est.process(frame, t_ms, mask_scale=scale), t_s, frame if schedule.due(t_s) else None)


def extract_poses(
    video_path: str | Path,
    config: Config,
    progress: Callable[[int, int], None] | None = None,
    *,
    probes: Iterable[str] = DEFAULT_PROBES,
    pipelined: bool = True,
) -> PoseSequence:
    """Run the pose model over every frame of a video file.

    Args:
        video_path: the video.
        config: configuration; ``config.pose`` chooses the model, confidences, number of people and whether the
            segmentation mask (→ mask probes) is computed.
        progress: optional ``progress(done_frames, total_frames)`` called after each frame, in the caller's
            thread; ``total_frames`` is the container's frame count (an estimate for some formats, so ``done``
            may pass it). An exception it raises stops the extraction and propagates.
        probes: names of the registered mask probes to run on each frame's mask (what the exercise needs);
            ignored when segmentation is off. Default: the dorsal outline.
        pipelined: decode, pose model and probes on overlapping threads (faster; the result is the same);
            False runs them one after the other in the caller's thread.

    Returns:
        Landmarks of the subject per frame (NaN where nobody was found), container timestamps in seconds,
        each probe's points and version (none when segmentation is off; ``back_contour_px`` is the dorsal
        outline), people counts, the video description (with the frame count actually decoded) and the model's
        sha256.

    Raises:
        KeyError: an unknown probe name (before anything is decoded).
        VideoNotFoundError, UnreadableVideoError: the file is missing, not a video, truncated or damaged.
        ModelError: the pose model is missing or cannot be loaded.
        NoPersonError: nobody was found in any frame.
    """
    seg = config.pose.segmentation
    run = resolve_probes(probes) if seg else ()
    reader = open_video(video_path)  # input errors first: no point loading the model for a bad file
    info = reader.info
    scale = float(config.pose.mask_scale)
    size_px = np.array([info.width, info.height], dtype=np.float64)
    col = _Collector(run, size_px, scale, max(info.n_frames, 0), progress)

    with PoseEstimator(config.pose, mode="video") as est, reader:
        (_run_pipelined if pipelined else _run_sequential)(reader, est, scale, col, FrameSchedule(run))
        sha = est.model_sha256

    n = len(col.ts)
    landmarks = np.stack(col.lms) if n else np.zeros((0, 33, 4))
    if n == 0 or np.all(np.isnan(landmarks[:, 0, 0])):
        raise NoPersonError(
            f"Nobody was found in {Path(video_path).name} ({n} frames checked).",
            hint="Film the whole body, well lit, with the camera at hip height about 2-4 m away.",
        )
    t = np.asarray(col.ts)
    # What was actually decoded (container headers can be estimates): frame count and time span incl. last frame.
    duration = float(t[-1] - t[0] + np.median(np.diff(t))) if n > 1 else info.duration_s
    video = dataclasses.replace(info, n_frames=n, duration_s=duration)
    return PoseSequence(
        landmarks=landmarks,
        world=np.stack(col.wlds),
        t_s=t,
        width=info.width,
        height=info.height,
        n_people=np.asarray(col.people),
        video=video,
        model_sha256=sha,
        probes={name: np.stack(pts) for name, pts in col.traced.items()},
        probe_versions={p.name: p.version for p in run},
    )
