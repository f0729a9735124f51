"""A pose cache that counted more than one person under an older people-count rule is counted again (acceptance #8:
a ghost duplicate of one body was stored as a second person); one that counted at most one person stays valid."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

import formcheck.extract
from formcheck.config import Config
from formcheck.io.cache import cached_extract, default_cache_path
from formcheck.pose.model import SHIPPED_MODEL_SHA256
from formcheck.types import PoseSequence, VideoInfo


def _drop_people_rule(path) -> None:
    """Rewrite the cache file's metadata as an older formcheck wrote it (no ``people_rule``)."""
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(str(arrays["meta"]))
    meta.pop("people_rule")
    arrays["meta"] = np.array(json.dumps(meta))
    np.savez_compressed(path, **arrays)
    assert zipfile.is_zipfile(path)


@pytest.mark.parametrize(("n_people", "counted_again"), [([1, 2, 2, 1], True), ([1, 1, 0, 1], False)])
def test_old_multi_person_count_is_redone(tmp_path, monkeypatch, make_video, n_people, counted_again):
    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FORMCHECK_MODEL", raising=False)
    calls: list[str] = []

    def fake(path, config, progress=None, *, probes=()):  # noqa: ANN001, ANN202, ARG001 - extract_poses' signature
        calls.append(str(path))
        t = len(n_people)
        return PoseSequence(
            landmarks=np.full((t, 33, 4), 0.5), world=np.zeros((t, 33, 4)), t_s=np.arange(t) / 30, width=64,
            height=48, video=VideoInfo(str(path), 64, 48, 30.0, t, t / 30), model_sha256=SHIPPED_MODEL_SHA256,
            n_people=np.array(n_people),
        )  # fmt: skip

    monkeypatch.setattr(formcheck.extract, "extract_poses", fake)
    video, cfg = make_video(n=4), Config()
    cached_extract(video, cfg, probes=())
    cached_extract(video, cfg, probes=())
    assert len(calls) == 1  # written with the current rule: reused
    _drop_people_rule(default_cache_path(video, cfg, probes=()))
    cached_extract(video, cfg, probes=())
    assert len(calls) == (2 if counted_again else 1)
