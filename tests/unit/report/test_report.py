"""Report content and the four formats (HTML, PDF, CSV, JSON) on analyses built with known values."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import html
import io
import json
import math
import shutil
import subprocess
from html.parser import HTMLParser

import cv2
import numpy as np
import pytest
from fc_report_builders import make_analysis, make_rep, make_sequence, rep_plan, write_figure_video

from formcheck.config import Config
from formcheck.cues import analysis_cues
from formcheck.engine.registry import get_spec
from formcheck.errors import UsageError, VideoNotFoundError
from formcheck.report import ReportMeta, write_report, write_reports
from formcheck.report import content as rc
from formcheck.types import Analysis, Cue, Quality, VideoInfo

CFG = Config()
EVIL = '<script>alert("x")</script>&<img src=x onerror=alert(1)>'
FAULTS = {
    2: {"spine_flexion_est_deg": 20.0},
    3: {"com_toes_excess_cm": 6.0, "time_outside_midfoot_s": 0.5, "com_bottom_pct_foot": 75.0},
}


def with_cues(an: Analysis) -> Analysis:
    return dataclasses.replace(an, cues=analysis_cues(an, CFG))


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return with_cues(make_analysis(rep_plan(4, FAULTS), video=VideoInfo("clips/hinge 1.mp4", 320, 240, 30, 0, 30.0)))


@pytest.fixture(scope="module")
def clip(tmp_path_factory, analysis):
    d = tmp_path_factory.mktemp("rclip")
    seq = make_sequence(analysis, width=320, height=240)
    return write_figure_video(d / "figure.mp4", seq), seq


# ------------------------------------------------------------------ content ----


def test_best_and_worst():
    an = make_analysis(rep_plan(4, FAULTS))
    best, worst = rc.best_and_worst(an, CFG)
    assert best.index == 1  # clean, earliest
    assert worst.index == 2  # safety beats a load-path fault
    one = make_analysis(rep_plan(1))
    assert rc.best_and_worst(one, CFG)[1] is None
    same = make_analysis(rep_plan(3))  # all clean: nothing to contrast
    best, worst = rc.best_and_worst(same, CFG)
    assert best.index == 1 and worst is None
    assert rc.best_and_worst(make_analysis([]), CFG) == (None, None)


def test_rep_rows_mark_the_evidence(analysis):
    head = rc.rep_headers(analysis)
    rows = rc.rep_rows(analysis, CFG)
    assert [r.cells[0] for r in rows] == ["1", "2", "3", "4"]
    assert rows[0].faulty == frozenset() and rows[0].cells[-1] == "clean"
    assert rows[1].faulty == {head.index("Back rounding °")}
    assert rows[1].cells[head.index("Back rounding °")] == "20 ±5"  # the estimate with its declared error
    # load.toes: the weight range's column, shown min–max as in the CLI and the app (acceptance check #5)
    assert rows[2].faulty == {head.index("Weight % foot (min–max)")}
    assert "–" in rows[2].cells[head.index("Weight % foot (min–max)")].strip("–")
    assert "load.toes" in rows[2].cue_codes
    assert rows[0].cells[head.index("Type")] == "hip hinge"  # the class in the spec's words


def test_rep_table_columns_come_from_the_spec(analysis):
    table = rc.rep_table(analysis, CFG)
    spec = get_spec("hinge")
    shown = [m.table_title for m in spec.metric_specs("report", "rep")]
    assert list(table.headers) == ["Rep", "Type", "Start s", "Lower s", "Pause s", "Rise s", "Top s", *shown, "Cues"]
    assert table.text_columns == {1, len(table.headers) - 1}
    # a rep value shown with the spec's scale and format: hip share 0.8 -> "80"
    assert table.rows[0].cells[table.headers.index(spec.metric("hip_share").table_title)] == "80"


@pytest.mark.parametrize(
    ("tempo", "column"),
    [((1.0, 1.0, 2.0, 1.0), "Lower s"), ((3.0, 0.1, 2.0, 1.0), "Pause s"), ((3.0, 1.0, 0.5, 1.0), "Rise s")],
)
def test_rep_rows_mark_the_tempo_phase_that_was_off(tempo, column):
    an = make_analysis([make_rep(1, 1.0, tempo)])
    assert rc.rep_rows(an, CFG)[0].faulty == {rc.rep_headers(an).index(column)}


def test_rep_table_adds_side_and_hold_columns_only_when_reps_have_them():
    reps = [dataclasses.replace(make_rep(1, 1.0), side="left", hold_s=2.5), make_rep(2, 9.0)]
    table = rc.rep_table(make_analysis(reps), CFG)
    side, hold = table.headers.index("Side"), table.headers.index("Hold s")
    assert [r.cells[side] for r in table.rows] == ["left", "both"]
    assert [r.cells[hold] for r in table.rows] == ["2.50", "–"]
    assert side in table.text_columns
    assert "Side" not in rc.rep_headers(make_analysis(rep_plan(2)))


def test_rep_rows_show_unknown_as_dash():
    an = make_analysis([make_rep(spine_flexion_est_deg=math.nan, hip_share=math.nan)])
    head = rc.rep_headers(an)
    row = rc.rep_rows(an, CFG)[0]
    assert row.cells[head.index("Back rounding °")] == "–"
    assert row.cells[head.index("Hip share %")] == "–"


def test_unknown_exercise_gets_generic_columns_and_its_own_cues():
    an = make_analysis(rep_plan(2), exercise="from_a_newer_version")
    cue = Cue("x.fault", "warn", "Do it differently", 20, metric="eccentric_s", rep_index=2)
    an = dataclasses.replace(an, cues=(cue,))
    table = rc.rep_table(an, CFG)
    assert list(table.headers) == ["Rep", "Type", "Start s", "Lower s", "Pause s", "Rise s", "Top s", "Cues"]
    assert table.rows[1].cue_codes == ("x.fault",) and table.rows[1].faulty == {table.headers.index("Lower s")}
    assert rc.limits_of(dataclasses.replace(an, limits=())) == rc.DEFAULT_LIMITS


@pytest.mark.parametrize(
    ("reps", "quality", "must", "must_not"),
    [
        (rep_plan(3), None, ["3 repetitions", "good hip hinge", "stayed steady", "Nothing to correct"],
         ["rounded"]),
        (rep_plan(4, FAULTS), None, ["rounded more than it should in rep 2", "onto your toes in rep 3",
                                     "one thing to work on next: Keep your back long"], ["Nothing to correct"]),
        ([make_rep(1, 1.0, hip_share=0.3, classification="stoop")], None, ["only about 30%", "hips back"], []),
        ([make_rep(1, 1.0, (1.0, 1.0, 2.0, 1.0))], None, ["faster than the 3 s aim in rep 1"], []),
        # the summary judges like the cue engine: an impossible CoM reading is not "onto the toes"
        ([make_rep(1, 1.0, com_toes_excess_cm=25.0, time_outside_midfoot_s=2.0)], None, [], ["toes"]),
        ([make_rep(1, 1.0, spine_flexion_est_deg=30.0)], None, ["rounded more than it should in rep 1"],
         ["good hip hinge"]),
        ([], None, ["could not find a full repetition"], ["You did"]),
        (rep_plan(2, {1: {"spine_flexion_est_deg": 30.0}}),
         Quality(view="front", frames_total=10, person_fraction=1, full_body_fraction=1),
         ["filmed from the front", "only judge your timing", "from the side"], ["back rounded", "hip hinge"]),
    ],
)  # fmt: skip
def test_patient_summary(reps, quality, must, must_not):
    text = " ".join(rc.patient_summary(make_analysis(reps, quality=quality), CFG))
    for m in must:
        assert m in text
    for m in must_not:
        assert m not in text
    assert "_" not in text  # no metric names or codes in the patient's text


def test_limits_from_the_exercise_when_analyzer_gave_none():
    declared = get_spec("hinge").limits  # less the floor-lift note: this set is not lifted from the floor
    assert rc.limits_of(make_analysis(limits=())) == tuple(x for x in declared if not x.startswith("A lift from"))
    assert rc.limits_of(make_analysis(limits=("x",))) == ("x",)


# --------------------------------------------------------------------- HTML ----


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html_text: str) -> _Collector:
    p = _Collector()
    p.feed(html_text)
    return p


def test_html_is_self_contained_and_complete(analysis, clip, tmp_path):
    video, seq = clip
    out = write_report(analysis, tmp_path / "r.html", video_path=video, seq=seq, config=CFG)
    text = out.read_text(encoding="utf-8")
    doc = parse(text)
    tags = [t for t, _ in doc.tags]
    assert "script" not in tags and "link" not in tags and "iframe" not in tags
    for _, attrs in doc.tags:
        for k in ("src", "href"):
            v = attrs.get(k)
            assert v is None or v.startswith(("data:", "#")), v
    assert "url(http" not in text and "@import" not in text
    ids = {a.get("id") for _, a in doc.tags}
    assert {"rep-table", "plot-series", "plot-tempo", "key-frames", "cue-table", "patient", "limits"} <= ids
    # one table row per rep (+ header)
    body = text[text.index('id="rep-table"') :]
    body = body[: body.index("</table>")]
    assert body.count("<tr>") == 1 + len(analysis.reps)
    assert body.count('class="bad"') == 2 and "20 ±5" in body
    # the key frames decode as images with the overlay banner colours
    imgs = [a["src"] for t, a in doc.tags if t == "img"]
    assert len(imgs) == 2
    import base64

    for src in imgs:
        img = cv2.imdecode(np.frombuffer(base64.b64decode(src.split(",", 1)[1]), np.uint8), cv2.IMREAD_COLOR)
        assert img is not None and img.shape[1] == 320
    joined = " ".join(doc.text)
    assert "Best rep (rep 1)" in joined and "Rep to improve (rep 2)" in joined
    assert "What the camera cannot see" in joined
    for lim in analysis.limits:
        assert lim in joined
    assert "hinge 1.mp4" in joined


def test_html_escapes_all_outside_text(tmp_path):
    an = make_analysis(
        rep_plan(2, {2: {"spine_flexion_est_deg": 20.0}}),
        video=VideoInfo(f"dir/{EVIL.replace('/', '')}.mp4", 320, 240, 30, 0, 9.0),
        quality=Quality(view="side", frames_total=10, person_fraction=1, full_body_fraction=1, warnings=(EVIL,)),
        limits=(EVIL,),
    )
    # cues from the hinge's rules, then an exercise name no spec has (a report must still render it, escaped)
    an = dataclasses.replace(
        an,
        exercise=EVIL,
        summary={EVIL: EVIL},
        settings={"note": EVIL},
        cues=(dataclasses.replace(analysis_cues(an, CFG)[0], message=EVIL),),
    )
    text = write_report(an, tmp_path / "e.html", config=CFG).read_text(encoding="utf-8")
    doc = parse(text)
    tags = [t for t, _ in doc.tags]
    assert "script" not in tags and "img" not in tags
    assert not any(k.startswith("on") for _, a in doc.tags for k in a)
    assert "&lt;script&gt;" in text
    assert " ".join(doc.text).count('<script>alert("x")</script>') >= 5  # shown as text, many places


def test_html_without_reps_or_series(tmp_path):
    an = make_analysis([], quality=Quality(view="front", frames_total=20, person_fraction=1, full_body_fraction=1))
    an = dataclasses.replace(with_cues(an), series={})
    text = write_report(an, tmp_path / "empty.html").read_text(encoding="utf-8")
    assert "No reps were found" in text and "plot-series" not in text
    for c in an.cues:  # the cues in words, never their codes
        assert html.escape(c.message) in text and c.code not in text


# ---------------------------------------------------------------------- PDF ----


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pdf_renders_to_pages_with_text(analysis, clip, tmp_path):
    video, seq = clip
    out = write_report(analysis, tmp_path / "r.pdf", video_path=video, seq=seq, config=CFG)
    assert out.read_bytes()[:5] == b"%PDF-"
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(out), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert 1 <= len(pages) <= 6
    for p in pages:
        img = cv2.imread(str(p))
        assert img is not None and (img < 200).any()  # not blank
    # the first page carries text and the plots page carries a chart (many non-white pixels)
    inked = [float((cv2.imread(str(p)) < 200).any(axis=2).mean()) for p in pages]
    assert max(inked) > 0.05
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for needle in ("in plain words", "Reps", "What the camera cannot see", "Cues and evidence",
                   "Pictures from your set", "For the therapist", "rounded about 20°", "Back rounding (estimate) 20°",
                   "20 ±5"):  # fmt: skip
        assert needle in text, needle


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_escapes_markup_and_handles_no_reps(tmp_path):
    an = make_analysis([], exercise="<b>bold</b> & <i>", limits=("a < b & c > d",))
    out = write_report(an, tmp_path / "e.pdf")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())  # pdftotext drops spaces between reportlab's text fragments
    assert "<b>bold</b>&<i>" in flat and "a<b&c>d" in flat and "Norepswerefound" in flat


# ---------------------------------------------------------------- CSV, JSON ----


def test_csv_one_row_per_rep_all_metrics(analysis, tmp_path):
    reps = list(analysis.reps)
    reps[0] = dataclasses.replace(reps[0], metrics={**reps[0].metrics, "hip_share": math.nan, "extra_metric_deg": 1.5})
    an = dataclasses.replace(analysis, reps=tuple(reps))
    out = write_report(an, tmp_path / "r.csv", config=CFG)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == len(an.reps)
    assert [r["index"] for r in rows] == ["1", "2", "3", "4"]
    for key in reps[1].metrics:
        assert key in rows[0]
    assert "extra_metric_deg" in rows[0] and rows[0]["extra_metric_deg"] == "1.5"
    assert rows[0]["hip_share"] == ""  # NaN → empty cell
    assert rows[1]["spine_flexion_est_deg"] == "20" and rows[1]["cues"] == "spine.rounding"
    assert rows[2]["cues"] == "load.toes"
    assert rows[0]["classification"] == "hinge"


def test_json_round_trips(analysis, tmp_path):
    an = dataclasses.replace(analysis, summary={"mean_hip_share": math.nan, "n": 4})
    out = write_report(an, tmp_path / "r.json")
    d = json.loads(out.read_text(encoding="utf-8"), parse_constant=lambda c: pytest.fail(f"non-JSON {c}"))
    assert d["schema"] == "formcheck.analysis/2"
    assert d["summary"]["mean_hip_share"] is None
    back = Analysis.from_json_dict(d)
    assert len(back.reps) == 4 and back.reps[1].metrics["spine_flexion_est_deg"] == 20.0
    assert [c.code for c in back.cues] == [c.code for c in an.cues]
    assert np.allclose(back.series["hip_flexion_deg"], an.series["hip_flexion_deg"])


def test_unknown_suffix_and_atomic_write(analysis, tmp_path):
    with pytest.raises(UsageError, match=r"\.html"):
        write_report(analysis, tmp_path / "r.docx")
    target = tmp_path / "r.html"
    target.write_text("old")
    with pytest.raises(VideoNotFoundError):
        write_report(analysis, target, video_path=tmp_path / "nope.mp4", seq=make_sequence(analysis))
    assert target.read_text() == "old"  # a failed write leaves the old report in place
    assert not list(tmp_path.glob(".*.part"))


def test_report_recomputes_cues_when_analysis_has_none(tmp_path):
    an = make_analysis(rep_plan(2, {2: {"spine_flexion_est_deg": 20.0}}))  # no cues attached
    text = write_report(an, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Keep your back long" in text and "spine.rounding" not in text


# ------------------------------------------------------------- several formats ----


@pytest.fixture
def count_video_reads(monkeypatch):
    """Counts how many times the key-frame code opens the video (each pass decodes from the start)."""
    import formcheck.report.keyframes as kf

    reads = []
    real = kf.iter_video_frames

    def counting(path, *a, **k):
        reads.append(path)
        return real(path, *a, **k)

    monkeypatch.setattr(kf, "iter_video_frames", counting)
    return reads


def test_several_formats_read_the_video_once_with_the_same_content(
    analysis, clip, tmp_path, count_video_reads, monkeypatch
):
    import formcheck.report.pdf as pdf_mod

    video, seq = clip
    pdf_frames = []  # the key frames each PDF was built from
    real_pdf = pdf_mod.write_pdf
    monkeypatch.setattr(pdf_mod, "write_pdf", lambda an, out, cfg, fr=None, meta=None: (
        pdf_frames.append(fr), real_pdf(an, out, cfg, fr, meta)))  # fmt: skip
    names = ("r.html", "r.pdf", "r.csv", "r.json")
    written = []
    meta = ReportMeta(made_at=dt.datetime(2026, 12, 6, 9, 0).astimezone())  # the same "report made" in both
    outs = write_reports(analysis, [tmp_path / n for n in names], video_path=video, seq=seq, config=CFG,
                         on_written=written.append, meta=meta)  # fmt: skip
    assert count_video_reads == [video]
    assert outs == written == [tmp_path / n for n in names] and all(o.stat().st_size > 0 for o in outs)
    # same files as one write_report per format (each HTML/PDF one reads the video again)
    single = tmp_path / "single"
    single.mkdir()
    for n in names:
        write_report(analysis, single / n, video_path=video, seq=seq, config=CFG, meta=meta)
    assert len(count_video_reads) == 3
    for n in ("r.html", "r.csv", "r.json"):
        assert (tmp_path / n).read_bytes() == (single / n).read_bytes(), n
    assert len(pdf_frames) == 2 and len(pdf_frames[0]) == 2 and pdf_frames[0] == pdf_frames[1]


def test_several_formats_check_every_suffix_first(analysis, tmp_path, count_video_reads):
    with pytest.raises(UsageError, match="r.docx"):
        write_reports(analysis, [tmp_path / "r.html", tmp_path / "r.docx"], config=CFG)
    assert not (tmp_path / "r.html").exists() and count_video_reads == []


def test_tables_only_never_read_the_video(analysis, clip, tmp_path, count_video_reads):
    video, seq = clip
    write_reports(analysis, [tmp_path / "r.csv", tmp_path / "r.json"], video_path=video, seq=seq, config=CFG)
    assert count_video_reads == []
