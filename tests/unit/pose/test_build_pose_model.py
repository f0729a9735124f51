"""The bundle writer of scripts/build_pose_model.py (the metadata step needs mediapipe 0.10.21 and is not run)."""

from __future__ import annotations

import importlib.util
import os
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def load_script():
    spec = importlib.util.spec_from_file_location("build_pose_model", REPO / "scripts" / "build_pose_model.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


ENTRIES = {"pose_landmarks_detector.tflite": b"L" * 1001, "pose_detector.tflite": b"D" * 333}


def test_bundle_is_byte_identical_across_builds(tmp_path):
    build = load_script()
    a, b = tmp_path / "a.task", tmp_path / "b.task"
    build.write_bundle(ENTRIES, a)
    time.sleep(1.1)  # a wall-clock timestamp leaking into the zip would now differ
    old = os.umask(0o077)  # and so would file modes taken from the environment
    try:
        build.write_bundle(dict(reversed(list(ENTRIES.items()))), b)
    finally:
        os.umask(old)
    assert a.read_bytes() == b.read_bytes()


def test_bundle_is_stored_sorted_aligned_and_readable(tmp_path):
    build = load_script()
    out = tmp_path / "m.task"
    build.write_bundle(ENTRIES, out)
    raw = out.read_bytes()
    with zipfile.ZipFile(out) as z:
        infos = z.infolist()
        assert [i.filename for i in infos] == sorted(ENTRIES)
        assert z.testzip() is None
        for i in infos:
            assert i.compress_type == zipfile.ZIP_STORED
            assert i.date_time == (1980, 1, 1, 0, 0, 0)
            assert z.read(i.filename) == ENTRIES[i.filename]
            data_offset = i.header_offset + 30 + len(i.filename.encode()) + len(i.extra)
            assert data_offset % build.ALIGN == 0
            # The local header's extra field (what readers actually skip) has the same length.
            local_extra_len = int.from_bytes(raw[i.header_offset + 28 : i.header_offset + 30], "little")
            assert local_extra_len == len(i.extra)
