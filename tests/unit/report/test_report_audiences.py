"""The report's two audiences, its header (who, when, notes), the session report and one judgement."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import subprocess

import pytest
from fc_report_builders import make_analysis, rep_plan

from formcheck.cli import main
from formcheck.config import Config
from formcheck.cues import analysis_cues
from formcheck.engine import judgement
from formcheck.report import ReportMeta, write_report, write_session_report
from formcheck.report import content as rc
from formcheck.report.meta import video_time
from formcheck.types import Analysis

CFG = Config()
IDENT = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def _judged(reps, config=CFG, **kw) -> Analysis:
    """An analysis with its cues and the settings it was judged with, as analyze_sequence leaves it."""
    an = make_analysis(reps, **kw)
    an = dataclasses.replace(an, cues=tuple(analysis_cues(an, config)))
    return dataclasses.replace(an, settings={**an.settings, judgement.KEY: judgement.record(config, an.exercise)})


def _pdf_text(path, first=None, last=None) -> str:
    cmd = ["pdftotext", "-layout"] + (["-f", str(first), "-l", str(last)] if first else []) + [str(path), "-"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def test_html_patient_part_first_with_header_and_no_identifiers(tmp_path):
    an = _judged(rep_plan(3, {2: {"spine_flexion_est_deg": 25.0}}))
    meta = ReportMeta(patient="Ana Silva", therapist="Dr Ortiz", notes="Two sets a day.\nStop if it hurts.",
                      session_at=dt.datetime(2026, 12, 5, 18, 30).astimezone(), session_source="given")  # fmt: skip
    page = write_report(an, tmp_path / "r.html", config=CFG, meta=meta).read_text(encoding="utf-8")
    patient, therapist = page.split('id="patient-page"', 1)[1].split('id="therapist"', 1)
    for needle in ("Sat 5 Dec 2026, 18:30", "Ana Silva", "Dr Ortiz", "Report made"):
        assert needle in page.split('id="patient-page"', 1)[0], needle
    text = re.sub(r"<[^>]+>", " ", patient)
    assert "Two sets a day." in text and "Notes from your therapist" in text
    assert "Keep your back long" in text  # the one thing to work on: the safety cue of rep 2
    assert IDENT.findall(text) == []
    # the therapist's part keeps the numbers, in words: no raw keys, no cue codes, no nested records
    assert "For the therapist" in therapist and "Settings this set was judged with" in therapist
    for raw in ("spine.rounding", "spine_flexion_est_deg", "judged_with", "target_tempo_s", "{'"):
        assert raw not in page, raw


def test_report_judges_with_the_recorded_settings_not_the_active_ones(tmp_path):
    # a set done at tempo 1-0-1-0 and saved; the report is made later with the default 3-1-2-1 active
    fast = CFG.replace_exercise("hinge", target_tempo_s=(1.0, 0.0, 1.0, 0.0))
    an = _judged(rep_plan(2), config=fast)
    assert not any(c.code.startswith("tempo.") for c in an.cues)
    page = write_report(an, tmp_path / "r.html", config=CFG).read_text(encoding="utf-8")
    assert "faster than the" not in page and "Lower for 3 s" not in page
    assert "1 / 0 / 1 / 0" in page  # the target it was judged against
    # an older analysis without the record: its flat target still wins over the active config
    old = dataclasses.replace(an, settings={k: v for k, v in an.settings.items() if k != judgement.KEY})
    old = dataclasses.replace(old, settings={**old.settings, "target_tempo_s": "1-0-1-0"})
    assert judgement.judged_config(old, CFG).exercise_config("hinge").target_tempo_s == (1.0, 0.0, 1.0, 0.0)


def test_judged_config_survives_a_record_from_another_version():
    an = _judged(rep_plan(1))
    rec = json.loads(json.dumps(an.settings[judgement.KEY]))
    rec["exercise"]["a_key_from_the_future"] = 3
    rec["exercise"]["tempo_tolerance_frac"] = 0.2
    an = dataclasses.replace(an, settings={**an.settings, judgement.KEY: rec})
    assert judgement.judged_config(an, CFG).exercise_config("hinge").tempo_tolerance_frac == 0.2


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_first_page_is_the_patient_page(tmp_path):
    an = _judged(rep_plan(3, {3: {"spine_flexion_est_deg": 25.0}}))
    out = write_report(an, tmp_path / "r.pdf", config=CFG, meta=ReportMeta(patient="Ana", notes="Keep going."))
    first = _pdf_text(out, 1, 1)
    assert "For you, Ana" in first and "Keep going." in first and "Keep your back long" in first
    assert "For the therapist" not in first and IDENT.findall(first) == []
    rest = _pdf_text(out)
    assert "For the therapist" in rest and "spine.rounding" not in rest


def test_session_report_html_and_pdf(tmp_path):
    a = _judged(rep_plan(2))
    b = _judged(rep_plan(3, {1: {"spine_flexion_est_deg": 30.0}}))
    outs = write_session_report([a, b], [tmp_path / "s.html", tmp_path / "s.pdf"], config=CFG,
                                meta=ReportMeta(patient="Ana"))  # fmt: skip
    page = outs[0].read_text(encoding="utf-8")
    table = page.split('id="session-table"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 3  # header + one row per set
    assert "Keep your back long" in table  # set 2's one thing
    assert 'id="set-1-therapist"' in page and 'id="set-2-therapist"' in page
    if shutil.which("pdftotext"):
        first = _pdf_text(outs[1], 1, 1)
        assert "Set 1" in first and "Set 2" in first and "Keep your back long" in first
    with pytest.raises(Exception, match="HTML or PDF"):
        write_session_report([a], [tmp_path / "s.csv"], config=CFG)


def test_cli_report_session_and_header(tmp_path, capsys):
    paths = []
    for i, reps in enumerate((rep_plan(2), rep_plan(1))):
        p = tmp_path / f"set{i}.json"
        p.write_text(json.dumps(_judged(reps).to_json_dict()), encoding="utf-8")
        paths.append(str(p))
    notes = tmp_path / "notes.txt"
    notes.write_text("Slow lowering.", encoding="utf-8")
    rc_ = main(["report", *paths, "-o", str(tmp_path / "s.html"), "--patient", "Ana <b>", "--therapist", "Dr O",
                "--notes", f"@{notes}", "--session-time", "2026-12-05T18:30"])  # fmt: skip
    assert rc_ == 0
    page = (tmp_path / "s.html").read_text(encoding="utf-8")
    assert "Ana &lt;b&gt;" in page and "Slow lowering." in page and "Sat 5 Dec 2026, 18:30" in page
    assert main(["report", paths[0], "-o", str(tmp_path / "x.html"), "--session-time", "yesterday"]) == 2
    assert "is not a date and time" in capsys.readouterr().err


def test_video_time_falls_back_to_the_file_time(tmp_path):
    f = tmp_path / "clip.mp4"
    f.write_bytes(b"not a video")
    when, source = video_time(f)
    assert source == "file time" and abs((dt.datetime.now().astimezone() - when).total_seconds()) < 60
    assert video_time(tmp_path / "missing.mp4") == (None, "")


@pytest.mark.parametrize(
    ("key", "label", "unit"),
    [
        ("spine_baseline_noise_deg", "Spine baseline noise", "°"),
        ("mean_eccentric_s", "Lowering time (mean)", "s"),
        ("max_spine_flexion_est_deg", "Back rounding (estimate) (largest)", "°"),
        ("px_per_cm", "Px per cm", ""),
    ],
)
def test_value_labels(key, label, unit):
    got, _, u = rc.value_label(key, rc.find_spec("hinge"))
    assert (got, u) == (label, unit)
