"""Pose import (formcheck.io.posecsv and ``formcheck analyze poses.csv``) on CSVs this test writes itself from
synthetic hinge sets with known reps and tempo (formcheck.synth)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest

from formcheck.analyze import analyze_sequence
from formcheck.cli import main
from formcheck.config import Config
from formcheck.engine.registry import specs
from formcheck.errors import InputError, UsageError
from formcheck.io.posecsv import NO_WORLD_NOTE, parse_size, read_pose_csv, write_pose_csv
from formcheck.synth import hinge_clip

FPS = 15.0
W, H = 640, 480
TEMPO = (2.0, 1.0, 2.0, 1.0)


def _header(time: bool, world: bool) -> list[str]:
    cols = ["t_s"] if time else []
    cols += [f"{c}{i}" for i in range(33) for c in "xyzv"]
    if world:
        cols += [f"w{c}{i}" for i in range(33) for c in "xyz"]
    return cols


def _write(path: Path, seq, *, time: bool = True, world: bool = True, header: bool = True) -> Path:
    """The test's own writer (not formcheck's): frames with nobody as empty cells, floats with repr."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        if header:
            w.writerow(_header(time, world))
        for i in range(seq.n_frames):
            row = [repr(float(seq.t_s[i]))] if time else []
            row += [repr(float(v)) for v in seq.landmarks[i].reshape(-1)]
            if world:
                row += [repr(float(v)) for v in seq.world[i, :, :3].reshape(-1)]
            w.writerow(["" if c == "nan" else c for c in row])
    return path


@pytest.fixture(scope="module")
def clip():
    # Dropped frames (nobody) too: they become empty cells in the CSV and must read back as NaN frames.
    return hinge_clip(n_reps=3, tempo=TEMPO, fps=FPS, width=W, height=H, noise_px=0.5, dropout_frac=0.05, seed=3)


def _analyze(tmp_path: Path, csv_path: Path, *extra: str) -> tuple[int, dict | None]:
    out = tmp_path / "a.json"
    out.unlink(missing_ok=True)
    code = main(["analyze", str(csv_path), "--json", str(out), "--quiet", *extra])
    return code, (json.loads(out.read_text(encoding="utf-8")) if out.exists() else None)


@pytest.mark.parametrize("world", [True, False])
def test_cli_reps_and_tempo_exact_from_csv(tmp_path: Path, clip, world: bool, capsys) -> None:
    path = _write(tmp_path / "poses.csv", clip.seq, world=world)
    args = ["--size", f"{W}x{H}"] + ([] if world else ["--exercise", "hinge"])
    code, doc = _analyze(tmp_path, path, *args)
    assert code == 0, capsys.readouterr().err
    truth_reps = int(clip.truth.rep.max())
    assert len(doc["reps"]) == truth_reps == 3
    for r in doc["reps"]:
        assert r["eccentric_s"] == pytest.approx(TEMPO[0], abs=0.25)
        assert r["concentric_s"] == pytest.approx(TEMPO[2], abs=0.25)
    warnings = doc["quality"]["warnings"]
    assert (NO_WORLD_NOTE in warnings) is (not world)
    if not world:
        assert any("assume a side view" in w for w in warnings)
        assert doc["summary"]["view_azimuth_deg"] is None  # not measured, and not made up
    assert any("outline" in w for w in warnings)  # no mask in a CSV: back rounding not estimated, said so
    assert all(r["metrics"]["spine_flexion_est_deg"] is None for r in doc["reps"])
    assert doc["video"]["width"] == W and doc["video"]["source"] == "pose_csv"
    printed = capsys.readouterr().out
    assert (NO_WORLD_NOTE in printed) is (not world)  # the note is printed with the analysis too


def test_cli_fps_sets_the_clock_without_t_s(tmp_path: Path, clip) -> None:
    """The same rows read at the wrong frame rate give proportionally wrong phase times: --fps is used."""
    path = _write(tmp_path / "p.csv", clip.seq, time=False)
    _, right = _analyze(tmp_path, path, "--fps", str(FPS), "--size", f"{W}x{H}")
    assert [r["eccentric_s"] for r in right["reps"]] == pytest.approx([TEMPO[0]] * 3, abs=0.25)
    _, double = _analyze(tmp_path, path, "--fps", str(2 * FPS), "--size", f"{W}x{H}")
    assert [r["eccentric_s"] for r in double["reps"]] == pytest.approx([TEMPO[0] / 2] * 3, abs=0.15)


def test_no_world_without_exercise_is_a_plain_usage_error(tmp_path: Path, clip, capsys) -> None:
    path = _write(tmp_path / "p.csv", clip.seq, world=False)
    code, doc = _analyze(tmp_path, path)
    assert code == 2 and doc is None
    err = capsys.readouterr().err
    assert "no world landmarks" in err and "--exercise hinge" in err


@pytest.mark.parametrize("spec", [s for s in specs() if s.synth is not None], ids=lambda s: s.name)
def test_every_exercise_counts_its_truth_without_world_columns(tmp_path: Path, spec) -> None:
    """No world landmarks: every registered exercise still finds the generator's reps (or holds), from the image."""
    clip = spec.synth(n_reps=3, facing=1, fps=30.0, seed=1)
    path = _write(tmp_path / "p.csv", clip.seq, world=False)
    pc = read_pose_csv(path, size=(clip.seq.width, clip.seq.height))
    assert not pc.has_world and NO_WORLD_NOTE in pc.notes
    a = analyze_sequence(pc.seq, spec.name, Config())
    items = a.holds if spec.counts_holds else a.reps
    if spec.name in NEEDS_WORLD:  # measured from depth: refused, saying why
        assert items == () and any(w.startswith("No 3D (world) landmarks") for w in a.quality.warnings)
        return
    assert len(items) == len(clip.truth.phases) > 0
    assert a.quality.view == ("front" if spec.name in FRONT_VIEW else "side")


# Exercises filmed from the front assume a front view without world landmarks; those measured from depth (a turn
# about the vertical, a press toward the camera) cannot be measured without them.
FRONT_VIEW = {"side_bend"}
NEEDS_WORLD = {"trunk_rotation", "pallof_press"}


def test_missing_values_are_nan_never_zero(tmp_path: Path) -> None:
    hdr = _header(True, False)
    good = ["0.5", "0.4", "-0.1", "0.9"] * 33
    zero_lm = list(good)
    zero_lm[4 * 5 : 4 * 5 + 4] = ["0", "0", "0", "0"]  # landmark 5 "not detected" the way several tools write it
    empty_cell = list(good)
    empty_cell[4 * 7 + 1] = ""  # y7 unknown
    rows = [
        ["0.0", *good],
        ["0.1", *(["0"] * 132)],  # an all-zero row: nobody
        ["0.2", *([""] * 132)],  # an empty row: nobody
        ["0.3", *zero_lm],
        ["0.4", *empty_cell],
    ]
    p = tmp_path / "m.csv"
    with open(p, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([hdr, *rows])
    pc = read_pose_csv(p, size="100x50")
    seq = pc.seq
    assert seq.present.tolist() == [True, False, False, True, True]
    assert np.isnan(seq.landmarks[1]).all() and np.isnan(seq.landmarks[2]).all()
    assert np.isnan(seq.landmarks[3, 5]).all() and np.isfinite(seq.landmarks[3, 6]).all()
    assert math.isnan(seq.landmarks[4, 7, 1]) and seq.landmarks[4, 7, 0] == 0.5
    assert np.isnan(seq.world).all() and not pc.has_world
    assert seq.t_s.tolist() == [0.0, 0.1, 0.2, 0.3, 0.4]
    assert (seq.width, seq.height) == (100, 50)
    assert not (seq.landmarks == 0).any()


def test_headerless_and_roundtrip(tmp_path: Path, clip) -> None:
    path = _write(tmp_path / "h.csv", clip.seq, header=False)
    pc = read_pose_csv(path, size=(W, H))
    assert pc.has_world and pc.seq.n_frames == clip.seq.n_frames
    np.testing.assert_array_equal(pc.seq.landmarks, clip.seq.landmarks)
    np.testing.assert_array_equal(pc.seq.world[..., :3], clip.seq.world[..., :3])
    out = write_pose_csv(pc.seq, tmp_path / "again.csv")
    back = read_pose_csv(out, size=(W, H))
    np.testing.assert_array_equal(back.seq.landmarks, pc.seq.landmarks)
    np.testing.assert_array_equal(back.seq.t_s, pc.seq.t_s)
    assert any("Frame size not given" in n for n in read_pose_csv(out).notes)


def _bad(tmp_path: Path, lines: list[list[str]]) -> Path:
    p = tmp_path / "bad.csv"
    with open(p, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(lines)
    return p


_ROW = ["0.5", "0.4", "0", "0.9"] * 33


@pytest.mark.parametrize(
    ("lines", "words"),
    [
        ([_header(True, False), ["0.0", *_ROW[:-3]]], "line 2: 130 values, but there are 133 columns"),
        ([_header(True, False), ["0.0", *_ROW], ["0.1", "abc", *_ROW[1:]]], "line 3, column x0: 'abc' is not a number"),
        ([_header(False, False), ["1,5", *_ROW[1:]]], "is not a number"),
        ([["t_s", "x0", "y0"], ["0", "1", "2"]], "landmark column(s) are missing"),
        ([[*_header(True, False), "speed"], ["0", *_ROW, "1"]], "unknown column 'speed'"),
        ([[*_header(True, False), "wx0"], ["0", *_ROW, "1"]], "world columns must be all there or none"),
        ([[*_header(True, False), "x0"], ["0", *_ROW, "1"]], "appears more than once"),
        ([_header(True, False), ["0.5", *_ROW], ["0.5", *_ROW]], "line 3: t_s 0.5 is not after"),
        ([_header(True, False), ["", *_ROW]], "t_s is empty"),
        ([_header(True, False)], "no frames"),
        ([], "is empty"),
        ([["0.1"] * 100], "no header and 100 columns"),
    ],
)
def test_bad_csv_is_a_usage_error_with_plain_words(tmp_path: Path, lines: list[list[str]], words: str, capsys) -> None:
    p = _bad(tmp_path, lines)
    with pytest.raises(UsageError) as e:
        read_pose_csv(p)
    assert words in str(e.value)
    assert main(["analyze", str(p), "--exercise", "hinge", "--quiet"]) == UsageError.exit_code == 2
    assert words in capsys.readouterr().err


def test_missing_file_and_bad_options(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_pose_csv(tmp_path / "none.csv")
    assert main(["analyze", str(tmp_path / "none.csv"), "--exercise", "hinge"]) == 3
    p = _bad(tmp_path, [_header(True, False), ["0.0", *_ROW]])
    with pytest.raises(UsageError, match="--fps must be a positive number"):
        read_pose_csv(p, fps=0)
    assert main(["analyze", str(p), "--exercise", "hinge", "--annotate", str(tmp_path / "x.mp4")]) == 2


@pytest.mark.parametrize(
    ("text", "size"), [("1920x1080", (1920, 1080)), (" 640 X 480 ", (640, 480)), ("1280×720", (1280, 720))]
)
def test_parse_size(text: str, size: tuple[int, int]) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["1920", "0x10", "axb", "1920x1080x3", ""])
def test_parse_size_rejects(text: str) -> None:
    with pytest.raises(UsageError, match="WIDTHxHEIGHT"):
        parse_size(text)
