"""Shared test fixtures: where the repo and the optional ../shared test data are."""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import subprocess
import sys
import time
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


# -- CI: a few cases of each parametrised table (the lowest-versions step) -----------------------------------------
# The lowest-versions step checks that the oldest library releases pyproject allows still offer every API the code
# calls. A table's cases mostly make the same calls on other numbers, so that step runs every test function on the
# first, the middle and the last case of its table (``--cases-per-table 3``: ~2,200 of ~4,500 cases): with all of them
# it ran beside the main step for ~1,550 s and ended the whole CI run ~270 s after the main step (1,862 s, over the
# 30-minute aim). The main step runs every case. Each sampled table's picks are turned round by 3 places more than
# the previous table's: tables over the 13 exercises (the conformance suite) listed in registry order would
# otherwise all run the same three exercises, and 10 of 13 would never meet the oldest libraries there.


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--cases-per-table", type=int, default=0, metavar="N",
        help="run at most N cases of each parametrised test, spread from its first to its last (0: all cases; "
        "CI's lowest-versions step uses 3)",
    )  # fmt: skip


def spread_indices(n: int, k: int, turn: int = 0) -> list[int]:
    """``k`` of the indices ``0..n-1``, spread evenly from the first to the last (all of them when ``k >= n``), then
    turned round by ``turn`` places (``(i + turn) % n``): the same spacing, starting elsewhere in the table."""
    if k >= n:
        return list(range(n))
    picks = [0] if k == 1 else [round(j * (n - 1) / (k - 1)) for j in range(k)]
    return sorted({(i + turn) % n for i in picks})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    k = int(config.getoption("--cases-per-table") or 0)
    if k <= 0:
        return
    tables: dict[tuple[str, str], list[int]] = collections.defaultdict(list)
    for i, item in enumerate(items):  # a table: one test function's cases (same parent, same function name)
        parent = item.parent.nodeid if item.parent is not None else ""
        tables[(parent, getattr(item, "originalname", item.name))].append(i)
    sampled = [idx for idx in tables.values() if len(idx) > k]
    keep = {i for idx in tables.values() if len(idx) <= k for i in idx}
    keep |= {idx[j] for s, idx in enumerate(sampled) for j in spread_indices(len(idx), k, turn=s * k)}
    dropped = [it for i, it in enumerate(items) if i not in keep]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [it for i, it in enumerate(items) if i in keep]


_module_skips: list[str] = []


@pytest.fixture(autouse=True)
def _keep_main_module():
    """Put ``sys.modules["__main__"]`` back after each test. Streamlit's script runner (the app tests' AppTest)
    installs its script as ``__main__``; a test that later starts a process with "spawn" (the dask cluster, the
    killed-mid-save child) then re-ran that script in the child, which failed ("name '__args' is not defined") and
    the test hung or failed — seen once the unit tests ran before the integration tests."""
    main = sys.modules.get("__main__")
    yield
    if main is not None and sys.modules.get("__main__") is not main:
        sys.modules["__main__"] = main


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


# -- CI: pose cache prewarm ---------------------------------------------------------------------------------------
# A clean-clone CI run extracts every ../shared clip once (~26,000 frames, ~11 min), one after another inside the
# tests, while pose extraction keeps ~1.1 of the 2 cores busy. With FORMCHECK_PREWARM=1 (.ci/run sets it) a worker
# process started with the session extracts the same clips, under the same cache keys, on the other core; the tests
# then read its files. The pose cache's per-key lock (formcheck.io.cache) makes a test that asks for a clip the
# worker is extracting wait for that file instead of extracting it a second time, so each key is still extracted
# once per run. Nothing is skipped or reordered: only who extracts first changes. Tests: tests/unit/test_prewarm.py.
PREWARM_ENV = "FORMCHECK_PREWARM"  # "1": warm every clip; "synthetic/,videos/squat": only paths with these parts
PREWARM_LOG_ENV = "FORMCHECK_PREWARM_LOG"  # where the worker writes one line per clip (default: nowhere)


def prewarm_clips() -> list[Path]:
    """Every video the shared-data tests read: the ``.mp4`` files under ../shared and the videos folder, and the
    bundled sample clip (the browser tests upload it). Found on disk, so a new clip or folder is never missed."""
    found = set(SHARED.rglob("*.mp4")) if SHARED.is_dir() else set()
    vids = shared_videos_dir()
    found |= set(vids.glob("*.mp4")) if vids.is_dir() else set()
    found |= set((REPO / "sample_videos").glob("*.mp4"))
    return sorted(p.resolve() for p in found)


# Clips (relative to ../shared, or to the repo for the sample) that a test also reads under an exercise's own key
# (``load_or_extract(path, cfg, exercise=...)``, ``analyze --exercise``, a session set), when that exercise's mask
# probes differ from recognition's: test_lunge_real reads the rendered lunge under the lunge's key (no probes).
# The session summary lists any key a test asked for that the plan lacks: add its clip and exercise here.
PREWARM_EXERCISE_KEYS: dict[str, tuple[str, ...]] = {
    "synthetic_floor/dev_lunge_side_r_frontL_15-05-12-06.mp4": ("lunge",),
}


def _exercise_keys(clip: Path) -> tuple[str, ...]:
    for base in (SHARED, REPO):
        with contextlib.suppress(ValueError):
            return PREWARM_EXERCISE_KEYS.get(clip.resolve().relative_to(base.resolve()).as_posix(), ())
    return ()


def prewarm_plan(clips: list[Path]) -> dict[Path, tuple[Path, tuple[str, ...]]]:
    """``{cache file: (clip, mask probes)}``: the keys the tests ask for, from the functions they call.

    The tests read shared clips with ``load_or_extract(path, Config())`` (mask probes of every registered exercise,
    :func:`formcheck.analyze.probes_for`) or ``cached_extract(path, Config())`` (``DEFAULT_PROBES``); both keys are
    planned (one file when they agree, as today), and the exercise keys :data:`PREWARM_EXERCISE_KEYS` names (one
    file per distinct set of mask probes).
    """
    from formcheck.analyze import probes_for
    from formcheck.config import Config
    from formcheck.io.cache import default_cache_path
    from formcheck.probes import DEFAULT_PROBES

    cfg = Config()
    plan: dict[Path, tuple[Path, tuple[str, ...]]] = {}
    for clip in clips:
        for probes in (probes_for(None), tuple(DEFAULT_PROBES), *(probes_for(e) for e in _exercise_keys(clip))):
            plan.setdefault(default_cache_path(clip, cfg, probes=probes), (clip, probes))
    return plan


def prewarm(plan: dict[Path, tuple[Path, tuple[str, ...]]], log: object = None, stop: object = None) -> None:
    """Extract every planned key through formcheck's cached path (a hit is only read), last planned first.

    The tests ask for the clips roughly in the plan's (sorted path) order, so the worker starts from the other end
    and the two meet in the middle instead of queueing on the same clip's lock. A clip that fails (nobody in it)
    is logged and left to the test that expects the failure.

    Args:
        plan: from :func:`prewarm_plan`.
        log: a text file for one ``status<TAB>seconds<TAB>cache file<TAB>clip`` line per key, or None.
        stop: a callable returning True when the worker should stop (the pytest session is gone).
    """
    from formcheck.config import Config
    from formcheck.io.cache import cached_extract

    cfg = Config()
    for cpath, (clip, probes) in reversed(list(plan.items())):
        if stop is not None and stop():
            break
        status, t0 = ("hit" if cpath.is_file() else "extracted"), time.perf_counter()
        try:
            cached_extract(clip, cfg, probes=probes)
        except Exception as e:  # noqa: BLE001 - one failing clip must not stop the others; the test reports it
            status = type(e).__name__
        if log is not None:
            print(f"{status}\t{time.perf_counter() - t0:.1f}\t{cpath.name}\t{clip}", file=log, flush=True)


def _prewarm_main() -> None:
    """Entry point of the worker process (started by :func:`pytest_sessionstart`)."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # so a half-written cache file is removed on the way out
    parent = os.getppid()
    with contextlib.suppress(OSError):
        os.nice(10)  # the tests come first (browser tests have timeouts); the worker takes what they leave
    log_path = os.environ.get(PREWARM_LOG_ENV)
    with open(log_path or os.devnull, "a", encoding="utf-8") as log:
        t0 = time.perf_counter()
        try:
            prewarm(prewarm_plan(_selected_clips()), log, stop=lambda: os.getppid() != parent)
        finally:  # .ci/run starts the lowest-versions tests on this core once the worker is done
            print(f"done\t{time.perf_counter() - t0:.1f}", file=log, flush=True)


def _selected_clips() -> list[Path]:
    # FORMCHECK_PREWARM "1": every clip; else comma-separated parts of the paths to warm (to time a subset of tests)
    value = os.environ.get(PREWARM_ENV) or _prewarm_value or "1"
    only = [] if value == "1" else value.split(",")
    return [c for c in prewarm_clips() if not only or any(part in str(c) for part in only)]


_prewarm_value = ""  # FORMCHECK_PREWARM as the session found it (taken out of the environment for child processes)
_prewarm_proc: subprocess.Popen | None = None
_requested: dict[str, Path] = {}  # cache file name -> video, every key this session's tests asked for


def _prewarm_on() -> bool:
    return os.environ.get(PREWARM_ENV, "") not in ("", "0") and "PYTEST_XDIST_WORKER" not in os.environ


def pytest_sessionstart(session: pytest.Session) -> None:
    global _prewarm_proc, _prewarm_value
    if not _prewarm_on() or not SHARED.is_dir():
        return
    _prewarm_value = os.environ[PREWARM_ENV]
    import formcheck.io.cache as cache_mod

    real = cache_mod.default_cache_path

    def recording(video_path, *args, **kwargs):  # noqa: ANN001, ANN202 - a transparent wrapper
        out = real(video_path, *args, **kwargs)
        _requested[out.name] = Path(video_path)
        return out

    cache_mod.default_cache_path = recording  # cached_extract looks it up at call time: every test's key is seen
    code = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import conftest; conftest._prewarm_main()"
    log_path = os.environ.get(PREWARM_LOG_ENV)
    with open(log_path or os.devnull, "a", encoding="utf-8") as out:  # its messages, not the test report's
        _prewarm_proc = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stdout=out, stderr=out)
    os.environ.pop(PREWARM_ENV)  # (after the worker read it) a pytest a test starts must not start a second worker


def _stop_prewarm() -> None:
    if _prewarm_proc is not None and _prewarm_proc.poll() is None:
        _prewarm_proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            _prewarm_proc.wait(timeout=60)
        if _prewarm_proc.poll() is None:
            _prewarm_proc.kill()


def pytest_collection_finish(session: pytest.Session) -> None:
    # Only the integration tests read shared clips: a run without them does not need the worker.
    if _prewarm_proc is not None and not any("integration" in Path(str(i.path)).parts for i in session.items):
        _stop_prewarm()


def pytest_unconfigure(config: pytest.Config) -> None:
    _stop_prewarm()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _prewarm_proc is None:
        return
    lines = []
    log_path = os.environ.get(PREWARM_LOG_ENV)
    if log_path and Path(log_path).is_file():
        rows = [ln.split("\t") for ln in Path(log_path).read_text().splitlines() if ln.count("\t") >= 3]
        by = collections.Counter(r[0] for r in rows)
        secs = sum(float(r[1]) for r in rows)
        done = [ln.split("\t")[1] for ln in Path(log_path).read_text().splitlines() if ln.startswith("done\t")]
        ended = f"finished after {float(done[0]):.0f} s" if done else "still running at the end"
        lines.append(f"worker: {dict(by)} over {len(rows)} keys in {secs:.0f} s, {ended} (log {log_path})")
    requested = dict(_requested)  # before planning below, which asks for the same keys again
    clips = _selected_clips()
    planned = {p.name for p in prewarm_plan(clips)}
    shared = set(clips)
    asked = {name for name, v in requested.items() if v.resolve() in shared}
    lines.append(f"the tests asked for {len(asked & planned)} of the {len(planned)} planned keys")
    for name in sorted(asked - planned):
        lines.append(f"  asked for, not planned (the test extracted it): {name} {requested[name]}")
    never = planned - asked
    if never:
        lines.append(f"  planned, never asked for in this session: {len(never)}")
    terminalreporter.write_sep("-", "pose cache prewarm")
    for ln in lines:
        terminalreporter.write_line(ln)
