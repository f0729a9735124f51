"""Routine page in a real browser: tick plan B for today and see the day counted on the history page."""

from __future__ import annotations

import pytest

from formcheck.routine import default_routine

pytestmark = pytest.mark.browser


def test_ticking_plan_b_counts_the_day(app_url, launch_chromium, shot):
    page = launch_chromium().new_page(viewport={"width": 1400, "height": 1400})
    page.goto(f"{app_url}/routine")
    plan_b = default_routine().plans["B"]
    for e in plan_b.exercises:
        box = page.get_by_role("checkbox", name=f"{e.name} — {e.dose()}")
        box.check(force=True)  # Streamlit hides the native input under its own styling
        page.wait_for_timeout(400)  # each tick reruns the page
    page.get_by_text("Plan B done today.").wait_for(timeout=20_000)
    shot(page, "routine")
    # Edit the plans: a new anchor moment is saved (to routine.toml) and shown at the top.
    page.get_by_text("Edit the plans").click()
    page.get_by_role("button", name="Save plans").wait_for()
    shot(page, "routine_edit")
    anchor = page.get_by_label("Anchor moment (an everyday moment the routine follows)")
    anchor.fill("after brushing my teeth")
    anchor.press("Enter")
    page.get_by_role("button", name="Save plans").click()
    page.get_by_text("do one plan after brushing my teeth").wait_for(timeout=20_000)
    page.goto(f"{app_url}/history")
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Routine days")
    metric.locator('[data-testid="stMetricValue"]').get_by_text("1/28").wait_for(timeout=20_000)
    assert page.locator('[data-testid="stMetric"]').filter(has_text="A / B days").inner_text().endswith("0 / 1")
