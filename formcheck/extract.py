"""Video file → :class:`~formcheck.types.PoseSequence`: decode, run the pose model, trace the back outline.

Masks are large (a float per pixel per frame), so they are never kept: each frame's mask is shrunk by
``pose.mask_scale`` and reduced at once to the dorsal outline (:func:`formcheck.metrics.outline.dorsal_contour_px`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import numpy as np

from formcheck.config import Config
from formcheck.errors import NoPersonError
from formcheck.io.video import open_video
from formcheck.metrics.outline import dorsal_contour_px
from formcheck.pose import PoseEstimator
from formcheck.types import PoseSequence

CONTOUR_POINTS = 24  # points of the back outline per frame (hip → shoulder)


def extract_poses(
    video_path: str | Path,
    config: Config,
    progress: Callable[[int, int], None] | None = None,
) -> PoseSequence:
    """Run the pose model over every frame of a video file.

    Args:
        video_path: the video.
        config: configuration; ``config.pose`` chooses the model, confidences, number of people and whether the
            segmentation mask (→ back outline) is computed.
        progress: optional ``progress(done_frames, total_frames)`` called after each frame; ``total_frames`` is
            the container's frame count (an estimate for some formats, so ``done`` may pass it).

    Returns:
        Landmarks of the subject per frame (NaN where nobody was found), container timestamps in seconds,
        the back outline (``None`` when segmentation is off), people counts, the video description (with the
        frame count actually decoded) and the model's sha256.

    Raises:
        VideoNotFoundError, UnreadableVideoError: the file is missing, not a video, truncated or damaged.
        ModelError: the pose model is missing or cannot be loaded.
        NoPersonError: nobody was found in any frame.
    """
    reader = open_video(video_path)  # input errors first: no point loading the model for a bad file
    info = reader.info
    total = max(info.n_frames, 0)
    scale = float(config.pose.mask_scale)
    seg = config.pose.segmentation
    lms: list[np.ndarray] = []
    wlds: list[np.ndarray] = []
    contours: list[np.ndarray] = []
    ts: list[float] = []
    people: list[int] = []
    empty_contour = np.full((CONTOUR_POINTS, 2), np.nan)
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
            if seg:
                if pf.mask is not None and pf.present:  # pf.mask is already shrunk by mask_scale
                    lm_px = pf.landmarks[:, :2] * size_px
                    contours.append(dorsal_contour_px(pf.mask, lm_px, mask_scale=scale, n_points=CONTOUR_POINTS))
                else:
                    contours.append(empty_contour)
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
        back_contour_px=np.stack(contours) if seg else None,
        n_people=np.asarray(people),
        video=video,
        model_sha256=sha,
    )
