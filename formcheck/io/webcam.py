"""Webcam frames for command-line live use (the Streamlit app gets its frames from the browser instead).

OpenCV's capture is used because it is already present (via mediapipe's opencv-contrib-python) and opens
V4L2/AVFoundation/MSMF cameras by index. Timestamps are taken from a monotonic clock when the frame arrives:
camera drivers' own timestamps are not exposed reliably across platforms.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import cv2
import numpy as np

from formcheck.errors import CameraError


@contextlib.contextmanager
def _quiet_opencv() -> Iterator[None]:
    """OpenCV's own log silenced for the block (probing an absent camera prints backend warnings and a C++ error
    text on stderr before formcheck's clear message); the previous level is restored after."""
    # OpenCV 5 has the calls under cv2.utils.logging; 4.x (the lowest supported, via mediapipe) on cv2 itself.
    log = getattr(getattr(cv2, "utils", None), "logging", None)
    get_level = getattr(log, "getLogLevel", None) or getattr(cv2, "getLogLevel", None)
    set_level = getattr(log, "setLogLevel", None) or getattr(cv2, "setLogLevel", None)
    if get_level is None or set_level is None:  # no log control in this build: nothing to silence with
        yield
        return
    previous = get_level()
    set_level(0)  # LOG_LEVEL_SILENT in every OpenCV version
    try:
        yield
    finally:
        set_level(previous)


class WebcamSource:
    """Frames from a camera as ``(frame_rgb, t_s)``, ``t_s`` seconds since the source was opened.

    Example::

        with WebcamSource(0) as cam:
            for frame_rgb, t_s in cam:
                ...

    Args:
        index: camera number (0 = default camera) or a device path / stream URL that OpenCV understands.
        width: requested frame width in pixels (the camera may pick another), None for its default.
        height: requested frame height in pixels, None for its default.
        stall_s: how long failed reads may go on before the camera counts as gone.

    Raises:
        CameraError: the camera cannot be opened (absent, in use, no permission).
    """

    def __init__(
        self,
        index: int | str = 0,
        *,
        width: int | None = None,
        height: int | None = None,
        stall_s: float = 2.0,
    ) -> None:
        self.index = index
        self.stall_s = stall_s
        with _quiet_opencv():  # a missing camera is reported below in plain words, not as OpenCV's warnings
            self._cap = cv2.VideoCapture(index)
            opened = self._cap.isOpened()
        if not opened:
            self._cap.release()
            raise CameraError(
                f"Camera {index} could not be opened.",
                hint="Check that it is connected, not used by another program, and that this program may use it.",
            )
        if width:
            self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        if height:
            self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        self._t0 = time.monotonic()
        self.frames_read = 0

    def __enter__(self) -> WebcamSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the camera."""
        if self._cap is not None:
            self._cap.release()
            self._cap = None

    def read(self) -> tuple[np.ndarray, float]:
        """The next frame as ``(frame_rgb, t_s)``.

        Retries failed reads for up to ``stall_s`` seconds (drivers drop the odd frame).

        Raises:
            CameraError: the camera was closed, unplugged, or has delivered nothing for ``stall_s`` seconds.
        """
        if self._cap is None:
            raise CameraError(f"Camera {self.index} is closed.")
        deadline = time.monotonic() + self.stall_s
        while True:
            ok, bgr = self._cap.read()
            if ok and bgr is not None and bgr.size:
                self.frames_read += 1
                return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), time.monotonic() - self._t0
            if time.monotonic() >= deadline or not self._cap.isOpened():
                raise CameraError(
                    f"Camera {self.index} stopped delivering frames after {self.frames_read} frames.",
                    hint="Was it unplugged or taken by another program?",
                )
            time.sleep(0.02)

    def __iter__(self) -> Iterator[tuple[np.ndarray, float]]:
        while True:
            yield self.read()
