"""The reports read the exercise's declarations: plot panels, CSV columns, summary facts, patient sentences, holds.

Known truth: the hinge's own spec and config values (read at test time, so a changed declaration changes the
expectation, not the test), and a small made-up exercise spec for what the hinge does not exercise (a panel
without a band, hold exercises, a band of another name).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from fc_report_builders import make_analysis, make_rep, rep_plan
from matplotlib.colors import to_hex

import formcheck.report.content as content_mod
import formcheck.report.plots as plots_mod
import formcheck.report.tabular as tabular_mod
from formcheck.config import Config, load_config
from formcheck.engine.registry import exercise_config, get_spec
from formcheck.engine.spec import ExerciseSpec, MetricSpec
from formcheck.report import content as rc
from formcheck.report import write_report
from formcheck.report.plots import series_figure, series_panels, tempo_figure
from formcheck.report.tabular import REP_FIELDS, csv_text
from formcheck.types import Break, Hold, Quality

CFG = Config()
HINGE = get_spec("hinge")
REPO = Path(__file__).resolve().parents[3]


# ------------------------------------------------------------------- no exercise names in presentation ----


def _presentation_sources() -> list[Path]:
    return sorted((REPO / "formcheck" / "report").glob("*.py")) + [REPO / "formcheck" / "cli.py"]


def test_reports_and_cli_never_name_an_exercise_metric_or_its_config():
    """Every hinge metric key (from its spec, now) and any ``.hinge`` config read is a failure here."""
    keys = {m.key for m in HINGE.metrics} | {m.cli_low_key for m in HINGE.metrics if m.cli_low_key}
    keys |= {m.err_key for m in HINGE.metrics if m.err_key} | {k for m in HINGE.metrics for k in m.evidence}
    keys |= {k for m in HINGE.metrics for k in (m.threshold_key, m.band_key) if k}  # config fields too
    assert "hip_share" in keys and "spine_rounding_deg" in keys  # the list is the real one
    found = []
    for path in _presentation_sources():
        text = path.read_text(encoding="utf-8")
        for key in sorted(keys):
            if re.search(rf"\b{re.escape(key)}\b", text):
                found.append(f"{path.relative_to(REPO)}: {key}")
        if re.search(r"\.hinge\b", text):
            found.append(f"{path.relative_to(REPO)}: reads .hinge")
    assert found == []


# -------------------------------------------------------------------------------------------- plots ----


def _lines(ax) -> dict[str, object]:
    return {ln.get_label(): ln for ln in ax.get_lines() if not ln.get_label().startswith("_")}


def _notes(ax) -> list[str]:
    return [t.get_text() for t in ax.texts if not t.get_text().startswith("rep ")]


def test_hinge_plot_has_one_panel_per_declared_group_with_its_colours_threshold_and_band():
    an = make_analysis(rep_plan(2))
    declared = HINGE.metric_specs("plot", "series")
    groups = list(dict.fromkeys(m.plot for m in declared))
    assert [name for name, _ in series_panels(an)] == groups
    fig = series_figure(an, CFG)
    assert len(fig.axes) == len(groups)
    ex = exercise_config(CFG, "hinge")
    for ax, group in zip(fig.axes, groups, strict=True):
        members = [m for m in declared if m.plot == group]
        lines = _lines(ax)
        for m in members:
            assert to_hex(lines[m.label].get_color()) == m.color
            assert np.allclose(lines[m.label].get_ydata(), np.asarray(an.series[m.key]) * m.scale, equal_nan=True)
            if m.threshold_key:
                thr = getattr(ex, m.threshold_key)
                (line,) = [ln for label, ln in lines.items() if label.startswith("cue threshold")]
                assert np.allclose(line.get_ydata(), thr) and f"{thr:g}{m.unit}" in line.get_label()
            if m.band_key:
                lo, hi = getattr(ex, m.band_key)
                (band,) = [p for p in ax.patches if p.get_label()[:1] not in ("", "_")]
                assert band.get_label() == f"{m.band_label} {lo:g}–{hi:g}{m.unit}"
                ys = band.get_path().transformed(band.get_patch_transform()).vertices[:, 1]
                assert np.isclose(ys.min(), lo) and np.isclose(ys.max(), hi)
        assert _notes(ax) == []  # side view, every series measured: nothing to explain


def test_plot_threshold_and_band_follow_the_config():
    cfg = load_config(None, {"exercise.hinge": {"spine_rounding_deg": 25.0, "midfoot_band_pct": [20.0, 70.0]}})
    fig = series_figure(make_analysis(rep_plan(1)), cfg)
    labels = [lab for ax in fig.axes for lab in _lines(ax)] + [p.get_label() for ax in fig.axes for p in ax.patches]
    assert "cue threshold 25°" in labels and "midfoot 20–70%" in labels


def test_plot_panel_explains_an_unmeasured_series_and_an_unreliable_view():
    an = make_analysis(rep_plan(2), quality=Quality(view="front", frames_total=10, person_fraction=1,
                                                    full_body_fraction=1))  # fmt: skip
    back = next(m for m in HINGE.metric_specs("plot", "series") if m.empty_note)
    series = dict(an.series)
    series[back.key] = np.full_like(series["t_s"], np.nan)
    fig = series_figure(dataclasses.replace(an, series=series), CFG)
    notes = {name: _notes(ax) for (name, _), ax in zip(series_panels(an), fig.axes, strict=True)}
    assert notes[back.plot] == [back.empty_note]
    banded = [m.plot for m in HINGE.metric_specs("plot", "series") if m.band_key]
    for name in banded:
        assert notes[name] == [f"front view: {name} readings are unreliable, film from the side"]
    others = set(notes) - {back.plot, *banded}
    assert all(notes[name] == [] for name in others)


def _fake_spec(metrics: tuple[MetricSpec, ...], views=("front",)) -> ExerciseSpec:
    return ExerciseSpec(
        name="fake", title="Fake press", measures="", positions=("standing",), views=views, landmarks=(),
        reference="none", rep_strategy="cyclic", metrics=metrics, rules=(), limits=("fake limit",),
        config_model=object, analyzer=lambda cfg: None,
    )  # fmt: skip


@pytest.fixture
def fake_exercise(monkeypatch):
    """A made-up exercise 'fake' with two plot groups, an unplotted series, a limit and a band."""
    metrics = (
        MetricSpec("a_deg", "angle a", kind="series", unit="°", plot="one", color="#112233", show={"plot"}),
        MetricSpec("b_deg", "angle b", kind="series", unit="°", plot="one", color="#445566", show={"plot"},
                   threshold_key="b_limit_deg"),
        MetricSpec("c_pct", "reach", kind="series", unit="%", plot="two", color="#778899", show={"plot"},
                   band_key="reach_band_pct", axis="% of reach", axis_range=(0.0, 100.0)),
        MetricSpec("d_deg", "not plotted", kind="series", unit="°", show={"overlay"}),
        MetricSpec("press_angle_deg", "Press angle", short="Angle °", unit="°", show={"report", "cli", "csv"},
                   summary="max", cli="angle"),
    )  # fmt: skip
    spec = _fake_spec(metrics)
    settings = SimpleNamespace(b_limit_deg=40.0, reach_band_pct=(10.0, 30.0), target_tempo_s=(2.0, 0.0, 1.0, 0.5),
                               tempo_tolerance_frac=0.2)  # fmt: skip
    lookup = {"fake": spec, "hinge": HINGE}
    for mod in (plots_mod, content_mod, tabular_mod):
        monkeypatch.setattr(mod, "find_spec", lambda name: lookup.get(name), raising=False)
    for mod in (plots_mod, content_mod):
        monkeypatch.setattr(mod, "exercise_config", lambda cfg, name: settings if name == "fake" else None)
    # the cue engine reads the real registry: the made-up exercise has no rules, so no cues
    real = content_mod.usable_rep_cues
    monkeypatch.setattr(
        content_mod, "usable_rep_cues", lambda r, q, c, sp, *more: [] if sp is spec else real(r, q, c, sp, *more)
    )
    real_set = content_mod.analysis_cues  # nor set-level ones: the view of the made-up set is a side view
    monkeypatch.setattr(content_mod, "analysis_cues", lambda a, c: () if a.exercise == "fake" else real_set(a, c))
    return spec, settings


def _fake_analysis(n_reps: int = 1, quality: Quality | None = None):
    an = make_analysis(rep_plan(n_reps), exercise="fake", quality=quality)
    t = an.series["t_s"]
    series = {"t_s": t, "a_deg": np.full_like(t, 10.0), "b_deg": np.full_like(t, 20.0), "c_pct": np.full_like(t, 50.0),
              "d_deg": np.full_like(t, 1.0)}  # fmt: skip
    reps = tuple(dataclasses.replace(r, metrics={"press_angle_deg": 4.0 + r.index}) for r in an.reps)
    return dataclasses.replace(an, series=series, reps=reps)


def test_plot_of_another_exercise_uses_its_groups_limits_bands_and_axis(fake_exercise):
    front = Quality(view="front", frames_total=10, person_fraction=1, full_body_fraction=1)
    fig = series_figure(_fake_analysis(quality=front), CFG)
    assert len(fig.axes) == 2
    one, two = fig.axes
    assert set(_lines(one)) == {"angle a", "angle b", "cue threshold 40°"}
    assert [to_hex(_lines(one)[k].get_color()) for k in ("angle a", "angle b")] == ["#112233", "#445566"]
    assert one.get_ylabel() == "degrees" and two.get_ylabel() == "% of reach"
    assert [p.get_label() for p in two.patches if p.get_label()] == [
        "target 10–30%"
    ]  # no band_label declared: "target"
    assert two.get_ylim() == (0.0, 100.0)  # declared axis range, data (50) inside it
    # the exercise's best view is the front: a front view gets no warning on its banded panel
    assert _notes(two) == []


def test_plot_warns_on_a_banded_panel_when_not_filmed_from_the_best_view(fake_exercise):
    q = Quality(view="side", frames_total=10, person_fraction=1, full_body_fraction=1)
    fig = series_figure(_fake_analysis(quality=q), CFG)
    assert _notes(fig.axes[1]) == ["side view: two readings are unreliable, film from the front"]
    assert _notes(fig.axes[0]) == []


def test_unknown_exercise_has_no_series_plot_and_the_report_still_renders(tmp_path):
    an = make_analysis(rep_plan(2), exercise="not_registered")
    assert series_panels(an) == []
    text = write_report(an, tmp_path / "r.html", config=CFG).read_text(encoding="utf-8")
    assert 'id="rep-table"' in text and "plot-series" not in text and "plot-tempo" in text


@pytest.mark.parametrize("target", [(3.0, 1.0, 2.0, 1.0), (5.0, 0.0, 1.5, 0.5)])
def test_tempo_figure_target_row_is_the_exercise_config(target):
    cfg = load_config(None, {"exercise.hinge": {"target_tempo_s": list(target)}})
    an = make_analysis(rep_plan(2))
    ax = tempo_figure(an, cfg).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["target", "rep 1", "rep 2"]
    top = max(p.get_y() for p in ax.patches)  # the target row is drawn on top
    widths = [p.get_width() for p in ax.patches if p.get_y() == top]
    assert np.allclose(widths, target)


def test_tempo_figure_without_a_target_shows_the_reps_only(fake_exercise):
    _, settings = fake_exercise
    del settings.target_tempo_s
    ax = tempo_figure(_fake_analysis(2), CFG).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["rep 1", "rep 2"]


# ---------------------------------------------------------------------------------------------- CSV ----


def test_csv_columns_are_rep_fields_then_declared_metrics_in_order_then_the_rest_sorted():
    an = make_analysis([make_rep(1, 1.0, zz_extra=1.0, aa_extra=2.0)])
    m = dict(an.reps[0].metrics)
    dropped = HINGE.metric_specs("csv", "rep")[1].key  # a declared metric this rep lacks: no column
    del m[dropped]
    an = dataclasses.replace(an, reps=(dataclasses.replace(an.reps[0], metrics=m),))
    header = next(csv.reader(io.StringIO(csv_text(an, CFG))))
    declared = [s.key for s in HINGE.metrics if s.kind == "rep" and s.key in m]
    assert header == [*REP_FIELDS, *declared, "aa_extra", "zz_extra", "cues", "not_judged"]
    assert dropped not in header


def test_csv_without_reps_lists_every_declared_metric():
    header = next(csv.reader(io.StringIO(csv_text(make_analysis([]), CFG))))
    assert header == [*REP_FIELDS, *(s.key for s in HINGE.metrics if s.kind == "rep"), "cues", "not_judged"]


def test_csv_rep_side_and_hold_time():
    rep = dataclasses.replace(make_rep(1, 1.0), side="right", hold_s=2.25)
    row = next(csv.DictReader(io.StringIO(csv_text(make_analysis([rep, make_rep(2, 9.0)]), CFG))))
    assert row["side"] == "right" and row["hold_s"] == "2.25"


# ------------------------------------------------------------------------------------------- holds ----


HOLDS = (
    Hold(1, 2.0, 32.0, 27.5, breaks=(Break(10.0, 11.5), Break(20.0, 21.0)), side="left"),
    Hold(2, 40.0, 60.0, 20.0, side="right"),
)


def _hold_analysis():
    an = make_analysis([])
    t = np.arange(0.0, 65.0, 0.5)  # the holds lie inside the recorded time
    series = {k: np.full_like(t, np.nan) for k in an.series} | {"t_s": t}
    return dataclasses.replace(an, series=series, holds=HOLDS)


def test_hold_table_and_csv_have_one_row_per_hold():
    table = rc.hold_table(_hold_analysis(), CFG)
    col = {h: i for i, h in enumerate(table.headers)}
    assert [r.cells[col["Side"]] for r in table.rows] == ["left", "right"]
    assert [r.cells[col["Held s"]] for r in table.rows] == ["30.0", "20.0"]
    assert [r.cells[col["In position s"]] for r in table.rows] == ["27.5", "20.0"]
    assert [r.cells[col["Breaks"]] for r in table.rows] == ["2", "0"]
    rows = list(csv.DictReader(io.StringIO(csv_text(_hold_analysis(), CFG))))
    assert [r["duration_s"] for r in rows] == ["30", "20"]
    assert [r["breaks"] for r in rows] == ["2", "0"] and rows[0]["break_s"] == "2.5"
    assert rows[1]["in_band_frac"] == "1"


def test_hold_report_sections_and_sentences(tmp_path):
    an = _hold_analysis()
    text = write_report(an, tmp_path / "h.html", config=CFG).read_text(encoding="utf-8")
    assert 'id="hold-table"' in text and 'id="rep-table"' not in text and "No reps were found" not in text
    said = " ".join(rc.patient_summary(an, CFG))
    assert "held the position 2 times for about 50 seconds in all, 48 of them in the target position" in said
    assert "lost the position 2 times" in said and "could not find" not in said
    facts = dict(rc.summary_facts(an, CFG))
    assert facts["Holds"] == "2" and facts["Breaks"] == "2" and "Reps" not in facts


# ------------------------------------------------------------------------------- summary and patient ----


def test_summary_facts_come_from_the_declared_metrics():
    an = make_analysis(rep_plan(3, {2: {"spine_flexion_est_deg": 20.0}}))
    facts = dict(rc.summary_facts(an, CFG))
    assert facts["Exercise"] == HINGE.title
    summarised = [m for m in HINGE.metrics if m.kind == "rep" and m.summary]
    assert [k for k in facts if k in {m.label for m in summarised}] == [m.label for m in summarised]
    share = HINGE.metric("hip_share")
    assert facts[share.label] == "80% on average"  # 0.8 in every rep, shown ×100 with its unit
    spine = HINGE.metric("spine_flexion_est_deg")
    assert facts[spine.label] == "up to 20° (±5°)"  # the worst rep, with its declared error
    assert facts["Tempo (lower-pause-rise-top)"].endswith("target 3 / 1 / 2 / 1")


def test_summary_band_follows_the_config():
    cfg = load_config(None, {"exercise.hinge": {"midfoot_band_pct": [25.0, 55.0]}})
    banded = next(m for m in HINGE.metrics if m.kind == "rep" and m.summary and m.band_key)
    assert dict(rc.summary_facts(make_analysis(rep_plan(2)), cfg))[banded.label].endswith("(midfoot 25–55%)")


@pytest.mark.parametrize(
    ("faults", "must", "must_not"),
    [
        ({2: {"com_heels_excess_cm": 6.0, "time_outside_midfoot_s": 0.5}}, ["sat back on your heels in rep 2"],
         ["stayed over the middle", "good hip hinge"]),
        ({1: {"hip_share": 0.3}, 3: {"hip_share": 0.4}}, ["only about 35% of the bending in reps 1 and 3"],
         ["did most of the bending"]),
        ({}, ["did most of the bending (about 80%). That is a good hip hinge.", "stayed over the middle"], []),
    ],
)  # fmt: skip
def test_patient_sentences_follow_the_cues_of_each_rep(faults, must, must_not):
    said = " ".join(rc.patient_summary(make_analysis(rep_plan(3, faults)), CFG))
    for m in must:
        assert m in said
    for m in must_not:
        assert m not in said


def test_patient_summary_says_nothing_about_unmeasured_values():
    nan = {m.key: math.nan for m in HINGE.metrics if m.kind == "rep"}
    said = " ".join(rc.patient_summary(make_analysis([make_rep(1, 1.0, **nan)]), CFG))
    assert "stayed steady" not in said and "most of the bending" not in said and "good hip hinge" not in said


def test_another_exercise_gets_its_own_columns_summary_and_limits(fake_exercise):
    an = _fake_analysis(2)
    table = rc.rep_table(an, CFG)
    assert table.headers[-2:] == ("Angle °", "Cues")
    assert [r.cells[-2] for r in table.rows] == ["5", "6"]
    facts = dict(rc.summary_facts(an, CFG))
    assert facts["Exercise"] == "Fake press" and facts["Press angle"] == "up to 6°"
    assert rc.limits_of(dataclasses.replace(an, limits=())) == ("fake limit",)
    said = " ".join(rc.patient_summary(an, CFG))
    assert "film from the front" not in said  # a side view is not flagged by a generic rule
