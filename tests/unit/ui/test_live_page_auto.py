"""The app's Live page (app.py, through Streamlit's AppTest): "Recognise the exercise automatically" puts the live
processor in recognition mode and unticking it goes back to the sidebar's exercise (issue 13).

The webcam component cannot run outside a browser, so ``webrtc_streamer`` is replaced by a no-op; the page's own
wiring (checkbox → :class:`formcheck.live.LiveProcessor` mode) is what is tested.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit_webrtc
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[3] / "app.py"


@pytest.fixture()
def live_page(app_env, monkeypatch):
    monkeypatch.setattr(streamlit_webrtc, "webrtc_streamer", lambda **kw: None)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Live check"]
    return at


def _auto_box(at: AppTest):
    return next(c for c in at.checkbox if c.label == "Recognise the exercise automatically")


def test_recognise_automatically_switches_the_processor(live_page):
    at = live_page
    named = at.session_state["exercise"]
    assert at.session_state["live_proc"].requested_exercise == named != "auto"
    _auto_box(at).check().run()
    assert not at.exception, at.exception
    proc = at.session_state["live_proc"]
    assert proc.requested_exercise == "auto" and proc.snapshot().exercise == "auto"
    _auto_box(at).uncheck().run()
    assert at.session_state["live_proc"].requested_exercise == named
