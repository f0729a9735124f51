"""Video file reading with PyAV: RGB frames in display orientation with their container timestamps.

Why PyAV rather than OpenCV: OpenCV's ``CAP_PROP_POS_MSEC`` is derived from a frame counter on some backends
and is wrong for variable-frame-rate phone video, and OpenCV's handling of the rotation matrix differs between
builds. PyAV gives each decoded frame its presentation timestamp and the display-matrix rotation.

Timestamps: ``t_s = (pts - stream start) * time_base``, so they start near 0 like a player's clock. Should a
broken file repeat or reverse a timestamp, the reader nudges it to 1 ms after the previous one so that the
sequence is strictly increasing (MediaPipe and :class:`~formcheck.types.PoseSequence` require it).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from formcheck.errors import UnreadableVideoError, VideoNotFoundError
from formcheck.types import VideoInfo

_MIN_STEP_S = 1e-3  # smallest timestamp step we create when the container's timestamps do not increase


FOLDER_HINT = "Name one video file, or analyse every video in the folder with 'formcheck batch FOLDER'."


def _check_path(path: Path) -> None:
    if not path.exists():
        raise VideoNotFoundError(f"The video {path} does not exist.")
    if path.is_dir():
        raise UnreadableVideoError(f"{path} is a folder, not a video file.", hint=FOLDER_HINT)
    if path.stat().st_size == 0:
        raise UnreadableVideoError(f"The video {path} is empty (0 bytes).")


# FFmpeg demuxers that read one still picture (a photo renamed .mp4 opens as a one-frame "video").
_IMAGE_FORMATS = ("image2",)  # and every "<codec>_pipe" demuxer (png_pipe, jpeg_pipe, webp_pipe …)


def _is_still_image(container: Any) -> bool:
    name = str(getattr(container.format, "name", "") or "")
    return name in _IMAGE_FORMATS or name.endswith("_pipe")


def _open_container(path: Path) -> Any:
    try:
        container = av.open(str(path))
    except av.EOFError as e:
        # The header names a track but the file ends before any frame: a recording stopped at once, or empty.
        raise UnreadableVideoError(
            f"The video {path.name} contains no frames.", hint="Record the set again, or export the video again."
        ) from e
    except av.FFmpegError as e:
        raise UnreadableVideoError(
            f"{path.name} is not a video that can be read (damaged, incomplete, or not a video file).",
            hint="Choose the video file itself, or copy or export it again.",
        ) from e
    if not container.streams.video:
        container.close()
        raise UnreadableVideoError(
            f"{path.name} has no video track (a sound recording?).", hint="Choose the video file of the set."
        )
    if _is_still_image(container):
        container.close()
        raise UnreadableVideoError(
            f"{path.name} is a still image, not a video.",
            hint="Record the set as a video (a phone or webcam video of the whole set).",
        )
    return container


def _check_complete(path: Path, stream: Any) -> None:
    """Catch a truncated file (interrupted copy/download): its index points past the end of the file."""
    try:
        entries = stream.index_entries
        last = entries[len(entries) - 1] if len(entries) else None
    except (AttributeError, IndexError, av.FFmpegError):
        return
    if last is None:
        return
    size = path.stat().st_size
    end = int(last.pos) + int(last.size)
    if last.pos >= 0 and end > size:
        raise UnreadableVideoError(
            f"The video {path.name} is incomplete: it is {size / 1e6:.1f} MB but its index refers to data up to "
            f"{end / 1e6:.1f} MB (interrupted copy or download?).",
            hint="Copy or export the video again.",
        )


def _rate(stream: Any) -> float:
    for r in (stream.average_rate, stream.guessed_rate, stream.base_rate):
        if r:
            f = float(r)
            if math.isfinite(f) and f > 0:
                return f
    return math.nan


class VideoReader:
    """Iterate ``(frame_rgb, t_s)`` over a video file; use :func:`open_video` to make one.

    ``frame_rgb`` is a C-contiguous ``(H, W, 3)`` uint8 array already rotated to display orientation (phone
    videos store a rotation in the display matrix). ``info`` describes the file before decoding it all:
    ``n_frames`` and ``duration_s`` come from the container and may be estimates. Iterating a second time
    starts again from the beginning.
    """

    def __init__(self, path: Path, info: VideoInfo) -> None:
        self.path = path
        self.info = info
        self._container: Any = None
        self.frames_read = 0

    def __enter__(self) -> VideoReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._container is not None:
            self._container.close()
            self._container = None

    def __iter__(self) -> Iterator[tuple[np.ndarray, float]]:
        return self.frames()

    def frames(self, pixel_format: str = "rgb24") -> Iterator[tuple[np.ndarray, float]]:
        """``(frame, t_s)`` for each frame, as iterating the reader gives them, the frame in ``pixel_format``
        (``"rgb24"``, or ``"bgr24"`` for OpenCV: converted from the video's own format in one step)."""
        self.close()  # a fresh container per pass: simpler and more robust than seeking back
        self._container = _open_container(self.path)
        stream = self._container.streams.video[0]
        stream.thread_type = "AUTO"  # frame-parallel decoding: decode is otherwise a visible share of run time
        tb = stream.time_base or Fraction(1, 1000)
        start = stream.start_time
        k = (self.info.rotation_deg // 90) % 4
        fallback_dt = 1.0 / self.info.fps if self.info.fps > 0 else 1.0 / 30.0
        prev_t: float | None = None
        self.frames_read = 0
        frames = self._container.decode(stream)
        while True:
            try:
                frame = next(frames)
            except StopIteration:
                break
            except av.FFmpegError as e:
                raise UnreadableVideoError(
                    f"The video {self.path.name} is damaged: only its first {self.frames_read} frames could be read.",
                    hint="Copy or export the video again.",
                ) from e
            if frame.pts is None:
                t = (prev_t + fallback_dt) if prev_t is not None else 0.0
            else:
                t = float((frame.pts - (start or 0)) * tb)
            if prev_t is not None and t <= prev_t:
                t = prev_t + _MIN_STEP_S
            prev_t = t
            img = frame.to_ndarray(format=pixel_format)
            if k:
                img = np.ascontiguousarray(np.rot90(img, k))
            self.frames_read += 1
            yield img, t
        self.close()


def probe(path: str | Path) -> VideoInfo:
    """Describe a video without decoding all of it (the first frame is decoded to learn its rotation).

    Raises:
        VideoNotFoundError: the path does not exist.
        UnreadableVideoError: empty, not a video, no video track, truncated, or no decodable frame.
    """
    with open_video(path) as reader:
        return reader.info


def open_video(path: str | Path) -> VideoReader:
    """Open a video file for reading frames with container timestamps.

    Args:
        path: video file (anything FFmpeg reads: mp4/mov/webm/mkv/avi …).

    Returns:
        A :class:`VideoReader` (iterable, context manager).

    Raises:
        VideoNotFoundError: the path does not exist.
        UnreadableVideoError: empty, not a video, no video track, truncated, or no decodable frame.
    """
    p = Path(path).expanduser()
    _check_path(p)
    container = _open_container(p)
    try:
        stream = container.streams.video[0]
        _check_complete(p, stream)
        try:
            first = next(container.decode(stream))
        except StopIteration:
            raise UnreadableVideoError(f"The video {p.name} contains no frames.") from None
        except av.FFmpegError as e:
            raise UnreadableVideoError(
                f"The first frame of {p.name} cannot be read (a damaged file, or a video format this computer cannot "
                "play).",
                hint="Copy or export the video again, or save it as an ordinary MP4 video.",
            ) from e
        rotation = int(round((first.rotation or 0) / 90.0)) * 90 % 360
        w, h = first.width, first.height
        if rotation in (90, 270):
            w, h = h, w
        fps = _rate(stream)
        tb = stream.time_base
        if stream.duration is not None and tb:
            duration = float(stream.duration * tb)
        elif container.duration is not None:
            duration = container.duration / av.time_base
        else:
            duration = math.nan
        n = int(stream.frames or 0)
        if n <= 0 and math.isfinite(duration) and math.isfinite(fps):
            n = int(round(duration * fps))
        info = VideoInfo(
            path=str(p.resolve()),
            width=int(w),
            height=int(h),
            fps=fps,
            n_frames=n,
            duration_s=duration,
            rotation_deg=rotation,
            codec=stream.codec_context.name or "",
            source="file",
        )
    finally:
        container.close()
    return VideoReader(p, info)


def mean_brightness(path: str | Path, *, max_frames: int = 60) -> float:
    """Mean brightness of a video's first ``max_frames`` frames, 0 (black) to 1 (white), NaN if none decode.

    Used to tell "too dark to see anyone" apart from "nobody there" (a dark room is the commonest cause of
    MediaPipe finding nobody). Frames are subsampled 8x each way: brightness needs no detail.
    """
    total, n = 0.0, 0
    with open_video(path) as reader:
        for rgb, _t in reader:
            total += float(rgb[::8, ::8].mean()) / 255.0
            n += 1
            if n >= max_frames:
                break
    return total / n if n else math.nan
