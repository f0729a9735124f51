"""The HTML report and the annotated video in headless Chromium (Debian's /usr/bin/chromium via Playwright).

Built from a synthetic analysis and a drawn stick-figure video, so no model or shared data is needed.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from formcheck.config import Config
from formcheck.cues import analysis_cues
from formcheck.render import write_annotated_video
from formcheck.report import write_report
from formcheck.types import VideoInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "report"))
from fc_report_builders import make_analysis, make_sequence, rep_plan, write_figure_video  # noqa: E402

pytestmark = pytest.mark.browser
CFG = Config()
FAST = (1.2, 0.5, 1.0, 0.5)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    d = tmp_path_factory.mktemp("report-html")
    faults = {2: {"spine_flexion_est_deg": 20.0}, 3: {"com_toes_excess_cm": 6.0, "time_outside_midfoot_s": 0.5}}
    an = make_analysis(rep_plan(3, faults, tempo=FAST, lead_s=0.5), video=VideoInfo("clip <1>.mp4", 320, 240, 30, 0, 0))
    an = dataclasses.replace(an, cues=analysis_cues(an, CFG))
    seq = make_sequence(an, width=320, height=240)
    video = write_figure_video(d / "figure.mp4", seq)
    html = write_report(an, d / "report.html", video_path=video, seq=seq, config=CFG)
    annotated = write_annotated_video(video, seq, an, d / "annotated.mp4", CFG)
    return an, html, annotated


def test_report_opens_offline_with_table_plots_and_frames(made, launch_chromium, shot):
    an, html, _ = made
    page = launch_chromium().new_page(viewport={"width": 1100, "height": 900})
    external = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(html.as_uri())
    rows = page.locator("#rep-table tbody tr")
    assert rows.count() == len(an.reps)
    assert page.locator("#rep-table td.bad").count() >= 2
    for plot in ("#plot-series", "#plot-tempo"):
        box = page.locator(plot).bounding_box()
        assert box is not None and box["width"] > 500 and box["height"] > 100, plot
        assert page.locator(f"{plot} path").count() > 10
    imgs = page.locator("#key-frames img")
    assert imgs.count() == 2
    for i in range(2):
        assert imgs.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
    assert "What the camera cannot see" in page.inner_text("body")
    assert "clip <1>.mp4" in page.title()
    assert external == [] and errors == []
    shot(page, "report_html")


def test_annotated_video_plays_in_chromium(made, launch_chromium, tmp_path):
    _, _, annotated = made
    player = annotated.parent / "player.html"
    player.write_text(f'<video id="v" src="{annotated.name}" muted playsinline></video>', encoding="utf-8")
    page = launch_chromium(["--autoplay-policy=no-user-gesture-required"]).new_page()
    page.goto(player.as_uri())
    page.wait_for_function("document.getElementById('v').readyState >= 2", timeout=20000)
    page.evaluate("document.getElementById('v').play()")
    page.wait_for_function(
        "(() => { const v = document.getElementById('v');"
        " return v.currentTime > 0.5 && v.getVideoPlaybackQuality().totalVideoFrames > 5; })()",
        timeout=20000,
    )
    info = page.evaluate(
        "(() => { const v = document.getElementById('v'); return [v.videoWidth, v.videoHeight, v.error]; })()"
    )
    assert info == [320, 240, None]
