"""Uploaded videos never outlive their session: per-session folders, the start-up sweep, "Delete my data"."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time

import pytest

from formcheck.routine import default_routine, save_routine
from formcheck.store import Store
from formcheck.ui.privacy import delete_my_data
from formcheck.ui.review import upload_filename
from formcheck.ui.uploads import STALE_AFTER_S, SessionUploads, sweep_stale, uploads_root


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMCHECK_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_uploads_live_under_the_data_folder_not_system_temp(data):
    s = SessionUploads()
    assert s.path.parent == uploads_root() == data / "uploads"
    assert s.path.name.startswith(f"{os.getpid()}-")


def test_work_folder_is_gone_after_the_analysis_even_on_error(data):
    s = SessionUploads()
    with s.work() as w:
        (w / "upload.mp4").write_bytes(b"video")
    assert not w.exists()
    with pytest.raises(RuntimeError), s.work() as w2:
        (w2 / "upload.mp4").write_bytes(b"video")
        raise RuntimeError("decoder failed")
    assert not w2.exists()
    assert list(s.path.iterdir()) == []


def test_session_end_removes_the_folder(data):
    """Streamlit drops a closed tab's session state; the collected object takes its folder with it."""
    s = SessionUploads()
    path = s.path
    (path / "left.mp4").write_bytes(b"x")
    state = {"uploads": s}
    del s
    state.clear()
    gc.collect()
    assert not path.exists()


def test_server_exit_removes_the_folder(data, tmp_path):
    code = "from formcheck.ui.uploads import SessionUploads; s = SessionUploads(); print(s.path); " \
        "(s.path / 'v.mp4').write_bytes(b'x')"  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60,
                         env={**os.environ, "FORMCHECK_DATA_DIR": str(data)})  # fmt: skip
    folder = out.stdout.strip()
    assert folder.startswith(str(data / "uploads")) and not os.path.exists(folder)


def test_sweep_removes_folders_of_dead_servers_and_old_ones(data):
    root = uploads_root()
    root.mkdir(parents=True)
    crashed = root / f"{dead_pid()}-abc"
    crashed.mkdir()
    (crashed / "upload.mp4").write_bytes(b"x")
    session = SessionUploads()  # kept referenced: a live session
    mine = session.path
    other_live = root / f"{os.getppid()}-def"  # a process that is certainly running
    other_live.mkdir()
    old_live = root / f"{os.getppid()}-old"
    old_live.mkdir()
    t_old = time.time() - STALE_AFTER_S - 60
    os.utime(old_live, (t_old, t_old))
    stray = root / "not-a-session"
    stray.mkdir()
    removed = sweep_stale()
    assert sorted(removed) == sorted([crashed, old_live, stray])
    assert mine.exists() and other_live.exists()


def test_delete_my_data_removes_every_upload(data):
    store = Store(data / "history.sqlite3")
    routine = save_routine(default_routine(), data / "routine.toml")
    a, b = SessionUploads(), SessionUploads()
    for s in (a, b):
        (s.path / "upload.mp4").write_bytes(b"x")
    done = delete_my_data(store, routine, data / "poses", (uploads_root(),))
    assert "temporary review files" in done
    assert not uploads_root().exists()
    with a.work() as w:  # the session goes on working after the delete
        assert w.is_dir()


@pytest.mark.parametrize(
    ("name", "saved_as"),
    [
        ("My set (1).MOV", "upload.mov"),
        ("../../../etc/passwd.mp4", "upload.mp4"),
        ("..\\..\\windows\\x.avi", "upload.avi"),
        ("/abs/path/clip.webm", "upload.webm"),
        ("<script>alert(1)</script>.mp4", "upload.mp4"),
        ("a" * 5000 + ".mkv", "upload.mkv"),
        ("nul\x00byte.mp4", "upload.mp4"),
    ],
)
def test_upload_names_are_never_paths(name, saved_as):
    assert upload_filename(name) == saved_as


@pytest.mark.parametrize("name", ["clip.exe", "clip", "clip.mp4.sh", "passwd"])
def test_unknown_suffix_refused(name):
    from formcheck.errors import InputError

    with pytest.raises(InputError, match="does not look like a video"):
        upload_filename(name)
