"""What a cue measured, in the app's cue table and the report (acceptance check #5, finding 7): a setup cue's share
of frames reads as the cue says it, a percent under a plain label, never the raw key and fraction.

Truth: the cue says "42% of frames" (cues.py words the value × 100); the limit is the config's 0.05 share.
"""

from __future__ import annotations

import pytest

from formcheck.engine.registry import find_spec
from formcheck.report.content import evidence_text
from formcheck.types import Cue
from formcheck.ui.tables import cue_rows


@pytest.mark.parametrize(
    ("metric", "value", "limit", "measured"),
    [
        ("multi_person_fraction", 0.421, 0.05, "Frames with more than one person: 42% (limit 5%)"),
        ("full_body_fraction", 0.6, 0.8, "Frames with the whole body in view: 60% (limit 80%)"),
        ("person_fraction", 0.55, 0.7, "Frames with a person found: 55% (limit 70%)"),
    ],
)
def test_share_of_frames_reads_as_a_percent_with_a_plain_label(metric, value, limit, measured):
    cue = Cue("view.x", "warn", "Another person is in 42% of frames", 5, metric, value, limit)
    assert cue_rows([cue], "hinge")[0]["Measured"] == measured
    label, shown = measured.split(": ")
    text = evidence_text(cue, find_spec("hinge"))
    assert text.startswith(f"{label} {shown.split(' (')[0]}") and "fraction" not in text.lower()
