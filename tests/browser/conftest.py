"""Fixtures for browser tests: a Streamlit server on a free port, a .y4m fake-camera clip, Debian's Chromium.

The server runs with ``FORMCHECK_DATA_DIR`` in a temp folder, so tests never touch the user's history.
Playwright drives ``/usr/bin/chromium`` (Debian package); its own browser download is never used.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = Path(os.environ.get("FORMCHECK_CHROMIUM", "/usr/bin/chromium"))
SAMPLE_REPS = 3  # sample_videos/ hinge clip: 3 reps (rendered, tempo 2-1-2-1)
BASE_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sample_clip() -> Path:
    """The redistributable side-view hinge clip (3 reps) in sample_videos/, or its ../shared original."""
    clips = sorted((ROOT / "sample_videos").glob("*hinge*.mp4")) or sorted((ROOT / "sample_videos").glob("*.mp4"))
    if clips:
        return clips[0]
    shared = Path(os.environ.get("FORMCHECK_SHARED", ROOT / ".." / "shared"))
    alt = shared / "synthetic" / "dev_sample_hinge_side_r_2121.mp4"
    if alt.exists():
        return alt
    pytest.skip("no sample clip: sample_videos/*.mp4 is missing")


@pytest.fixture(scope="session")
def clip_mp4() -> Path:
    return sample_clip()


@pytest.fixture(scope="session")
def clip_y4m(clip_mp4: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample clip as 640x480 30 fps .y4m, the format Chromium's fake camera reads."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    out = tmp_path_factory.mktemp("y4m") / "clip.y4m"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-i", str(clip_mp4), "-vf", "scale=640:480,fps=30",
         "-pix_fmt", "yuv420p", "-an", str(out)],
        check=True,
        timeout=120,
    )  # fmt: skip
    return out


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``streamlit run app.py`` on a free localhost port; killed (whole process group) after the session."""
    port = free_port()
    data = tmp_path_factory.mktemp("formcheck-data")
    env = {**os.environ, "FORMCHECK_DATA_DIR": str(data), "PYTHONUNBUFFERED": "1"}
    env.pop("FORMCHECK_DB", None)
    env.pop("FORMCHECK_ROUTINE", None)
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "streamlit_server.log").open("w")
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}; see artifacts/streamlit_server.log")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("streamlit did not start within 60 s")
            time.sleep(0.3)
        yield url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.fixture
def launch_chromium():
    """``launch(extra_args) -> Browser``: Debian's Chromium via Playwright; every browser is closed afterwards."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    browsers = []
    with sync_api.sync_playwright() as p:

        def launch(extra_args: list[str] | None = None):
            b = p.chromium.launch(executable_path=str(CHROMIUM), args=BASE_ARGS + (extra_args or []))
            browsers.append(b)
            return b

        yield launch
        for b in browsers:
            b.close()


@pytest.fixture
def sample_reps() -> int:
    return SAMPLE_REPS


@pytest.fixture
def shot():
    """``shot(page, name)``: full-page screenshot into artifacts/ (kept by CI as a test artefact)."""

    def take(page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
