"""Live page text: banner priority, status line, speech snippet."""

from __future__ import annotations

import json
import math

import pytest

from formcheck.live import LiveSnapshot
from formcheck.types import Cue
from formcheck.ui.live_view import banner, speak_html, status_line

CUE = Cue("load.toes", "warn", "Shift your weight back about 2 cm", 20)


@pytest.mark.parametrize(
    ("snap", "kind", "words"),
    [
        (LiveSnapshot(), "info", "Press START"),
        (LiveSnapshot(running=True, frames_in=3, setup_message="Step back"), "warning", "Setup: Step back"),
        (LiveSnapshot(running=True, frames_in=3, ready=True, cue=CUE), "warning", "Shift your weight"),
        (LiveSnapshot(running=True, frames_in=3, ready=True), "success", "Counting"),
        (LiveSnapshot(running=True, frames_in=3, ready=True, cue=CUE, error="Model broke."), "error", "Model broke."),
    ],
)
def test_banner(snap, kind, words):
    k, text = banner(snap)
    assert k == kind and words in text


def test_status_line():
    assert status_line(LiveSnapshot()) == "Camera not started."
    s = LiveSnapshot(running=True, frames_in=100, frames_processed=90, frames_dropped=10, fps=27.4, proc_ms=31.2)
    assert status_line(s) == "Camera running · 27 fps, 31 ms behind the camera · 10% frames skipped to stay live"
    assert "– fps" in status_line(LiveSnapshot(frames_in=1, fps=math.nan))


def test_speak_html_escapes_text():
    html = speak_html('Say "hi" </script><b>', 7)
    payload = html.split("const p=", 1)[1].split(";let w", 1)[0]
    assert json.loads(payload) == {"text": 'Say "hi" </script><b>', "serial": 7}
    assert html.count("</script>") == 1
