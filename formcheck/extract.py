"""Video file → :class:`~formcheck.types.PoseSequence`: decode, run the pose model, run the mask probes.

Masks are large (a float per pixel per frame), so they are never kept: each frame's mask is shrunk by
``pose.mask_scale`` and reduced at once by the requested mask probes (:mod:`formcheck.probes`; by default the
dorsal outline, :func:`formcheck.metrics.outline.dorsal_contour_px`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from formcheck.config import Config
from formcheck.errors import NoPersonError
from formcheck.io.video import open_video
from formcheck.pose import PoseEstimator
from formcheck.probes import DEFAULT_PROBES, DORSAL_OUTLINE, get_probe, resolve_probes, trace_probes
from formcheck.types import PoseSequence

CONTOUR_POINTS = get_probe(DORSAL_OUTLINE).points  # points of the back outline per frame (hip → shoulder)


def extract_poses(
    video_path: str | Path,
    config: Config,
    progress: Callable[[int, int], None] | None = None,
    *,
    probes: Iterable[str] = DEFAULT_PROBES,
) -> PoseSequence:
    """Run the pose model over every frame of a video file.

    Args:
        video_path: the video.
        config: configuration; ``config.pose`` chooses the model, confidences, number of people and whether the
            segmentation mask (→ mask probes) is computed.
        progress: optional ``progress(done_frames, total_frames)`` called after each frame; ``total_frames`` is
            the container's frame count (an estimate for some formats, so ``done`` may pass it).
        probes: names of the registered mask probes to run on each frame's mask (what the exercise needs);
            ignored when segmentation is off. Default: the dorsal outline.

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
    total = max(info.n_frames, 0)
    scale = float(config.pose.mask_scale)
    lms: list[np.ndarray] = []
    wlds: list[np.ndarray] = []
    traced: dict[str, list[np.ndarray]] = {p.name: [] for p in run}
    ts: list[float] = []
    people: list[int] = []
    size_px = np.array([info.width, info.height], dtype=np.float64)

    with PoseEstimator(config.pose, mode="video") as est, reader:
        last_ms = -1
        for frame, t_s in reader:
            # MediaPipe wants whole, strictly increasing milliseconds; t_s itself keeps full precision.
            t_ms = max(int(round(t_s * 1000.0)), last_ms + 1)
            last_ms = t_ms
            pf = est.process(frame, t_ms, mask_scale=scale)
            lms.append(pf.landmarks)
            wlds.append(pf.world)
            ts.append(t_s)
            people.append(pf.n_people)
            if run:
                # pf.mask is already shrunk by mask_scale; no person → every probe stores NaN for the frame.
                lm_px = pf.landmarks[:, :2] * size_px if pf.present else None
                for name, pts in trace_probes(run, pf.mask, lm_px, mask_scale=scale).items():
                    traced[name].append(pts)
            if progress is not None:
                progress(len(ts), total)
        sha = est.model_sha256

    n = len(ts)
    landmarks = np.stack(lms) if n else np.zeros((0, 33, 4))
    if n == 0 or np.all(np.isnan(landmarks[:, 0, 0])):
        raise NoPersonError(
            f"Nobody was found in {Path(video_path).name} ({n} frames checked).",
            hint="Film the whole body, well lit, with the camera at hip height about 2-4 m away.",
        )
    t = np.asarray(ts)
    # What was actually decoded (container headers can be estimates): frame count and time span incl. last frame.
    duration = float(t[-1] - t[0] + np.median(np.diff(t))) if n > 1 else info.duration_s
    video = dataclasses.replace(info, n_frames=n, duration_s=duration)
    return PoseSequence(
        landmarks=landmarks,
        world=np.stack(wlds),
        t_s=t,
        width=info.width,
        height=info.height,
        n_people=np.asarray(people),
        video=video,
        model_sha256=sha,
        probes={name: np.stack(pts) for name, pts in traced.items()},
        probe_versions={p.name: p.version for p in run},
    )
