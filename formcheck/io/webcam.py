"""Frames for command-line live use (the Streamlit app gets its frames from the browser instead).

:func:`open_live_source` picks the source for ``formcheck live --camera X``:

* a camera (number, device path such as ``/dev/video0``, stream URL): :class:`WebcamSource`. OpenCV's capture is
  used because it is already present (via mediapipe's opencv-contrib-python) and opens V4L2/AVFoundation/MSMF
  cameras by index. Timestamps are taken from a monotonic clock when the frame arrives: camera drivers' own
  timestamps are not exposed reliably across platforms.
* a video file: :class:`VideoFileSource`. Every frame, timed by the file's own timestamps (the same reader and
  times as ``formcheck analyze``), as fast as the computer goes. A wall clock would time the set by how fast the
  frames were processed: a clip analysed at a third of real time read a 2 s lowering as 3.7 s and a 7 s plank as
  20 s. Its end is the end of the set, not a camera that stopped.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from formcheck.errors import CameraError, UnreadableVideoError


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

    is_file = False  # frames arrive in real time; a stop is the camera gone (see VideoFileSource)

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


class VideoFileSource:
    """A video file standing in for the camera: ``(frame_rgb, t_s)`` with ``t_s`` the file's own timestamps.

    Every frame is delivered (none dropped, however long a frame takes to process) and iteration simply ends with
    the file, so the caller ends the set normally. Frames and times come from :func:`formcheck.io.video.open_video`,
    as for ``formcheck analyze``.

    Args:
        path: the video file.

    Raises:
        VideoNotFoundError, UnreadableVideoError: as :func:`~formcheck.io.video.open_video`.
    """

    is_file = True

    def __init__(self, path: str | Path) -> None:
        from formcheck.io.video import open_video

        self.index = str(path)
        self._reader = open_video(path)
        self.frames_read = 0

    def __enter__(self) -> VideoFileSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file."""
        self._reader.close()

    def __iter__(self) -> Iterator[tuple[np.ndarray, float]]:
        for rgb, t_s in self._reader:
            self.frames_read += 1
            yield rgb, t_s


def is_video_file(camera: int | str) -> bool:
    """True when ``--camera`` names a regular file (a video), not a camera number, device node or stream URL.

    A device node (``/dev/video0``) is a character device, not a regular file, so it stays a camera.
    """
    return isinstance(camera, str) and Path(camera).expanduser().is_file()


def open_live_source(camera: int | str, *, stall_s: float = 2.0) -> WebcamSource | VideoFileSource:
    """The frame source for live use: a :class:`VideoFileSource` for a video file, else a :class:`WebcamSource`.

    Raises:
        CameraError: a camera that cannot be opened.
        VideoNotFoundError, UnreadableVideoError: a file that is not a readable video.
    """
    if is_video_file(camera):
        return VideoFileSource(Path(str(camera)).expanduser())
    if isinstance(camera, str) and Path(camera).expanduser().is_dir():  # not a camera that failed to open
        from formcheck.io.video import FOLDER_HINT

        raise UnreadableVideoError(f"{camera} is a folder, not a video file or a camera.", hint=FOLDER_HINT)
    return WebcamSource(camera, stall_s=stall_s)
