"""Shared test fixtures: where the repo and the optional ../shared test data are."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared_videos_dir() -> Path:
    return Path(os.environ.get("FORMCHECK_VIDEOS", SHARED / "videos"))


def shared_synthetic_dir() -> Path:
    return SHARED / "synthetic"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def sample_video() -> Path:
    clips = sorted((REPO / "sample_videos").glob("*.mp4"))
    if not clips:
        pytest.fail("sample_videos/ has no .mp4: the bundled sample clip is part of the repo")
    return clips[0]


@pytest.fixture(scope="session")
def sample_extraction(sample_video: Path) -> tuple[object, list[tuple[int, int]]]:
    """``extract_poses`` (pipelined, default config and probes, no cache) of the sample clip and its progress calls.

    One real extraction per run for the tests of ``extract_poses`` itself (tests/integration/test_extract.py,
    tests/unit/test_extract_pipeline.py): they ran the same call twice (~14 s each on the loaded 2-core CI).
    """
    from formcheck.config import Config
    from formcheck.extract import extract_poses

    calls: list[tuple[int, int]] = []
    seq = extract_poses(sample_video, Config(), progress=lambda d, t: calls.append((d, t)))
    return seq, calls


@pytest.fixture(scope="session")
def videos_dir() -> Path:
    d = shared_videos_dir()
    if not (d / "labels.json").exists():
        pytest.skip("shared videos not present")
    return d


@pytest.fixture(scope="session")
def synthetic_dir() -> Path:
    d = shared_synthetic_dir()
    if not d.is_dir() or not list(d.glob("*.json")):
        pytest.skip("shared synthetic clips not present")
    return d


# -- CI: a skip is a failure ------------------------------------------------------------------------------------
# .ci/run sets FORMCHECK_REQUIRE_ALL=1: in CI a test skipped because a tool (chromium, strace, pdftoppm, ffmpeg) or
# ../shared data is missing would let a broken feature pass unseen, so every skip is reported as a failure with its
# reason. Expected failures (xfail) stay what they are. Tests: tests/unit/test_ci_require_all.py.
REQUIRE_ALL_ENV = "FORMCHECK_REQUIRE_ALL"


def _require_all() -> bool:
    return os.environ.get(REQUIRE_ALL_ENV, "") not in ("", "0")


def _skip_reason(longrepr: object) -> str:
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # (file, line, "Skipped: reason")
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    outcome = yield
    rep = outcome.get_result()
    if _require_all() and rep.skipped and not hasattr(rep, "wasxfail"):
        rep.outcome = "failed"
        rep.longrepr = f"skipped with {REQUIRE_ALL_ENV}=1 (CI runs every test): {_skip_reason(rep.longrepr)}"


_module_skips: list[str] = []


def pytest_collectreport(report: pytest.CollectReport) -> None:
    # A whole module skipped (importorskip / allow_module_level). Failing the collection would stop the run before
    # any test, so it stays a skip here and fails the session at the end (pytest_sessionfinish).
    if _require_all() and report.skipped:
        _module_skips.append(f"{report.nodeid}: {_skip_reason(report.longrepr)}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _module_skips:
        lines = "\n".join(f"  {m}" for m in _module_skips)
        print(f"\nskipped with {REQUIRE_ALL_ENV}=1 (CI runs every test):\n{lines}", file=sys.stderr)
        if exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
