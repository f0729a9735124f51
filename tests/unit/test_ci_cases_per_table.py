"""``--cases-per-table N`` (tests/conftest.py; CI's lowest-versions step passes 3): every test function still runs,
on at most N cases of its parametrised table, spread over it, each sampled table starting N places further round.

A child pytest runs a small made-up test file with the real conftest, and the cases that ran are read from its output.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"

SAMPLE = """
import pytest

@pytest.mark.parametrize("x", range(7))
def test_seven(x):
    pass

@pytest.mark.parametrize("x", ["a", "b"])
def test_two(x):
    pass

@pytest.mark.parametrize("x", [1, 2, 3])
@pytest.mark.parametrize("y", ["p", "q"])
def test_grid(x, y):
    pass

def test_plain():
    pass

class TestInClass:
    @pytest.mark.parametrize("x", range(4))
    def test_method(self, x):
        pass
"""


def _ran(tmp_path: Path, extra: list[str]) -> tuple[set[str], str]:
    d = tmp_path / "child"
    d.mkdir(parents=True)
    shutil.copy(CONFTEST, d / "conftest.py")
    (d / "test_sample.py").write_text(SAMPLE)
    (d / "pytest.ini").write_text("[pytest]\n")
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "-rA", "-p", "no:cacheprovider", "-c", str(d / "pytest.ini"), *extra, str(d)],
        capture_output=True, text=True, timeout=120, cwd=d,
    )  # fmt: skip
    assert res.returncode == 0, res.stdout + res.stderr
    ran = {m.split("::", 1)[1] for m in re.findall(r"^PASSED (\S+)", res.stdout, flags=re.M)}
    return ran, res.stdout


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ([], {*(f"test_seven[{i}]" for i in range(7)), "test_two[a]", "test_two[b]",
              *(f"test_grid[{y}-{x}]" for x in (1, 2, 3) for y in "pq"), "test_plain",
              *(f"TestInClass::test_method[{i}]" for i in range(4))}),
        # first / middle / last, each sampled table turned 3 places further than the one before (so tables over
        # the same list, e.g. the exercises, do not all run the same three); a table of <= 3 runs whole
        (["--cases-per-table", "3"], {"test_seven[0]", "test_seven[3]", "test_seven[6]", "test_two[a]", "test_two[b]",
                                      "test_grid[p-3]", "test_grid[q-1]", "test_grid[q-3]", "test_plain",
                                      "TestInClass::test_method[0]", "TestInClass::test_method[1]",
                                      "TestInClass::test_method[2]"}),
        (["--cases-per-table", "1"], {"test_seven[0]", "test_two[b]", "test_grid[p-3]", "test_plain",
                                      "TestInClass::test_method[3]"}),
        (["--cases-per-table", "0"], None),  # 0: every case, as without the option
    ],
)  # fmt: skip
def test_each_function_runs_on_cases_spread_over_its_table(tmp_path: Path, option: list[str], expected) -> None:
    ran, out = _ran(tmp_path, option)
    if expected is None:
        expected, _ = _ran(tmp_path / "all", [])
    assert ran == expected
    n_all = 7 + 2 + 6 + 1 + 4
    if len(expected) < n_all:
        assert f"{n_all - len(expected)} deselected" in out


def test_the_lowest_step_meets_every_exercise_in_the_conformance_suite() -> None:
    """The conformance tables run over every registered exercise in registry order; sampled without turning, the
    lowest-versions step ran only the first, middle and last exercise (3 of 13) against the oldest libraries."""
    from formcheck.engine.registry import names

    repo = CONFTEST.parents[1]
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-m", "not slow",
         "--cases-per-table", "3", "tests/conformance"],
        capture_output=True, text=True, timeout=300, cwd=repo,
    )  # fmt: skip
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    ids = re.findall(r"^tests/conformance/\S+\[([^\]]+)\]", res.stdout, flags=re.M)
    met = {ex for ex in names() if any(i == ex or i.startswith(f"{ex}-") for i in ids)}
    assert met == set(names())
