"""Tempo input in plain words: the exercise's own phase order, a 20 s ceiling per phase, no machine words for
nan/inf, no tempo for a hold, and a saved analysis never silently re-judged with another tempo."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from formcheck.cli import main
from formcheck.config import MAX_TEMPO_PHASE_S, parse_tempo
from formcheck.errors import ConfigError

sys.path.insert(0, str(Path(__file__).parent / "report"))
from fc_report_builders import make_analysis, rep_plan  # noqa: E402 - the report tests' builder


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("300-1-2-1", "at most 20 s"),
        ("1e9-1-2-1", "at most 20 s"),
        ("nan-1-2-1", "each of the four phases"),
        ("3-inf-2-1", "each of the four phases"),
        ("3-1-2", "use four seconds"),
        ("-1-1-1-1", "use four seconds"),
    ],
)
def test_a_tempo_out_of_reach_is_refused_in_plain_words(text, words):
    with pytest.raises(ConfigError) as e:
        parse_tempo(text)
    said = str(e.value)
    assert words in said and "target_tempo_s" not in said and "item 1" not in said


def test_the_ceiling_itself_is_allowed():
    assert MAX_TEMPO_PHASE_S == 20.0
    assert parse_tempo("20-0-20-0") == (20.0, 0.0, 20.0, 0.0)


@pytest.mark.parametrize(
    ("exercise", "tempo", "said", "not_said"),
    [
        ("glute_bridge", "2-1-2", "up-hold-down-rest", "lowering-pause-rising-pause"),
        ("hinge", "3-1-2", "lower-pause-rise-top", "up-hold-down-rest"),
        ("hinge", "nan-1-2-1", "each of the four phases", "exercise.hinge.target_tempo_s"),
        ("hinge", "300-1-2-1", "at most 20 s", "Lower for 300 s"),
    ],
)
def test_cli_tempo_errors_use_the_exercises_own_phase_order(tmp_path, capsys, exercise, tempo, said, not_said):
    code = main(["analyze", str(tmp_path / "c.mp4"), "--exercise", exercise, "--tempo", tempo, "--quiet"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert said in err and not_said not in err


@pytest.mark.parametrize("exercise", ["plank", "side_plank", "prone_extension"])
def test_cli_tempo_for_a_hold_is_refused(tmp_path, capsys, exercise):
    code = main(["analyze", str(tmp_path / "c.mp4"), "--exercise", exercise, "--tempo", "3-1-2-1", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "is timed as a hold, so it has no tempo" in err


def test_cli_report_of_a_saved_analysis_does_not_silently_ignore_tempo(tmp_path, capsys):
    saved = tmp_path / "set.json"
    saved.write_text(json.dumps(make_analysis(rep_plan(2)).to_json_dict()), encoding="utf-8")
    out = tmp_path / "r.html"
    code = main(["report", str(saved), "-o", str(out), "--tempo", "1-0-1-0"])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists(), err
    assert "--tempo does not change a saved analysis (set.json)" in err and "analysed with" in err
