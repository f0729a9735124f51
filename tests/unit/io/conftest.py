"""Fixtures for the io tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fc_video_factory import write_video


@pytest.fixture
def make_video(tmp_path: Path) -> Callable[..., Path]:
    """``make_video(name, **write_video_kwargs)`` → path of a new clip in ``tmp_path``."""

    def _make(name: str = "clip.mp4", **kw: object) -> Path:
        return write_video(tmp_path / name, **kw)  # type: ignore[arg-type]

    return _make
