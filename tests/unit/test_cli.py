import dataclasses
import math
import sys
from pathlib import Path

import pytest

from formcheck.cli import _write_outputs, format_rep_table, main
from formcheck.config import DEFAULT_TOML, Config
from formcheck.types import Analysis, Quality, Rep, VideoInfo

sys.path.insert(0, str(Path(__file__).parent / "report"))
from fc_report_builders import make_analysis, make_sequence, rep_plan, write_figure_video  # noqa: E402


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["nonsense"],
        ["analyze"],
        ["extract", "x.mp4"],  # -o is required
        ["analyze", "x.mp4", "--tempo", "fast"],
        ["analyze", "x.mp4", "--height-cm", "tall"],
        ["analyze", "x.mp4", "--sex", "other"],
        ["analyze", "x.mp4", "--height-cm", "20"],
    ],
)
def test_usage_errors_exit_2_with_a_message(argv, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() or captured.out.strip()


def test_config_prints_default_toml(capsys):
    assert main(["config"]) == 0
    assert capsys.readouterr().out == DEFAULT_TOML.read_text()


def test_config_check_reports_bad_file(tmp_path, capsys):
    p = tmp_path / "c.toml"
    p.write_text("[hinge]\nspine_rounding_deg = 'x'\n")
    assert main(["config", "--check", str(p)]) == 2
    assert "spine_rounding_deg" in capsys.readouterr().err


def test_report_from_non_analysis_json_is_input_error(tmp_path, capsys):
    p = tmp_path / "a.json"
    p.write_text('{"schema": "other"}')
    assert main(["report", str(p), "-o", str(tmp_path / "r.csv")]) == 3
    assert "not a formcheck analysis" in capsys.readouterr().err


def test_rep_table_has_one_row_per_rep_and_handles_nan():
    reps = tuple(
        Rep(i, 0.0, 1.0, 3.0, 1.0 + i, 0.5, 1.5, 1.0, 4.0, 60.0, "hinge",
            {"hip_share": 0.8, "spine_flexion_est_deg": math.nan, "com_min_pct_foot": 40.0, "com_max_pct_foot": 55.0})
        for i in (1, 2)
    )  # fmt: skip
    text = format_rep_table(Analysis("hinge", reps, (), Quality()), Config())
    lines = text.splitlines()
    assert len(lines) == 4  # header, rule, 2 reps
    assert "80%" in lines[2] and "40–55" in lines[2] and "hinge" in lines[2]
    assert "3.0" in lines[3]  # eccentric of rep 2
    assert "–" in lines[2]  # NaN spine estimate shown as a dash, not 'nan'


# The bundled sample's table as 'formcheck analyze' printed it before the columns came from the exercise spec
# (the class now in words: 'hip hinge', not the class id 'hinge'; the phase times to 0.01 s: a tempo rule judges
# them to the frame, and the lowerings 1.93/1.94/1.91 s against 1.95 s all read "1.9" before).
SAMPLE_TABLE = """\
rep  lower s  pause s  rise s  top s  TUT s  hip share  spine est °  CoM % foot      class
---  -------  -------  ------  -----  -----  ---------  -----------  ----------  ---------
  1     1.93     1.14    1.71   1.23    4.8        97%            2       34–63  hip hinge
  2     1.94     1.10    1.76   1.20    4.8        96%            3       35–63  hip hinge
  3     1.91     1.12    1.79      –    4.8        98%            1       35–63  hip hinge"""
SAMPLE_REPS = (  # the sample's numbers, as its CSV report gives them
    (1.92933, 1.14019, 1.7127, 1.22588, 4.78222, 0.967056, 2.00393, 33.9984, 62.5974),
    (1.94242, 1.09877, 1.75853, 1.20416, 4.79972, 0.956212, 2.61815, 34.7555, 63.0566),
    (1.90555, 1.12066, 1.78595, math.nan, 4.81216, 0.976902, 1.43477, 35.1722, 63.182),
)


def _sample_reps() -> tuple[Rep, ...]:
    out = []
    for i, (ecc, bot, con, top, tut, share, spine, lo, hi) in enumerate(SAMPLE_REPS, start=1):
        metrics = {"hip_share": share, "spine_flexion_est_deg": spine, "com_min_pct_foot": lo, "com_max_pct_foot": hi,
                   "knee_flexion_bottom_deg": 17.0, "time_outside_midfoot_s": 1.7}  # fmt: skip
        out.append(Rep(i, 6.0 * i, 6.0 * i + 2, 6.0 * i + 5, ecc, bot, con, top, tut, 85.0, "hinge", metrics))
    return tuple(out)


def test_rep_table_of_the_sample_is_unchanged():
    assert format_rep_table(Analysis("hinge", _sample_reps(), (), Quality()), Config()) == SAMPLE_TABLE


def test_rep_table_metric_columns_are_the_specs_cli_columns():
    from formcheck.engine.registry import get_spec

    shown = get_spec("hinge").metric_specs("cli", "rep")
    head = format_rep_table(Analysis("hinge", _sample_reps(), (), Quality()), Config()).splitlines()[0].split("  ")
    titles = [h.strip() for h in head if h.strip()]
    assert titles == ["rep", "lower s", "pause s", "rise s", "top s", "TUT s", *(m.cli for m in shown), "class"]


def test_rep_table_adds_a_side_column_for_one_sided_reps():
    reps = [dataclasses.replace(r, side=side) for r, side in zip(_sample_reps(), ("left", "right", None), strict=True)]
    lines = format_rep_table(Analysis("hinge", tuple(reps), (), Quality()), Config()).splitlines()
    assert lines[0].split()[:2] == ["rep", "side"]
    assert [line.split()[1] for line in lines[2:]] == ["left", "right", "both"]


def test_rep_table_of_an_unknown_exercise_has_the_generic_columns():
    reps = tuple(dataclasses.replace(r, classification="") for r in _sample_reps())
    lines = format_rep_table(Analysis("not_registered", reps, (), Quality()), Config()).splitlines()
    assert lines[0].split() == ["rep", "lower", "s", "pause", "s", "rise", "s", "top", "s", "TUT", "s", "class"]
    assert lines[2].split() == ["1", "1.93", "1.14", "1.71", "1.23", "4.8", "–"]


def test_print_analysis_prints_holds_instead_of_zero_reps():
    import io

    from formcheck.cli import print_analysis
    from formcheck.types import Break, Hold

    holds = (Hold(1, 2.0, 32.0, 27.5, breaks=(Break(10.0, 11.5),), side="left"), Hold(2, 40.0, 60.0, 20.0))
    out = io.StringIO()
    print_analysis(Analysis("hinge", (), (), Quality(view="side"), holds=holds), out, Config())
    text = out.getvalue()
    counts = [line for line in text.splitlines() if line.split()[1:] in (["hold"], ["holds"], ["rep"], ["reps"])]
    assert counts == ["2 holds"], counts  # no "0 reps" line for a hold exercise, and no "hold(s)"
    lines = text.splitlines()
    head = lines.index(next(line for line in lines if line.lstrip().startswith("hold")))
    assert lines[head].split() == ["hold", "side", "start", "s", "end", "s", "held", "s", "in", "position", "s",
                                   "breaks"]  # fmt: skip
    assert lines[head + 2].split() == ["1", "left", "2.0", "32.0", "30.0", "27.5", "1"]
    assert lines[head + 3].split() == ["2", "both", "40.0", "60.0", "20.0", "20.0", "0"]
    # What "held" and "in position" mean, under the table (a clean plank read "held 7.1, in band 5.7, in line 100 %"
    # with nothing to say why the two times differ), with the break limit the hold rule uses.
    from formcheck.analyzers.floor_hold import BREAK_MIN_S
    from formcheck.report.content import HOLD_TABLE_NOTE

    assert lines[head + 4].strip() == HOLD_TABLE_NOTE and f"{BREAK_MIN_S:g} s or more is a break" in HOLD_TABLE_NOTE


def test_print_analysis_names_one_focus_and_praises_clean_sets():
    import io

    from formcheck.cli import print_analysis
    from formcheck.config import Config

    fast = Rep(1, 0.0, 1.0, 4.0, 0.8, 1.0, 2.0, 1.0, 4.0, 60.0, "hinge", {"hip_share": 0.9})
    out = io.StringIO()
    print_analysis(Analysis("hinge", (fast,), (), Quality(view="side")), out, Config())
    focus = [line for line in out.getvalue().splitlines() if line.startswith("focus next:")]
    assert len(focus) == 1 and "Lower for 3 s" in focus[0] and "took 0.80 s" in focus[0]

    ok = Rep(1, 0.0, 3.0, 8.0, 3.0, 1.0, 2.0, 1.0, 7.0, 60.0, "hinge", {"hip_share": 0.9})
    out = io.StringIO()
    print_analysis(Analysis("hinge", (ok,), (), Quality(view="side")), out, Config())
    assert "focus next: nothing to correct" in out.getvalue()


def test_reports_of_several_formats_read_the_video_once(tmp_path, monkeypatch, capsys):
    import formcheck.report.keyframes as kf

    an = make_analysis(rep_plan(2, {2: {"spine_flexion_est_deg": 20.0}}),
                       video=VideoInfo("v.mp4", 160, 120, 30, 0, 10.0))  # fmt: skip
    seq = make_sequence(an, width=160, height=120)
    video = write_figure_video(tmp_path / "v.mp4", seq)
    reads = []
    real = kf.iter_video_frames
    monkeypatch.setattr(kf, "iter_video_frames", lambda p, *a, **k: (reads.append(p), real(p, *a, **k))[1])
    outs = [tmp_path / "out" / "a.html", tmp_path / "out" / "a.pdf"]
    _write_outputs(an, outs, video, seq, Config())
    assert reads == [video] and all(o.stat().st_size > 0 for o in outs)
    assert capsys.readouterr().err.splitlines() == [f"wrote {o}" for o in outs]


def test_every_option_has_help_and_exercise_lists_the_choices():
    import argparse

    from formcheck.cli import _build_parser
    from formcheck.engine.registry import names

    parser = _build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    missing = []
    for name, sp in sub.choices.items():
        for act in sp._actions:
            if not isinstance(act, argparse._HelpAction) and not act.help:
                missing.append(f"{name} {act.option_strings or act.dest}")
            if "--exercise" in act.option_strings and name != "bench":  # bench: a measuring tool, not for users
                assert all(n in act.help for n in names()), (name, act.help)
            if "--sex" in act.option_strings or "--tempo" in act.option_strings:
                assert "default" in act.help.lower(), (name, act.option_strings)
    assert missing == []


def test_usage_errors_point_at_the_right_help(capsys):
    from formcheck.cli import main

    assert main(["no_such_command"]) == 2
    err = capsys.readouterr().err
    assert "Try 'formcheck --help'" in err and "formcheck formcheck" not in err
    assert main(["analyze"]) == 2  # the video is missing
    assert "Try 'formcheck analyze --help'" in capsys.readouterr().err


def test_front_view_exercise_says_both_sides(tmp_path, capsys):
    # A front-view exercise measures both sides (Quality.side_used == "both"): "measuring both sides", not
    # "measuring the both side".
    from formcheck.analyzers.trunk_rotation_synth import make_trunk_rotation
    from formcheck.io.cache import save_pose_cache

    poses = save_pose_cache(make_trunk_rotation(), tmp_path / "rotation.npz")
    assert main(["analyze", str(poses), "--exercise", "trunk_rotation", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "measuring both sides" in out and "the both side" not in out
