"""``formcheck analyze --annotate --report``: the reports' key frames come from the annotated video's pass over the
video (the video is not decoded again for them) and are the stills the report makes when it decodes for itself."""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

import pytest

import formcheck.report.keyframes as kf
from formcheck.cli import main
from formcheck.config import Config
from formcheck.cues import analysis_cues
from formcheck.report import write_reports
from formcheck.types import VideoInfo

sys.path.insert(0, str(Path(__file__).resolve().parent / "report"))
from fc_report_builders import make_analysis, make_sequence, rep_plan, write_figure_video  # noqa: E402

CFG = Config()


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    d = tmp_path_factory.mktemp("kclip")
    an = make_analysis(
        rep_plan(3, {2: {"spine_flexion_est_deg": 20.0}}), video=VideoInfo("v.mp4", 320, 240, 30, 0, 20.0)
    )
    an = dataclasses.replace(an, cues=analysis_cues(an, CFG))
    seq = make_sequence(an, width=320, height=240)
    return d, write_figure_video(d / "v.mp4", seq), seq, an


@pytest.fixture
def video_reads(monkeypatch):
    """The videos the key-frame code decodes itself (each pass from the start)."""
    reads = []
    real = kf.iter_video_frames
    monkeypatch.setattr(kf, "iter_video_frames", lambda p, *a, **k: (reads.append(p), real(p, *a, **k))[1])
    return reads


def _stills(html: str) -> list[str]:
    return re.findall(r'src="data:image/jpeg;base64,([^"]+)"', html)


def test_analyze_with_annotate_decodes_the_video_once(clip, tmp_path, monkeypatch, video_reads):
    d, video, seq, an = clip
    import formcheck.analyze as analyze_mod

    # the pose model and the analysis are not under test: the clip's own poses and analysis stand in for them
    monkeypatch.setattr(analyze_mod, "load_or_extract", lambda *a, **k: seq)
    monkeypatch.setattr(analyze_mod, "analyze_sequence", lambda *a, **k: an)
    out = tmp_path / "out"
    code = main(["analyze", str(video), "--exercise", "hinge", "--quiet", "--annotate", str(out / "a.mp4"),
                 "--report", str(out / "r.html"), "--report", str(out / "r.pdf")])  # fmt: skip
    assert code == 0
    assert video_reads == []  # the key frames came from the annotated video's pass
    assert all((out / n).stat().st_size > 0 for n in ("a.mp4", "r.html", "r.pdf"))
    write_reports(an, [tmp_path / "alone.html"], video_path=video, seq=seq, config=CFG)  # decodes for itself
    assert video_reads == [video]
    got = _stills((out / "r.html").read_text(encoding="utf-8"))
    assert len(got) == 2 and got == _stills((tmp_path / "alone.html").read_text(encoding="utf-8"))
