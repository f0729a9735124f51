"""The PDF a physiotherapist hands over is readable (acceptance check 4: wide tables, settings, wording).

* No per-rep or per-hold table is wider than :data:`MAX_TABLE_COLUMNS` columns; a wide one is split into tables
  that each repeat the Rep (or Hold) column, and the rows' corrections are a list under them.
* Table titles and cells wrap only between words ("Re p", "Thig h" were words broken by the line wrap), and no
  word runs over its column.
* The settings table speaks to a physio: no raw field names, no "NaN", no developer notes; units with a space.
* A signed amount in a sentence takes the direction word of its sign ("3° below parallel", not "-3° above");
  counts are singular or plural as they should be.

The analyses are synthetic, every declared metric of each exercise filled with a wide number, so the tables are
as wide as the exercise can make them.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.platypus import Paragraph, Table

from formcheck.config import Config
from formcheck.cues import analysis_cues
from formcheck.engine.judgement import judged_config
from formcheck.engine.registry import find_spec
from formcheck.engine.spec import MetricSpec
from formcheck.report import content as rc
from formcheck.report import pdf
from formcheck.types import Analysis, Hold, Quality

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fc_report_builders import make_analysis, rep_plan  # noqa: E402

CFG = Config()
REP_EXERCISES = ("squat", "lunge", "hinge", "dead_bug", "bird_dog", "glute_bridge", "side_bend", "trunk_rotation")
HOLD_EXERCISES = ("plank", "side_plank")


def _quality(**kw) -> Quality:
    base = dict(view="side", facing="right", side_used="right", frames_total=300, person_fraction=1.0,
                full_body_fraction=1.0, multi_person_fraction=0.0, mean_visibility=0.95)  # fmt: skip
    return Quality(**{**base, **kw})


def _with_cues(an: Analysis) -> Analysis:
    return dataclasses.replace(an, cues=analysis_cues(an, CFG))


def _rep_analysis(exercise: str, value: float = -123.4) -> Analysis:
    """Three reps of ``exercise`` (quick lowering: a tempo correction on each) with every declared rep metric at
    ``value`` and a side each, so every column the exercise declares is in its table."""
    spec = find_spec(exercise)
    metrics = {m.key: value for m in spec.metrics if m.kind == "rep" and not m.key.startswith("target_")}
    reps = [dataclasses.replace(r, metrics={**r.metrics, **metrics}, side=("left", "right")[r.index % 2])
            for r in rep_plan(3, tempo=(0.8, 0.2, 0.5, 0.3))]  # fmt: skip
    return make_analysis(reps, exercise=exercise)


def _hold_analysis(exercise: str) -> Analysis:
    spec = find_spec(exercise)
    metrics = {m.key: 12.34 for m in spec.metrics if m.kind == "hold"}
    holds = tuple(Hold(index=i, start_s=1.0 + 10 * i, end_s=8.0 + 10 * i, in_band_s=6.0, side="left", metrics=metrics)
                  for i in (1, 2))  # fmt: skip
    return dataclasses.replace(make_analysis([], exercise=exercise, quality=_quality(position="prone")), holds=holds)


@functools.cache
def _analysis(exercise: str) -> Analysis:
    return _hold_analysis(exercise) if exercise in HOLD_EXERCISES else _rep_analysis(exercise)


@functools.cache
def _story(exercise: str) -> tuple:
    """The therapist's part of the PDF (built once per exercise: the plots take a while)."""
    an = _analysis(exercise)
    return tuple(pdf.therapist_story(an, judged_config(an, CFG), pdf._styles()))


def _line_texts(p: Paragraph, width: float) -> list[tuple[str, float]]:
    """The lines a paragraph is laid out in at ``width``: (text, room left on the line; negative = overrun)."""
    p.wrap(width, 10_000)
    bl = p.blPara
    if bl.kind == 0:
        return [(" ".join(words), extra) for extra, words in bl.lines]
    return [("".join(getattr(w, "text", "") for w in ln.words), ln.extraSpace) for ln in bl.lines]


def _rep_tables(exercise: str) -> list[Table]:
    """The story's tables made from the per-rep / per-hold table (their first title is "Rep" or "Hold")."""
    out = []
    for t in (f for f in _story(exercise) if isinstance(f, Table)):
        first = t._cellvalues[0][0]
        if isinstance(first, Paragraph) and first.getPlainText() in ("Rep", "Hold"):
            out.append(t)
    return out


@pytest.mark.parametrize("exercise", REP_EXERCISES + HOLD_EXERCISES)
def test_rep_tables_are_at_most_nine_columns_and_keep_every_column(exercise):
    an = _analysis(exercise)
    tables = _rep_tables(exercise)
    assert tables, "no per-rep table in the story"
    table = rc.hold_table(an, CFG) if an.holds else rc.rep_table(an, CFG)
    shown = []
    for t in tables:
        assert len(t._cellvalues[0]) <= pdf.MAX_TABLE_COLUMNS
        heads = [c.getPlainText() for c in t._cellvalues[0]]
        assert heads[0] == table.headers[0]  # each part starts with the Rep (Hold) column
        shown += heads[1:]
    # every column but the cues is in one of the parts, in order; the cues are listed under the tables
    assert shown == list(table.headers[1:-1])


@pytest.mark.parametrize("exercise", REP_EXERCISES + HOLD_EXERCISES)
def test_table_titles_and_cells_wrap_only_between_words(exercise):
    for t in _rep_tables(exercise):
        for row in t._cellvalues:
            for cell, width in zip(row, t._argW, strict=True):
                words = cell.getPlainText().split()
                lines = _line_texts(cell, width - 5.0)  # the cell's padding (2.5 pt each side)
                got = [w for text, _ in lines for w in text.split()]
                assert got == words, f"{cell.getPlainText()!r} broken as {[x for x, _ in lines]}"
                assert all(room > -0.5 for _, room in lines), f"{cell.getPlainText()!r} runs over its column"


def test_a_reps_corrections_are_a_list_under_the_table():
    an = _analysis("squat")
    texts = [f.getPlainText() for f in _story("squat") if isinstance(f, Paragraph)]
    rows = rc.rep_table(an, judged_config(an, CFG)).rows
    said = [r.cells[-1] for r in rows]
    assert all(s != "clean" for s in said)  # the quick tempo earned a correction on every rep
    for r in rows:
        assert f"Rep {r.cells[0]}: {r.cells[-1]}" in texts


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_wide_squat_pdf_has_whole_titles(tmp_path):
    from formcheck.report import write_report

    out = write_report(_rep_analysis("squat"), tmp_path / "s.pdf", config=CFG)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for broken in ("Re p", "Typ e", "Star t", "Thig h"):
        assert broken not in text
    assert "Thigh vs" in text and "Rep 1: Lower for 3 s" in text  # the title whole; the cues listed


# ------------------------------------------------------------------------------------------------ settings ----

_RAW = re.compile(r"\b[a-z]+_[a-z_]+\b")  # an identifier: load_kg, min_rom_deg


@pytest.mark.parametrize("an", [pytest.param(_rep_analysis(e), id=e) for e in ("squat", "hinge", "lunge")]
                         + [pytest.param(_hold_analysis("plank"), id="plank")])  # fmt: skip
def test_settings_rows_are_plain_words(an):
    rows = rc.settings_rows(an, judged_config(an, CFG))
    assert rows
    for label, value, meaning in rows:
        for text in (label, value, meaning):
            assert not _RAW.search(text), text
            for dev in ("NaN", "nan", '" | "', "calibration)", "from validation", "->", "(1 - this)"):
                assert dev not in text, (label, text)
        assert label not in ("Min rom", "Rep prominence", "Body", "Load", "Load entered"), label
        assert not re.search(r"\d(cm|kg|s)\b", value), value  # a space before a unit that is a word
        assert not meaning.startswith(("deg ", "deg:", "deg,", "cm ", "s ", "s:", "kg ")), meaning


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (math.nan, "°", "not set"),
        (None, "", "not set"),
        ((-25.0, 30.0), "°", "-25 to 30°"),
        ((30.0, 60.0), "%", "30–60%"),
        ((2.0, 0.0, 1.5, 0.5), "s", "2 / 0 / 1.5 / 0.5 s"),
        (2.0, "s", "2 s"),
        (12.0, "°", "12°"),
        (True, "", "yes"),
    ],
)
def test_setting_values(value, unit, shown):
    assert rc._setting_value(value, unit) == shown


# ------------------------------------------------------------------------------------------------- wording ----

_THIGH = MetricSpec("thigh_above_parallel_deg", "Front thigh above parallel at the bottom", unit="°")
_KNEE = MetricSpec("knee_past_toes_cm", "Knee past the toes", unit="cm", fmt=".1f")


@pytest.mark.parametrize(
    ("template", "m", "v", "said"),
    [
        ("about {value} above parallel", _THIGH, -3.2, "about 3° below parallel"),
        ("about {value} above parallel", _THIGH, 3.2, "about 3° above parallel"),
        ("about {value} below parallel", _THIGH, -3.0, "about 3° above parallel"),
        ("about {value} above parallel", _THIGH, -0.2, "about 0° above parallel"),  # no direction to turn
        ("{value} past the toes", _KNEE, -2.0, "2.0 cm short of the toes"),
        ("{value} past the toes", _KNEE, 9.1, "9.1 cm past the toes"),
        ("held {value}", _THIGH, -4.0, "held -4°"),  # no direction word: the sign stays
    ],
)
def test_signed_amounts_take_the_word_of_their_sign(template, m, v, said):
    assert rc.fill_sentence(template, m, v) == said


@pytest.mark.parametrize(("exercise", "key"), [("lunge", "front_thigh_above_parallel_deg"),
                                               ("squat", "thigh_above_parallel_deg")])  # fmt: skip
def test_a_depth_below_parallel_is_said_below(exercise, key):
    # the front thigh (lunge) / the thighs (squat) 3° below level at the bottom of every rep, the rest clean
    spec = find_spec(exercise)
    base = {m.key: 4.0 for m in spec.metrics if m.kind == "rep" and not m.key.startswith("target_")}
    reps = [dataclasses.replace(r, metrics={**r.metrics, **base, key: -3.0})
            for r in rep_plan(3)]  # fmt: skip
    an = make_analysis(reps, exercise=exercise)
    cfg = judged_config(an, CFG)
    said = " ".join(rc.patient_summary(an, cfg))
    assert "-3°" not in said and "3° below" in said, said
    depth = spec.metric(key)
    facts = dict(rc.summary_facts(an, cfg))
    assert depth.label not in facts and facts[rc.flip_sign_word(depth.label)] == "3° on average", facts


def test_units_have_a_space_and_both_sides_read_as_words():
    assert rc.with_unit(_KNEE, 9.1) == "9.1 cm"
    assert rc.with_unit(_THIGH, 12.0) == "12°"
    an = dataclasses.replace(_rep_analysis("side_bend"), quality=_quality(view="front", side_used="both"))
    assert dict(rc.summary_facts(an, CFG))["View"].endswith("measured on both sides")


@pytest.mark.parametrize("view", ["oblique", "front"])
def test_the_advice_to_film_from_the_side_is_given_once_on_the_patient_page(view):
    # a lunge filmed at an angle: the headline (the view cue) already says "film from the side"
    an = _with_cues(make_analysis(rep_plan(3), exercise="lunge", quality=_quality(view=view)))
    cfg = judged_config(an, CFG)
    page = [rc.headline(an, cfg)[1], *rc.patient_summary(an, cfg, headline_shown=True)]
    assert sum(p.lower().count("from the side") for p in page) == 1, page
    alone = rc.patient_summary(an, cfg)  # without the headline (a session's set): said once, in the text
    assert sum(p.lower().count("from the side") for p in alone) == 1, alone


@pytest.mark.parametrize(
    ("description", "meaning"),
    [
        ("kg; the weight held counts relative to body mass", "Kilograms; the weight held counts relative to body mass"),
        (
            "deg of hip sag below the shoulder-ankle line -> cue",
            "Degrees of hip sag below the shoulder-ankle line → cue",
        ),
        ("s: lowering, pause at the bottom", "Seconds: lowering, pause at the bottom"),
        ("deg/s of top arm against the trunk", "Degrees per second of top arm against the trunk"),
        ("% of foot length from the heel", "% of foot length from the heel"),  # a symbol the reader knows stays
        ("shoulders lower than this share", "Shoulders lower than this share"),
    ],
)
def test_setting_meaning_says_its_unit_in_words(description, meaning):
    assert rc.setting_meaning(description) == meaning
