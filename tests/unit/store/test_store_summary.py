"""Per-set summaries: hip share and one-sided tempo adherence."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from formcheck.store.summary import format_tempo, rep_tempo_adherence, set_summary_from_json, weekly_counts


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


def test_set_summary(build):
    reps = [build.rep(1, hip_share=0.5), build.rep(2, hip_share=math.nan), build.rep(3, hip_share=0.9, conc=0.5)]
    s = set_summary_from_json(build.analysis(reps, tempo=(3, 1, 2, 1)).to_json_dict())
    assert s.hip_share == pytest.approx(0.7)
    assert s.tempo_adherence == pytest.approx((1 + 1 + 2 / 3) / 3)
    assert s.target_tempo == "3-1-2-1"


def test_set_summary_without_reps_or_target(build):
    d = build.analysis([]).to_json_dict()
    d["settings"] = {}
    s = set_summary_from_json(d)
    assert math.isnan(s.hip_share) and math.isnan(s.tempo_adherence) and s.target_tempo is None


def test_target_from_rep_metrics_when_settings_lack_it(build):
    d = build.analysis([build.rep(1, ecc=1.0, targets=(2.0, 0.5, 1.0, 0.5))]).to_json_dict()
    d["settings"] = {}
    s = set_summary_from_json(d)
    assert s.target_tempo == "2-0.5-1-0.5" and s.tempo_adherence == pytest.approx(2 / 3)


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
