"""The pose cache never mixes library versions: mediapipe and av are in the key and in the file's metadata.

CI's main and lowest-versions steps share one cache folder at the same time, and a user upgrading mediapipe keeps
the folder: another mediapipe (or av, which decodes the frames) may give other landmarks for the same bytes, model and
settings, so a file made by one must never be read by the other.
"""

from __future__ import annotations

import json
from importlib import metadata

import numpy as np
import pytest

import formcheck.io.cache as cache
from formcheck.config import Config
from formcheck.errors import PoseCacheError

NO_MASK = Config().replace("pose", segmentation=False)  # no mask probes: the fake extraction has none


@pytest.fixture
def installed(monkeypatch):
    """``installed[name] = version`` sets what importlib.metadata reports for that distribution."""
    real = metadata.version
    versions: dict[str, str] = {}

    def fake(name: str) -> str:
        return versions[name] if name in versions else real(name)

    monkeypatch.setattr(metadata, "version", fake)
    return versions


@pytest.mark.parametrize("library", ["mediapipe", "av"])
def test_two_versions_of_a_library_get_two_cache_files(tmp_path, monkeypatch, installed, library):
    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"x" * 100)
    installed[library] = "1.2.0"
    old = cache.default_cache_path(video, Config())
    assert cache.default_cache_path(video, Config()) == old  # stable for one install
    installed[library] = "1.3.0"
    assert cache.default_cache_path(video, Config()) != old


def test_a_file_made_by_another_mediapipe_is_extracted_again(tmp_path, installed, extractions):
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"x" * 100)
    path = tmp_path / "given.npz"  # one explicit path for both versions: the metadata check alone must catch it
    installed["mediapipe"] = "1.2.0"
    first = cache.cached_extract(video, NO_MASK, path=path)
    assert cache.load_pose_cache(path, expect_libraries=cache.library_versions()) is not None
    cache.cached_extract(video, NO_MASK, path=path)
    assert len(extractions) == 1  # same versions: a hit
    installed["mediapipe"] = "1.3.0"
    with pytest.raises(PoseCacheError, match="other library versions"):
        cache.load_pose_cache(path, expect_libraries=cache.library_versions())
    again = cache.cached_extract(video, NO_MASK, path=path)
    assert len(extractions) == 2 and not np.array_equal(again.landmarks, first.landmarks)
    installed["mediapipe"] = "1.2.0"  # the newer file is not read by the older install either
    cache.cached_extract(video, NO_MASK, path=path)
    assert len(extractions) == 3


def test_a_file_that_records_no_versions_is_not_trusted(tmp_path, extractions):
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"x" * 100)
    path = cache.default_cache_path(video, NO_MASK)
    cache.cached_extract(video, NO_MASK)
    with np.load(path) as z:  # as written before the versions were recorded
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(str(arrays["meta"]))
    meta.pop("libraries")
    arrays["meta"] = np.array(json.dumps(meta))
    np.savez_compressed(path, **arrays)
    cache.load_pose_cache(path)  # still a readable pose file (formcheck analyze poses.npz)
    cache.cached_extract(video, NO_MASK)
    assert len(extractions) == 2


def test_another_opencv_gets_another_cache_file(tmp_path, monkeypatch):
    # The scene-lines probe is traced with OpenCV (review finding): its version is in the key too.
    import cv2

    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"x" * 100)
    assert cache.library_versions()[cache.OPENCV_KEY] == cv2.__version__
    old = cache.default_cache_path(video, Config())
    monkeypatch.setattr(cv2, "__version__", "9.9.9")
    assert cache.default_cache_path(video, Config()) != old
