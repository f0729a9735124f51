"""Tiny synthetic videos with known frames and timestamps, written with PyAV (helpers for tests/unit/io)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from pathlib import Path

import av
import numpy as np


def pattern_frame(i: int, w: int = 64, h: int = 48) -> np.ndarray:
    """An asymmetric RGB test frame: a bright block in the top-left corner and a level that encodes ``i``."""
    img = np.full((h, w, 3), 20 + 10 * (i % 20), np.uint8)
    img[: h // 4, : w // 3] = 250  # top-left marker: shows any rotation or flip
    img[-4:, :, 2] = 200
    return img


def write_video(
    path: Path,
    n: int = 10,
    *,
    fps: int = 25,
    pts_ms: Sequence[int] | None = None,
    rotation: int = 0,
    faststart: bool = False,
    size: tuple[int, int] = (64, 48),
    frames: Sequence[np.ndarray] | None = None,
) -> Path:
    """Write an H.264 mp4.

    Args:
        path: output file.
        n: number of frames (ignored when ``pts_ms`` or ``frames`` is given).
        fps: nominal frame rate; timestamps are ``i / fps`` unless ``pts_ms`` is given.
        pts_ms: explicit presentation times in milliseconds (variable frame rate).
        rotation: display-matrix rotation, degrees counter-clockwise (what phones store).
        faststart: put the index (moov) at the start of the file, as phones and web exports do.
        size: (width, height) in pixels.
        frames: explicit RGB frames.
    """
    w, h = size
    if frames is None:
        count = len(pts_ms) if pts_ms is not None else n
        frames = [pattern_frame(i, w, h) for i in range(count)]
    return encode_h264(path, frames, fps=fps, crf=18, size=size, pts_ms=pts_ms, rotation=rotation,
                       container_options={"movflags": "faststart"} if faststart else {})  # fmt: skip


def encode_h264(
    path: Path,
    frames: Iterable[np.ndarray],
    *,
    fps: float,
    crf: int,
    size: tuple[int, int] | None = None,
    pts_ms: Sequence[int] | None = None,
    rotation: int = 0,
    container_options: dict[str, str] | None = None,
) -> Path:
    """Encode RGB frames as H.264 (yuv420p, x264 ``ultrafast``) into ``path`` (also tests/reliability's writer).

    Args:
        path: output file (its container from its suffix).
        frames: RGB frames.
        fps: nominal frame rate; timestamps are ``i / fps`` unless ``pts_ms`` is given.
        crf: x264's constant rate factor (quality: lower is better).
        size: (width, height) of the stream, frames of another size are scaled to it; None: the first frame's size.
        pts_ms: explicit presentation times in milliseconds (variable frame rate).
        rotation: display-matrix rotation, degrees counter-clockwise (what phones store).
        container_options: muxer options (e.g. ``{"movflags": "faststart"}``).
    """
    with av.open(str(path), "w", options=container_options or {}) as c:
        s = c.add_stream("libx264", rate=Fraction(fps).limit_denominator(1000))
        if size is not None:
            s.width, s.height = size
        s.pix_fmt = "yuv420p"
        s.options = {"crf": str(crf), "preset": "ultrafast"}
        if pts_ms is not None:
            s.time_base = Fraction(1, 1000)
            s.codec_context.time_base = Fraction(1, 1000)
        if rotation:
            s.set_display_rotation(rotation)
        for i, img in enumerate(frames):
            if size is None and i == 0:
                s.height, s.width = img.shape[:2]
            fr = av.VideoFrame.from_ndarray(np.ascontiguousarray(img), format="rgb24")
            if pts_ms is not None:
                fr.pts = int(pts_ms[i])
                fr.time_base = Fraction(1, 1000)
            for pkt in s.encode(fr):
                c.mux(pkt)
        for pkt in s.encode():
            c.mux(pkt)
    return path
