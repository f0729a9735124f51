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
    metric.locator('[data-testid="stMetricValue"]').get_by_text("1", exact=True).wait_for(timeout=20_000)
    assert page.locator('[data-testid="stMetric"]').filter(has_text="A / B days").inner_text().endswith("0 / 1")
    streak = page.locator('[data-testid="stMetric"]').filter(has_text="Streak").inner_text()
    assert "1 day" in streak and "days" not in streak.replace("Streak", ""), streak
    page.get_by_text("B days count the same").wait_for(timeout=20_000)
    page.wait_for_timeout(1500)
    shot(page, "history_routine_days")


def test_routine_calendar_download_and_plain_editor(app_url, launch_chromium, shot, tmp_path):
    from icalendar import Calendar

    page = launch_chromium().new_page(viewport={"width": 1400, "height": 1400}, accept_downloads=True)
    page.goto(f"{app_url}/routine")
    page.get_by_text("Edit the plans").click()
    when = page.get_by_label("Usual time of that moment (HH:MM, for the calendar reminder)")
    when.fill("07:45")
    when.press("Enter")
    page.get_by_role("button", name="Save plans").click()
    page.wait_for_timeout(1500)
    shot(page, "routine_calendar")
    with page.expect_download(timeout=30_000) as dl:
        page.get_by_role("button", name="Add to my calendar (.ics)").click()
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    events = [c for c in Calendar.from_ical(path.read_bytes()).walk() if c.name == "VEVENT"]
    assert len(events) == 1 and events[0].decoded("dtstart").strftime("%H:%M") == "07:45"
    assert events[0]["rrule"]["FREQ"] == ["DAILY"]
