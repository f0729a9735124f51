"""The pose cache finds a video by its bytes: the same upload, saved again under another path at another time, hits.

Before, the key held the file's name and mtime, and the app writes every upload to a fresh temporary file, so the
pose model re-ran on every analysis of the same video.
"""

from __future__ import annotations

import os
import shutil

import numpy as np

from formcheck.config import Config
from formcheck.io.cache import cached_extract, content_sha256, default_cache_path

NO_MASK = Config().replace("pose", segmentation=False)  # no mask probes: the fake extraction has none


def test_same_bytes_at_another_path_and_time_hit_the_cache(tmp_path, extractions):
    payload = os.urandom(300_000)
    first = tmp_path / "session-a" / "upload.mp4"
    first.parent.mkdir()
    first.write_bytes(payload)
    cfg = NO_MASK
    seq1 = cached_extract(first, cfg)
    # the app's next analysis of the same upload: another folder, another name, a later file time
    second = tmp_path / "session-b" / "My set.mp4"
    second.parent.mkdir()
    second.write_bytes(payload)
    os.utime(second, ns=(first.stat().st_mtime_ns + 5_000_000_000,) * 2)
    shutil.rmtree(first.parent)  # the first copy is gone by then
    seq2 = cached_extract(second, cfg)
    assert extractions == [str(first)]  # the model ran once
    np.testing.assert_array_equal(seq2.landmarks, seq1.landmarks)
    assert seq2.video.path == str(second)  # the loaded sequence names the file it was asked about
    assert default_cache_path(second, cfg).is_file()


def test_other_bytes_of_the_same_size_and_time_miss(tmp_path, extractions):
    video = tmp_path / "upload.mp4"
    video.write_bytes(b"a" * 50_000)
    cached_extract(video, NO_MASK)
    st = video.stat()
    video.write_bytes(b"a" * 25_000 + b"b" + b"a" * 24_999)  # one byte in the middle changed
    os.utime(video, ns=(st.st_atime_ns, st.st_mtime_ns))
    cached_extract(video, NO_MASK)
    assert len(extractions) == 2


def test_content_hash_is_the_sha256_of_the_bytes(tmp_path):
    import hashlib

    data = os.urandom(3 * 1024 * 1024 + 17)  # several chunks and a tail
    p = tmp_path / "v.mp4"
    p.write_bytes(data)
    assert content_sha256(p) == hashlib.sha256(data).hexdigest()
    p.write_bytes(data[:-1] + b"\0")  # rewritten: the memo (path, inode, size, mtime) must not return the old hash
    os.utime(p, ns=(1, 1))
    assert content_sha256(p) == hashlib.sha256(data[:-1] + b"\0").hexdigest()
