"""``formcheck … | head``: a reader that stops early ends the command quietly, without a BrokenPipeError traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from formcheck import synth
from formcheck.io.cache import save_pose_cache


def run_with_closed_pipe(args: list[str], tmp_path) -> subprocess.CompletedProcess:
    """Run ``python -m formcheck ARGS`` with stdout a pipe whose read end is closed before anything is read."""
    err = tmp_path / "stderr.txt"
    with err.open("wb") as e:
        proc = subprocess.Popen([sys.executable, "-m", "formcheck", *args], stdout=subprocess.PIPE, stderr=e)
        proc.stdout.close()  # like `| head -0`: every write to stdout now fails with EPIPE
        code = proc.wait(timeout=120)
    return subprocess.CompletedProcess(args, code, b"", err.read_bytes())


@pytest.fixture(scope="module")
def poses_npz(tmp_path_factory):
    """A synthetic 3-rep hinge as a poses .npz (analyze reads it without the pose model)."""
    path = tmp_path_factory.mktemp("poses") / "hinge.npz"
    save_pose_cache(synth.hinge_clip(n_reps=3, seed=1).seq, path)
    return path


@pytest.mark.parametrize("command", ["config", "analyze"])
def test_closed_pipe_ends_quietly(command, poses_npz, tmp_path):
    args = ["config"] if command == "config" else ["analyze", str(poses_npz), "--exercise", "hinge", "--quiet"]
    res = run_with_closed_pipe(args, tmp_path)
    err = res.stderr.decode()
    assert "Traceback" not in err and "BrokenPipeError" not in err and "Exception ignored" not in err, err
    assert res.returncode == 1  # the Python docs' choice ("Note on SIGPIPE"); the shell reports head's status


def test_pipe_read_in_full_still_works(poses_npz):
    """The same command with a reader that reads everything: exit 0 and the table on stdout."""
    res = subprocess.run(
        [sys.executable, "-m", "formcheck", "analyze", str(poses_npz), "--exercise", "hinge", "--quiet"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "3 reps" in res.stdout
