"""Where the review page keeps an uploaded video while it is analysed: one folder per browser session.

Privacy rules (README "Privacy and offline use"):

- Every file lives under one root, ``<data folder>/uploads`` (``$FORMCHECK_DATA_DIR`` moves it), never in the
  shared system temp folder, so "Delete my data" can remove all of it at once.
- A session's folder is named ``<server pid>-<random>``. It is removed when the session ends (the
  :class:`SessionUploads` object kept in the session state is garbage collected once Streamlit drops the closed
  tab's session), when the server process exits normally (``weakref.finalize`` runs at interpreter exit), and, after
  a crash or ``kill -9``, by :func:`sweep_stale` the next time the app starts (the folder's process is gone).
- The analysis reads the video, writes the annotated copy and the reports, and the page keeps those as bytes in
  memory, so each upload's working folder is deleted as soon as its analysis ends (:meth:`SessionUploads.work`):
  nothing of the video stays on disk between analyses.
- Files are named by the app (``upload.mp4``), never after the user's file name: a name is text, not a path.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
import weakref
from collections.abc import Iterator
from pathlib import Path

from formcheck.store import data_dir

UPLOADS_DIRNAME = "uploads"
# A folder older than this is removed by the sweep whatever its process: a pid can be reused after a reboot, and
# a live session never keeps files between analyses, so an old empty session folder is safe to drop.
STALE_AFTER_S = 24 * 3600.0


def uploads_root() -> Path:
    """``<data folder>/uploads``: the parent of every session's upload folder."""
    return data_dir() / UPLOADS_DIRNAME


def _pid_alive(pid: int) -> bool | None:
    """True/False where the OS can tell cheaply; None where it cannot (Windows: ``os.kill`` would terminate)."""
    if os.name != "posix":
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive, not ours to judge
    return True


def _owner_pid(folder: Path) -> int | None:
    head = folder.name.split("-", 1)[0]
    return int(head) if head.isdigit() else None


def sweep_stale(root: Path | None = None, *, now_s: float | None = None) -> list[Path]:
    """Remove session folders left by servers that are gone (crash, kill) or that are older than a day.

    Args:
        root: the uploads root (default :func:`uploads_root`).
        now_s: the current time (``time.time()``), for tests.

    Returns:
        The folders removed.
    """
    root = uploads_root() if root is None else root
    now_s = time.time() if now_s is None else now_s
    removed = []
    if not root.is_dir():
        return removed
    for d in root.iterdir():
        pid = _owner_pid(d)
        try:
            age_s = now_s - d.stat().st_mtime
        except FileNotFoundError:
            continue  # removed meanwhile by its own session
        gone = pid is None or (pid != os.getpid() and _pid_alive(pid) is False)
        if gone or age_s > STALE_AFTER_S:
            if d.is_dir():
                shutil.rmtree(d, ignore_errors=True)
            else:
                d.unlink(missing_ok=True)
            removed.append(d)
    return removed


class SessionUploads:
    """One browser session's upload folder, removed when this object is collected, at exit, or by :meth:`remove`.

    Keep the object in ``st.session_state``: Streamlit drops a session's state when the tab is closed (after its
    reconnect grace period), which collects the object and deletes the folder.

    Args:
        root: the uploads root (default :func:`uploads_root`).
    """

    def __init__(self, root: Path | None = None) -> None:
        root = uploads_root() if root is None else root
        root.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root))
        self._finalizer = weakref.finalize(self, shutil.rmtree, str(self.path), True)

    @contextlib.contextmanager
    def work(self) -> Iterator[Path]:
        """A fresh folder inside the session folder for one upload; deleted with its files when the block ends."""
        self.path.mkdir(parents=True, exist_ok=True)  # "Delete my data" may have removed it meanwhile
        work = Path(tempfile.mkdtemp(dir=self.path))
        try:
            yield work
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def remove(self) -> None:
        """Delete the session folder now (idempotent)."""
        self._finalizer()


__all__ = ["STALE_AFTER_S", "SessionUploads", "sweep_stale", "uploads_root"]
