from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from fc_video_factory import pattern_frame

from formcheck.errors import InputError, UnreadableVideoError, VideoNotFoundError
from formcheck.io.video import open_video, probe


def read_all(path: Path) -> tuple[list[np.ndarray], np.ndarray]:
    with open_video(path) as r:
        frames, ts = zip(*list(r), strict=True)
    return list(frames), np.array(ts)


def test_frames_and_constant_rate_timestamps(make_video):
    path = make_video(n=10, fps=25)
    frames, t = read_all(path)
    assert len(frames) == 10
    np.testing.assert_allclose(t, np.arange(10) / 25, atol=1e-6)
    for i, f in enumerate(frames):
        assert f.shape == (48, 64, 3) and f.dtype == np.uint8 and f.flags.c_contiguous
        # Lossy but close to what was written (a wrong colour order or frame order would be far off).
        assert np.abs(f.astype(int) - pattern_frame(i)).mean() < 6


def test_variable_frame_rate_keeps_container_timestamps(make_video):
    pts_ms = [0, 40, 100, 110, 200, 333]
    _, t = read_all(make_video(pts_ms=pts_ms))
    np.testing.assert_allclose(t, np.array(pts_ms) / 1000, atol=1e-6)


def test_iterating_twice_gives_the_same_frames(make_video):
    path = make_video(n=6)
    with open_video(path) as r:
        a = [(f.copy(), t) for f, t in r]
        b = [(f.copy(), t) for f, t in r]
    assert [t for _, t in a] == [t for _, t in b]
    assert all(np.array_equal(x, y) for (x, _), (y, _) in zip(a, b, strict=True))


def test_probe_describes_the_file(make_video):
    info = probe(make_video(n=10, fps=25))
    assert (info.width, info.height, info.n_frames, info.rotation_deg) == (64, 48, 10, 0)
    assert info.fps == pytest.approx(25)
    assert info.duration_s == pytest.approx(0.4, abs=0.05)
    assert info.codec == "h264"
    assert info.source == "file"


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotation_metadata_is_applied(make_video, rotation):
    plain, _ = read_all(make_video("plain.mp4", n=4))
    rotated, _ = read_all(make_video("rot.mp4", n=4, rotation=rotation))
    k = rotation // 90
    info = probe(make_video("rot2.mp4", n=2, rotation=rotation))
    assert info.rotation_deg == rotation
    assert (info.width, info.height) == ((48, 64) if rotation in (90, 270) else (64, 48))
    for p, r in zip(plain, rotated, strict=True):
        assert r.shape == np.rot90(p, k).shape
        assert np.abs(r.astype(int) - np.rot90(p, k)).mean() < 2
        if k != 2:  # the opposite direction must not match (guards the sign convention)
            assert np.abs(r.astype(int) - np.rot90(p, -k)).mean() > 20


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg command not installed")
@pytest.mark.parametrize("rotation", [90, 270])
def test_rotation_matches_what_ffmpeg_shows(make_video, tmp_path, rotation):
    """ffmpeg auto-rotates like video players do; our frames must look the same."""
    path = make_video(n=2, rotation=rotation)
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        check=True,
        capture_output=True,
    ).stdout
    frames, _ = read_all(path)
    ours = frames[0]
    theirs = np.frombuffer(raw, np.uint8).reshape(ours.shape)
    assert np.abs(ours.astype(int) - theirs).mean() < 2


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _truncate(path: Path, frac: float) -> Path:
    data = path.read_bytes()
    out = path.with_name("cut_" + path.name)
    out.write_bytes(data[: int(len(data) * frac)])
    return out


@pytest.mark.parametrize(
    ("make_bad", "error", "words"),
    [
        (lambda d, mk: d / "missing.mp4", VideoNotFoundError, "does not exist"),
        (lambda d, mk: _write(d / "empty.mp4", b""), UnreadableVideoError, "empty"),
        (lambda d, mk: _write(d / "notes.mp4", b"shopping list\n" * 50), UnreadableVideoError, "not a video"),
        (lambda d, mk: d, UnreadableVideoError, "folder"),
        # Index at the end (PyAV's default): a cut file has no index at all.
        (lambda d, mk: _truncate(mk("a.mp4", n=30), 0.5), UnreadableVideoError, "not a video"),
        # Index at the start (phones, web exports): the index points past the end of the cut file.
        (lambda d, mk: _truncate(mk("b.mp4", n=30, faststart=True), 0.6), UnreadableVideoError, "incomplete"),
    ],
    ids=["missing", "empty", "text-renamed-mp4", "folder", "truncated", "truncated-faststart"],
)
def test_bad_inputs_raise_plain_errors(tmp_path, make_video, make_bad, error, words):
    path = make_bad(tmp_path, make_video)
    with pytest.raises(error) as ei, open_video(path) as r:
        list(r)
    assert isinstance(ei.value, InputError) and ei.value.exit_code == 3
    assert words in str(ei.value)
    assert path.name in str(ei.value)


def test_audio_only_file_has_no_video_track(tmp_path):
    import av

    path = tmp_path / "sound.m4a"
    with av.open(str(path), "w") as c:
        s = c.add_stream("aac", rate=8000)
        frame = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp", layout="mono")
        frame.sample_rate = 8000
        for _ in range(4):
            for pkt in s.encode(frame):
                c.mux(pkt)
        for pkt in s.encode():
            c.mux(pkt)
    with pytest.raises(UnreadableVideoError, match="no video track"):
        open_video(path)
