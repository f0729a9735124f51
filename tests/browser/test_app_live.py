"""Live page in a real browser: Chromium's fake camera plays the sample clip into the app over WebRTC."""

from __future__ import annotations

import re
import time

import pytest

pytestmark = pytest.mark.browser

COUNT_TIMEOUT_S = 100  # the 19.5 s clip loops; 3 reps need one pass after the setup check


def cues_in(banners: set[str]) -> list[str]:
    """Banners that are cues (a correction or praise), not the start/setup/counting status lines."""
    return [b for b in banners if not b.startswith(("Press START", "Setup:", "Counting"))]


def metric_value(page, label: str) -> str:
    m = page.locator('[data-testid="stMetric"]').filter(has_text=label).locator('[data-testid="stMetricValue"]')
    return m.first.inner_text(timeout=2000)


def test_live_counts_reps_and_shows_a_cue(app_url, clip_y4m, launch_chromium, shot, sample_reps):
    browser = launch_chromium(
        [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={clip_y4m}",
        ],
    )
    t0 = time.monotonic()
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(app_url)  # Live is the default page, served at /
        webrtc = page.frame_locator('iframe[title*="webrtc_streamer"]')
        webrtc.get_by_role("button", name="START").click(timeout=60_000)
        banners_seen: set[str] = set()
        reps = 0
        deadline = time.monotonic() + COUNT_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                reps = int(metric_value(page, "Reps"))
                alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
            except Exception:  # noqa: BLE001 - the fragment re-renders under us; try again
                time.sleep(0.3)
                continue
            banners_seen.update(a.strip() for a in alerts if a.strip())
            if reps >= sample_reps and cues_in(banners_seen):
                break
            time.sleep(0.5)
        shot(page, "live")
        status = page.get_by_text(re.compile(r"Camera (running|stopped)")).first.inner_text()
        print(f"live: {reps} reps after {time.monotonic() - t0:.1f} s; {status}; banners: {sorted(banners_seen)}")
        assert reps >= sample_reps, f"rep counter reached {reps}, expected >= {sample_reps}"
        assert cues_in(banners_seen), f"no cue banner appeared (only {sorted(banners_seen)})"
        rows = page.locator('[data-testid="stDataFrame"]').count()
        assert rows >= 1, "per-rep table did not appear"
        # STOP ends the stream (the processor releases its pose model); the set must still be savable
        webrtc.get_by_role("button", name="STOP").click(timeout=10_000)
        page.get_by_text(re.compile(r"Camera stopped")).first.wait_for(timeout=20_000)
        page.get_by_role("button", name="Save set").click()
        page.get_by_text(re.compile(r"Saved \d+ reps")).wait_for(timeout=20_000)
        shot(page, "live_saved")
    finally:
        browser.close()
