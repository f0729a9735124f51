"""Fixtures for the io tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from fc_video_factory import write_video

import formcheck.extract
from formcheck.pose.model import SHIPPED_MODEL_SHA256
from formcheck.types import PoseSequence, VideoInfo


@pytest.fixture
def make_video(tmp_path: Path) -> Callable[..., Path]:
    """``make_video(name, **write_video_kwargs)`` → path of a new clip in ``tmp_path``."""

    def _make(name: str = "clip.mp4", **kw: object) -> Path:
        return write_video(tmp_path / name, **kw)  # type: ignore[arg-type]

    return _make


@pytest.fixture
def extractions(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Cache in tmp; extraction replaced by a counter returning a small sequence (the model is not the point).

    Returns the list of paths extracted, in call order (each call's landmarks are seeded by its number).
    """
    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FORMCHECK_MODEL", raising=False)
    calls: list[str] = []

    def fake(path, config, progress=None, *, probes=()):  # noqa: ANN001, ANN202, ARG001 - extract_poses' signature
        calls.append(str(path))
        rng = np.random.default_rng(len(calls))
        t = 6
        return PoseSequence(
            landmarks=rng.random((t, 33, 4)), world=rng.random((t, 33, 4)), t_s=np.arange(t) / 30, width=64,
            height=48, video=VideoInfo(str(path), 64, 48, 30.0, t, t / 30), model_sha256=SHIPPED_MODEL_SHA256,
        )  # fmt: skip

    monkeypatch.setattr(formcheck.extract, "extract_poses", fake)
    return calls
