"""A whole ``formcheck analyze`` of the sample clip with Python's network blocked: it must pass and try nothing.

Every way Python code opens a connection or resolves a name is replaced by a recorder that raises, then the CLI runs
the pose model (no cache), the analysis, the annotated video and every report format. The pose model's own C++
code is watched separately, under strace (tests/integration/test_extract.py::test_pose_estimation_makes_no_outside_
connection).
"""

from __future__ import annotations

import json
import socket

import pytest

from formcheck.cli import main

pytestmark = pytest.mark.integration


class NetworkBlockedError(OSError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Block and record every connection attempt and name lookup made from Python."""
    attempts: list[str] = []

    def refuse(what):
        def blocked(*args, **kwargs):
            attempts.append(f"{what}{args[1:] if what.startswith('socket.') else args}")
            raise NetworkBlockedError(f"network blocked in this test: {what}")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket.socket, "sendto", refuse("socket.sendto"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))
    return attempts


def test_the_block_works(no_network):
    with pytest.raises(NetworkBlockedError):
        socket.create_connection(("example.org", 443), timeout=1)
    with pytest.raises(NetworkBlockedError), socket.socket() as s:
        s.connect(("127.0.0.1", 9))
    assert len(no_network) == 2


def test_whole_analyze_runs_offline(no_network, sample_video, tmp_path, monkeypatch):
    monkeypatch.setenv("FORMCHECK_DATA_DIR", str(tmp_path / "data"))
    out = tmp_path / "out"
    code = main([
        "analyze", str(sample_video), "--exercise", "hinge", "--no-cache", "--quiet",
        "--json", str(out / "a.json"), "--annotate", str(out / "a.mp4"),
        "--report", str(out / "r.html"), "--report", str(out / "r.pdf"), "--report", str(out / "r.csv"),
    ])  # fmt: skip
    assert code == 0
    assert no_network == []  # nothing even tried
    assert len(json.loads((out / "a.json").read_text())["reps"]) == 3
    for name in ("a.mp4", "r.html", "r.pdf", "r.csv"):
        assert (out / name).stat().st_size > 0, name
