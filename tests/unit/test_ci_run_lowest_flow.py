""".ci/run's control flow around the lowest-versions step, on stubs: the real script in a made-up repo whose tools
(the README test command, python3 -m venv, pip, the lowest pytest, the system tools) are tiny shell scripts.

Checked: both exit codes reach the script's own (a lowest failure fails CI and prints its log's end), and a run
cancelled by SIGTERM or killed by SIGKILL leaves no lowest-step process behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("bash") is None or os.name != "posix", reason="needs bash (POSIX)")

MAIN = """#!/bin/sh
: > "$FORMCHECK_PREWARM_LOG"        # the prewarm worker's log appears when pytest starts
echo MAIN-RAN
sleep "$MAIN_S"
exit "$MAIN_RC"
"""
LOW_PYTEST = """#!/bin/sh
echo $$ > "$LOW_PIDFILE"
echo LOWEST-TAIL-MARK
echo filler; echo filler
sleep "$LOW_S"
exit "$LOW_RC"
"""
PYTHON3 = """#!/bin/sh
# only "python3 -m venv DIR" is used: a venv whose pip does nothing and whose python is the lowest pytest stub
[ "$1" = -m ] && [ "$2" = venv ] || exit 9
mkdir -p "$3/bin"
printf '#!/bin/sh\\ncut -d" " -f5 /proc/$$/stat > "$PIP_PGIDFILE"\\nsleep "${PIP_S:-0}"\\n' > "$3/bin/pip"  # its group
cp "$(dirname "$0")/low_pytest" "$3/bin/python"
chmod +x "$3/bin/pip" "$3/bin/python"
"""


def _exe(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)


@pytest.fixture
def fake_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / ".ci").mkdir(parents=True)
    shutil.copy(REPO / ".ci" / "run", repo / ".ci" / "run")
    (repo / "README.md").write_text("# Install and run the tests\nsh main.sh  # pytest stub\n")
    _exe(repo / "main.sh", MAIN)
    _exe(repo / ".venv" / "bin" / "python", "#!/bin/sh\necho numpy==1.26\n")  # scripts/lowest_constraints.py
    stubs = tmp_path / "bin"
    _exe(stubs / "python3", PYTHON3)
    _exe(stubs / "low_pytest", LOW_PYTEST)
    for tool in ("chromium", "ffmpeg", "pdftoppm", "strace"):  # present: the script installs nothing
        _exe(stubs / tool, "#!/bin/sh\nexit 0\n")
    return repo


def _start(
    repo: Path, main_rc: int, low_rc: int, main_s: float = 0.2, low_s: float = 0.2, **more: str
) -> subprocess.Popen:
    env = dict(os.environ, **more, PIP_PGIDFILE=str(repo.parent / "pip.pgid"),
               PATH=f"{repo.parent / 'bin'}:{os.environ['PATH']}", FORMCHECK_CI_POLL_S="0.1",
               MAIN_RC=str(main_rc), LOW_RC=str(low_rc), MAIN_S=str(main_s), LOW_S=str(low_s),
               LOW_PIDFILE=str(repo.parent / "low.pid"))  # fmt: skip
    return subprocess.Popen(["bash", str(repo / ".ci" / "run")], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)  # fmt: skip


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize(("main_rc", "low_rc", "want_rc"), [(0, 0, 0), (0, 3, 1), (2, 0, 2), (2, 3, 2), (5, 0, 1)])
def test_exit_code_reflects_both_steps(fake_repo: Path, main_rc: int, low_rc: int, want_rc: int) -> None:
    p = _start(fake_repo, main_rc, low_rc)
    out, _ = p.communicate(timeout=60)
    assert p.returncode == want_rc, out
    assert "MAIN-RAN" in out and f"lowest-versions step exit code {low_rc}" in out
    assert ("LOWEST-TAIL-MARK" in out) == (low_rc != 0), out  # a lowest failure shows the end of its log


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_cancelled_run_leaves_no_lowest_process(fake_repo: Path, sig: signal.Signals) -> None:
    p = _start(fake_repo, 0, 0, main_s=60, low_s=60)
    pidfile = fake_repo.parent / "low.pid"
    try:
        low_pgid = os.getpgid(int(_wait_for(pidfile)))  # the lowest "pytest" is running
        assert low_pgid != os.getpgid(p.pid)  # in its own process group
        p.send_signal(sig)
        deadline = time.monotonic() + 10
        while _group_alive(low_pgid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _group_alive(low_pgid), "the lowest step's tests ran on after the script ended"
    finally:
        _end(p)


def _end(p: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):  # the main step's stub outlives a killed script: end it
        os.killpg(p.pid, signal.SIGKILL)
    p.communicate(timeout=30)


def _wait_for(path: Path, timeout_s: float = 30) -> str:
    deadline = time.monotonic() + timeout_s
    while not (path.is_file() and path.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return path.read_text().strip()


def test_a_script_killed_while_the_step_installs_ends_it_before_its_tests(fake_repo: Path) -> None:
    p = _start(fake_repo, 0, 0, main_s=60, low_s=60, PIP_S="60")  # the lowest install is still running
    try:
        low_pgid = int(_wait_for(fake_repo.parent / "pip.pgid"))
        assert _group_alive(low_pgid)
        p.send_signal(signal.SIGKILL)
        deadline = time.monotonic() + 10
        while _group_alive(low_pgid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _group_alive(low_pgid), "the lowest step went on after the script was killed"
        assert not (fake_repo.parent / "low.pid").exists()  # its tests never started
    finally:
        _end(p)
