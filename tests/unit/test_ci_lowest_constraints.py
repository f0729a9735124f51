"""scripts/lowest_constraints.py pins every declared dependency to its lower bound; .ci/run uses it and fails on it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("lowest_constraints", REPO / "scripts" / "lowest_constraints.py")
lc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lc)

PYPROJECT = {
    "project": {
        "dependencies": ["numpy>=1.26", "scipy>=1.11,<2", "av~=14.0", "Pillow>=9,>=10.0.1", "mediapipe==1.2.0"],
        "optional-dependencies": {
            "app": ["streamlit>=1.40"],
            "dev": ["dask[distributed]>=2024.8.0; python_version>='3'"],
        },
    }
}


def test_core_dependencies_pinned_to_their_lower_bounds():
    assert lc.lowest_constraints(PYPROJECT, []) == [
        "av==14.0", "mediapipe==1.2.0", "numpy==1.26", "Pillow==10.0.1", "scipy==1.11",
    ]  # fmt: skip


def test_a_name_declared_twice_gets_the_higher_floor():
    data = {"project": {"dependencies": ["av>=14.1"], "optional-dependencies": {"dev": ["av>=17.1"]}}}
    assert lc.lowest_constraints(data, ["dev"]) == ["av==17.1"]
    assert lc.lowest_constraints(data, []) == ["av==14.1"]


def test_extras_added_and_extras_syntax_dropped():
    assert lc.lowest_constraints(PYPROJECT, ["app", "dev"])[:2] == ["av==14.0", "dask==2024.8.0"]
    assert "streamlit==1.40" in lc.lowest_constraints(PYPROJECT, ["app"])


@pytest.mark.parametrize(("deps", "extras", "message"), [
    (["numpy"], [], "no lower bound"),
    (["numpy<3"], [], "no lower bound"),
    (["numpy>=1.26"], ["gpu"], "unknown extra"),
])  # fmt: skip
def test_refuses_what_it_cannot_pin(deps, extras, message):
    with pytest.raises(SystemExit, match=message):
        lc.lowest_constraints({"project": {"dependencies": deps}}, extras)


def test_every_real_dependency_has_a_lower_bound():
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    extras = list(data["project"].get("optional-dependencies", {}))
    pins = lc.lowest_constraints(data, extras)
    assert any(p.startswith("numpy==") for p in pins) and all("==" in p for p in pins)


def test_script_prints_a_constraints_file():
    out = subprocess.run([sys.executable, str(REPO / "scripts" / "lowest_constraints.py"), "--extra", "app"],
                         capture_output=True, text=True, check=True, timeout=60).stdout  # fmt: skip
    assert "streamlit==" in out and all(line.count("==") == 1 for line in out.splitlines())


def test_ci_requires_every_test_and_runs_the_lowest_versions_step():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "export FORMCHECK_REQUIRE_ALL=1" in ci
    assert "scripts/lowest_constraints.py" in ci and "tests/unit tests/conformance" in ci
    assert "exit 1" in ci.split("lowest-versions step", 1)[1]  # its failure fails CI (run: test_ci_run_lowest_flow.py)
