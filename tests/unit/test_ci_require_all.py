"""FORMCHECK_REQUIRE_ALL=1 (set by .ci/run) turns every skip into a failure that names the skip's reason.

The hook in tests/conftest.py runs in a child pytest over a small made-up test file, with and without the variable.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"

SAMPLE = """
import shutil
import pytest

def test_runs():
    assert True

@pytest.mark.skipif(shutil.which("no-such-tool-xyz") is None, reason="no-such-tool-xyz not installed")
def test_needs_a_tool():
    pass

def test_skips_inside():
    pytest.skip("shared videos not present")

@pytest.fixture
def data():
    pytest.skip("fixture: ../shared missing")

def test_fixture_skips(data):
    pass

@pytest.mark.xfail(reason="known limitation", strict=True)
def test_expected_failure():
    assert False
"""

MODULE_SKIP = """
import pytest
pytest.importorskip("no_such_module_xyz")

def test_never():
    pass
"""


def run_child(tmp_path: Path, require: str | None) -> subprocess.CompletedProcess:
    d = tmp_path / f"child_{require}"
    d.mkdir()
    shutil.copy(CONFTEST, d / "conftest.py")
    (d / "test_sample.py").write_text(SAMPLE)
    (d / "test_module_skip.py").write_text(MODULE_SKIP)
    (d / "pytest.ini").write_text("[pytest]\n")
    env = {k: v for k, v in os.environ.items() if k != "FORMCHECK_REQUIRE_ALL"}
    if require is not None:
        env["FORMCHECK_REQUIRE_ALL"] = require
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "-c", str(d / "pytest.ini"), str(d)],
        capture_output=True, text=True, timeout=120, env=env, cwd=d,
    )  # fmt: skip


def counts(out: str) -> dict[str, int]:
    last = [line for line in out.splitlines() if re.search(r"\d+ (passed|failed|skipped)", line)][-1]
    return {k: int(n) for n, k in re.findall(r"(\d+) (\w+)", last)}


@pytest.mark.parametrize("require", [None, "0"])
def test_without_the_variable_skips_stay_skips(tmp_path, require):
    res = run_child(tmp_path, require)
    assert res.returncode == 0, res.stdout
    c = counts(res.stdout)
    assert c.get("passed") == 1 and c.get("skipped") == 4 and c.get("xfailed") == 1 and "failed" not in c


def test_with_the_variable_every_skip_fails_with_its_reason(tmp_path):
    res = run_child(tmp_path, "1")
    assert res.returncode == 1, res.stdout
    c = counts(res.stdout)
    # a skip in the test fails it; skipif marks and fixture skips act at setup, so they are errors; the module
    # skip stays counted as a skip but fails the session at the end
    assert (c.get("passed"), c.get("failed"), c.get("errors"), c.get("skipped")) == (1, 1, 2, 1), res.stdout
    assert c.get("xfailed") == 1  # an expected failure is not a missing tool
    out = res.stdout + res.stderr
    for reason in ("no-such-tool-xyz not installed", "shared videos not present", "fixture: ../shared missing",
                   "could not import 'no_such_module_xyz'"):  # fmt: skip
        assert re.search(rf"FORMCHECK_REQUIRE_ALL=1 \(CI runs every test\):[^\n]*\n?.*{re.escape(reason)}", out), reason
