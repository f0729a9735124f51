"""Key frames picked out of the annotated video's pass over the video are the ones the report decodes for itself
(``formcheck analyze --annotate --report``: tests/unit/test_cli_annotate_keyframes.py)."""

from __future__ import annotations

import dataclasses

import pytest
from fc_report_builders import make_analysis, make_sequence, rep_plan, write_figure_video

import formcheck.report.keyframes as kf
from formcheck.config import Config
from formcheck.cues import analysis_cues
from formcheck.render import write_annotated_video
from formcheck.report import key_frame_grabber
from formcheck.types import VideoInfo

CFG = Config()
FAULTS = {2: {"spine_flexion_est_deg": 20.0}}


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    d = tmp_path_factory.mktemp("kclip")
    an = make_analysis(rep_plan(3, FAULTS), video=VideoInfo("v.mp4", 320, 240, 30, 0, 20.0))
    an = dataclasses.replace(an, cues=analysis_cues(an, CFG))
    seq = make_sequence(an, width=320, height=240)
    return d, write_figure_video(d / "v.mp4", seq), seq, an


@pytest.mark.parametrize("formats", [(".html",), (".pdf",), (".html", ".pdf", ".json")])
def test_grabber_gives_the_decoded_key_frames(clip, formats):
    d, video, seq, an = clip
    want = kf.key_frames(video, seq, an, CFG)
    grab = key_frame_grabber(an, seq, [d / f"r{s}" for s in formats], CFG)
    write_annotated_video(video, seq, an, d / "a.mp4", CFG, on_frame=grab.offer)
    got = grab.key_frames()
    assert [k.label for k in want] == ["Best rep (rep 1)", "Rep to improve (rep 2)"]
    assert got == want  # same stills, byte for byte (JPEG), same captions and cues
    assert len(grab.found) == 2  # only the wanted frames were kept


@pytest.mark.parametrize("formats", [(), (".json",), (".csv", ".json")])
def test_no_grabber_when_no_report_shows_key_frames(clip, formats):
    d, _, seq, an = clip
    assert key_frame_grabber(an, seq, [d / f"r{s}" for s in formats], CFG) is None
