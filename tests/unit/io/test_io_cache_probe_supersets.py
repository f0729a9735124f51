"""A named exercise's analysis reuses the pose cache an unnamed one left (acceptance finding C).

``formcheck batch`` without ``--exercise`` (and recognition) extracts with every exercise's mask probes; a later
``formcheck session`` or ``analyze --exercise glute_bridge`` asks for the bridge's probes (none). The landmarks do
not depend on the probes (they only read the model's mask afterwards), so the cache traced with more probes serves
the named call, with the extra probes dropped; a cache whose probe is of another version, or a call that names no
superset, extracts as before.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from formcheck.analyze import load_or_extract, probes_for
from formcheck.config import Config
from formcheck.io.cache import cached_extract, default_cache_path, save_pose_cache
from formcheck.pose.model import SHIPPED_MODEL_SHA256
from formcheck.probes import DORSAL_OUTLINE, probe_versions
from formcheck.types import PoseSequence, VideoInfo

CFG = Config()  # segmentation on: the probes are part of the cache key


def _seed_unnamed_cache(video: Path, version_shift: int = 0) -> PoseSequence:
    """The cache an unnamed analysis leaves: every exercise's probes (the dorsal outline)."""
    rng = np.random.default_rng(7)
    t = 8
    names = probes_for(None)
    assert DORSAL_OUTLINE in names and probes_for("glute_bridge") == ()  # the finding's two keys differ
    seq = PoseSequence(
        landmarks=rng.random((t, 33, 4)), world=rng.random((t, 33, 4)), t_s=np.arange(t) / 30, width=64, height=48,
        video=VideoInfo(str(video), 64, 48, 30.0, t, t / 30), model_sha256=SHIPPED_MODEL_SHA256,
        probes={n: rng.random((t, 24, 2)) for n in names},
        probe_versions={n: v + version_shift for n, v in probe_versions(names).items()},
    )  # fmt: skip
    save_pose_cache(seq, default_cache_path(video, CFG, probes=names), pose_config=CFG.pose)
    return seq


@pytest.mark.parametrize(
    ("how", "version_shift", "extracted"),
    [
        ("load_or_extract", 0, False),  # the session/analyze path with the exercise named: the batch's cache
        ("supersets", 0, False),
        ("no_supersets", 0, True),  # the cache's own key only: as before
        ("supersets", 1, True),  # the superset's probe is of another version: not trusted
    ],
)
def test_a_named_analysis_reads_the_unnamed_cache(
    tmp_path: Path, extractions: list[str], how: str, version_shift: int, extracted: bool
) -> None:
    video = tmp_path / "bridge.mp4"
    video.write_bytes(b"v" * 500)
    seeded = _seed_unnamed_cache(video, version_shift)
    if how == "load_or_extract":
        got = load_or_extract(video, CFG, exercise="glute_bridge")
    else:
        supersets = [probes_for(None)] if how == "supersets" else []
        got = cached_extract(video, CFG, probes=probes_for("glute_bridge"), supersets=supersets)
    assert bool(extractions) is extracted
    if not extracted:
        np.testing.assert_array_equal(got.landmarks, seeded.landmarks)
        np.testing.assert_array_equal(got.t_s, seeded.t_s)
        assert dict(got.probes) == {} and dict(got.probe_versions) == {}  # only what was asked for


def test_an_unnamed_analysis_does_not_read_a_named_cache(tmp_path: Path, extractions: list[str]) -> None:
    """The other way round the named cache lacks the outline the unnamed analysis needs: extracted."""
    video = tmp_path / "bridge.mp4"
    video.write_bytes(b"v" * 500)
    load_or_extract(video, CFG, exercise="glute_bridge")
    load_or_extract(video, CFG)
    assert len(extractions) == 2
    load_or_extract(video, CFG, exercise="glute_bridge")  # both caches now exist: no third extraction
    assert len(extractions) == 2


def test_an_exercise_with_every_probe_reads_that_cache_as_its_own(tmp_path: Path, extractions: list[str]) -> None:
    video = tmp_path / "bridge.mp4"
    video.write_bytes(b"v" * 500)
    seeded = _seed_unnamed_cache(video)
    got = load_or_extract(video, CFG, exercise="hinge")  # the hinge's probes are the unnamed ones: its own key
    assert not extractions and sorted(got.probes) == sorted(seeded.probes)
    assert dataclasses.asdict(got.video)["path"] == str(video)
