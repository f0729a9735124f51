"""The HTML report escapes every piece of text that can come from a user: names, notes, file names, messages.

A video called ``<script>…</script>.mp4`` or a patient "<img onerror=…>" must show as text, never become markup.
"""

from __future__ import annotations

import dataclasses
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from formcheck.report import write_report
from formcheck.report.meta import ReportMeta
from formcheck.types import Cue, VideoInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fc_report_builders import make_analysis  # noqa: E402

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp;"\''


class Elements(HTMLParser):
    """Tags and attribute names the browser would build from the document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [k for k, _ in attrs]

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture
def report(tmp_path) -> tuple[str, Elements]:
    a = make_analysis(video=VideoInfo(f"/uploads/{EVIL}.mp4", 640, 480, 30.0, 90, 3.0))
    cue = Cue("custom.evil", "warning", f"Message {EVIL}", rep_index=1, t_s=1.0)
    a = dataclasses.replace(
        a,
        cues=(cue,),
        quality=dataclasses.replace(a.quality, warnings=(f"Warning {EVIL}",)),
        limits=(f"Limit {EVIL}",),
    )
    meta = ReportMeta(patient=f"O'Brien {EVIL}", therapist=f"Dr {EVIL}", notes=f"Note {EVIL}\nline 2")
    out = write_report(a, tmp_path / "r.html", meta=meta)
    text = out.read_text(encoding="utf-8")
    p = Elements()
    p.feed(text)
    return text, p


def test_no_user_text_becomes_markup(report):
    text, p = report
    assert "script" not in p.tags and "onerror" not in p.attrs
    assert "<script>" not in text and "<img src=x" not in text
    assert "&lt;script&gt;" in text


@pytest.mark.parametrize("where", ["O'Brien ", "Dr ", "Note ", "Message ", "Warning ", "Limit "])
def test_each_field_shows_as_text(report, where):
    """The browser's text for each field is the user's exact characters (escaped once, not dropped or doubled)."""
    _, p = report
    shown = "".join(p.text)
    assert f"{where}{EVIL}" in shown or f"{where}{EVIL}".replace("\n", " ") in shown
