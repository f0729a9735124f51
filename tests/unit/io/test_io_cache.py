from __future__ import annotations

import dataclasses
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

import formcheck.extract
from formcheck.config import Config
from formcheck.errors import PoseCacheError, VideoNotFoundError
from formcheck.io.cache import cached_extract, default_cache_path, load_pose_cache, save_pose_cache
from formcheck.pose.model import SHIPPED_MODEL_SHA256
from formcheck.types import PoseSequence, VideoInfo


def make_seq(t: int = 12, *, video_path: Path | None = None, contour: bool = True, seed: int = 0) -> PoseSequence:
    rng = np.random.default_rng(seed)
    lm = rng.random((t, 33, 4))
    world = rng.normal(size=(t, 33, 4))
    lm[3] = np.nan  # nobody in frame 3
    world[3] = np.nan
    bc = rng.random((t, 24, 2)) * 100 if contour else None
    if bc is not None:
        bc[3] = np.nan
        bc[5, :4] = np.nan
    video = None
    if video_path is not None:
        video = VideoInfo(str(video_path), 640, 480, 30.0, t, t / 30, 90, "h264", "file")
    return PoseSequence(
        landmarks=lm,
        world=world,
        t_s=np.arange(t) / 30 + 0.001 * rng.random(t).cumsum(),
        width=640,
        height=480,
        back_contour_px=bc,
        n_people=rng.integers(0, 3, t),
        video=video,
        model_sha256="ab" * 32,
    )


def assert_same(a: PoseSequence, b: PoseSequence) -> None:
    np.testing.assert_array_equal(a.landmarks, b.landmarks)  # NaN positions must match too
    np.testing.assert_array_equal(a.world, b.world)
    np.testing.assert_array_equal(a.t_s, b.t_s)
    assert (a.width, a.height, a.model_sha256, a.video) == (b.width, b.height, b.model_sha256, b.video)
    for x, y in ((a.back_contour_px, b.back_contour_px), (a.n_people, b.n_people)):
        assert (x is None) == (y is None)
        if x is not None:
            np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("contour", [True, False])
def test_round_trip_is_exact(tmp_path, contour):
    video = tmp_path / "v.mp4"
    video.write_bytes(b"x" * 100)
    seq = make_seq(video_path=video, contour=contour)
    out = save_pose_cache(seq, tmp_path / "sub" / "poses.npz")
    assert out.is_file() and not list(out.parent.glob("*.tmp*"))
    back = load_pose_cache(out, expect_model_sha="ab" * 32, expect_video=video)
    assert_same(seq, back)


def test_sequence_without_video_or_people_round_trips(tmp_path):
    seq = dataclasses.replace(make_seq(), n_people=None)
    assert_same(seq, load_pose_cache(save_pose_cache(seq, tmp_path / "p.npz")))


def test_mismatches_are_reported(tmp_path):
    video = tmp_path / "v.mp4"
    video.write_bytes(b"x" * 100)
    path = save_pose_cache(make_seq(video_path=video), tmp_path / "p.npz", pose_config=Config().pose)
    with pytest.raises(PoseCacheError, match="another pose model"):
        load_pose_cache(path, expect_model_sha="cd" * 32)
    with pytest.raises(PoseCacheError, match="other pose settings"):
        load_pose_cache(path, expect_pose=Config().replace("pose", segmentation=False).pose)
    load_pose_cache(path, expect_video=video, expect_pose=Config().pose)  # still matches
    video.write_bytes(b"y" * 101)  # the video changed
    with pytest.raises(PoseCacheError, match="another version of v.mp4"):
        load_pose_cache(path, expect_video=video)


@pytest.mark.parametrize(
    "content",
    [b"", b"not a zip at all", b"PK\x03\x04broken zip"],
    ids=["empty", "text", "broken-zip"],
)
def test_corrupt_files_raise_pose_cache_error(tmp_path, content):
    path = tmp_path / "p.npz"
    path.write_bytes(content)
    with pytest.raises(PoseCacheError, match="p.npz"):
        load_pose_cache(path)


def test_foreign_npz_and_truncated_cache_are_rejected(tmp_path):
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, a=np.arange(3))
    with pytest.raises(PoseCacheError):
        load_pose_cache(foreign)
    good = save_pose_cache(make_seq(), tmp_path / "good.npz")
    cut = tmp_path / "cut.npz"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(PoseCacheError):
        load_pose_cache(cut)
    missing_key = tmp_path / "nokey.npz"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(missing_key, "w") as zout:
        for item in zin.infolist():
            if item.filename != "world.npy":
                zout.writestr(item, zin.read(item.filename))
    with pytest.raises(PoseCacheError):
        load_pose_cache(missing_key)
    with pytest.raises(PoseCacheError, match="does not exist"):
        load_pose_cache(tmp_path / "nothing.npz")


def test_default_cache_path_changes_with_file_model_and_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FORMCHECK_MODEL", raising=False)
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"x" * 100)
    cfg = Config()
    p1 = default_cache_path(video, cfg)
    assert p1.parent == tmp_path / "cache" and p1.name.startswith("clip-") and p1.suffix == ".npz"
    assert default_cache_path(video, cfg) == p1  # stable
    assert default_cache_path(video, cfg.replace("pose", mask_scale=0.25)) != p1
    os.utime(video, ns=(1_000_000_000, 1_000_000_000))
    p2 = default_cache_path(video, cfg)
    assert p2 != p1
    video.write_bytes(b"x" * 101)
    os.utime(video, ns=(1_000_000_000, 1_000_000_000))
    assert default_cache_path(video, cfg) != p2  # same mtime, other size
    # Another model (a copy of the shipped bundle with an extra entry has another sha256).
    other = tmp_path / "other.task"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("pose_detector.tflite", b"a")
        z.writestr("pose_landmarks_detector.tflite", b"b")
    assert default_cache_path(video, cfg.replace("pose", model_path=str(other))) != default_cache_path(video, cfg)
    with pytest.raises(VideoNotFoundError):
        default_cache_path(tmp_path / "gone.mp4", cfg)


def test_cached_extract_reuses_and_invalidates(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FORMCHECK_MODEL", raising=False)
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"x" * 100)
    calls: list[str] = []

    def fake_extract(path, config, progress=None):
        calls.append(str(path))
        seq = make_seq(video_path=Path(path), seed=len(calls))
        return dataclasses.replace(seq, model_sha256=SHIPPED_MODEL_SHA256)

    monkeypatch.setattr(formcheck.extract, "extract_poses", fake_extract)
    cfg = Config()
    first = cached_extract(video, cfg)
    second = cached_extract(video, cfg)
    assert len(calls) == 1
    assert_same(first, second)
    cached_extract(video, cfg.replace("pose", segmentation=False))  # other settings: new extraction
    assert len(calls) == 2
    video.write_bytes(b"z" * 300)  # edited video: new extraction
    third = cached_extract(video, cfg)
    assert len(calls) == 3
    assert not np.array_equal(third.landmarks, first.landmarks, equal_nan=True)
    default_cache_path(video, cfg).write_bytes(b"garbage")  # damaged cache: re-extract and overwrite
    cached_extract(video, cfg)
    assert len(calls) == 4
    cached_extract(video, cfg)
    assert len(calls) == 4
