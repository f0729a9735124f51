"""End to end on the bundled rendered hinge clip: cues, annotated video and all four report formats.

The clip is a clean hip hinge (3 reps, tempo 2-1-2-1), so with that target tempo the cue engine must give no
correction at all, only praise; the outputs must be produced offline and be well-formed.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import shutil
import subprocess

import numpy as np
import pytest

from formcheck.analyze import analyze_video
from formcheck.config import Config
from formcheck.cues import count_changes, is_correction
from formcheck.render import cue_track, frame_states, write_annotated_video
from formcheck.render.states import MIN_FEEDBACK_SHOW_S
from formcheck.report import write_report

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def analysed(sample_video):
    cfg = Config().replace_exercise("hinge", target_tempo_s=(2.0, 1.0, 2.0, 1.0))
    seq, an = analyze_video(sample_video, "hinge", cfg)
    return cfg, seq, an


def test_clean_clip_gets_praise_and_no_corrections(analysed):
    cfg, _, an = analysed
    assert len(an.reps) == 3
    corrections = [c for c in an.cues if is_correction(c)]
    assert corrections == [], [(c.rep_index, c.code, c.value) for c in corrections]
    assert [c.rep_index for c in an.cues if c.code == "praise.clean"] == [1, 2, 3]


def test_replayed_cues_do_not_flicker(analysed):
    cfg, seq, an = analysed
    track = cue_track(frame_states(seq, an), an, cfg)
    codes = [None if c is None else c.code for c in track]
    assert set(codes) <= {None, "praise.clean"}
    fps = seq.fps
    # (code, frames, first frame after the run); the last run may be cut by the clip's end
    runs, i = [], 0
    for c, g in itertools.groupby(codes):
        n = len(list(g))
        runs.append((c, n, i + n))
        i += n
    # A rep's feedback shows from the rep's end and leaves when the next rep begins (render.states: never over
    # another rep): a run either lasts the minimum display time or ends as a rep starts, and is never a flash.
    t = np.asarray(seq.t_s)
    starts = {int(np.searchsorted(t, r.start_s)) for r in an.reps}
    for c, n, after in runs[:-1]:
        if c is None:
            continue
        assert n / fps >= MIN_FEEDBACK_SHOW_S - 1.5 / fps, (c, n / fps)
        assert after in starts or n / fps >= cfg.cues.min_display_s - 1.5 / fps, (c, n / fps, after)
    assert count_changes(track) <= 6


@pytest.mark.skipif(shutil.which("ffprobe") is None or shutil.which("pdftotext") is None, reason="tools missing")
def test_all_outputs(analysed, sample_video, tmp_path):
    cfg, seq, an = analysed
    out = write_annotated_video(sample_video, seq, an, tmp_path / "annotated.mp4", cfg)
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,pix_fmt",
         "-of", "json", str(out)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(probe.stdout)["streams"][0] == {"codec_name": "h264", "pix_fmt": "yuv420p"}
    paths = {s: write_report(an, tmp_path / f"r.{s}", video_path=sample_video, seq=seq, config=cfg)
             for s in ("html", "pdf", "csv", "json")}  # fmt: skip
    html = paths["html"].read_text(encoding="utf-8")
    assert html.count("<tr>") >= 4 and 'id="plot-series"' in html and 'id="key-frames"' in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        'xmlns:xlink="http://www.w3.org/1999/xlink"', ""
    )
    text = subprocess.run(["pdftotext", str(paths["pdf"]), "-"], capture_output=True, text=True, check=True).stdout
    assert "What the camera cannot see" in text and "Good hinge" in text
    rows = list(csv.DictReader(io.StringIO(paths["csv"].read_text(encoding="utf-8"))))
    assert len(rows) == 3 and all(r["cues"] == "" for r in rows)
    doc = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert doc["schema"] == "formcheck.analysis/2" and len(doc["reps"]) == 3
