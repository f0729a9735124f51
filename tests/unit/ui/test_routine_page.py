"""The app's Routine page (app.py, through Streamlit's AppTest): every item says whether the camera checks it,
and "Run plan A/B" starts at the plan's first checked item.

The page is opened as conftest.open_page says (an app run, then the page registered under ``/routine``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from formcheck.engine.quality import position_words
from formcheck.routine import default_routine, plan_checks

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fc_app import open_page  # noqa: E402


@pytest.fixture()
def routine_page(app_env):
    return open_page("routine", "Routine")


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


def test_a_tick_on_the_routine_page_is_saved_as_ticked_by_hand(app_env):
    import datetime as dt

    from formcheck.history import checklist
    from formcheck.store import Store

    routine_page = open_page("routine", "Routine")
    plan = default_routine().plans["B"]
    item = next(e for e, c in zip(plan.exercises, plan_checks(plan), strict=True) if c.checked)  # filmed or not
    next(c for c in routine_page.checkbox if c.key.endswith(f"_B_{item.key}")).check().run()
    assert not routine_page.exception
    today = dt.date.today()
    assert [(c.plan, c.item, c.how) for c in Store().checks(today, today) if c.done] == [("B", item.key, "hand")]
    assert {i.key: i.status for i in checklist(Store(), plan, today)}[item.key] == "ticked by hand"  # as the CLI says


def test_a_partly_done_item_shows_what_was_done_unticked_and_can_be_ticked_by_hand(app_env):
    """A short filmed set (the plan run or ``session --tick``) leaves its item unticked, with what was done."""
    import datetime as dt

    from formcheck.store import Store

    today = dt.date.today()
    Store().set_partly(today, "B", "sphinx", "held 12 s of 20 s")
    at = open_page("routine", "Routine")
    box = next(c for c in at.checkbox if c.key.endswith("_B_sphinx"))
    assert box.value is False
    assert "Partly done on video: held 12 s of 20 s — not ticked. Tick it if you did the rest." in [
        c.value for c in at.caption]  # fmt: skip
    assert not any(s.value.startswith("Plan B done") for s in at.success)
    box.check().run()
    assert not at.exception
    assert [(c.item, c.done, c.how, c.detail) for c in Store().checks(today, today)] == [
        ("sphinx", True, "hand", "held 12 s of 20 s")]  # fmt: skip
    at = open_page("routine", "Routine")  # the count stays beside the tick
    assert "Ticked by hand after a set partly done on video: held 12 s of 20 s." in [c.value for c in at.caption]


def test_each_plan_says_its_length_once(routine_page):
    """The B plan's title says "(about 5 minutes)": no "≈ 6 min" under it (the CLI's 'routine' says it once too)."""
    routine = default_routine()
    a, b = routine.plans["A"], routine.plans["B"]
    assert "min" in b.title and "min" not in a.title
    captions = [c.value for c in routine_page.caption if "positions:" in c.value]
    assert len(captions) == 2 and not any("≈" in c for c in captions)
    assert [c for c in captions if " min" in c] == [
        f"About {a.est_minutes():.0f} min · positions: " + ", ".join(position_words(p) for p in a.positions())
    ]
