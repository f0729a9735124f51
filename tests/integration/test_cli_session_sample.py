"""``formcheck session`` on the bundled sample: the default A plan's hinge item, filmed, checked and reported.

The sample is a side-on bodyweight hinge at tempo 2-1-2-1 with 3 reps; the A plan prescribes 3-1-2-1, so every
rep is judged against the plan's tempo (lowered in about 2 s, not 3). Uses the normal pose cache (CI points it at
one folder per run), so the sample is extracted once for all integration tests.
"""

from __future__ import annotations

import json

import pytest

from formcheck.cli import main
from formcheck.routine import default_routine, plan_checks

pytestmark = pytest.mark.integration


def test_session_plan_a_on_the_sample(sample_video, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FORMCHECK_ROUTINE", str(tmp_path / "no_routine_yet.toml"))  # the default plans
    out = tmp_path / "out"
    argv = ["session", "--plan", "A", "--items", "hip_hinge", str(sample_video), "--quiet",
            "--report", str(out / "session.html"), "--json", str(out / "session.json")]  # fmt: skip
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "=== Bodyweight hip hinge — " in text and "(hinge)" not in text and "3 reps" in text
    assert "Lower for 3 s" in text  # the plan's tempo, not the sample's
    d = json.loads((out / "session.json").read_text())
    assert [(s["item"], s["analyzer"], len(s["analysis"]["reps"])) for s in d["sets"]] == [("hip_hinge", "hinge", 3)]
    unchecked = [c.key for c in plan_checks(default_routine().plans["A"]) if not c.checked]
    assert [c["item"] for c in d["not_checked"]] == unchecked
    html = (out / "session.html").read_text()
    assert "Hip hinge" in html  # the analyzer's title
    if d["not_checked"]:  # the report names the items the camera does not check (none once all have analyzers)
        assert "Not checked by the camera: " + ", ".join(c["name"] for c in d["not_checked"]) in html
    else:
        assert "Not checked by the camera" not in html


def test_session_without_items_asks_for_every_checked_item(sample_video, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FORMCHECK_ROUTINE", str(tmp_path / "no_routine_yet.toml"))
    checked = [c for c in plan_checks(default_routine().plans["A"]) if c.checked]
    assert main(["session", "--plan", "A", str(sample_video), "--quiet"]) == (0 if len(checked) == 1 else 2)
    err = capsys.readouterr().err
    if len(checked) > 1:
        assert f"has {len(checked)} item(s) the camera checks" in err and "--items" in err
