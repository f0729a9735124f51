"""What a faked pose model returns, for the tests that replace ``formcheck.extract.extract_poses`` (tests/unit).

A synthetic hinge clip dressed as the given video's extraction: the video's ``VideoInfo``, the real model's sha256
and the mask probes' versions, so the pose cache files it under the key a real extraction would get.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from formcheck import synth
from formcheck.config import Config
from formcheck.pose.model import model_sha256
from formcheck.probes import probe_versions
from formcheck.types import PoseSequence, VideoInfo


def fake_extraction(
    video_path: str | Path, config: Config, probes: tuple[str, ...], *, n_reps: int, probe_value: float
) -> PoseSequence:
    """A hinge clip of ``n_reps`` reps (30 fps) as if extracted from ``video_path`` with ``config``.

    Args:
        video_path: the video it stands for (only its name is kept).
        config: the pose settings; mask probes exist only with ``config.pose.segmentation`` on.
        probes: the mask probes asked for.
        n_reps: the clip's reps.
        probe_value: every probe point's value (NaN: a probe that saw nothing).
    """
    seq = synth.hinge_clip(n_reps=n_reps, seed=0).seq
    n = len(seq.t_s)
    versions = probe_versions(probes) if config.pose.segmentation else {}
    return dataclasses.replace(
        seq,
        video=VideoInfo(str(video_path), seq.width, seq.height, 30.0, n, n / 30, 0, "h264", "file"),
        model_sha256=model_sha256(config.pose),
        probes={name: np.full((n, 24, 2), probe_value) for name in versions},
        probe_versions=versions,
    )
