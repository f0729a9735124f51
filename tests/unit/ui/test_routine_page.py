"""The app's Routine page (app.py, through Streamlit's AppTest): every item says whether the camera checks it,
and "Run plan A/B" starts at the plan's first checked item.

AppTest can only switch to file pages, and app.py's pages are functions behind ``st.navigation``: the test runs the
app once (its start page forwards to Live, whose webcam component cannot run outside a browser), then asks for the
page Streamlit registered under the Routine page's address — the same hash a browser on ``/routine`` sends.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from formcheck.routine import default_routine, plan_checks

APP = Path(__file__).resolve().parents[3] / "app.py"


@pytest.fixture()
def routine_page(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMCHECK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FORMCHECK_DB", str(tmp_path / "data" / "history.sqlite3"))
    monkeypatch.setenv("FORMCHECK_ROUTINE", str(tmp_path / "routine.toml"))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    pages = {info.get("url_pathname"): h for h, info in at._registered_pages.items()}
    at._page_hash = pages["routine"]  # private: AppTest has no public way to open a function page
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Routine"]
    return at


def test_every_checklist_item_says_whether_the_camera_checks_it(routine_page):
    boxes = {c.label.split(" — ")[0]: c for c in routine_page.checkbox}
    for plan in default_routine().plans.values():
        for e, check in zip(plan.exercises, plan_checks(plan), strict=True):
            box = boxes[e.name]
            if check.checked:
                assert "not checked by the camera" not in box.label and "Checked by the camera" in box.help
            else:
                assert box.label.endswith("· not checked by the camera")
                assert f"Not checked by the camera: {check.why}" in box.help


def test_run_plan_starts_at_the_first_checked_item(routine_page):
    at = routine_page
    next(b for b in at.button if b.label == "Run plan B").click().run()
    assert not at.exception
    plan = default_routine().plans["B"]
    first = next(e for e, c in zip(plan.exercises, plan_checks(plan), strict=True) if c.checked)
    assert any(m.value.startswith(f"### {first.name}\n") for m in at.markdown)
    assert {"Film it on the Live page", "Skip this set", "Finish now"} <= {b.label for b in at.button}
    assert at.file_uploader[0].label == "Video of this set"
