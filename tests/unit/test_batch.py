"""formcheck.batch on the local process pool, without the pose model.

Each "video" is a small real H.264 file whose pose cache is seeded with a synthetic hinge clip of known rep count
(formcheck.synth), so the workers run the real batch path (cache lookup, analysis, HTML report with key frames
decoded from the file, JSON) and the truth is the synthetic rep count, not what the analyzer said last time.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from formcheck import batch
from formcheck.batch import VIDEO_SUFFIXES, find_videos, output_stems, run_batch, settings_fingerprint
from formcheck.cli import main
from formcheck.config import Config, load_config
from formcheck.errors import UsageError
from formcheck.io.cache import default_cache_path, save_pose_cache
from formcheck.pose.model import model_sha256
from formcheck.synth import hinge_clip
from formcheck.types import PoseSequence, VideoInfo

FPS = 15
SIZE = (160, 120)


def _config() -> Config:
    # No mask probes: the seeded caches carry none, and the cache key must match what the workers look up.
    return load_config(None, {"pose": {"segmentation": False}})


def _write_video(path: Path, n_frames: int, shade: int = 40) -> None:
    w, h = SIZE
    with av.open(str(path), "w") as c:
        s = c.add_stream("libx264", rate=FPS)
        s.width, s.height, s.pix_fmt = w, h, "yuv420p"
        s.options = {"crf": "30", "preset": "ultrafast"}
        s.time_base = Fraction(1, FPS)
        for i in range(n_frames):
            img = np.full((h, w, 3), shade + (i % 50), np.uint8)
            fr = av.VideoFrame.from_ndarray(img, format="rgb24")
            fr.pts = i
            for p in s.encode(fr):
                c.mux(p)
        for p in s.encode():
            c.mux(p)


def make_clip(folder: Path, name: str, n_reps: int, cfg: Config, shade: int = 40) -> Path:
    """A video file plus a seeded pose cache holding a synthetic hinge set of ``n_reps`` reps."""
    clip = hinge_clip(n_reps=n_reps, fps=FPS, width=SIZE[0], height=SIZE[1])
    path = folder / name
    _write_video(path, clip.seq.n_frames, shade)
    t = clip.seq.t_s
    info = VideoInfo(str(path), SIZE[0], SIZE[1], float(FPS), len(t), float(len(t) / FPS), source="file")
    seq = PoseSequence(clip.seq.landmarks, clip.seq.world, t, SIZE[0], SIZE[1], video=info,
                       model_sha256=model_sha256(cfg.pose))  # fmt: skip
    names = batch_probes()
    save_pose_cache(seq, default_cache_path(path, cfg, probes=names), pose_config=cfg.pose)
    return path


def batch_probes() -> tuple[str, ...]:
    from formcheck.analyze import probes_for

    return probes_for(None)


@pytest.fixture
def cache_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(d))  # inherited by the spawned workers
    return d


def _rows(csv_path: Path) -> dict[str, dict[str, str]]:
    with open(csv_path, newline="", encoding="utf-8") as f:
        return {r["video"]: r for r in csv.DictReader(f)}


def test_find_videos_filters_suffixes_and_hidden(tmp_path: Path) -> None:
    for name in ("b.MP4", "a.mov", ".hidden.mp4", "notes.txt", "c.webm", "poses.csv"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sub.mp4").mkdir()
    assert [p.name for p in find_videos(tmp_path)] == ["a.mov", "b.MP4", "c.webm"]
    assert [p.name for p in batch.find_other_files(tmp_path)] == ["notes.txt", "poses.csv"]


@pytest.mark.parametrize("name", ["phone.3gp", "PHONE.3GP", "a.m4v", "a.mkv", "a.webm", "a.avi", "a.MOV", "a.mp4"])
def test_every_suffix_the_reader_takes_is_a_batch_video(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"x")
    (tmp_path / "notes.txt").write_bytes(b"x")
    assert [p.name for p in find_videos(tmp_path)] == [name]
    assert [p.name for p in batch.find_other_files(tmp_path)] == ["notes.txt"]


def test_one_list_of_video_suffixes_for_batch_and_app() -> None:
    from formcheck import io
    from formcheck.ui import review

    assert VIDEO_SUFFIXES is io.VIDEO_SUFFIXES and ".3gp" in VIDEO_SUFFIXES
    assert tuple(s.lstrip(".") for s in io.VIDEO_SUFFIXES) == review.VIDEO_SUFFIXES


def test_a_folder_with_no_video_names_what_it_holds(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_bytes(b"x")
    with pytest.raises(UsageError, match=r"No videos in .*\(it holds notes\.txt, not videos\)") as e:
        run_batch(tmp_path, tmp_path / "out")
    assert ".3gp" in (e.value.hint or "")


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["a.mp4", "b.mov"], ["a", "b"]),
        (["a.mp4", "a.mov", "c.mp4"], ["a_mp4", "a_mov", "c"]),
        (["My set (1).mp4"], ["My_set_1"]),
        (["A.mp4", "a.mov"], ["A_mp4", "a_mov"]),  # case-insensitive file systems would merge them
    ],
)
def test_output_stems_unique(names: list[str], expected: list[str]) -> None:
    stems = output_stems([Path(n) for n in names])
    assert [stems[Path(n)] for n in names] == expected


def test_settings_fingerprint_changes_with_settings() -> None:
    base = settings_fingerprint(Config(), None)
    assert base == settings_fingerprint(Config(), None)
    assert base != settings_fingerprint(Config(), "hinge")
    assert base != settings_fingerprint(load_config(None, {"body": {"height_cm": 190}}), None)
    assert settings_fingerprint(Config(), "Hinge ") == settings_fingerprint(Config(), "hinge")


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"engine": "spark"}, "Unknown engine"),
        ({"workers": 0}, "--workers must be 1 or more"),
        ({"address": "tcp://127.0.0.1:1"}, "use it with --engine dask"),
        ({"exercise": "yoga"}, "Unknown exercise"),
    ],
)
def test_bad_options_are_usage_errors(tmp_path: Path, kwargs: dict, words: str) -> None:
    (tmp_path / "a.mp4").write_bytes(b"x")
    with pytest.raises(UsageError, match=words):
        run_batch(tmp_path, tmp_path / "out", **kwargs)
    assert not (tmp_path / "out" / "summary.csv").exists()


def test_no_videos_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="No videos"):
        run_batch(tmp_path, tmp_path / "out")
    with pytest.raises(UsageError, match="is not a folder"):
        run_batch(tmp_path / "missing", tmp_path / "out")


def test_batch_local_pool_outputs_failure_and_resume(tmp_path: Path, cache_env: Path) -> None:
    cfg = _config()
    src = tmp_path / "in"
    src.mkdir()
    truth = {"two.mp4": 2, "three.mp4": 3}
    for name, n in truth.items():
        make_clip(src, name, n, cfg)
    (src / "broken.mp4").write_text("this is text, not a video", encoding="utf-8")
    (src / "notes.txt").write_text("session notes", encoding="utf-8")  # listed, not analysed
    out = tmp_path / "out"

    s1 = run_batch(src, out, config=cfg, workers=2)
    by = {it.video: it for it in s1.items}
    assert [it.video for it in s1.items] == ["broken.mp4", "notes.txt", "three.mp4", "two.mp4"]  # name order
    assert by["notes.txt"].status == "not a video" and s1.not_videos == ("notes.txt",)
    for name, n in truth.items():
        assert by[name].status == "done" and by[name].reps == n and by[name].exercise == "hinge"
        assert by[name].title == "Hip hinge" and by[name].count == f"{n} reps" and by[name].holds is None
        stem = Path(name).stem
        doc = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
        assert len(doc["reps"]) == n and doc["batch"]["source"]["name"] == name
        assert (out / f"{stem}.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert by["broken.mp4"].status == "failed" and by["broken.mp4"].exit_code == 3
    err = (out / "broken.error.txt").read_text(encoding="utf-8")
    assert "broken.mp4" in err and "Traceback" not in err  # a plain message, not a stack trace
    assert s1.exit_code == 3
    rows = _rows(out / "summary.csv")
    assert rows["two.mp4"]["reps"] == "2" and rows["three.mp4"]["reps"] == "3"
    # the clinician's words in "exercise", the key for machines beside it; no holds for a rep exercise
    assert (rows["two.mp4"]["exercise"], rows["two.mp4"]["exercise_key"]) == ("Hip hinge", "hinge")
    assert (rows["two.mp4"]["holds"], rows["two.mp4"]["held_s"], rows["two.mp4"]["count"]) == ("", "", "2 reps")
    assert rows["notes.txt"]["status"] == "not a video" and "not a video file" in rows["notes.txt"]["message"]
    assert rows["broken.mp4"]["status"] == "failed" and "not a video" in rows["broken.mp4"]["message"]
    assert float(rows["two.mp4"]["duration_s"]) == pytest.approx(210 / FPS, abs=0.1)
    assert not list(out.glob(".*part"))  # no temporary files left

    # Resume: finished videos are skipped (their rows kept), the failed one is tried again.
    (src / "broken.mp4").unlink()
    make_clip(src, "broken.mp4", 2, cfg, shade=90)  # fixed meanwhile
    json_mtime = (out / "two.json").stat().st_mtime_ns
    s2 = run_batch(src, out, config=cfg, workers=1)
    by2 = {it.video: it for it in s2.items}
    assert by2["two.mp4"].status == "skipped" and by2["three.mp4"].status == "skipped"
    assert by2["two.mp4"].reps == 2 and by2["two.mp4"].main_cue == by["two.mp4"].main_cue
    row1, row2 = by["two.mp4"].csv_row(), by2["two.mp4"].csv_row()
    assert {**row2, "status": "done", "elapsed_s": ""} == {**row1, "elapsed_s": ""}  # read back from its JSON
    assert by2["broken.mp4"].status == "done" and not (out / "broken.error.txt").exists()
    assert (out / "two.json").stat().st_mtime_ns == json_mtime
    assert s2.exit_code == 0
    assert _rows(out / "summary.csv")["three.mp4"]["status"] == "skipped"

    # A half-written JSON (as left by a killed run without the rename) and changed settings both re-run.
    text = (out / "three.json").read_text(encoding="utf-8")
    (out / "three.json").write_text(text[: len(text) // 2], encoding="utf-8")
    s3 = run_batch(src, out, config=cfg, workers=1, exercise="hinge")  # other settings: everything again
    assert {it.video: it.status for it in s3.items} == {
        **dict.fromkeys(("broken.mp4", "three.mp4", "two.mp4"), "done"),
        "notes.txt": "not a video",
    }


def test_finished_item_rules(tmp_path: Path, cache_env: Path) -> None:
    """What counts as finished, without running the pool: content hash on an mtime change, version, settings."""
    cfg = _config()
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    video = make_clip(src, "v.mp4", 2, cfg)
    s = run_batch(src, out, config=cfg, workers=1)
    assert s.items[0].status == "done"
    fp = settings_fingerprint(cfg, None)
    task = batch._Task(video.resolve(), "v.mp4", out / "v.json", out / "v.html", out / "v.error.txt", None, cfg,
                       fp, True)  # fmt: skip
    assert batch.finished_item(task) is not None
    st = video.stat()
    os.utime(video, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # touched: same content → still finished
    assert batch.finished_item(task) is not None
    data_orig = video.read_bytes()
    data = bytearray(data_orig)
    data[-1] ^= 0xFF  # same size, other content, other mtime → not finished
    video.write_bytes(bytes(data))
    assert batch.finished_item(task) is None
    video.write_bytes(bytes(data_orig))
    os.utime(video, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert batch.finished_item(task) is not None  # back as it was
    assert batch.finished_item(dataclasses.replace(task, fingerprint="other settings")) is None
    (out / "v.html").unlink()
    assert batch.finished_item(task) is None  # the report is part of "finished"


def test_cli_batch(tmp_path: Path, cache_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config()
    src = tmp_path / "in"
    src.mkdir()
    make_clip(src, "one.mp4", 2, cfg)
    cfg_file = tmp_path / "c.toml"
    cfg_file.write_text("[pose]\nsegmentation = false\n", encoding="utf-8")
    args = ["batch", str(src), "-o", str(tmp_path / "out"), "--quiet", "--config", str(cfg_file)]
    (src / "notes.txt").write_text("x", encoding="utf-8")
    make_clip(src, "phone.3gp", 2, cfg)  # a phone's container (.3gp): a video
    assert main(args) == 0
    got = capsys.readouterr()
    assert "2 analysed, 0 already done, 0 failed" in got.out
    assert "not videos, not analysed: notes.txt" in got.err
    assert main(args) == 0
    assert "0 analysed, 2 already done, 0 failed" in capsys.readouterr().out
    assert main(["batch", str(src), "-o", str(tmp_path / "out"), "--workers", "0"]) == 2
