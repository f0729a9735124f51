"""Fixtures for the reliability suite: a pose cache for the run, and clips cut from the bundled sample."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rel_media import sample_frames, write_mp4


@pytest.fixture(autouse=True)
def _private_state(tmp_path_factory, monkeypatch):
    """History in a temp folder; the pose cache shared by the run (CI sets FORMCHECK_CACHE_DIR)."""
    monkeypatch.setenv("FORMCHECK_DATA_DIR", str(tmp_path_factory.getbasetemp() / "data"))
    if not os.environ.get("FORMCHECK_CACHE_DIR"):
        monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "poses"))


@pytest.fixture(scope="session")
def one_rep_frames(sample_video) -> list:
    """The sample's first rep (0-6.6 s) at 15 fps: 100 RGB frames of 640x480 (standing, lowering, rising)."""
    return sample_frames(sample_video, start=0, stop=200, step=2)


@pytest.fixture(scope="session")
def one_rep_clip(tmp_path_factory, one_rep_frames) -> Path:
    """The same frames as an H.264 clip (the reference the changed clips are compared with)."""
    return write_mp4(tmp_path_factory.mktemp("clips") / "one_rep.mp4", one_rep_frames, fps=15)
