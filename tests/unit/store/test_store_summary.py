"""Per-set summaries: the exercise's trend numbers (from its specs), hold totals and one-sided tempo adherence."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from fc_store_builders import fake_spec

from formcheck.config import Config
from formcheck.store.summary import (
    SUMMARY_SCHEMA,
    format_tempo,
    parse_summary_json,
    rep_tempo_adherence,
    set_summary_from_json,
    summary_json_from_analysis_json,
    trend_of,
    weekly_counts,
)


@pytest.mark.parametrize(
    ("ecc", "bottom", "conc", "expected"),
    [
        (3.0, 1.0, 2.0, 1.0),  # exactly on tempo
        (6.0, 3.0, 5.0, 1.0),  # slower is fine
        (1.96, 1.0, 2.0, 1.0),  # 1.96 >= 0.65 * 3 = 1.95
        (1.9, 1.0, 2.0, 2 / 3),  # rushed lowering
        (1.0, 0.0, 0.5, 0.0),  # everything rushed
        (math.nan, 1.0, 2.0, 1.0),  # unknown phase is skipped, not counted as a miss
    ],
)
def test_rep_tempo_adherence(build, ecc, bottom, conc, expected):
    rep = build.rep(1, ecc=ecc, bottom=bottom, conc=conc).to_dict()
    rep["eccentric_s"] = ecc  # to_dict turns NaN into None; keep both forms covered
    assert rep_tempo_adherence(rep, (3.0, 1.0, 2.0, 1.0), 0.35) == pytest.approx(expected)


def test_zero_targets_are_skipped_and_per_rep_targets_win(build):
    rep = build.rep(1, ecc=1.0, bottom=0.0, conc=1.0, targets=(1.0, 0.0, 1.0, 0.0)).to_dict()
    assert rep_tempo_adherence(rep, (3.0, 1.0, 2.0, 1.0), 0.35) == 1.0
    assert math.isnan(rep_tempo_adherence(build.rep(1).to_dict(), None, 0.35))


def test_set_summary_tempo(build):
    reps = [build.rep(1), build.rep(2), build.rep(3, conc=0.5)]
    s = set_summary_from_json(build.analysis(reps, tempo=(3, 1, 2, 1)).to_json_dict())
    assert s.exercise == "hinge" and s.n_reps == 3
    assert s.tempo_adherence == pytest.approx((1 + 1 + 2 / 3) / 3)
    assert s.target_tempo == "3-1-2-1" and s.tempo_tolerance_frac == 0.35


def test_set_summary_without_reps_or_target(build):
    d = build.analysis([]).to_json_dict()
    d["settings"] = {}
    s = set_summary_from_json(d)
    assert s.n_reps == 0 and math.isnan(s.tempo_adherence) and s.target_tempo is None
    assert all(math.isnan(v) for v in s.trend.values())


def test_target_from_rep_metrics_when_settings_lack_it(build):
    d = build.analysis([build.rep(1, ecc=1.0, targets=(2.0, 0.5, 1.0, 0.5))]).to_json_dict()
    d["settings"] = {}
    s = set_summary_from_json(d)
    assert s.target_tempo == "2-0.5-1-0.5" and s.tempo_adherence == pytest.approx(2 / 3)


# -- per-exercise trend numbers (a made-up exercise with known specs) ---------------------------------------


def test_trend_is_the_mean_of_each_rep_trend_metric(build):
    spec = fake_spec()
    reps = [
        build.fake_rep(1, {"reach_cm": 10.0, "wobble_deg": 2.0, "hidden_deg": 50.0}),
        build.fake_rep(2, {"reach_cm": 14.0, "wobble_deg": None, "hidden_deg": 70.0}),  # unknown wobble: skipped
        build.fake_rep(3, {"reach_cm": 18.0, "wobble_deg": 4.0}),
    ]
    s = set_summary_from_json(build.fake_analysis(reps).to_json_dict(), spec=spec)
    # Only kind "rep" specs shown in "trend": not the table-only one, not the series/hold specs.
    assert dict(s.trend) == {"reach_cm": pytest.approx(14.0), "wobble_deg": pytest.approx(3.0)}
    assert s.n_reps == 3 and s.n_holds == 0 and s.hold_s == 0.0


def test_trend_metric_without_any_value_is_nan_not_zero(build):
    reps = [build.fake_rep(1, {"reach_cm": None}), build.fake_rep(2, {"reach_cm": "n/a", "wobble_deg": True})]
    s = set_summary_from_json(build.fake_analysis(reps).to_json_dict(), spec=fake_spec())
    assert set(s.trend) == {"reach_cm", "wobble_deg"} and all(math.isnan(v) for v in s.trend.values())
    assert s.to_json_dict()["trend"] == {"reach_cm": None, "wobble_deg": None}


@pytest.mark.parametrize(
    ("holds", "n", "total_s", "in_band_s"),
    [
        ([], 0, 0.0, 0.0),
        ([(1, 0.0, 30.0, 27.5)], 1, 30.0, 27.5),
        ([(1, 0.0, 30.0, 27.5), (2, 40.0, 60.0, 20.0)], 2, 50.0, 47.5),
        ([(1, 0.0, 30.0, math.nan)], 1, 30.0, math.nan),  # one unknown in-band time: the total is unknown
    ],
)
def test_hold_totals(build, holds, n, total_s, in_band_s):
    a = build.fake_analysis(holds=[build.hold(*h) for h in holds])
    s = set_summary_from_json(a.to_json_dict(), spec=fake_spec())
    assert (s.n_holds, s.hold_s) == (n, total_s)
    assert s.hold_in_band_s == pytest.approx(in_band_s, nan_ok=True)


def test_unknown_exercise_has_no_trend_but_keeps_generic_numbers(build):
    d = build.fake_analysis([build.fake_rep(1, {"reach_cm": 10.0}, ecc=1.0)], exercise="made_up_v99").to_json_dict()
    s = set_summary_from_json(d)  # looked up in the registry: not there
    assert s.exercise == "made_up_v99" and dict(s.trend) == {}
    assert s.n_reps == 1 and s.tempo_adherence == pytest.approx(2 / 3)  # tolerance recorded in the settings


def test_unknown_exercise_without_recorded_tolerance_has_unknown_adherence(build):
    a = build.fake_analysis([build.fake_rep(1, {})], exercise="made_up_v99", settings={"target_tempo_s": "3-1-2-1"})
    s = set_summary_from_json(a.to_json_dict())
    assert math.isnan(s.tempo_adherence) and math.isnan(s.tempo_tolerance_frac) and s.target_tempo == "3-1-2-1"


# Rep 1 lowers in 2.0 s against a 3 s target; it passes at tolerance 0.35 (2.0 >= 1.95), fails at 0.2 (< 2.4).
@pytest.mark.parametrize(
    ("recorded", "configured", "expected_tol", "expected_adherence"),
    [
        (0.35, 0.2, 0.35, 1.0),  # the value the set was analysed with wins
        (None, 0.2, 0.2, 2 / 3),  # else the exercise's config section
        (None, None, 0.35, 1.0),  # else the default config
    ],
)
def test_tolerance_from_settings_then_exercise_config(build, recorded, configured, expected_tol, expected_adherence):
    d = build.analysis([build.rep(1, ecc=2.0)]).to_json_dict()
    d["settings"] = {"target_tempo_s": "3-1-2-1"} | ({} if recorded is None else {"tempo_tolerance_frac": recorded})
    config = None if configured is None else Config().replace_exercise("hinge", tempo_tolerance_frac=configured)
    s = set_summary_from_json(d, config=config)
    assert s.tempo_tolerance_frac == expected_tol and s.tempo_adherence == pytest.approx(expected_adherence)


def test_exercise_without_config_section_gives_unknown_adherence_not_an_error(build):
    d = build.fake_analysis([build.fake_rep(1, {})], settings={"target_tempo_s": "3-1-2-1"}).to_json_dict()
    s = set_summary_from_json(d, spec=fake_spec())  # its config model is not registered
    assert math.isnan(s.tempo_adherence) and s.n_reps == 1


@pytest.mark.parametrize(
    "doc",
    [
        {},
        {"exercise": 7, "reps": "many", "holds": {"x": 1}, "settings": []},
        {"exercise": "hinge", "reps": [None, {"metrics": [1, 2]}, {"eccentric_s": "fast"}], "settings": {}},
        {"schema": "formcheck.analysis/9", "exercise": "hinge", "reps": [{"metrics": {"new_thing": {"a": 1}}}]},
    ],
)
def test_malformed_or_newer_documents_never_raise(doc):
    s = set_summary_from_json(doc)
    json.loads(s.to_json())  # always valid JSON
    assert math.isnan(s.tempo_adherence)


@pytest.mark.parametrize("text", ["not json", "[1, 2]", "null", ""])
def test_summary_json_from_unreadable_analysis_json(text):
    d = json.loads(summary_json_from_analysis_json(text))
    assert d["schema"] == SUMMARY_SCHEMA and d["trend"] == {} and d["rep_count"] == 0


def test_summary_json_round_trip(build):
    spec = fake_spec()
    a = build.fake_analysis([build.fake_rep(1, {"reach_cm": 12.5, "wobble_deg": None})], [build.hold(1, 0, 10, 9)])
    stored = set_summary_from_json(a.to_json_dict(), spec=spec).to_json()
    back = parse_summary_json(stored)
    assert back["rep_count"] == 1 and (back["hold_count"], back["hold_s"], back["hold_in_band_s"]) == (1, 10, 9)
    t = trend_of(back, spec)
    assert t["reach_cm"] == 12.5 and math.isnan(t["wobble_deg"])


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ({"reach_cm": 3.0, "wobble_deg": 1.0}, {"reach_cm": 3.0, "wobble_deg": 1.0}),
        # saved when wobble was not a trend yet: present, unknown
        ({"reach_cm": 3.0}, {"reach_cm": 3.0, "wobble_deg": math.nan}),
        # a key the spec no longer shows in trends (or never had) is left out
        ({"reach_cm": 3.0, "wobble_deg": 1.0, "old_metric_deg": 9.0}, {"reach_cm": 3.0, "wobble_deg": 1.0}),
        ({"reach_cm": "3", "wobble_deg": None}, {"reach_cm": math.nan, "wobble_deg": math.nan}),
    ],
)
def test_trend_of_follows_the_current_spec(stored, expected):
    got = trend_of({"trend": stored}, fake_spec())
    assert list(got) == ["reach_cm", "wobble_deg"]
    assert got == pytest.approx(expected, nan_ok=True)


@pytest.mark.parametrize("summary", [{"trend": {"reach_cm": 3.0}}, {}, {"trend": "x"}])
def test_trend_of_unknown_exercise_is_empty(summary):
    assert dict(trend_of(summary, None)) == {}


@pytest.mark.parametrize("text", [None, "", "garbage", "[1]", '{"trend": {}}'])
def test_parse_summary_json_tolerates_anything(text):
    assert isinstance(parse_summary_json(text), dict)


@pytest.mark.parametrize(("t", "text"), [((3.0, 1.0, 2.0, 1.0), "3-1-2-1"), ((2.5, 0, 1.5, 0.25), "2.5-0-1.5-0.25")])
def test_format_tempo(t, text):
    assert format_tempo(t) == text


def test_weekly_counts_fills_empty_weeks():
    days = [dt.date(2025, 1, 5), dt.date(2025, 1, 6), dt.date(2025, 1, 12), dt.date(2025, 1, 27), dt.date(2024, 6, 1)]
    got = weekly_counts(days, until=dt.date(2025, 1, 29), weeks=4)
    assert got == [
        (dt.date(2025, 1, 6), 2),
        (dt.date(2025, 1, 13), 0),
        (dt.date(2025, 1, 20), 0),
        (dt.date(2025, 1, 27), 1),
    ]


@pytest.mark.parametrize("tempo", ["2-0.5-1-0.5", [2, 0.5, 1, 0.5], "nonsense"])
def test_target_tempo_as_text_or_list(build, tempo):
    d = build.analysis([build.rep(1, ecc=1.0)]).to_json_dict()
    d["settings"] = {"target_tempo_s": tempo}
    s = set_summary_from_json(d)
    if tempo == "nonsense":
        assert s.target_tempo is None and math.isnan(s.tempo_adherence)
    else:
        assert s.target_tempo == "2-0.5-1-0.5" and s.tempo_adherence == pytest.approx(2 / 3)
