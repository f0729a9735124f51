"""The report never contradicts itself, and its patient part never shows an internal identifier.

Each plain sentence of the patient part is checked against the report's own tables (the per-rep table with its
cue column and marked cells, the summary facts and the settings the set was judged with), read back as text:

- "You did N repetitions" -> the rep table has N rows;
- a sentence naming reps ("in reps 1 and 3") -> each named row earned at least one cue;
- "Nothing to correct" -> every row is clean;
- "That is a good <exercise>" -> every row is of the intended type and earned no form cue (timing only);
- a metric's good sentence (e.g. "Your back stayed steady") -> none of that metric's cells is marked;
- every number with a unit in a sentence appears (to its last digit) among the figures of the tables, the
  summary or the settings, or is a mean/min/max over the rows the sentence names.

It runs on every registered exercise's synthetic set with faults and on the rendered hinge clips (real pose
extraction; cached per run).
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import numpy as np
import pytest

from formcheck.analyze import analyze_sequence
from formcheck.config import Config
from formcheck.cues import CUE_TABLE
from formcheck.engine.judgement import judged_config
from formcheck.engine.registry import specs
from formcheck.report import content as rc
from formcheck.report.html import render_html
from formcheck.types import Analysis

CFG = Config()
SYNTH = Path(__file__).resolve().parents[2].parent / "shared" / "synthetic"
_NUM = re.compile(r"(-?\d+(?:\.\d+)?)\s?(%|°|s\b|cm\b)")
_REPS = re.compile(r"\breps? (\d+(?:, \d+)*(?: and \d+)?)")
_IDENT = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z]+\.[a-z]+_[a-z_]+\b")  # snake_case or cue.code_like


def _numbers(text: str) -> list[tuple[float, str, int]]:
    """(value, unit, decimals) of every number with a unit."""
    return [(float(v), u, len(v.split(".")[1]) if "." in v else 0) for v, u in _NUM.findall(text)]


def _cell_numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", text)]


def _named_reps(sentence: str) -> list[int]:
    out: list[int] = []
    for m in _REPS.finditer(sentence):
        out += [int(x) for x in re.findall(r"\d+", m.group(1))]
    return out


def check_agreement(analysis: Analysis, config: Config) -> list[str]:
    """Every disagreement between the patient sentences and the report's own tables (empty = agrees)."""
    cfg = judged_config(analysis, config)
    spec = rc.spec_of(analysis)
    table = rc.rep_table(analysis, cfg)
    headers = list(table.headers)
    rows = {int(r.cells[0]): r for r in table.rows}
    facts = rc.summary_facts(analysis, cfg)
    settings = rc.settings_rows(analysis, cfg)
    timing = {c.message for c in analysis.cues if c.code.startswith("tempo.")}
    problems: list[str] = []

    def column_values(col: int, reps: list[int]) -> list[float]:
        vals = []
        for i in reps:
            nums = _cell_numbers(rows[i].cells[col]) if i in rows else []
            vals += nums[:1]  # a cell's own value (a "±err" after it is not the value)
        return vals

    pool: list[float] = []
    for r in table.rows:
        for c in r.cells[:-1]:
            pool += _cell_numbers(c)
    for _, v in facts:
        pool += _cell_numbers(v)
    for _, v, _ in settings:
        pool += _cell_numbers(v)

    for s in rc.patient_summary(analysis, cfg):
        named = _named_reps(s)
        m = re.search(r"You did (\d+) repetition", s)
        if m and int(m.group(1)) != len(table.rows):
            problems.append(f"{s!r}: the table has {len(table.rows)} reps")
        for i in named:
            if i not in rows:
                problems.append(f"{s!r}: names rep {i}, which the table does not have")
            elif rows[i].cells[-1] == "clean" and "did" not in s and "could not be told" not in s:  # not a fault
                problems.append(f"{s!r}: rep {i} is clean in the table")
        if "Nothing to correct" in s and any(r.cells[-1] != "clean" for r in table.rows):
            problems.append(f"{s!r}: the table has corrections")
        if "That is a good" in s and spec is not None:
            good_label = spec.class_label(next(iter(spec.good_classes or spec.classes), ""))
            type_col = headers.index("Type")
            for r in table.rows:
                cues = [c for c in r.cells[-1].split("; ") if c != "clean"]
                if any(c not in timing for c in cues):
                    problems.append(f"{s!r}: rep {r.cells[0]} earned a form cue ({cues})")
                if spec.classes and r.cells[type_col] != good_label:
                    problems.append(f"{s!r}: rep {r.cells[0]} is typed {r.cells[type_col]!r}")
        if spec is not None:
            for metric in spec.metrics:
                if metric.kind != "rep" or not metric.patient_ok:
                    continue
                ok = metric.patient_ok.split("{")[0].strip()
                if not (ok and s.startswith(ok)):
                    continue
                if metric.short in headers:
                    col = headers.index(metric.short)
                    bad = [r.cells[0] for r in table.rows if col in r.faulty]
                    if bad:
                        problems.append(f"{s!r}: {metric.short} is marked in reps {bad}")
                for label, value in facts:  # the summary's figure for it sits inside the band it prints
                    band = re.search(r"(-?\d+(?:\.\d+)?)–(-?\d+(?:\.\d+)?)", value)
                    if label == metric.label and band:
                        v = _cell_numbers(value)[0]
                        if not float(band.group(1)) <= v <= float(band.group(2)):
                            problems.append(f"{s!r}: the summary shows {value!r}")
        # numbers: each must be a figure the tables show, or a mean/min/max over the named (or all) rows
        derived: list[float] = []
        scope = named or list(rows)
        for col in range(len(headers) - 1):
            vals = column_values(col, scope)
            if vals:
                derived += [float(np.mean(vals)), min(vals), max(vals)]
        for v, unit, dec in _numbers(s):
            if unit == "s" and re.search(rf"{v:g} seconds", s):
                continue
            tol = 10 ** (-dec) * 1.01
            if not any(math.isfinite(p) and abs(abs(p) - abs(v)) <= tol for p in pool + derived):
                problems.append(f"{s!r}: {v:g}{unit} is not among the report's figures")
    return problems


def identifiers(text: str, allowed: set[str]) -> list[str]:
    """snake_case or code-like words in ``text`` that are not file names (allowed)."""
    return sorted({w for w in _IDENT.findall(text) if not any(w in a for a in allowed)})


def _patient_text(page: str) -> str:
    part = page.split('id="patient-page"', 1)[1].split("</section>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", part))


def _all_codes() -> set[str]:
    codes = set(CUE_TABLE)
    for s in specs():
        codes |= {r.code for r in s.rules}
    return codes


# ------------------------------------------------------------------------------- synthetic, every exercise ----


def _synth_cases():
    for s in specs():
        if s.synth is not None:
            for seed in (0, 1):
                yield pytest.param(s.name, seed, id=f"{s.name}-{seed}")


@pytest.mark.parametrize(("name", "seed"), list(_synth_cases()))
def test_synthetic_sets_agree_and_patient_part_has_no_identifiers(name, seed):
    spec = next(s for s in specs() if s.name == name)
    clip = spec.synth(n_reps=3, facing=1 if seed == 0 else -1, fps=30.0, seed=seed)
    an = analyze_sequence(clip.seq, name, CFG)
    assert check_agreement(an, CFG) == []
    page = render_html(an, judged_config(an, CFG))
    text = _patient_text(page)
    assert identifiers(text, set()) == []
    for code in _all_codes():
        assert code not in page, code  # neither part shows cue codes
    for m in spec.metrics:
        if "_" in m.key:
            assert m.key not in page, m.key


def test_checker_finds_a_contradiction():
    # the checker itself must fail on a report that says something its table does not
    spec = next(s for s in specs() if s.name == "hinge")
    an = analyze_sequence(spec.synth(n_reps=2, facing=1, fps=30.0, seed=0).seq, "hinge", CFG)
    original = rc.patient_summary

    def lying(analysis, config):
        return [*original(analysis, config), "You did 7 repetitions in about 9 seconds.", "Rep 2 drifted 42°."]

    try:
        rc.patient_summary = lying
        problems = check_agreement(an, CFG)
    finally:
        rc.patient_summary = original
    assert any("7 reps" in p or "has 2 reps" in p for p in problems)
    assert any("42°" in p for p in problems)


def test_checker_finds_a_good_sentence_beside_an_out_of_band_figure():
    # the contradiction a physio reported: "weight stayed over the middle" beside "61% (band 30–60%)"
    import dataclasses

    spec = next(s for s in specs() if s.name == "hinge")
    an = analyze_sequence(spec.synth(n_reps=2, facing=1, fps=30.0, seed=0).seq, "hinge", CFG)
    reps = tuple(dataclasses.replace(r, metrics={**r.metrics, "com_bottom_pct_foot": 61.0}) for r in an.reps)
    an = dataclasses.replace(an, reps=reps)
    assert not any("stayed over the middle" in s for s in rc.patient_summary(an, CFG))  # the report says the fact
    original = rc.patient_summary
    try:
        rc.patient_summary = lambda a, c: [*original(a, c), "Your weight stayed over the middle of your feet."]
        problems = check_agreement(an, CFG)
    finally:
        rc.patient_summary = original
    assert any("61%" in p for p in problems), problems


# ---------------------------------------------------------------------------------- rendered hinge clips ----


def _rendered() -> list[Path]:
    return sorted(SYNTH.glob("*.mp4")) if SYNTH.is_dir() else []


@pytest.mark.integration
@pytest.mark.shared
def test_rendered_clips_reports_agree(synthetic_dir):
    from formcheck.io.cache import cached_extract

    clips = _rendered()
    assert clips
    failures = {}
    for mp4 in clips:
        seq = cached_extract(mp4, CFG)
        an = analyze_sequence(seq, "hinge", CFG)
        probs = check_agreement(an, CFG)
        page = render_html(an, judged_config(an, CFG))
        probs += [f"identifier {w!r} in the patient part" for w in identifiers(_patient_text(page), {mp4.name})]
        if probs:
            failures[mp4.stem] = probs
    assert failures == {}
