from __future__ import annotations

import dataclasses
import json
import os
import zipfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pytest

import formcheck.extract
from formcheck.config import Config
from formcheck.errors import PoseCacheError, VideoNotFoundError
from formcheck.io.cache import cached_extract, default_cache_path, load_pose_cache, save_pose_cache
from formcheck.pose.model import SHIPPED_MODEL_SHA256
from formcheck.probes import DEFAULT_PROBES, PROBES, MaskProbe, get_probe
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
    probes = {} if bc is None else {"dorsal_outline": bc}
    video = None
    if video_path is not None:
        video = VideoInfo(str(video_path), 640, 480, 30.0, t, t / 30, 90, "h264", "file")
    return PoseSequence(
        landmarks=lm,
        world=world,
        t_s=np.arange(t) / 30 + 0.001 * rng.random(t).cumsum(),
        width=640,
        height=480,
        n_people=rng.integers(0, 3, t),
        video=video,
        model_sha256="ab" * 32,
        probes=probes,
        probe_versions={name: 1 for name in probes},
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
    assert a.probes.keys() == b.probes.keys()
    for name in a.probes:
        np.testing.assert_array_equal(a.probes[name], b.probes[name])
    assert dict(a.probe_versions) == dict(b.probe_versions)


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


def test_a_pickled_npz_gets_a_plain_message_that_does_not_suggest_unsafe_loading(tmp_path):
    path = tmp_path / "p.npz"
    np.savez(path, meta=np.array([{"format": "x"}], dtype=object))  # object arrays are stored pickled
    with pytest.raises(PoseCacheError) as e:
        load_pose_cache(path)
    assert "not a readable formcheck pose file" in str(e.value) and "formcheck extract" in str(e.value)
    assert "pickle" not in str(e.value).lower()


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
    assert p1.parent == tmp_path / "cache" and "clip" not in p1.name and p1.suffix == ".npz"  # no video names
    assert default_cache_path(video, cfg) == p1  # stable
    assert default_cache_path(video, cfg.replace("pose", mask_scale=0.25)) != p1
    os.utime(video, ns=(1_000_000_000, 1_000_000_000))
    p2 = default_cache_path(video, cfg)
    assert p2 == p1  # keyed on the bytes: a new file time is the same video
    video.write_bytes(b"y" * 100)
    os.utime(video, ns=(1_000_000_000, 1_000_000_000))
    assert default_cache_path(video, cfg) != p2  # same size and mtime, other bytes
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

    def fake_extract(path, config, progress=None, *, probes=DEFAULT_PROBES):
        calls.append(str(path))
        return fake_extraction(path, config, probes, seed=len(calls))

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


class FakeProbe(MaskProbe):
    """A registered probe whose version a test can bump (its output is irrelevant here)."""

    def __init__(self, name: str, version: int, points: int = 5) -> None:
        self.name, self.version, self.points = name, version, points

    def trace(self, mask, landmarks_px, *, mask_scale=1.0):
        return self.empty()


def fake_extraction(path, config: Config, probes: Iterable[str], *, seed: int) -> PoseSequence:
    """What extract_poses returns, minus the model: every requested probe's points and registered version."""
    seq = make_seq(video_path=Path(path), contour=False, seed=seed)
    run = [get_probe(n) for n in dict.fromkeys(probes)] if config.pose.segmentation else []
    rng = np.random.default_rng(seed)
    return dataclasses.replace(
        seq,
        model_sha256=SHIPPED_MODEL_SHA256,
        probes={p.name: rng.random((seq.n_frames, p.points, 2)) for p in run},
        probe_versions={p.name: p.version for p in run},
    )


@pytest.fixture
def fake_extract(monkeypatch, tmp_path):
    """Cache in tmp, extraction faked; returns the list of probe tuples each extraction was asked for."""
    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FORMCHECK_MODEL", raising=False)
    calls: list[tuple[str, ...]] = []

    def fake(path, config, progress=None, *, probes=DEFAULT_PROBES):
        calls.append(tuple(probes))
        return fake_extraction(path, config, probes, seed=len(calls))

    monkeypatch.setattr(formcheck.extract, "extract_poses", fake)
    return calls


def test_probes_and_versions_round_trip(tmp_path):
    seq = make_seq()
    extra = np.full((seq.n_frames, 7, 2), np.nan)
    extra[2, 3] = [12.5, 40.25]
    seq = dataclasses.replace(
        seq, probes={**seq.probes, "other_probe": extra}, probe_versions={"dorsal_outline": 3, "other_probe": 11}
    )
    back = load_pose_cache(
        save_pose_cache(seq, tmp_path / "p.npz"), expect_probes={"dorsal_outline": 3, "other_probe": 11}
    )
    assert_same(seq, back)
    assert back.probes["other_probe"].shape == (seq.n_frames, 7, 2)
    np.testing.assert_array_equal(back.back_contour_px, seq.probes["dorsal_outline"])


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ({"dorsal_outline": 1}, {"dorsal_outline": 2}),  # probe changed since (version bumped)
        ({"dorsal_outline": 2}, {"dorsal_outline": 1}),  # made by a newer formcheck
        ({"dorsal_outline": 1}, {"dorsal_outline": 1, "other_probe": 1}),  # a probe now needed is missing
        ({"dorsal_outline": 1}, {}),  # extra probe (segmentation now off, or another exercise's probe set)
        ({}, {"dorsal_outline": 1}),
        ({"dorsal_outline": None}, {"dorsal_outline": 1}),  # stored without a version
    ],
    ids=["older", "newer", "missing", "extra", "none-stored", "unknown-version"],
)
def test_other_probe_versions_are_rejected(tmp_path, stored, expected):
    seq = make_seq(contour=False)
    seq = dataclasses.replace(
        seq,
        probes={n: np.zeros((seq.n_frames, 4, 2)) for n in stored},
        probe_versions={n: v for n, v in stored.items() if v is not None},
    )
    path = save_pose_cache(seq, tmp_path / "p.npz")
    with pytest.raises(PoseCacheError, match="other mask probes"):
        load_pose_cache(path, expect_probes=expected)
    assert load_pose_cache(path).probes.keys() == stored.keys()  # without expectations it still loads


def write_format1_cache(path: Path, seq: PoseSequence, pose_config=None) -> Path:
    """A pose file as formcheck wrote it before mask probes had versions (format 1)."""
    from formcheck.io.cache import _pose_settings, _source_stamp

    meta = {
        "format": "formcheck.posecache/1",
        "width": seq.width,
        "height": seq.height,
        "model_sha256": seq.model_sha256,
        "video": seq.video.to_dict() if seq.video else None,
        "source": _source_stamp(seq.video.path) if seq.video else None,
        "pose": _pose_settings(pose_config) if pose_config else None,
    }
    arrays = {"landmarks": seq.landmarks, "world": seq.world, "t_s": seq.t_s, "meta": np.array(json.dumps(meta))}
    if seq.back_contour_px is not None:
        arrays["back_contour_px"] = seq.back_contour_px
    np.savez_compressed(path, **arrays)
    return path


@pytest.mark.parametrize("contour", [True, False])
def test_format1_file_loads_but_never_satisfies_probe_expectations(tmp_path, contour):
    seq = make_seq(contour=contour)
    path = write_format1_cache(tmp_path / "old.npz", seq)
    old = load_pose_cache(path)  # a pose file someone kept still opens (CLI --poses)
    np.testing.assert_array_equal(old.landmarks, seq.landmarks)
    assert (old.back_contour_px is None) == (not contour)
    if contour:
        np.testing.assert_array_equal(old.back_contour_px, seq.back_contour_px)
    assert dict(old.probe_versions) == {}  # the version that made it is unknown
    with pytest.raises(PoseCacheError, match="before mask probes had versions"):
        load_pose_cache(path, expect_probes={"dorsal_outline": 1} if contour else {})


def test_old_cache_at_the_cache_path_is_re_extracted(tmp_path, fake_extract):
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"x" * 100)
    cfg = Config()
    cpath = tmp_path / "explicit.npz"
    stale = dataclasses.replace(make_seq(video_path=video, seed=99), model_sha256=SHIPPED_MODEL_SHA256)
    write_format1_cache(cpath, stale, cfg.pose)  # matches model, video and pose settings: only probes differ
    seq = cached_extract(video, cfg, path=cpath)
    assert fake_extract == [DEFAULT_PROBES]
    assert not np.array_equal(seq.landmarks, stale.landmarks, equal_nan=True)
    assert dict(load_pose_cache(cpath).probe_versions) == {n: get_probe(n).version for n in DEFAULT_PROBES}
    cached_extract(video, cfg, path=cpath)  # rewritten as format 2: now reused
    assert len(fake_extract) == 1


def test_bumping_a_probe_version_re_extracts(tmp_path, monkeypatch, fake_extract):
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"x" * 100)
    cfg = Config()
    monkeypatch.setitem(PROBES, "fake_probe", FakeProbe("fake_probe", 1))
    names = ("dorsal_outline", "fake_probe")
    p1 = default_cache_path(video, cfg, probes=names)
    first = cached_extract(video, cfg, probes=names)
    assert dict(first.probe_versions) == {"dorsal_outline": 1, "fake_probe": 1}
    assert first.probes["fake_probe"].shape == (first.n_frames, 5, 2)
    cached_extract(video, cfg, probes=names)
    assert len(fake_extract) == 1  # same versions: reused
    meta = json.loads(str(np.load(p1)["meta"]))
    assert meta["probes"] == {"dorsal_outline": 1, "fake_probe": 1}

    monkeypatch.setitem(PROBES, "fake_probe", FakeProbe("fake_probe", 2))  # the algorithm changed
    p2 = default_cache_path(video, cfg, probes=names)
    assert p2 != p1  # the key has the version
    second = cached_extract(video, cfg, probes=names)
    assert len(fake_extract) == 2
    assert second.probe_versions["fake_probe"] == 2
    # Even at the same file (an explicit path), the loader sees the old version and re-extracts.
    monkeypatch.setitem(PROBES, "fake_probe", FakeProbe("fake_probe", 3))
    cached_extract(video, cfg, probes=names, path=p2)
    assert len(fake_extract) == 3
    assert load_pose_cache(p2).probe_versions["fake_probe"] == 3


def test_cache_key_depends_on_the_probes_run(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FORMCHECK_MODEL", raising=False)
    monkeypatch.setitem(PROBES, "fake_probe", FakeProbe("fake_probe", 1))
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"x" * 100)
    cfg = Config()
    default = default_cache_path(video, cfg)
    assert default_cache_path(video, cfg, probes=DEFAULT_PROBES) == default
    both = ("scene_lines", "dorsal_outline", "dorsal_outline")
    assert default_cache_path(video, cfg, probes=both) == default  # a set
    assert default_cache_path(video, cfg, probes=("dorsal_outline", "fake_probe")) != default
    assert default_cache_path(video, cfg, probes=()) != default
    # Without a mask no probe runs, so which are asked for does not matter.
    off = cfg.replace("pose", segmentation=False)
    assert default_cache_path(video, off, probes=()) == default_cache_path(video, off)
    with pytest.raises(KeyError, match="no_such_probe"):
        default_cache_path(video, cfg, probes=("no_such_probe",))


def test_cached_extract_passes_the_probes_on(tmp_path, fake_extract):
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"x" * 100)
    seq = cached_extract(video, Config(), probes=("dorsal_outline_up",))
    assert fake_extract == [("dorsal_outline_up",)]
    assert seq.probes.keys() == {"dorsal_outline_up"} and seq.back_contour_px is None
    off = cached_extract(video, Config().replace("pose", segmentation=False))
    assert dict(off.probes) == {} and off.back_contour_px is None
