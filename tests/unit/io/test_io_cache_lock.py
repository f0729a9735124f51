"""The pose cache's per-key lock: two processes asking for the same key extract it once.

The pose model is replaced by a fake ``extract_poses`` that counts its calls in a file (one line each) and sleeps,
so the second process asks while the first is still "extracting". Real processes (fork), real files, real locks.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import formcheck.extract  # imported before forking, so the children start at once
from formcheck.config import Config
from formcheck.io.cache import cached_extract
from formcheck.pose.model import model_sha256

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fc_fake_extraction import fake_extraction  # noqa: E402 - the faked pose model's result (tests/unit)

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the lock is an fcntl lock (POSIX); elsewhere it is off")
_FORK = multiprocessing.get_context("fork")


@pytest.fixture(autouse=True, scope="module")
def _model_hash_known() -> None:
    model_sha256(Config().pose)  # hashed once here (memoised), not in each child while the other waits


def fake_extract_poses(calls: Path, started: Path, release: Path | None):  # noqa: ANN201
    """An ``extract_poses`` stand-in: logs the call, says it started, waits for ``release``, returns a small clip."""

    def fake(video_path, config, progress=None, probes=()):  # noqa: ANN001, ANN202, ARG001 - extract_poses' signature
        with calls.open("a") as f:
            f.write(f"{os.getpid()}\n")
        started.touch()
        if release is not None:
            _wait_for(release, 120.0)
        return fake_extraction(video_path, config, probes, n_reps=1, probe_value=7.0)

    return fake


def _ask(video: Path, cpath: Path, calls: Path, name: str, release: Path | None) -> None:
    """Child process: ``cached_extract`` with the fake model; writes the landmarks' sum it got to ``<name>.out``."""
    formcheck.extract.extract_poses = fake_extract_poses(calls, calls.with_name(f"{name}.started"), release)
    calls.with_name(f"{name}.asking").touch()
    seq = cached_extract(video, Config(), path=cpath)
    out = calls.with_name(f"{name}.out")
    out.write_text(repr(float(np.nansum(seq.landmarks))))


@pytest.fixture
def setup(tmp_path: Path) -> dict[str, Path]:
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"not decoded: the fake model never opens it" * 100)
    return {"video": video, "cpath": tmp_path / "cache" / "k.npz", "calls": tmp_path / "calls.txt"}


def _start(s: dict[str, Path], name: str, release: Path | None) -> multiprocessing.Process:
    p = _FORK.Process(target=_ask, args=(s["video"], s["cpath"], s["calls"], name, release))
    p.start()
    return p


def _wait_for(path: Path, timeout_s: float = 30.0) -> None:
    t_end = time.monotonic() + timeout_s
    while not path.exists():
        assert time.monotonic() < t_end, f"{path.name} never appeared"
        time.sleep(0.02)


def test_a_second_process_waits_for_the_first_ones_file(setup: dict[str, Path]) -> None:
    d, release = setup["calls"].parent, setup["calls"].with_name("release")
    a = _start(setup, "a", release)
    _wait_for(d / "a.started")  # a holds the key and is "extracting" until released
    b = _start(setup, "b", None)
    _wait_for(d / "b.asking")
    time.sleep(0.5)  # without the lock b would now be extracting too (it has nothing to wait for)
    release.touch()
    for p in (a, b):
        p.join(60)
        assert p.exitcode == 0
    assert len(setup["calls"].read_text().splitlines()) == 1, "the key was extracted twice"
    assert not (d / "b.started").exists()
    assert (d / "a.out").read_text() == (d / "b.out").read_text()  # b read a's file
    # nothing left beside the cache file (the Privacy page counts the folder's files)
    assert sorted(p.name for p in setup["cpath"].parent.iterdir()) == ["k.npz"]


def test_a_holder_that_dies_does_not_block_the_next(setup: dict[str, Path]) -> None:
    d = setup["calls"].parent
    a = _start(setup, "a", d / "never")
    _wait_for(d / "a.started")
    os.kill(a.pid, signal.SIGKILL)  # killed mid-extraction: the OS drops its lock
    a.join(10)
    b = _start(setup, "b", None)
    b.join(60)
    assert b.exitcode == 0 and (d / "b.out").exists()
    assert len(setup["calls"].read_text().splitlines()) == 2  # b had to extract: a wrote nothing
    assert setup["cpath"].is_file()
