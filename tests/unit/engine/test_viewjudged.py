"""A number the set's camera view does not judge is marked beside it, in every table and summary (finding D).

Truth: the views each exercise's cue rules declare (CueRule.views) and the bridge's camera-angle rule
(body.view.lying_view: over 23° from side-on, over-arching is not judged; the "lift higher" rule still holds). The
oblique bridge clip read +9/+11/+12° tops against a hand label of "roughly straight": those numbers were shown bare
beside the 5° over-arch limit.
"""

from __future__ import annotations

import csv
import io
import math

import pytest

from formcheck.config import Config, load_config
from formcheck.engine import cuerules
from formcheck.engine.registry import get_spec
from formcheck.engine.viewjudged import NOT_JUDGED, marked, not_judged_keys, summary_note
from formcheck.types import Analysis, Quality, Rep

CFG = Config()
BRIDGE, SQUAT = get_spec("glute_bridge"), get_spec("squat")
TOP = "hip_ext_top_deg"
OBLIQUE_DEG, SIDE_DEG = 28.5, 10.0  # the oblique clip's camera angle from side-on; a side clip's


def bridge_rep(index: int, top_deg: float, off_side_deg: float) -> Rep:
    return Rep(index=index, start_s=3.0 * index, bottom_s=3.0 * index + 1, end_s=3.0 * index + 2.5, eccentric_s=1.0,
               bottom_pause_s=2.0, concentric_s=1.5, top_pause_s=1.0, time_under_tension_s=4.5, rom_deg=40.0,
               classification="", metrics={TOP: top_deg, "march_lift_deg": math.nan,
                                           "view_off_side_deg": off_side_deg})  # fmt: skip


@pytest.mark.parametrize(
    ("view", "top_deg", "off_side_deg", "not_judged"),
    [
        ("side", 11.0, SIDE_DEG, False),  # side-on: over-arching is judged
        ("oblique", 11.0, OBLIQUE_DEG, True),  # past straight from 28.5°: only the over-arch rule speaks to it
        ("oblique", 0.0, OBLIQUE_DEG, True),  # straight: the over-arch side, not judged
        ("oblique", -10.0, OBLIQUE_DEG, False),  # 10° short: the "lift higher" rule is valid from there
        ("front", -10.0, OBLIQUE_DEG, True),  # no rule on the top line holds from the front
        ("unknown", 11.0, OBLIQUE_DEG, False),  # an unknown view lets every rule through: nothing marked
        ("oblique", math.nan, OBLIQUE_DEG, False),  # no number: nothing to mark (the cell is "–")
    ],
)
def test_bridge_top_line_is_judged_where_a_rule_of_this_view_speaks_to_it(view, top_deg, off_side_deg, not_judged):
    values = cuerules.rep_values(bridge_rep(1, top_deg, off_side_deg))
    assert (TOP in not_judged_keys(BRIDGE, values, "rep", view, CFG)) is not_judged


@pytest.mark.parametrize(
    ("view", "want"),
    [
        ("side", {"knees_in_pct_hips"}),  # knee tracking is a front/oblique check
        ("oblique", {"thigh_above_parallel_deg", "trunk_minus_shin_deg", "heel_lift_cm"}),  # side-only checks
        ("front", {"thigh_above_parallel_deg", "trunk_minus_shin_deg", "heel_lift_cm"}),
    ],
)
def test_squat_side_only_numbers_are_not_judged_at_an_angle(view, want):
    values = {"thigh_above_parallel_deg": 22.0, "trunk_minus_shin_deg": -21.0, "heel_lift_cm": 1.7,
              "knees_in_pct_hips": 2.0}  # fmt: skip
    got = not_judged_keys(SQUAT, values, "rep", view, CFG)
    assert got & set(values) == want


def test_rules_let_through_in_every_view_mark_nothing():
    cfg = load_config(None, {"cues": {"side_view_only": False}})
    values = cuerules.rep_values(bridge_rep(1, 11.0, OBLIQUE_DEG))
    assert not_judged_keys(BRIDGE, values, "rep", "oblique", cfg) == frozenset()


@pytest.mark.parametrize(
    ("text", "off", "want"),
    [("+11", True, f"+11 ({NOT_JUDGED})"), ("+11", False, "+11"), ("–", True, "–")],
)
def test_marked_cell(text, off, want):
    assert marked(text, off) == want


@pytest.mark.parametrize(
    ("flags", "want"),
    [
        ({1: False, 2: False}, ""),
        ({1: True, 2: True}, " (not judged from this camera angle)"),
        ({1: True, 2: False, 3: True}, " (not judged from this camera angle on reps 1 and 3)"),
    ],
)
def test_summary_note(flags, want):
    assert summary_note(flags) == want


# ---------------------------------------------------------------------------------------------------------------
# Every place that shows a rep's numbers: the same two reps of an oblique bridge, +11° (not judged), −10° (judged)
# ---------------------------------------------------------------------------------------------------------------


def _oblique_bridge() -> Analysis:
    q = Quality(view="oblique", facing="right", side_used="both", frames_total=300, person_fraction=1.0,
                full_body_fraction=1.0, multi_person_fraction=0.0, mean_visibility=0.95, position="supine")  # fmt: skip
    reps = (bridge_rep(1, 11.0, OBLIQUE_DEG), bridge_rep(2, -10.0, OBLIQUE_DEG))
    return Analysis(exercise="glute_bridge", reps=reps, cues=(), quality=q, summary={"hip_ext_top_mean_deg": 0.5})


def _cli(an: Analysis, cfg: Config = CFG) -> list[str]:
    from formcheck.cli import format_rep_table

    lines = format_rep_table(an, cfg).splitlines()[2:]
    return [next(c for c in line.split("  ") if "11" in c or "10" in c).strip() for line in lines]


def _report(an: Analysis, cfg: Config = CFG) -> list[str]:
    from formcheck.report.content import rep_table

    t = rep_table(an, cfg)
    col = t.headers.index("Top line °")
    return [r.cells[col] for r in t.rows]


def _app(an: Analysis, cfg: Config = CFG) -> list[str]:
    from formcheck.engine.judgement import judged_config
    from formcheck.ui.tables import rep_rows

    judged = judged_config(an, cfg)  # as the review and history pages pass it
    return [r["Top line °"] for r in rep_rows(an.reps, exercise=an.exercise, view=an.quality.view, config=judged)]


def _csv(an: Analysis, cfg: Config = CFG) -> list[str]:
    from formcheck.engine.judgement import judged_config
    from formcheck.report.tabular import csv_text

    rows = list(csv.DictReader(io.StringIO(csv_text(an, judged_config(an, cfg)))))
    return [f"{float(r[TOP]):+.0f}" + (f" ({NOT_JUDGED})" if r["not_judged"] == TOP else "") for r in rows]


@pytest.mark.parametrize("cells", [_cli, _report, _app, _csv], ids=["cli", "report", "app", "csv"])
def test_every_table_marks_the_same_number(cells):
    assert cells(_oblique_bridge()) == [f"+11 ({NOT_JUDGED})", "-10"]


def test_summaries_say_which_reps_were_not_judged():
    from formcheck.report.content import extra_summary, summary_facts

    an = _oblique_bridge()
    facts = dict(summary_facts(an, CFG))
    assert facts[BRIDGE.metric(TOP).label].endswith("(not judged from this camera angle on rep 1)")
    extra = dict(extra_summary(an, CFG))
    assert extra[next(k for k in extra if "mean" in k)].endswith("on rep 1)")
    side = Analysis(exercise="glute_bridge", reps=(bridge_rep(1, 11.0, SIDE_DEG),), cues=(),
                    quality=Quality(view="side", position="supine"))  # fmt: skip
    assert "not judged" not in dict(summary_facts(side, CFG))[BRIDGE.metric(TOP).label]


# The user's settings: with cues.side_view_only off every rule speaks from any camera angle, so nothing is marked,
# in every output alike (the CLI, report and app fell back to the defaults and still showed "+11 (not judged)"),
# whether the setting is the active one or the one the set was judged with (recorded in its settings).
# ---------------------------------------------------------------------------------------------------------------

ALL_VIEWS = load_config(None, {"cues": {"side_view_only": False}})


def _recorded(an: Analysis, cfg: Config) -> Analysis:
    from dataclasses import replace

    from formcheck.engine import judgement

    return replace(an, settings={**dict(an.settings), judgement.KEY: judgement.record(cfg, an.exercise)})


@pytest.mark.parametrize("cells", [_cli, _report, _app, _csv], ids=["cli", "report", "app", "csv"])
@pytest.mark.parametrize("where", ["active", "recorded"])
def test_every_table_follows_the_side_view_only_setting(cells, where):
    an = _oblique_bridge()
    # recorded: the set was judged with the setting off; the active configuration is the defaults
    got = cells(an, ALL_VIEWS) if where == "active" else cells(_recorded(an, ALL_VIEWS), CFG)
    assert got == ["+11", "-10"]


def test_summaries_follow_the_side_view_only_setting():
    from formcheck.report.content import extra_summary, summary_facts

    an = _oblique_bridge()
    assert "not judged" not in dict(summary_facts(an, ALL_VIEWS))[BRIDGE.metric(TOP).label]
    assert not any("not judged" in text for _, text in extra_summary(an, ALL_VIEWS))
    assert any("not judged" in text for _, text in extra_summary(an, CFG))  # the same set, default settings


def test_not_judged_keys_needs_the_configuration():
    with pytest.raises(TypeError):
        not_judged_keys(BRIDGE, cuerules.rep_values(bridge_rep(1, 11.0, OBLIQUE_DEG)), "rep", "oblique")  # type: ignore[call-arg]


def test_the_report_table_asks_once_per_rep_which_numbers_are_not_judged(monkeypatch):
    """Each rep's not-judged keys are computed once for its row, not once per metric cell (review mend); the marks
    are the same."""
    import formcheck.report.content as rc
    from formcheck.engine import viewjudged

    calls = []

    def counted(*args, **kwargs):
        calls.append(args[1])
        return not_judged_keys(*args, **kwargs)

    monkeypatch.setattr(viewjudged, "not_judged_keys", counted)
    an = _oblique_bridge()
    assert len(BRIDGE.metric_specs("report", "rep")) > 1  # several metric cells per row
    assert _report(an) == [f"+11 ({NOT_JUDGED})", "-10"]
    assert len(calls) == len(an.reps)
    assert rc.rep_table(an, CFG).rows  # a second table asks again (nothing kept between tables)
    assert len(calls) == 2 * len(an.reps)


@pytest.mark.parametrize("name", ["glute_bridge", "lunge"])  # derives values for its rules / derives none
def test_with_derived_adds_what_the_rules_compare(name):
    from formcheck.engine.spec import RuleInput

    spec = get_spec(name)
    rep = bridge_rep(1, 11.0, SIDE_DEG)  # side-on: 11° past straight is an over-arch the rule compares
    values = cuerules.rep_values(rep)
    inp = RuleInput(values, CFG, cuerules.exercise_config(CFG, name), "", live=False)
    got = cuerules.with_derived(spec, inp)
    if spec.derive is None:
        assert got is inp
    else:
        assert set(got.values) == set(values) | {"overarch_deg", "short_deg"}
        assert (got.num("overarch_deg"), got.num("short_deg")) == (11.0, 0.0)
        assert cuerules.rep_input(spec, rep, CFG).num("overarch_deg") == 11.0  # the cues' input: the same


# -- acceptance #5: the lunge's angles as the squat's; a number derived from a not-judged one ---------------------

LUNGE = get_spec("lunge")
LUNGE_ANGLES = {"front_shin_incl_deg", "trunk_incl_max_deg", "front_thigh_above_parallel_deg"}


def lunge_rep(view: str) -> Rep:
    """A clean lunge rep at the set's tempo (no tempo cue); centimetres measured side-on only (NaN at an angle)."""
    side = view == "side"
    metrics = {
        "front_shin_incl_deg": 10.0,
        "trunk_incl_max_deg": 19.0,
        "front_thigh_above_parallel_deg": -7.0,
        "knee_past_toes_cm": -5.0 if side else math.nan,
        "back_knee_height_cm": 12.0 if side else math.nan,
        "step_length_leg_frac": 0.9 if side else math.nan,
        "com_sway_cm": 2.0 if side else math.nan,
    }
    return Rep(index=1, start_s=0.0, bottom_s=2.0, end_s=4.0, eccentric_s=2.0, bottom_pause_s=0.0, concentric_s=1.5,
               top_pause_s=0.5, time_under_tension_s=3.5, rom_deg=90.0, classification="", metrics=metrics,
               side="left")  # fmt: skip


@pytest.mark.parametrize(("view", "want"), [("side", set()), ("oblique", LUNGE_ANGLES), ("front", LUNGE_ANGLES)])
def test_lunge_angles_are_judged_side_on_only_as_the_squats(view, want):
    # lunge_oblique_kbtrainer_12 showed trunk 19°, thigh 7° below parallel and shin 10° bare (and praised them)
    # while the squat on the same camera marks its angles: no oblique clip validates the lunge's angles (docs L4)
    got = not_judged_keys(LUNGE, cuerules.rep_values(lunge_rep(view)), "rep", view, CFG)
    assert got & LUNGE_ANGLES == want


@pytest.mark.parametrize("view", ["side", "oblique"])
def test_lunge_praise_vouches_only_for_judged_angles(view):
    from formcheck.cues import usable_rep_cues

    cues = usable_rep_cues(lunge_rep(view), Quality(view=view, position="standing"), CFG, LUNGE)
    praise = [c.message for c in cues if c.code == "praise.clean"]
    if view == "side":
        assert praise == ["Good lunge: trunk 19°, thigh 7° below parallel, shin 10°"]
    else:
        assert praise == []  # nothing judged from an angle: no "Good lunge: shin 10°" either
        assert not {c.code for c in cues} & {"trunk.upright", "depth.shallow"}


@pytest.mark.parametrize(
    ("exercise", "view", "marked_all"),
    [("plank", "side", False), ("plank", "oblique", True), ("side_plank", "front", False),
     ("side_plank", "oblique", False), ("side_plank", "side", True)],
)  # fmt: skip
def test_time_in_line_is_judged_with_the_body_line_it_comes_from(exercise, view, marked_all):
    # plank_oblique_kbtrainer_11: "Body line +13 (not judged)" beside a bare "In line % 30" computed from that line
    values = {"body_line_median_deg": 13.0, "line_ok_frac": 0.3, "sway_rms_deg": 1.7}
    got = not_judged_keys(get_spec(exercise), values, "hold", view, CFG)
    assert got == (set(values) if marked_all else set())
