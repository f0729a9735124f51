"""README's first command, end to end through the console script's ``main``: sample clip → table, JSON, report;
plus the documented exit code when nobody is in the video, and exercise recognition without --exercise."""

from __future__ import annotations

import json

import numpy as np
import pytest

from formcheck.cli import main
from formcheck.types import SCHEMA

pytestmark = pytest.mark.integration


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _readme_argv(repo_root, tmp_path) -> list[str]:
    """README's first command's formcheck arguments, its out/ paths moved into ``tmp_path``."""
    import shlex

    line = next(ln for ln in (repo_root / "README.md").read_text(encoding="utf-8").splitlines()
                if ".venv/bin/formcheck analyze" in ln)  # fmt: skip
    args = shlex.split(line.split(".venv/bin/formcheck", 1)[1])
    return [str(tmp_path / a) if a.startswith("out/") else str(repo_root / a) if a.startswith("sample_videos/")
            else a for a in args]  # fmt: skip


def test_readme_main_job_on_the_sample(tmp_path, repo_root, fresh_cache, capsys):
    out_json, out_html = tmp_path / "out" / "analysis.json", tmp_path / "out" / "report.html"
    argv = _readme_argv(repo_root, tmp_path)
    assert argv[0] == "analyze" and str(out_json) in argv and str(out_html) in argv
    assert main([*argv, "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "3 reps" in text and "focus next:" in text and "what one camera cannot see" in text
    # judged at the tempo the sample was filmed at (2-1-2-1): clean reps, no "lower for 3 s"
    assert "nothing to correct" in text and "Lower for" not in text
    rows = [line.split() for line in text.splitlines() if line.strip()[:1].isdigit() and line.split()[-1] == "hinge"]
    assert [r[0] for r in rows] == ["1", "2", "3"]
    d = json.loads(out_json.read_text())
    assert d["schema"] == SCHEMA and len(d["reps"]) == 3 and d["quality"]["view"] == "side"
    assert "rep-table" in out_html.read_text()
    assert list(fresh_cache.glob("*.npz")), "the pose cache should be written for the next run"

    # Second run: poses come from the cache, same result.
    assert main([*argv, "--quiet"]) == 0
    assert json.loads(out_json.read_text())["reps"] == d["reps"]


def test_hinge_is_recognised_without_exercise(sample_video, capsys):
    # Uses the normal pose cache (CI points it at one folder per run), so the sample is extracted once.
    assert main(["analyze", str(sample_video), "--quiet"]) == 0
    assert "hinge (recognised)" in capsys.readouterr().out


def test_video_with_nobody_exits_4(tmp_path, fresh_cache, capsys):
    av = pytest.importorskip("av")
    path = tmp_path / "empty_room.mp4"
    rng = np.random.default_rng(3)
    with av.open(str(path), "w") as c:
        s = c.add_stream("libx264", rate=30)
        s.width, s.height, s.pix_fmt = 320, 240, "yuv420p"
        for i in range(30):
            img = np.clip(rng.normal(120 + i, 20, (240, 320, 3)), 0, 255).astype(np.uint8)
            for pkt in s.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                c.mux(pkt)
        for pkt in s.encode():
            c.mux(pkt)
    assert main(["analyze", str(path), "--quiet"]) == 4
    err = capsys.readouterr().err
    assert "Nobody was found" in err and "Traceback" not in err
