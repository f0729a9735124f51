from __future__ import annotations

import time

import numpy as np
import pytest
from fc_video_factory import pattern_frame

from formcheck.errors import CameraError, UnreadableVideoError
from formcheck.io.webcam import VideoFileSource, WebcamSource, open_live_source


def test_missing_camera_raises_camera_error(tmp_path):
    # A device path that cannot exist opens no camera on any platform (and does not probe real hardware).
    with pytest.raises(CameraError, match="could not be opened") as ei:
        WebcamSource(str(tmp_path / "no-such-camera"))
    assert ei.value.exit_code == 3


def test_frames_then_camera_error_when_frames_stop(make_video):
    """A short clip stands in for a camera that is unplugged after 5 frames."""
    path = make_video(n=5)
    with WebcamSource(str(path), stall_s=0.2) as cam:
        frames, times = [], []
        with pytest.raises(CameraError, match="stopped delivering frames after 5 frames"):
            for rgb, t in cam:
                frames.append(rgb)
                times.append(t)
    assert len(frames) == 5
    assert all(f.shape == (48, 64, 3) and f.dtype == np.uint8 for f in frames)
    # RGB order (OpenCV gives BGR): the blue band at the bottom must be in channel 2.
    assert frames[0][-2, :, 2].mean() > 150 and frames[0][-2, :, 0].mean() < 80
    assert np.abs(frames[0].astype(int) - pattern_frame(0)).mean() < 8
    assert all(b >= a for a, b in zip(times, times[1:], strict=False))


def test_closed_source_raises(make_video):
    cam = WebcamSource(str(make_video(n=2)))
    cam.close()
    t0 = time.monotonic()
    with pytest.raises(CameraError, match="closed"):
        cam.read()
    assert time.monotonic() - t0 < 0.5


def test_a_video_file_as_the_camera_is_timed_by_its_own_clock_and_just_ends(make_video):
    """Acceptance #6: a file given to ``live --camera`` is timed by its timestamps (not by how fast it was read)
    and its end is the end of the set, not a camera that stopped delivering frames."""
    pts_ms = [0, 100, 200, 400, 500]  # a variable frame rate, 10 fps with one frame missing
    path = make_video(pts_ms=pts_ms)
    with open_live_source(str(path), stall_s=0.2) as src:
        assert isinstance(src, VideoFileSource) and src.is_file
        got, shapes = [], set()
        for rgb, t_s in src:  # ends without CameraError
            got.append(t_s)
            shapes.add(rgb.shape)
            time.sleep(0.05)  # slower than real time for a moment: the times must not stretch
    assert got == pytest.approx([t / 1000 for t in pts_ms], abs=1e-3)
    assert shapes == {(48, 64, 3)}


def test_a_camera_name_that_is_not_a_file_opens_a_camera(tmp_path):
    with pytest.raises(CameraError, match="could not be opened"):
        open_live_source(str(tmp_path / "no-such-camera"), stall_s=0.2)
    assert WebcamSource.is_file is False


def test_a_folder_is_neither_a_video_nor_a_camera(tmp_path):
    # (it read "Camera … could not be opened. Check that it is connected")
    with pytest.raises(UnreadableVideoError, match="is a folder, not a video file or a camera") as e:
        open_live_source(str(tmp_path), stall_s=0.2)
    assert "formcheck batch" in str(e.value)
