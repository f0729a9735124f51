"""``formcheck live`` with a video file standing in for the camera (OpenCV opens both the same way).

When the file ends, the "camera" stops delivering frames — the unplugged-camera case: the set so far must be
kept (printed, written, saved) and the exit code must be the camera's (3) with a plain message.
"""

from __future__ import annotations

import json

import pytest

from formcheck.cli import main
from formcheck.store import Store

pytestmark = pytest.mark.integration


def test_camera_that_cannot_open_exits_3(tmp_path, capsys):
    assert main(["live", "--camera", str(tmp_path / "no_such_camera"), "--stall-s", "0.2"]) == 3
    err = capsys.readouterr().err
    assert "could not be opened" in err and "Traceback" not in err


def test_unplugged_mid_set_keeps_the_set(tmp_path, sample_video, capsys, monkeypatch):
    monkeypatch.setenv("FORMCHECK_DATA_DIR", str(tmp_path / "data"))
    out_json = tmp_path / "live.json"
    # Named, so this test is about the unplugged camera on real video; live recognition (the default) is tested
    # on a fake clock in tests/unit/test_live_recognise.py, where its timing does not depend on machine load.
    argv = ["live", "--camera", str(sample_video), "--exercise", "hinge", "--stall-s", "0.5", "--tempo", "2-1-2-1"]
    code = main([*argv, "--json", str(out_json), "--save"])
    captured = capsys.readouterr()
    assert code == 3
    assert "stopped delivering frames" in captured.err and "was kept" in captured.err
    lines = captured.out.splitlines()
    assert any(line.startswith("setup ok") for line in lines)
    assert [line.split(":")[0] for line in lines if line.startswith("rep ") and ":" in line] == [
        "rep 1",
        "rep 2",
        "rep 3",
    ]
    assert any(line.startswith(">> Good hinge") for line in lines)  # praise for clean reps, one cue at a time
    d = json.loads(out_json.read_text())
    assert len(d["reps"]) == 3 and d["settings"]["source"] == "live"
    assert d["quality"]["view"] == "side"
    sets = Store(tmp_path / "data" / "history.sqlite3").sets()
    assert len(sets) == 1 and sets[0].n_reps == 3
