"""Every analyzer keeps the recording's identity (``seq.video``): file name, duration and size in every output.

User-eyes check: the glute bridge, cat-camel, plank and side plank printed ``formcheck — glute_bridge — stream``,
wrote ``"video": null`` to the JSON, and ``formcheck report`` of that JSON then had no file name.
"""

from __future__ import annotations

import dataclasses
import json
import warnings

import pytest

from formcheck.analyze import analyze_sequence
from formcheck.cli import main
from formcheck.config import Config
from formcheck.engine.registry import specs
from formcheck.types import Analysis, VideoInfo

CFG = Config()
VIDEO = VideoInfo(
    path="/clips/patient_ana_set2.mp4", width=640, height=360, fps=30.0, n_frames=300, duration_s=10.0, codec="h264"
)


@pytest.fixture(scope="module", params=[s.name for s in specs()])
def analysed(request: pytest.FixtureRequest) -> tuple[str, Analysis]:
    spec = next(s for s in specs() if s.name == request.param)
    assert spec.synth is not None, f"{spec.name}: no synthetic generator"
    seq = dataclasses.replace(spec.synth(n_reps=2, facing=1, fps=30.0, seed=0).seq, video=VIDEO)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return spec.name, analyze_sequence(seq, spec.name, CFG)


def test_the_analysis_carries_the_video(analysed: tuple[str, Analysis]) -> None:
    name, an = analysed
    assert an.video == VIDEO, f"{name}: analysis.video is {an.video!r}"
    assert json.loads(json.dumps(an.to_json_dict()))["video"]["path"] == VIDEO.path


@pytest.mark.slow  # a long stream simulation: main CI step only (see pyproject's markers)
def test_report_of_the_json_names_the_file(analysed: tuple[str, Analysis], tmp_path, capsys) -> None:
    name, an = analysed
    src = tmp_path / "analysis.json"
    src.write_text(json.dumps(an.to_json_dict()), encoding="utf-8")
    out = tmp_path / "r.html"
    assert main(["report", str(src), "-o", str(out), "--quiet"]) == 0, f"{name}: {capsys.readouterr().err}"
    assert "patient_ana_set2.mp4" in out.read_text(encoding="utf-8"), name
