"""The CLI's documented exit codes and plain messages for bad inputs (no pose model needed: these are rejected
before the model loads)."""

from __future__ import annotations

import pytest

from formcheck.cli import main


def _missing(tmp_path):
    return tmp_path / "nope.mp4"


def _empty(tmp_path):
    p = tmp_path / "empty.mp4"
    p.write_bytes(b"")
    return p


def _text(tmp_path):
    p = tmp_path / "notes.mp4"
    p.write_text("this is a shopping list, not a video\n" * 20)
    return p


def _truncated(tmp_path, sample_video):
    p = tmp_path / "cut.mp4"
    p.write_bytes(sample_video.read_bytes()[:60_000])
    return p


def _garbage(tmp_path):
    p = tmp_path / "noise.mov"
    p.write_bytes(bytes(range(256)) * 400)
    return p


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_missing, "does not exist"),
        (_empty, "empty"),
        (_text, "not a video"),
        (_truncated, "incomplete"),
        (_garbage, "not a video"),
    ],
)
@pytest.mark.parametrize("command", ["analyze", "extract"])
def test_bad_video_exits_3_with_plain_words(tmp_path, sample_video, capsys, make, words, command):
    make_args = (tmp_path, sample_video) if make is _truncated else (tmp_path,)
    path = make(*make_args)
    argv = [command, str(path), "--quiet"] + (["-o", str(tmp_path / "p.npz")] if command == "extract" else [])
    assert main(argv) == 3
    err = capsys.readouterr().err
    assert err.startswith("formcheck: ")
    assert words in err
    assert "Traceback" not in err
    assert not (tmp_path / "p.npz").exists()  # nothing half-written


def test_missing_model_exits_5_and_says_how_to_rebuild(tmp_path, sample_video, capsys):
    assert main(["analyze", str(sample_video), "--no-cache", "--quiet", "--model", str(tmp_path / "x.task")]) == 5
    err = capsys.readouterr().err
    assert "x.task" in err and "build_pose_model.py" in err
