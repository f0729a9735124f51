"""Every suffix in formcheck.io.VIDEO_SUFFIXES (what formcheck batch and the app's upload take) is a container the
reader opens: a tiny video written in each (MPEG-4 part 2, or VP8 for WebM) is read back frame by frame."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from formcheck.io import VIDEO_SUFFIXES, is_video_name
from formcheck.io.video import open_video

N_FRAMES = 5
# The muxer FFmpeg would not guess from the name alone, and the codec each container takes.
MUXER = {".3gp": "3gp"}
CODEC = {".webm": "libvpx"}


def _write(path: Path) -> None:
    suffix = path.suffix.lower()
    with av.open(str(path), "w", format=MUXER.get(suffix)) as c:
        s = c.add_stream(CODEC.get(suffix, "mpeg4"), rate=10)
        s.width, s.height, s.pix_fmt = 64, 48, "yuv420p"
        for i in range(N_FRAMES):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 40 * i, np.uint8), format="rgb24")
            for p in s.encode(frame):
                c.mux(p)
        for p in s.encode():
            c.mux(p)


@pytest.mark.parametrize("suffix", [*VIDEO_SUFFIXES, ".3GP", ".MOV"])
def test_the_reader_reads_every_batch_video_suffix(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"clip{suffix}"
    _write(path)
    assert is_video_name(path.name)
    frames = list(open_video(path))
    assert len(frames) == N_FRAMES and frames[0][0].shape == (48, 64, 3)


@pytest.mark.parametrize(("name", "video"), [("a.3gp", True), ("A.M4V", True), ("notes.txt", False), ("mp4", False)])
def test_is_video_name(name: str, video: bool) -> None:
    assert is_video_name(name) is video
