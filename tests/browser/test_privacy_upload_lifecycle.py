"""Upload folders follow Streamlit's session lifecycle in a real server and browser.

A minimal page keeps a :class:`~formcheck.ui.uploads.SessionUploads` in its session state, as app.py does. Closing
the tab must remove that session's folder (once Streamlit drops the disconnected session), and stopping the server
(SIGTERM, as Ctrl+C or a service manager does) must remove the rest.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PAGE = """
import gc
import streamlit as st
from formcheck.ui.uploads import SessionUploads
if "uploads" not in st.session_state:
    st.session_state["uploads"] = SessionUploads()
gc.collect()  # collect dropped sessions now rather than whenever the interpreter gets to it
st.write("FOLDER=" + st.session_state["uploads"].path.name)
"""


ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def folders(data: Path) -> set[str]:
    root = data / "uploads"
    return {p.name for p in root.iterdir()} if root.is_dir() else set()


def test_tab_close_and_server_stop_remove_upload_folders(tmp_path, launch_chromium):
    app = tmp_path / "page.py"
    app.write_text(PAGE)
    data = tmp_path / "data"
    port = free_port()
    env = {**os.environ, "FORMCHECK_DATA_DIR": str(data), "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "streamlit_lifecycle.log").open("w")
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true", "--server.port",
           str(port), "--server.address", "127.0.0.1", "--server.disconnectedSessionTTL", "2"]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("streamlit did not start; see artifacts/streamlit_lifecycle.log") from None
                time.sleep(0.3)
        browser = launch_chromium()
        first = browser.new_page()
        first.goto(url)
        first.get_by_text("FOLDER=").wait_for(timeout=30_000)
        mine = first.get_by_text("FOLDER=").inner_text().removeprefix("FOLDER=").strip()
        assert mine in folders(data)
        first.close()  # the tab is closed
        other = browser.new_page()  # another visitor keeps the server busy (Streamlit expires sessions lazily)
        deadline = time.monotonic() + 60
        while mine in folders(data) and time.monotonic() < deadline:
            other.goto(url)
            other.get_by_text("FOLDER=").wait_for(timeout=30_000)
            time.sleep(1.0)
        assert mine not in folders(data), "the closed tab's upload folder is still there after 60 s"
        assert folders(data), "the open tab keeps its folder"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()
    assert folders(data) == set(), "stopping the server leaves upload folders behind"
