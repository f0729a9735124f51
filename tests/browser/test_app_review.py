"""Review page in a real browser: upload the sample clip, wait for the analysis, download the HTML report."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.browser


def test_review_upload_and_download_html(app_url, clip_mp4, launch_chromium, shot, sample_reps, tmp_path):
    browser = launch_chromium()
    t0 = time.monotonic()
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 3000}, accept_downloads=True)
        page.goto(f"{app_url}/review")
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(clip_mp4))
        html_button = page.get_by_role("button", name="HTML report")
        html_button.wait_for(timeout=100_000)
        heading = page.get_by_role("heading", name=clip_mp4.name)
        assert f"{sample_reps} reps" in heading.inner_text()
        page.get_by_text("Cue timeline").wait_for(timeout=30_000)
        page.wait_for_timeout(1500)  # let the charts draw before the screenshot
        shot(page, "review")
        # the cue table: a header on every column, what was measured in words (no metric keys)
        cue_table = page.locator('[data-testid="stTable"]').last
        headers = [h.strip() for h in cue_table.locator("thead th").all_inner_texts()]
        assert "Kind" in headers and "Measured" in headers and "" not in headers[1:], headers
        measured = cue_table.locator("tbody").inner_text()
        assert "_" not in measured and "Lowering time" in measured, measured
        with page.expect_download(timeout=30_000) as dl:
            html_button.click()
        path = tmp_path / dl.value.suggested_filename
        dl.value.save_as(path)
        text = path.read_text(encoding="utf-8")
        assert path.suffix == ".html" and "<html" in text.lower()
        # A damaged file: a plain-language error, and the previous result stays on the page.
        broken = tmp_path / "broken.mp4"
        broken.write_bytes(b"this is not a video " * 200)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(broken))
        page.locator('[data-testid="stAlert"]').filter(has_text="broken.mp4").wait_for(timeout=60_000)
        assert "not a video" in page.locator('[data-testid="stAlert"]').first.inner_text()
        assert heading.is_visible() and html_button.is_visible()
        page.get_by_role("button", name="Save to history").click()
        page.get_by_text("Saved to your history.").wait_for(timeout=20_000)
        page.goto(f"{app_url}/history")
        page.get_by_text("Hip share").first.wait_for(timeout=20_000)
        page.get_by_text("Routine days per week").wait_for(timeout=20_000)
        page.wait_for_timeout(1500)  # let the charts draw before the screenshot
        shot(page, "history")
        body = page.inner_text("body")
        assert "1 sets" not in body and "· 1 set ·" in body  # one session with one set, in words
        assert "Streak" in body
        print(f"review: analysed, downloaded {path.name} ({len(text)} chars) in {time.monotonic() - t0:.1f} s")
    finally:
        browser.close()
