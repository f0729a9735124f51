"""``formcheck live`` on real video: a video file as the source, and a camera that stops delivering mid-set.

A video file given as ``--camera`` is timed by its own timestamps and its end ends the set normally (exit 0). An
unplugged camera is a real :class:`~formcheck.io.webcam.WebcamSource` whose capture stops delivering frames
mid-set: the set so far must be kept (printed, written, saved) and the exit code must be the camera's (3) with a
plain message.
"""

from __future__ import annotations

import json
import re
import time

import cv2
import pytest

import formcheck.io.webcam as webcam
from formcheck.cli import main
from formcheck.io.video import open_video
from formcheck.store import Store

pytestmark = pytest.mark.integration

FIRST_REP_S = 6.6  # the sample's first rep ends at 5.9 s (2 s lowering, truth of the rendered clip)


def test_camera_that_cannot_open_exits_3(tmp_path, capsys):
    assert main(["live", "--camera", str(tmp_path / "no_such_camera"), "--stall-s", "0.2"]) == 3
    err = capsys.readouterr().err
    assert "could not be opened" in err and "Traceback" not in err


def test_video_file_as_the_camera_is_timed_by_the_video_and_ends_normally(tmp_path, sample_video, capsys, monkeypatch):
    """Acceptance #6: the file's 2 s lowering read 3.7 s when timed by the wall clock, and its end read as an
    unplugged camera (exit 3). ``--seconds`` counts video time for a file."""
    monkeypatch.setenv("FORMCHECK_DATA_DIR", str(tmp_path / "data"))
    out_json = tmp_path / "live.json"
    # Named, so this test is about the source's timing; live recognition is tested on a fake clock in
    # tests/unit/test_live_recognise.py.
    argv = ["live", "--camera", str(sample_video), "--exercise", "hinge", "--tempo", "2-1-2-1"]
    code = main([*argv, "--seconds", str(FIRST_REP_S), "--json", str(out_json), "--save"])
    captured = capsys.readouterr()
    assert code == 0
    assert "stopped delivering" not in captured.err and "unplugged" not in captured.err
    lines = captured.out.splitlines()
    assert any(line.startswith("setup ok") for line in lines)
    assert [line.split(":")[0] for line in lines if line.startswith("rep ") and ":" in line] == ["rep 1"]
    assert any(line.startswith(">> Good hinge") for line in lines)  # 2 s lowering at a 2 s target: praise
    d = json.loads(out_json.read_text())
    assert len(d["reps"]) == 1 and d["settings"]["source"] == "live"
    assert d["reps"][0]["eccentric_s"] == pytest.approx(2.0, abs=0.25)  # the rendered truth
    assert d["reps"][0]["end_s"] <= FIRST_REP_S
    assert d["quality"]["view"] == "side"
    sets = Store(tmp_path / "data" / "history.sqlite3").sets()
    assert len(sets) == 1 and sets[0].n_reps == 1


class _StallingCapture:
    """Stands in for ``cv2.VideoCapture`` of a camera: the sample's frames at 15 fps in real time (a late reader
    gets the newest frame, as from a camera), then no more frames while the device stays open (unplugged or
    stalled USB camera)."""

    frames: list = []
    fps = 15.0

    def __init__(self, index):
        self.index = index
        self._t0: float | None = None
        self._last = -1

    def isOpened(self):  # noqa: N802 - OpenCV's name
        return True

    def set(self, *_a):
        return True

    def release(self):
        return None

    def read(self):
        now = time.monotonic()
        if self._t0 is None:
            self._t0 = now
        due = int((now - self._t0) * self.fps)
        if due <= self._last:  # the next frame is not there yet: wait for it, as a camera read does
            time.sleep(self._t0 + (self._last + 1) / self.fps - now)
            due = self._last + 1
        if due >= len(self.frames):
            return False, None
        self._last = due
        return True, self.frames[due]


@pytest.fixture(scope="module")
def first_rep_bgr(sample_video) -> list:
    """The sample's first rep (0-6.6 s) at 15 fps, BGR as OpenCV gives it."""
    out = []
    with open_video(sample_video) as reader:
        for i, (rgb, t_s) in enumerate(reader):
            if t_s >= FIRST_REP_S:
                break
            if i % 2 == 0:
                out.append(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    return out


def test_unplugged_mid_set_keeps_the_set(tmp_path, first_rep_bgr, capsys, monkeypatch):
    monkeypatch.setenv("FORMCHECK_DATA_DIR", str(tmp_path / "data"))
    _StallingCapture.frames = first_rep_bgr
    monkeypatch.setattr(webcam.cv2, "VideoCapture", _StallingCapture)
    out_json = tmp_path / "live.json"
    argv = ["live", "--camera", "0", "--exercise", "hinge", "--stall-s", "0.5", "--tempo", "2-1-2-1"]
    code = main([*argv, "--json", str(out_json), "--save"])
    captured = capsys.readouterr()
    assert code == 3
    assert re.search(r"Camera 0 stopped delivering frames after \d+ frames\. Was it unplugged", captured.err)
    assert "The set so far (1 rep) was kept." in captured.err
    lines = captured.out.splitlines()
    assert any(line.startswith("setup ok") for line in lines)
    assert [line.split(":")[0] for line in lines if line.startswith("rep ") and ":" in line] == ["rep 1"]
    d = json.loads(out_json.read_text())
    assert len(d["reps"]) == 1 and d["settings"]["source"] == "live"
    sets = Store(tmp_path / "data" / "history.sqlite3").sets()
    assert len(sets) == 1 and sets[0].n_reps == 1
