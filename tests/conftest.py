"""Shared test fixtures: where the repo and the optional ../shared test data are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared_videos_dir() -> Path:
    return Path(os.environ.get("FORMCHECK_VIDEOS", SHARED / "videos"))


def shared_synthetic_dir() -> Path:
    return SHARED / "synthetic"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def sample_video() -> Path:
    clips = sorted((REPO / "sample_videos").glob("*.mp4"))
    if not clips:
        pytest.fail("sample_videos/ has no .mp4: the bundled sample clip is part of the repo")
    return clips[0]


@pytest.fixture(scope="session")
def videos_dir() -> Path:
    d = shared_videos_dir()
    if not (d / "labels.json").exists():
        pytest.skip("shared videos not present")
    return d


@pytest.fixture(scope="session")
def synthetic_dir() -> Path:
    d = shared_synthetic_dir()
    if not d.is_dir() or not list(d.glob("*.json")):
        pytest.skip("shared synthetic clips not present")
    return d
