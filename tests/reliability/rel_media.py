"""Inputs for the reliability suite, made in the test's temporary folder (never committed).

Everything is built from the bundled sample clip (a rendered side-view hinge, 640x480, 30 fps, 3 reps) or from
plain arrays, with PyAV, OpenCV and numpy.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import av
import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "io"))
from fc_video_factory import encode_h264  # noqa: E402 - the io tests' H.264 writer

BACKGROUND_RGB = (232, 232, 232)  # a plain light wall, close to the sample's background


def sample_frames(sample: Path, *, start: int = 0, stop: int | None = None, step: int = 1) -> list[np.ndarray]:
    """RGB frames ``start:stop:step`` of a video (decoded, not kept beyond ``stop``)."""
    out: list[np.ndarray] = []
    with av.open(str(sample)) as c:
        for i, fr in enumerate(c.decode(video=0)):
            if stop is not None and i >= stop:
                break
            if i >= start and (i - start) % step == 0:
                out.append(fr.to_ndarray(format="rgb24"))
    return out


def write_mp4(
    path: Path,
    frames: Iterable[np.ndarray],
    *,
    fps: float = 30,
    pts_ms: Sequence[int] | None = None,
    rotation: int = 0,
) -> Path:
    """Write RGB frames as H.264 (``pts_ms``: explicit presentation times, for variable frame rate;
    ``rotation``: display-matrix rotation in degrees, as phones store it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return encode_h264(path, frames, fps=fps, crf=20, pts_ms=pts_ms, rotation=rotation)


def blank(shape: tuple[int, int], rgb: tuple[int, int, int] = BACKGROUND_RGB) -> np.ndarray:
    """An empty frame (nobody in it) of ``(height, width)``."""
    return np.full((*shape, 3), rgb, np.uint8)


def fit(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    """The frame scaled to fit ``width`` x ``height`` (aspect kept) and centred on the background."""
    h, w = frame.shape[:2]
    k = min(width / w, height / h)
    small = cv2.resize(frame, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA if k < 1 else cv2.INTER_LINEAR)
    out = blank((height, width))
    y0, x0 = (height - small.shape[0]) // 2, (width - small.shape[1]) // 2
    out[y0 : y0 + small.shape[0], x0 : x0 + small.shape[1]] = small
    return out


def write_audio_only(path: Path, seconds: float = 1.0) -> Path:
    """An .mp4 with one AAC audio track and no video (a voice memo renamed)."""
    rate = 44100
    with av.open(str(path), "w") as c:
        s = c.add_stream("aac", rate=rate)
        n = int(rate * seconds)
        tone = (0.2 * np.sin(2 * np.pi * 440 * np.arange(n) / rate)).astype(np.float32)
        for k in range(0, n, 1024):
            fr = av.AudioFrame.from_ndarray(tone[None, k : k + 1024], format="fltp", layout="mono")
            fr.sample_rate = rate
            for pkt in s.encode(fr):
                c.mux(pkt)
        for pkt in s.encode():
            c.mux(pkt)
    return path


def write_zero_frames(path: Path) -> Path:
    """An .mp4 whose video track has no frames at all."""
    with av.open(str(path), "w") as c:
        s = c.add_stream("libx264", rate=30)
        s.width, s.height, s.pix_fmt = 64, 48, "yuv420p"
        for pkt in s.encode():
            c.mux(pkt)
    return path


def side_by_side(frame: np.ndarray, *, far_scale: float = 0.8, far_left: bool = False) -> np.ndarray:
    """Two people in one 640x480 picture: the sample's person full size on one half and the same person smaller
    (further from the camera, feet on the same floor line) on the other half."""
    crop = frame[:, 160:480]  # 320 px wide around the person
    out = blank((480, 640))
    near_x, far_x = (320, 0) if far_left else (0, 320)
    out[:, near_x : near_x + 320] = crop
    small = cv2.resize(crop, (round(320 * far_scale), round(480 * far_scale)), interpolation=cv2.INTER_AREA)
    x0 = far_x + (320 - small.shape[1]) // 2
    out[480 - small.shape[0] :, x0 : x0 + small.shape[1]] = small
    return out
